package inventory

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// FuzzBuild feeds Build and every writer paths, detector, category and
// issue names as a share or a rule file could spell them, and checks
// invariants rather than just "no panic": totals are the sum of the
// files, folders never climb above the root, JSON stays valid, CSV keeps
// its columns and never starts a cell with a formula character, Markdown
// tables keep their cells, and the table holds no control character.
func FuzzBuild(f *testing.F) {
	f.Add("a/b.csv", "x.zip!c/d.txt", "email", "contact", "stale", 1, 3)
	f.Add("=1+1|x\n`y`/z", "../../etc/passwd", "my|det`", "@cat", "prohibited", 0, 1)
	f.Add("\xff\xfe/\x1b[31m", "!", "", "", "", -1, 0)
	f.Add("a//./b/../c/d", "/abs/x", "d\t1", "-c", "odd kind", 2, 2)
	f.Fuzz(func(t *testing.T, p1, p2, detector, category, kind string, depth, count int) {
		depth = max(-1, min(depth, 8))
		count = max(0, min(count, 1000))
		files := []finding.FileResult{
			{
				Path: p1, Status: finding.Scanned, Risk: finding.High,
				Findings: []finding.Finding{{Detector: detector, Category: finding.Category(category), Count: count}},
				Issues:   []finding.Issue{{Kind: finding.IssueKind(kind)}, {Kind: "unencrypted"}},
			},
			{Path: p2, Status: finding.Encrypted},
			{
				Path: p2 + "/" + p1, Status: finding.Error,
				Findings: []finding.Finding{{Detector: "email", Count: 1}, {Detector: detector, Count: 2}},
			},
		}
		inv := Build(files, Options{Root: p2, Depth: depth})
		if inv.Totals.Files != 2 || inv.Totals.Occurrences != count+3 || inv.Totals.EncryptedFiles != 1 || inv.Totals.NotScannedFiles != 1 {
			t.Errorf("totals = %+v", inv.Totals)
		}
		if inv.Totals.Issues["unencrypted"].Files != 1 {
			t.Errorf("unencrypted = %+v", inv.Totals.Issues["unencrypted"])
		}
		for _, fo := range inv.Folders {
			if fo.Path == ".." || strings.HasPrefix(fo.Path, "../") || strings.HasPrefix(fo.Path, "/") {
				t.Errorf("folder %q leads out of the root", fo.Path)
			}
		}
		for _, format := range Formats() {
			out := render(t, format, inv)
			switch format {
			case "json":
				if !json.Valid(out) {
					t.Errorf("json: invalid")
				}
			case "csv":
				checkCSV(t, out)
			case "markdown":
				checkMarkdownTables(t, out)
			case "table":
				for _, r := range string(out) {
					if r < ' ' && r != '\n' {
						t.Errorf("table: control character %U", r)
					}
				}
			}
		}
	})
}

func checkCSV(t *testing.T, out []byte) {
	t.Helper()
	rd := csv.NewReader(bytes.NewReader(out))
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	for _, row := range rows {
		if len(row) != len(csvHeader) {
			t.Errorf("csv: %d cells, want %d", len(row), len(csvHeader))
		}
		for _, c := range row {
			if c != "" && strings.IndexByte("=+-@\t\r", c[0]) >= 0 {
				t.Errorf("csv: cell %q starts with a formula character", c)
			}
		}
	}
}

// checkMarkdownTables checks that every table row has as many unescaped
// pipes as its table's header.
func checkMarkdownTables(t *testing.T, out []byte) {
	t.Helper()
	want := -1
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(line, "|") {
			want = -1
			continue
		}
		n := strings.Count(line, "|") - strings.Count(line, `\|`)
		if want < 0 {
			want = n
		} else if n != want {
			t.Errorf("markdown: row %q has %d pipes, header %d", line, n, want)
		}
	}
}
