// Package sniff tells what a file is from its name and its first bytes, so
// that the scan can pick a reader, or skip the file, before opening it for
// real.
//
// Content decides first: a magic number (zip, OLE2, PDF, gzip, 7z, images,
// executables) settles the type whatever the name says, because a renamed
// file is common and a reader fed the wrong format wastes time or fails.
// Text is what is left when no magic number matches, the head has no NUL
// byte and few control characters. The name only refines a type content has
// already settled: a zip named .xlsx is a workbook, text named .csv or .tsv
// is a table.
//
// Detect runs once per file on the scan's hot path, so it does not allocate:
// a magic number or an early NUL settles a head in nanoseconds, and text
// costs a fraction of a nanosecond per byte (see BenchmarkDetect).
package sniff
