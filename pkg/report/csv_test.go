package report

import (
	"bytes"
	"encoding/csv"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"slices"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestCSVGolden(t *testing.T) {
	t.Parallel()
	golden(t, "report.csv", render(t, "csv", Options{}, sampleReport()))
	golden(t, "edge.csv", render(t, "csv", Options{}, edgeReport()))
	golden(t, "empty.csv", render(t, "csv", Options{}, &Report{}))
}

// readCSV parses out, which must have the header row first and the same
// number of cells in every row.
func readCSV(t *testing.T, out []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv output does not parse: %v\n%s", err, out)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], csvHeader) {
		t.Fatalf("csv output does not start with the header row")
	}
	return rows
}

// checkCSV checks the invariants every CSV report keeps.
func checkCSV(t *testing.T, out []byte) {
	t.Helper()
	for i, row := range readCSV(t, out) {
		for j, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %d, column %s: cell %q starts a formula", i+1, csvHeader[j], cell)
			}
		}
	}
}

func TestCSVRows(t *testing.T) {
	t.Parallel()
	rows := readCSV(t, render(t, "csv", Options{}, sampleReport()))
	col := func(name string) int { return slices.Index(csvHeader, name) }
	count := map[string]int{}
	for _, row := range rows[1:] {
		count[row[col("record")]]++
		if row[col("path")] == "" || row[col("status")] == "" {
			t.Errorf("row without path or status: %q", row)
		}
	}
	// 7 reported files; 2+10+3+1+2+2 finding locations; 7 issues.
	if want := map[string]int{"file": 7, "finding": 20, "issue": 7}; !mapsEqual(count, want) {
		t.Errorf("records = %v, want %v", count, want)
	}
	// A filter on risk keeps whole files: every row of cards.csv says critical.
	for _, row := range rows[1:] {
		if row[col("path")] == "finance/cards.csv" &&
			(row[col("risk")] != "critical" || row[col("file_issues")] != "unencrypted; unprotected") {
			t.Errorf("cards.csv row lacks its file columns: %q", row)
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestCSVInjection: paths, column names and reasons come from the share;
// a spreadsheet must show them, never run them.
func TestCSVInjection(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
		{"+1-2", "'+1-2"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", `\t=1`}, // control characters are escaped, so no tab leads
		{"\r=1", `\r=1`},
		{"a=1", "a=1"},
		{"", ""},
		{"'quoted", "'quoted"},
	}
	for _, tt := range tests {
		if got := escape.CSVCell(tt.in); got != tt.want {
			t.Errorf("escape.CSVCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}

	r := &Report{Files: []finding.FileResult{
		{
			Path: "=cmd|' /C calc'!A0.csv", Status: finding.Scanned, Risk: finding.Low,
			Findings: []finding.Finding{{Detector: "phone", Severity: finding.Low, Count: 1,
				Locations: []finding.Location{{Line: 2, Row: 2, Column: "@phone"}}, Samples: []string{"+31 6 **** **78"}}},
			Issues: []finding.Issue{{Kind: finding.Unencrypted, Severity: finding.Low, Reason: "-plain text"}},
		},
		{Path: "+x.txt", Status: finding.Error, Reason: "=1+1"},
	}}
	r.Tally()
	out := render(t, "csv", Options{}, r)
	checkCSV(t, out)
	rows := readCSV(t, out)
	col := func(name string) int { return slices.Index(csvHeader, name) }
	var paths, columns, samples, reasons []string
	for _, row := range rows[1:] {
		paths = append(paths, row[col("path")])
		columns = append(columns, row[col("column")])
		samples = append(samples, row[col("samples")])
		reasons = append(reasons, row[col("reason")])
	}
	for _, want := range []struct {
		what  string
		cells []string
		cell  string
	}{
		{"path", paths, "'=cmd|' /C calc'!A0.csv"},
		{"path", paths, "'+x.txt"},
		{"column", columns, "'@phone"},
		{"samples", samples, "'+31 6 **** **78"},
		{"reason", reasons, "'-plain text"},
		{"reason", reasons, "'=1+1"},
	} {
		if !slices.Contains(want.cells, want.cell) {
			t.Errorf("%s: no cell %q in %q", want.what, want.cell, want.cells)
		}
	}
}
