package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// The csv format is one flat table for spreadsheets: a header row, then
// for each reported file (sorted by path) a "file" row, a "finding" row
// per finding location, an "issue" row per issue and a "warning" row per
// warning. Every row repeats the file's columns (status, risk, issues,
// ...), so that a spreadsheet filter on any of them keeps whole files.
// docs/report-format.md documents the columns.

// csvHeader names the columns. New columns may be added at the end; the
// existing ones keep their names and order.
var csvHeader = []string{
	"record", "path", "status", "risk", "file_issues", "file_type", "size", "modified", "mode",
	"detector", "name", "category", "severity", "confidence", "count",
	"line", "row", "column", "sheet", "cell", "fingerprint",
	"samples", "values", "issue", "reason",
	"part",
}

// csvRow holds one row by column name, so that rows are built by meaning
// rather than by position.
type csvRow struct {
	record, path, status, risk, fileIssues, fileType, size, modified, mode string
	detector, name, category, severity, confidence, count                  string
	line, row, column, sheet, cell, fingerprint                            string
	samples, values, issue, reason                                         string
	part                                                                   string
}

func (r *csvRow) cells() []string {
	cells := []string{
		r.record, r.path, r.status, r.risk, r.fileIssues, r.fileType, r.size, r.modified, r.mode,
		r.detector, r.name, r.category, r.severity, r.confidence, r.count,
		r.line, r.row, r.column, r.sheet, r.cell, r.fingerprint,
		r.samples, r.values, r.issue, r.reason,
		r.part,
	}
	for i, c := range cells {
		cells[i] = escape.CSVCell(c)
	}
	return cells
}

// csvListSep joins several samples, values or issue kinds in one cell.
const csvListSep = "; "

type csvWriter struct{}

func (csvWriter) Write(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("csv report: no report")
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("csv report: %w", err)
	}
	for _, f := range sortedFiles(r) {
		for _, row := range csvFileRows(f) {
			if err := cw.Write(row.cells()); err != nil {
				return fmt.Errorf("csv report: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// csvFileRows returns the rows of one file: the file, each finding
// location (worst severity first), each issue, each warning.
func csvFileRows(f *finding.FileResult) []csvRow {
	var kinds []string
	for _, is := range sortedIssues(f.Issues) {
		kinds = append(kinds, string(is.Kind))
	}
	base := csvRow{
		path:       f.Path,
		status:     string(f.Status),
		fileIssues: strings.Join(kinds, csvListSep),
		fileType:   f.Type,
		size:       strconv.FormatInt(f.Size, 10),
		mode:       f.Mode.String(),
	}
	if f.Risk > finding.SeverityNone {
		base.risk = f.Risk.String()
	}
	if !f.Modified.IsZero() {
		base.modified = jsonTime(f.Modified).Format(time.RFC3339)
	}

	file := base
	file.record, file.count, file.reason = "file", strconv.Itoa(f.Occurrences()), f.Reason
	rows := []csvRow{file}
	for _, fd := range sortedFindings(f.Findings) {
		row := base
		row.record = "finding"
		row.detector, row.name, row.category = fd.Detector, fd.Name, string(fd.Category)
		row.severity, row.confidence, row.count = fd.Severity.String(), fd.Confidence, strconv.Itoa(fd.Count)
		row.samples = strings.Join(fd.Samples, csvListSep)
		row.values = strings.Join(fd.Values, csvListSep) // only with --show-values
		locs := fd.Locations
		if len(locs) == 0 {
			locs = []finding.Location{{}}
		}
		for _, loc := range locs {
			row.line, row.row = positive(loc.Line), positive(loc.Row)
			row.column, row.sheet, row.cell, row.fingerprint = loc.Column, loc.Sheet, loc.Cell, loc.Fingerprint
			row.part = loc.Part
			rows = append(rows, row)
		}
	}
	for _, is := range sortedIssues(f.Issues) {
		row := base
		row.record, row.issue, row.severity, row.reason = "issue", string(is.Kind), is.Severity.String(), is.Reason
		rows = append(rows, row)
	}
	for _, w := range f.Warnings {
		row := base
		row.record, row.reason = "warning", w
		rows = append(rows, row)
	}
	return rows
}

func positive(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}
