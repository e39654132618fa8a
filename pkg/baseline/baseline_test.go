package baseline

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var key = []byte("0123456789abcdef0123456789abcdef")

func loc(line int, fp string) finding.Location { return finding.Location{Line: line, Fingerprint: fp} }

func fnd(det string, locs ...finding.Location) finding.Finding {
	return finding.Finding{Detector: det, Severity: finding.High, Count: len(locs), Locations: locs,
		Samples: []string{"4539 **** **** 6467"}}
}

func file(path string, fs ...finding.Finding) finding.FileResult {
	return finding.FileResult{Path: path, Type: "csv", Size: 10, Modified: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Mode: 0o644, Status: finding.Scanned, Risk: finding.High, Findings: fs,
		Issues: []finding.Issue{{Kind: finding.Unencrypted, Severity: finding.High, Reason: "values in clear text"}}}
}

func rep(files ...finding.FileResult) *report.Report {
	r := &report.Report{Schema: report.Schema, Root: "/srv", Files: files}
	r.Tally()
	return r
}

func sample() *report.Report {
	return rep(
		file("finance/cards.csv", fnd("credit_card", loc(2, "c1"), loc(3, "c2"), loc(9, "c1")), fnd("email", loc(2, "e1"))),
		file("hr/staff.xlsx", fnd("iban", finding.Location{Sheet: "Staff", Cell: "D4", Fingerprint: "i1"})),
		finding.FileResult{Path: "backup.zip", Status: finding.Skipped, Reason: "archive", Findings: []finding.Finding{}, Issues: []finding.Issue{}},
	)
}

func TestGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Create(sample(), key).Write(&buf); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "baseline.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("baseline differs from %s (go test -update to accept):\n%s", golden, buf.Bytes())
	}
	// Nothing but path, detector, count and fingerprints: no sample, no
	// location, no value.
	for _, leak := range []string{"4539", "line", "Staff", "D4"} {
		if bytes.Contains(buf.Bytes(), []byte(leak)) {
			t.Errorf("baseline holds %q", leak)
		}
	}
}

func TestCreateApplyCycle(t *testing.T) {
	t.Parallel()
	b := Create(sample(), key)
	r := sample()
	n, err := b.Apply(r, Options{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("suppressed = %d, want 5", n)
	}
	// Files whose findings were all accepted stay listed, with what was
	// suppressed and why, but without findings, issues or risk.
	for _, f := range r.Files {
		if len(f.Findings) != 0 || len(f.Issues) != 0 || f.Risk != finding.SeverityNone {
			t.Errorf("%s still has findings, issues or risk: %+v", f.Path, f)
		}
	}
	if got := r.Files[0].Suppressed; !reflect.DeepEqual(got, []finding.Suppression{
		{Detector: "credit_card", Count: 3, Reason: SuppressionReason},
		{Detector: "email", Count: 1, Reason: SuppressionReason},
	}) {
		t.Errorf("cards.csv suppressed = %+v", got)
	}
	if r.Summary.Findings != 0 || r.Summary.FilesWithFindings != 0 || len(r.Summary.ByRisk) != 0 ||
		r.Summary.Skipped != 1 || r.Summary.Suppressed != 5 {
		t.Errorf("summary not tallied: %+v", r.Summary)
	}
}

func TestApply(t *testing.T) {
	t.Parallel()
	base := rep(file("a.csv", fnd("email", loc(1, "x"), loc(2, "y"))))
	tests := []struct {
		name       string
		cur        finding.FileResult
		suppressed int
		want       string // the file's findings after Apply, "" if the file is gone
	}{
		{"same", file("a.csv", fnd("email", loc(1, "x"), loc(2, "y"))), 2, ""},
		{"lines moved", file("a.csv", fnd("email", loc(7, "y"), loc(8, "x"))), 2, ""},
		{"a value repeated", file("a.csv", fnd("email", loc(1, "x"), loc(2, "y"), loc(3, "x"))), 3, ""},
		{"new value", file("a.csv", fnd("email", loc(1, "x"), loc(2, "y"), loc(3, "z"))), 2, "email:1@3"},
		{"new value on an old line", file("a.csv", fnd("email", loc(1, "z"), loc(2, "y"))), 1, "email:1@1"},
		{"new detector", file("a.csv", fnd("email", loc(1, "x")), fnd("iban", loc(1, "i"))), 1, "iban:1@1"},
		{"other file", file("b.csv", fnd("email", loc(1, "x"))), 0, "email:1@1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := rep(tt.cur)
			reassessed := 0
			n, err := Create(base, key).Apply(r, Options{Key: key, Reassess: func(f *finding.FileResult) { reassessed++ }})
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.suppressed {
				t.Errorf("suppressed = %d, want %d", n, tt.suppressed)
			}
			if got := describe(r); got != tt.want {
				t.Errorf("after Apply: %q, want %q", got, tt.want)
			}
			if tt.want != "" && n > 0 {
				if reassessed != 1 {
					t.Errorf("Reassess called %d times, want once", reassessed)
				}
				want := []finding.Suppression{{Detector: "email", Count: n, Reason: SuppressionReason}}
				if got := r.Files[0].Suppressed; !reflect.DeepEqual(got, want) {
					t.Errorf("Suppressed = %+v, want %+v", got, want)
				}
			}
		})
	}
}

// TestApplyCapped: beyond the location cap occurrences have no
// fingerprint; they are accepted by count, so growth still shows.
func TestApplyCapped(t *testing.T) {
	t.Parallel()
	capped := func(omitted int, locs ...finding.Location) finding.Finding {
		f := fnd("email", locs...)
		f.LocationsOmitted, f.Count = omitted, len(locs)+omitted
		return f
	}
	b := Create(rep(file("a.csv", capped(98, loc(1, "a"), loc(2, "b")))), key)
	if b.Entries[0].Count != 100 {
		t.Fatalf("entry count = %d", b.Entries[0].Count)
	}
	tests := []struct {
		name       string
		cur        finding.Finding
		suppressed int
		want       string
	}{
		{"unchanged", capped(98, loc(1, "a"), loc(2, "b")), 100, ""},
		// A line inserted at the top: the new value is listed, an old one
		// is pushed beyond the cap.
		{"new value first", capped(99, loc(1, "n"), loc(2, "a")), 100, "email:1@1"},
		// Appended: every listed value is old, the new one is unlisted.
		{"new value last", capped(99, loc(1, "a"), loc(2, "b")), 100, "email:1+1"},
		{"fewer values", capped(50, loc(1, "a"), loc(2, "b")), 52, ""},
	}
	for _, tt := range tests {
		r := rep(file("a.csv", tt.cur))
		n, err := b.Apply(r, Options{Key: key})
		if err != nil {
			t.Fatal(err)
		}
		if n != tt.suppressed || describe(r) != tt.want {
			t.Errorf("%s: suppressed %d, left %q; want %d, %q", tt.name, n, describe(r), tt.suppressed, tt.want)
		}
	}
}

// TestApplyWithoutFingerprints: a scan without a key gives no
// fingerprints; the baseline then accepts by count.
func TestApplyWithoutFingerprints(t *testing.T) {
	t.Parallel()
	b := Create(rep(file("a.csv", fnd("email", loc(1, ""), loc(2, "")))), nil)
	if b.KeyID != "" || b.Entries[0].Fingerprints != nil {
		t.Fatalf("baseline = %+v", b)
	}
	r := rep(file("a.csv", fnd("email", loc(5, ""), loc(6, ""), loc(7, ""))))
	n, err := b.Apply(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || describe(r) != "email:1@7" {
		t.Errorf("suppressed %d, left %q", n, describe(r))
	}
}

func TestKeyMismatch(t *testing.T) {
	t.Parallel()
	b := Create(sample(), key)
	r := sample()
	_, err := b.Apply(r, Options{Key: []byte("another key of thirty-two bytes!")})
	if !errors.Is(err, ErrKeyMismatch) {
		t.Fatalf("Apply with another key: %v", err)
	}
	if !reflect.DeepEqual(r, sample()) {
		t.Error("a failed Apply changed the report")
	}
	if _, err := b.Apply(sample(), Options{}); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("Apply without a key: %v", err)
	}
	if KeyID(key) == KeyID([]byte("x")) || KeyID(nil) != "" || strings.Contains(KeyID(key), string(key)) {
		t.Error("KeyID")
	}
}

func TestWriteLoad(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "baseline.json")
	b := Create(sample(), key)
	if err := b.WriteFile(name); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o, want 0600", fi.Mode().Perm())
	}
	got, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Entries, b.Entries) || got.KeyID != b.KeyID {
		t.Errorf("round trip:\n%+v\nwant\n%+v", got, b)
	}
	// The error names the file.
	_, err = got.Apply(sample(), Options{Key: []byte("k")})
	if err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("mismatch error %v does not name %s", err, name)
	}
	// Overwriting keeps it private.
	os.Chmod(name, 0o644)
	if err := b.WriteFile(name); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o600 {
		t.Errorf("rewritten mode = %04o", fi.Mode().Perm())
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"syntax", "{\n  \"version\": 1,\n  \"entries\": [\n    {\"path\": \"a\",}\n  ]\n}\n", "bad.json:4: invalid character"},
		{"type", `{"version": 1, "entries": [{"path": "a", "detector": "x", "count": "3"}]}`, `bad.json:1: "entries.count" must be int, not string`},
		{"version", `{"version": 2, "entries": []}`, "version 2, want 1"},
		{"no version", `{"entries": []}`, "version 0, want 1"},
		{"no path", `{"version": 1, "entries": [{"detector": "email"}]}`, "entry 1: no path"},
		{"no detector", `{"version": 1, "entries": [{"path": "a"}]}`, "entry 1 (a): no detector"},
		{"negative", `{"version": 1, "entries": [{"path": "a", "detector": "x", "count": -1}]}`, "negative count"},
		{"empty fingerprint", `{"version": 1, "entries": [{"path": "a", "detector": "x", "fingerprints": [""]}]}`, "empty fingerprint"},
		{"duplicate", `{"version": 1, "entries": [{"path": "a", "detector": "x"}, {"path": "a", "detector": "x"}]}`, "entry 2: a x listed twice"},
		{"not an object", `[]`, "must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "bad.json")
			os.WriteFile(name, []byte(tt.content), 0o600)
			_, err := Load(name)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), name) {
				t.Errorf("Load: %v, want an error naming the file and containing %q", err, tt.want)
			}
		})
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}

func TestEmpty(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Create(rep(), key).Write(&buf); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "{\n  \"version\": 1,\n  \"entries\": []\n}\n" {
		t.Errorf("empty baseline = %q", got)
	}
	var zero Baseline
	r := sample()
	if n, err := zero.Apply(r, Options{}); n != 0 || err != nil || len(r.Files) != 3 {
		t.Errorf("zero baseline: %d, %v, %d files", n, err, len(r.Files))
	}
}

// describe renders the findings of a one-file report: "det:count@line...+omitted".
func describe(r *report.Report) string {
	if len(r.Files) == 0 {
		return ""
	}
	var parts []string
	for _, f := range r.Files[0].Findings {
		s := fmt.Sprintf("%s:%d", f.Detector, f.Count)
		for _, l := range f.Locations {
			s += fmt.Sprintf("@%d", l.Line)
		}
		if f.LocationsOmitted > 0 {
			s += fmt.Sprintf("+%d", f.LocationsOmitted)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}
