// Package report holds the report document (schema datahygiene/report/v1)
// and one writer per output format behind the small Writer interface.
//
// The Report is the contract between a scan and everything downstream: the
// scan builds it, Tally derives the summary counts from its files, and a
// writer only renders it. Writers never compute anything from the values a
// finding matched: samples arrive already masked from detect, and raw
// values travel in Finding.Values only when the user asked for them. This
// keeps "what may be shown" decided in one place upstream, so adding a
// format (SARIF, CSV) cannot leak data by accident.
//
// The JSON field names are public API (documented in docs/report-format.md):
// fields may be added, never renamed or removed, within one schema version.
package report
