package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestTableGolden(t *testing.T) {
	t.Parallel()
	golden(t, "report.table", render(t, "table", Options{}, sampleReport()))
	golden(t, "report-verbose.table", render(t, "table", Options{Verbose: true}, sampleReport()))
	golden(t, "empty.table", render(t, "table", Options{}, &Report{}))
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestTableColor checks that colour is all-or-nothing: none at all without
// opts.Color, and with it the same text, aligned the same, once the escape
// sequences are removed.
func TestTableColor(t *testing.T) {
	t.Parallel()
	for _, verbose := range []bool{false, true} {
		plain := render(t, "table", Options{Verbose: verbose}, sampleReport())
		if bytes.Contains(plain, []byte("\x1b")) {
			t.Errorf("verbose=%v: escape sequence without Color:\n%q", verbose, plain)
		}
		color := render(t, "table", Options{Color: true, Verbose: verbose}, sampleReport())
		if !bytes.Contains(color, []byte("\x1b[")) {
			t.Errorf("verbose=%v: no colour with Color", verbose)
		}
		if stripped := ansi.ReplaceAll(color, nil); !bytes.Equal(stripped, plain) {
			t.Errorf("verbose=%v: coloured output differs from plain once stripped:\n%s\n---\n%s", verbose, stripped, plain)
		}
	}
}

// TestTableEscapesControlCharacters: a file name is attacker-controlled
// text, and ESC or a newline in it must not reach the terminal.
func TestTableEscapesControlCharacters(t *testing.T) {
	t.Parallel()
	r := &Report{Files: []finding.FileResult{
		{
			Path: "evil\x1b[2J\n.csv", Status: finding.Scanned, Risk: finding.Low,
			Findings: []finding.Finding{{Detector: "email", Severity: finding.Low, Count: 1,
				Locations: []finding.Location{{Line: 1}}, Samples: []string{"x\ry"}, Values: []string{"a\x00b"}}},
		},
		{Path: "bad\xffname.txt", Status: finding.Error, Reason: "open: \x07bell"},
	}}
	r.Tally()
	out := string(render(t, "table", Options{Verbose: true}, r))
	if strings.ContainsAny(out, "\x1b\r\x00\x07") {
		t.Errorf("control character reached the output:\n%q", out)
	}
	for _, want := range []string{`evil\x1b[2J\n.csv`, `"x\ry"`, `"a\x00b"`, `bad\xffname.txt`, `open: \abell`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}

func TestTableShowsValuesOnlyWhenVerbose(t *testing.T) {
	t.Parallel()
	const raw = "+31 6 1234 5678"
	if out := render(t, "table", Options{}, sampleReport()); bytes.Contains(out, []byte(raw)) {
		t.Errorf("raw value %q in the non-verbose table", raw)
	}
	if out := render(t, "table", Options{Verbose: true}, sampleReport()); !bytes.Contains(out, []byte(raw)) {
		t.Errorf("raw value %q missing from the verbose table", raw)
	}
}

func TestTableNoTrailingBlanks(t *testing.T) {
	t.Parallel()
	out := string(render(t, "table", Options{Verbose: true}, sampleReport()))
	for i, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("line %d ends in a blank: %q", i+1, line)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {1_234_567, "1.2 MiB"}, {5 << 30, "5.0 GiB"},
	}
	for _, tt := range tests {
		if got := formatBytes(tt.n); got != tt.want {
			t.Errorf("formatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
