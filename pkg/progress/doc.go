// Package progress draws a one-line progress display on a terminal while a
// scan runs: files and bytes done, the read rate over the last seconds, the
// folder being read and, when the previous run's size is known, an ETA.
//
// It is for a person watching: when the stream is not a terminal (cron, a
// pipe, a CI log) or Quiet is set, New returns a Progress whose methods do
// nothing and which never writes, so scripted output stays byte-for-byte
// what the report writes. Scan workers report finished files with File,
// which only bumps atomic counters; a single goroutine redraws the line
// every Interval, so the cost to a scan does not grow with its file count.
// The line is redrawn in place with "\r" and erase-to-end-of-line, fitted
// to the terminal width (a wrapped line could not be redrawn in place),
// and Stop erases it so the report that follows starts on a clean line.
// File names are shown with control characters replaced: a name in the
// scanned tree must not be able to send escape sequences to the terminal.
// No colour is used, so NO_COLOR needs no handling here.
package progress
