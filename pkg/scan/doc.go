// Package scan is the glue of the pipeline: it walks a tree, sniffs each
// file's type, hands it to the matching reader, runs the detectors over the
// chunks, assesses the result and returns the report. Files are processed
// by a bounded pool of workers; results are sorted by path afterwards, so
// the report is the same whatever the scheduling.
//
// A scan never writes to what it reads: files are opened read-only through
// walk.Open, with O_NOATIME where the kernel allows it so that the audit does
// not reset the access times a staleness check may rely on, and only regular
// files are ever opened (a FIFO or a device could block or have side effects).
package scan
