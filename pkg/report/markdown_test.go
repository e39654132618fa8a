package report

import (
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestMarkdownGolden(t *testing.T) {
	t.Parallel()
	golden(t, "report.md", render(t, "markdown", Options{}, sampleReport()))
	golden(t, "edge.md", render(t, "markdown", Options{}, edgeReport()))
	golden(t, "empty.md", render(t, "markdown", Options{}, &Report{}))
}

// cells splits a GFM table row on its unescaped pipes, as GitHub does.
func cells(row string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		if row[i] == '\\' && i+1 < len(row) && row[i+1] == '|' {
			cur.WriteString(`\|`)
			i++
			continue
		}
		if row[i] == '|' {
			out = append(out, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(row[i])
	}
	return append(out, cur.String())
}

// checkMarkdownTables checks that every table row has as many cells as
// its header, so no file name can add or shift a column.
func checkMarkdownTables(t *testing.T, out []byte) {
	t.Helper()
	want := 0
	for i, line := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(line, "|") {
			want = 0
			continue
		}
		n := len(cells(line))
		if want == 0 {
			want = n
		} else if n != want {
			t.Errorf("line %d has %d cells, the table %d: %q", i+1, n-2, want-2, line)
		}
	}
}

func TestMarkdownTables(t *testing.T) {
	t.Parallel()
	for _, r := range []*Report{sampleReport(), edgeReport()} {
		checkMarkdownTables(t, render(t, "markdown", Options{}, r))
	}
}

// TestMarkdownShowsUntrustedTextInert: file names are shown in code spans
// where GitHub renders no markup, links, mentions or references.
func TestMarkdownShowsUntrustedTextInert(t *testing.T) {
	t.Parallel()
	out := string(render(t, "markdown", Options{}, edgeReport()))
	for _, want := range []string{
		"``=HYPERLINK(\"http://x\")\\|[x](1) `a` @octocat #1 <b>.csv``", // the fence outgrows the backticks inside
		"`tmp/\\x1b[31mred\\n.bin`",                                     // control characters escaped
		"`logs/app 2024.log`",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\r") {
		t.Errorf("control character in the output")
	}
}

func TestMarkdownCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		inTable bool
		want    string
	}{
		{"a.csv", true, "`a.csv`"},
		{"a|b", true, "`a\\|b`"},
		{"a|b", false, "`a|b`"},
		{"a`b", true, "``a`b``"},
		{"`a", true, "`` `a ``"},
		{" a ", true, "`  a  `"},
		{"", true, ""},
	}
	for _, tt := range tests {
		if got := escape.MarkdownCode(tt.in, tt.inTable); got != tt.want {
			t.Errorf("escape.MarkdownCode(%q, %v) = %q, want %q", tt.in, tt.inTable, got, tt.want)
		}
	}
	long := strings.Repeat("d/", 200) + "file.csv"
	if got := escape.MarkdownCode(long, true); !strings.Contains(got, "…") || !strings.HasSuffix(got, "file.csv`") || len([]rune(got)) > escape.MaxMarkdownCell+2 {
		t.Errorf("long path not shortened in the middle: %q", got)
	}
}

func TestMarkdownCapsRows(t *testing.T) {
	t.Parallel()
	r := &Report{}
	for i := range 60 {
		r.Files = append(r.Files, finding.FileResult{
			Path: fmt.Sprintf("f%02d.txt", i), Status: finding.Scanned, Risk: finding.Low,
			Findings: []finding.Finding{{Detector: "email", Severity: finding.Low, Count: 1}},
		})
	}
	r.Tally()
	out := string(render(t, "markdown", Options{}, r))
	if n := strings.Count(out, "| low |"); n != mdMaxRows {
		t.Errorf("%d file rows, want %d", n, mdMaxRows)
	}
	if !strings.Contains(out, "_and 10 more files_") {
		t.Errorf("no note of the rows left out:\n%s", out)
	}
}

func TestMarkdownShowsNoSamples(t *testing.T) {
	t.Parallel()
	out := string(render(t, "markdown", Options{Verbose: true}, sampleReport()))
	for _, s := range []string{"j***@example.com", "4111 **** **** 1111", "***-**-6789"} {
		if strings.Contains(out, s) {
			t.Errorf("markdown holds sample %q", s)
		}
	}
}
