package report

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/internal/goldenfile"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestMain(m *testing.M) {
	// tablewriter guesses from the locale whether ambiguous-width runes
	// (×, box drawing) take two columns. Pin it so goldens do not depend
	// on the machine's LANG.
	twwidth.SetEastAsian(false)
	os.Exit(m.Run())
}

var (
	started = time.Date(2025, 3, 1, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	mtime   = time.Date(2023, 6, 15, 14, 30, 5, 987654321, time.UTC)
)

// sampleReport covers every shape a writer must handle: CSV, spreadsheet
// and text locations, an archive member, capped locations, raw values, all
// three issue kinds, and skipped, error and encrypted files. The data is
// synthetic and the samples are already masked, as detect hands them over.
func sampleReport() *Report {
	r := &Report{
		Schema:     Schema,
		Tool:       Tool{Name: "datahygiene", Version: "0.1.0-test"},
		Root:       "/srv/share",
		StartedAt:  started,
		FinishedAt: started.Add(4213 * time.Millisecond),
		Summary:    Summary{FilesSeen: 12, FilesScanned: 8, BytesScanned: 1_234_567},
		Files: []finding.FileResult{
			{
				Path: "archive/old-exports.zip!exports/customers.csv", Type: "csv", Size: 2048,
				Modified: mtime, Mode: 0o600, Status: finding.Scanned, Risk: finding.Medium,
				Findings: []finding.Finding{{
					Detector: "email", Name: "Email address", Category: finding.Contact,
					Severity: finding.Medium, Count: 2,
					Locations: []finding.Location{{Line: 2, Row: 2, Column: "email"}, {Line: 3, Row: 3, Column: "email"}},
					Samples:   []string{"j***@example.com", "m***@example.org"},
				}},
				Issues: []finding.Issue{
					{Kind: finding.Stale, Severity: finding.Low, Reason: "last modified 632 days ago; retention is 365 days"},
					{Kind: finding.Unencrypted, Severity: finding.Medium, Reason: "zip archive without encryption"},
				},
			},
			{
				Path: "backups/2019.tar.gz", Type: "tar.gz", Size: 5 << 30,
				Modified: mtime, Mode: 0o640, Status: finding.Skipped,
				Reason: "larger than the 1 GiB size limit (--max-size)",
			},
			{
				Path: "finance/cards.csv", Type: "csv", Size: 40960,
				Modified: mtime, Mode: 0o644, Status: finding.Scanned, Risk: finding.Critical,
				Findings: []finding.Finding{
					{
						Detector: "email", Name: "Email address", Category: finding.Contact,
						Severity: finding.Medium, Count: 12,
						Locations: []finding.Location{
							{Line: 2, Row: 2, Column: "contact"}, {Line: 3, Row: 3, Column: "contact"},
							{Line: 4, Row: 4, Column: "contact"}, {Line: 5, Row: 5, Column: "contact"},
							{Line: 6, Row: 6, Column: "contact"}, {Line: 7, Row: 7, Column: "contact"},
							{Line: 8, Row: 8, Column: "contact"}, {Line: 9, Row: 9, Column: "contact"},
							{Line: 10, Row: 10, Column: "contact"}, {Line: 11, Row: 11, Column: "contact"},
						},
						LocationsOmitted: 2,
						Samples:          []string{"a***@example.com", "b***@example.net", "c***@example.org"},
					},
					{
						Detector: "credit_card", Name: "Payment card number", Category: finding.Financial,
						Severity: finding.Critical, Count: 3,
						Locations: []finding.Location{
							{Line: 2, Row: 2, Column: "card_number"},
							{Line: 5, Row: 5, Column: "card_number"},
							{Line: 9, Row: 9, Column: "card_number"},
						},
						Samples: []string{"4111 **** **** 1111", "5500 **** **** 0004"},
					},
				},
				Issues: []finding.Issue{
					{Kind: finding.Unencrypted, Severity: finding.Critical, Reason: "plain CSV holding payment card numbers"},
					{Kind: finding.Unprotected, Severity: finding.High, Reason: "mode 0644 lets every local user read it"},
				},
			},
			{
				Path: "finance/q3-forecast.xlsx", Type: "xlsx", Size: 18432,
				Modified: mtime, Mode: 0o600, Status: finding.Encrypted,
				Reason: "password-protected workbook",
			},
			{
				Path: "hr/staff.xlsx", Type: "xlsx", Size: 30720,
				Modified: mtime, Mode: 0o660, Status: finding.Scanned, Risk: finding.High,
				Findings: []finding.Finding{
					{
						Detector: "iban", Name: "IBAN", Category: finding.Financial,
						Severity: finding.High, Count: 1,
						Locations: []finding.Location{{Sheet: "Payroll", Cell: "D7"}},
						Samples:   []string{"NL** **** **** **** 00"},
					},
					{
						Detector: "national_id", Name: "National identity number", Category: finding.GovernmentID,
						Severity: finding.High, Count: 2,
						Locations: []finding.Location{{Sheet: "Staff", Cell: "C2"}, {Sheet: "Staff", Cell: "C3"}},
						Samples:   []string{"***-**-6789", "***-**-4321"},
					},
				},
				Issues: []finding.Issue{
					{Kind: finding.Unencrypted, Severity: finding.High, Reason: "workbook without a password"},
					{Kind: finding.Stale, Severity: finding.Medium, Reason: "last modified 625 days ago; retention is 365 days"},
				},
			},
			{
				Path: "mail/broken.eml", Type: "text", Size: 1200,
				Modified: mtime, Mode: 0o600, Status: finding.Error,
				Reason: "read: input/output error",
			},
			{
				Path: "notes/todo.txt", Type: "text", Size: 310,
				Modified: mtime, Mode: 0o600, Status: finding.Scanned, Risk: finding.Low,
				Findings: []finding.Finding{
					{
						Detector: "phone", Name: "Phone number", Category: finding.Contact,
						Severity: finding.Low, Count: 2,
						Locations: []finding.Location{{Line: 7}, {Line: 9}},
						Samples:   []string{"+31 6 **** **78", "+31 20 *** **12"},
						// The user asked for raw values (--show-values).
						Values: []string{"+31 6 1234 5678", "+31 20 555 0112"},
					},
				},
				Issues: []finding.Issue{
					{Kind: finding.Unencrypted, Severity: finding.Low, Reason: "plain text file"},
				},
			},
		},
	}
	r.Tally()
	return r
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}

func render(t *testing.T, format string, opts Options, r *Report) []byte {
	t.Helper()
	w, err := NewWriter(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTally(t *testing.T) {
	r := sampleReport()
	r.Tally() // again: Tally must not accumulate
	got := r.Summary
	want := Summary{
		FilesSeen: 12, FilesScanned: 8, BytesScanned: 1_234_567, // untouched
		FilesWithFindings: 4,
		Findings:          2 + 12 + 3 + 1 + 2 + 2,
		Errors:            1,
		Skipped:           1,
		Encrypted:         1,
		ByDetector:        map[string]int{"email": 14, "credit_card": 3, "iban": 1, "national_id": 2, "phone": 2},
		ByIssue:           map[string]int{"unencrypted": 4, "unprotected": 1, "stale": 2},
		ByRisk:            map[string]int{"critical": 1, "high": 1, "medium": 1, "low": 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tally:\n got %+v\nwant %+v", got, want)
	}
}

func TestTallyCountsAnIssueKindOncePerFile(t *testing.T) {
	r := &Report{Files: []finding.FileResult{{
		Path: "a.csv", Status: finding.Scanned,
		Issues: []finding.Issue{{Kind: finding.Unprotected}, {Kind: finding.Unprotected}},
	}}}
	r.Tally()
	if n := r.Summary.ByIssue["unprotected"]; n != 1 {
		t.Errorf("by_issue[unprotected] = %d, want 1", n)
	}
	if r.Summary.FilesWithFindings != 0 || r.Summary.ByRisk == nil || r.Summary.ByDetector == nil {
		t.Errorf("summary = %+v, want no findings and empty (non-nil) maps", r.Summary)
	}
}

func TestReportable(t *testing.T) {
	tests := []struct {
		name string
		f    finding.FileResult
		want bool
	}{
		{"clean scanned file", finding.FileResult{Status: finding.Scanned}, false},
		{"finding", finding.FileResult{Status: finding.Scanned, Findings: []finding.Finding{{Detector: "email", Count: 1}}}, true},
		{"issue only", finding.FileResult{Status: finding.Scanned, Issues: []finding.Issue{{Kind: finding.Stale}}}, true},
		{"skipped", finding.FileResult{Status: finding.Skipped}, true},
		{"error", finding.FileResult{Status: finding.Error}, true},
		{"encrypted", finding.FileResult{Status: finding.Encrypted}, true},
	}
	for _, tt := range tests {
		if got := Reportable(&tt.f); got != tt.want {
			t.Errorf("%s: Reportable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNewWriter(t *testing.T) {
	for _, f := range Formats() {
		if w, err := NewWriter(f, Options{}); err != nil || w == nil {
			t.Errorf("NewWriter(%q) = %v, %v", f, w, err)
		}
	}
	if Formats()[0] != DefaultFormat {
		t.Errorf("Formats()[0] = %q, want the default %q first", Formats()[0], DefaultFormat)
	}
	_, err := NewWriter("xml", Options{})
	const want = `unknown report format "xml" (want table, json, sarif, csv, markdown, ndjson or html)`
	if err == nil || err.Error() != want {
		t.Errorf("NewWriter(xml) error = %v, want %q", err, want)
	}
}

func TestWritersRejectNilReport(t *testing.T) {
	for _, f := range Formats() {
		w, _ := NewWriter(f, Options{})
		if err := w.Write(&bytes.Buffer{}, nil); err == nil || !strings.Contains(err.Error(), "no report") {
			t.Errorf("%s: Write(nil) error = %v", f, err)
		}
	}
}
