package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// edgeReport holds what sampleReport does not: fingerprints, warnings,
// confidence, a file with issues but no findings, a finding without
// locations, a relative root, and file names built to break formats
// (markup, pipes, backticks, formula prefixes, brackets, blanks).
func edgeReport() *Report {
	r := &Report{
		Schema:     Schema,
		Tool:       Tool{Name: "datahygiene", Version: "0.1.0-test"},
		Root:       "testdata/share",
		StartedAt:  started,
		FinishedAt: started.Add(90 * 1e9),
		Summary:    Summary{FilesSeen: 9, FilesScanned: 5, BytesScanned: 999},
		Files: []finding.FileResult{
			{
				Path: "=HYPERLINK(\"http://x\")|[x](1) `a` @octocat #1 <b>.csv", Type: "csv", Size: 10,
				Modified: mtime, Mode: 0o644, Status: finding.Scanned, Risk: finding.High,
				Findings: []finding.Finding{{
					Detector: "email", Name: "Email address", Category: finding.Contact, Confidence: "high",
					Severity: finding.Medium, Count: 2,
					Locations: []finding.Location{
						{Line: 2, Row: 1, Column: "-mail|to", Fingerprint: "fp-0a1b2c3d4e5f"},
						{Line: 4, Row: 3, Column: "-mail|to", Fingerprint: "fp-99887766aabb"},
					},
					Samples: []string{"+***@example.com"},
				}},
				Issues: []finding.Issue{{Kind: finding.Unprotected, Severity: finding.High, Reason: "mode 0644 lets every local user read it"}},
			},
			{
				Path: "logs/app 2024.log", Type: "text", Size: 4096, Modified: mtime, Mode: 0o600,
				Status: finding.Scanned, Risk: finding.Low,
				Findings: []finding.Finding{{
					Detector: "ip_address", Name: "IP address", Category: finding.Network, Confidence: "medium",
					Severity: finding.Low, Count: 1, Locations: []finding.Location{{Line: 12}},
					Samples: []string{"203.0.***.***"},
				}},
				Issues:   []finding.Issue{{Kind: "prohibited", Severity: finding.Critical, Reason: "policy forbids ip_address in logs/"}},
				Warnings: []string{"rule slow at line 3: pattern match timed out"},
			},
			{
				Path: "ops/notes.md", Type: "text", Size: 50, Modified: mtime, Mode: 0o600,
				Status: finding.Scanned, Risk: finding.Medium,
				Findings: []finding.Finding{{Detector: "password", Severity: finding.Medium, Count: 1, Samples: []string{"********"}}},
			},
			{
				Path: "a:b/colon.txt", Type: "text", Size: 1, Modified: mtime, Mode: 0o664,
				Status: finding.Scanned,
				Issues: []finding.Issue{{Kind: finding.Stale, Severity: finding.Low, Reason: "last modified 400 days ago; retention is 365 days"}},
			},
			{Path: "tmp/\x1b[31mred\n.bin", Type: "file", Status: finding.Error, Reason: "open: permission denied"},
		},
	}
	r.Tally()
	return r
}

// rawValues are the unmasked values the fixtures carry in Values only.
var rawValues = []string{"+31 6 1234 5678", "+31 20 555 0112", "4111111111111111"}

// withValues returns sampleReport with raw values on two findings, as
// --show-values leaves them; withoutValues the same with none.
func withValues() *Report {
	r := sampleReport()
	for i := range r.Files {
		for j := range r.Files[i].Findings {
			if fd := &r.Files[i].Findings[j]; fd.Detector == "credit_card" {
				fd.Values = []string{"4111111111111111"}
			}
		}
	}
	return r
}

func withoutValues() *Report {
	r := sampleReport()
	for i := range r.Files {
		for j := range r.Files[i].Findings {
			r.Files[i].Findings[j].Values = nil
		}
	}
	return r
}

// TestNoFormatShowsRawValuesUnasked: masking is decided upstream, and a
// writer must not undo it. Without Values no format holds a raw value,
// even verbose; with Values the machine formats carry them (as json
// always did), the table only when verbose, and markdown, which is posted
// where many read it, never.
func TestNoFormatShowsRawValuesUnasked(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		for _, verbose := range []bool{false, true} {
			out := string(render(t, format, Options{Verbose: verbose}, withoutValues()))
			for _, raw := range rawValues {
				if strings.Contains(out, raw) {
					t.Errorf("%s (verbose=%v): raw value %q without --show-values", format, verbose, raw)
				}
			}
		}
	}
	wantValues := map[string]bool{"json": true, "sarif": true, "csv": true, "ndjson": true, "table": false, "markdown": false, "html": false}
	for _, format := range Formats() {
		want, ok := wantValues[format]
		if !ok {
			t.Errorf("%s: say here whether the format shows raw values", format)
			continue
		}
		out := string(render(t, format, Options{}, withValues()))
		for _, raw := range rawValues {
			if got := strings.Contains(out, raw); got != want {
				t.Errorf("%s: contains raw value %q = %v, want %v", format, raw, got, want)
			}
		}
	}
}

// TestWritersAreDeterministic: the same report gives the same bytes
// whatever the order of its files, so goldens and diffs of reports show
// only real changes.
func TestWritersAreDeterministic(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		for _, mk := range []func() *Report{sampleReport, edgeReport} {
			want := render(t, format, Options{Verbose: true}, mk())
			shuffled := mk()
			rng := rand.New(rand.NewPCG(1, 2))
			rng.Shuffle(len(shuffled.Files), func(i, j int) {
				shuffled.Files[i], shuffled.Files[j] = shuffled.Files[j], shuffled.Files[i]
			})
			if got := render(t, format, Options{Verbose: true}, shuffled); !bytes.Equal(got, want) {
				t.Errorf("%s: output depends on the order of Files", format)
			}
		}
	}
}

// TestWritersLeaveReportAlone: writing normalises and sorts copies only.
func TestWritersLeaveReportAlone(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		r := edgeReport()
		r.Files[0], r.Files[4] = r.Files[4], r.Files[0]
		want := edgeReport()
		want.Files[0], want.Files[4] = want.Files[4], want.Files[0]
		render(t, format, Options{Verbose: true}, r)
		if !reflect.DeepEqual(r, want) {
			t.Errorf("%s: Write changed its input", format)
		}
	}
}

func TestStreamerForEveryFormat(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		var b bytes.Buffer
		s, err := NewStreamer(format, &b, Options{})
		if err != nil {
			t.Fatalf("NewStreamer(%q): %v", format, err)
		}
		r := sampleReport()
		for _, f := range r.Files {
			if err := s.File(f); err != nil {
				t.Fatalf("%s: File: %v", format, err)
			}
		}
		if err := s.Close(r); err != nil {
			t.Fatalf("%s: Close: %v", format, err)
		}
		if err := s.Close(r); err == nil {
			t.Errorf("%s: second Close succeeded", format)
		}
		if err := s.File(r.Files[0]); err == nil {
			t.Errorf("%s: File after Close succeeded", format)
		}
		if Streams(format) {
			continue
		}
		// A batch format streamed is the batch format.
		if want := render(t, format, Options{}, sampleReport()); !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s: streamed output differs from Write", format)
		}
	}
	if _, err := NewStreamer("xml", &bytes.Buffer{}, Options{}); err == nil {
		t.Error("NewStreamer(xml) succeeded")
	}
	if !Streams("ndjson") || Streams("json") {
		t.Error("Streams: want ndjson only")
	}
}

// FuzzWriters feeds every writer file names, reasons, column names and
// samples that the share or a rule could hold, and checks each format's
// own invariants: SARIF stays valid against the schema, ndjson stays one
// object per line, CSV keeps its columns and never starts a cell with a
// formula character, Markdown keeps its table cells.
func FuzzWriters(f *testing.F) {
	f.Add("a.csv", "read: denied", "email", "j***@example.com", "email")
	f.Add("=1+1|x\n`y`", "-2\r\n", "@c", "+1 ***", "my|detector")
	f.Add("[x](1) <b>@u #2", "\\[", "``", "\t=cmd", "x")
	f.Add("\xff\xfe", "", "", "", "d")
	f.Fuzz(func(t *testing.T, path, reason, column, sample, detector string) {
		r := &Report{
			Root: "/srv/" + path,
			Files: []finding.FileResult{
				{
					Path: path, Status: finding.Scanned, Risk: finding.High,
					Findings: []finding.Finding{{
						Detector: detector, Name: detector, Severity: finding.High, Count: 1,
						Locations: []finding.Location{{Line: 3, Row: 2, Column: column, Fingerprint: sample}, {Sheet: column, Cell: sample}},
						Samples:   []string{sample},
					}},
					Issues:   []finding.Issue{{Kind: finding.IssueKind(detector), Severity: finding.Low, Reason: reason}},
					Warnings: []string{reason},
				},
				{Path: path + "/x", Status: finding.Error, Reason: reason},
			},
		}
		r.Tally()
		for _, format := range Formats() {
			out := render(t, format, Options{Verbose: true}, r)
			switch format {
			case "sarif":
				validateSARIF(t, out)
			case "ndjson":
				checkNDJSON(t, out)
			case "csv":
				checkCSV(t, out)
			case "markdown":
				checkMarkdownTables(t, out)
			case "json":
				if !json.Valid(out) {
					t.Errorf("json: invalid output")
				}
			}
		}
	})
}
