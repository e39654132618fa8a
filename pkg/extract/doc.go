// Package extract defines how readers hand a file's text to the detectors:
// a reader pushes Chunks to a yield callback, and the consumer stops it
// early by returning an error. Push-style streaming keeps every file, however
// large, in bounded memory. The readers live in sub-packages (text, csv,
// xlsx); this package holds only the types they share, so that detect can
// consume chunks without knowing any file format.
package extract
