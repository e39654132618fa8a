// Package report holds the report document (schema datahygiene/report/v1)
// and one writer per output format behind the small Writer interface:
// table (people at a terminal), json (the document itself), sarif (GitHub
// code scanning and other SARIF 2.1.0 viewers), csv (spreadsheets),
// markdown (a pull-request comment) and ndjson (one event per line, for
// log shippers). Each format lives in its own file.
//
// The Report is the contract between a scan and everything downstream: the
// scan builds it, Tally derives the summary counts from its files, and a
// writer only renders it. Writers never compute anything from the values a
// finding matched: samples arrive already masked from detect, and raw
// values travel in Finding.Values only when the user asked for them. This
// keeps "what may be shown" decided in one place upstream, so adding a
// format cannot leak data by accident. The machine formats carry Values
// when present, as json does; the table shows them only when verbose; the
// markdown comment shows neither samples nor values.
//
// Writers take the finished report. A Streamer (NewStreamer) takes each
// file as the scan finishes it and the finished report at the end: ndjson
// writes each file's lines at once, every other format renders at Close,
// so that a caller can use one code path for all formats.
//
// Every writer sorts what it shows, so the same scan gives the same bytes
// whatever order the workers finished in, and every writer treats paths,
// column names and reasons as untrusted text: escaped for a terminal,
// quoted against formula injection in CSV, shown in code spans in
// Markdown, escaped against forged links in SARIF messages.
//
// The JSON field names are public API (documented in docs/report-format.md):
// fields may be added, never renamed or removed, within one schema version.
// The same holds for the ndjson fields and the CSV columns.
package report
