package xls

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// The differential tests compare the reader, cell by cell, with what two
// independent readers make of the same fixtures (scripts/genxls.sh):
// xlrd, a Python BIFF reader that gives raw values, and Gnumeric's
// ssconvert, which exports each sheet to CSV as displayed. Both read the
// header row as data, so the reader runs with allRows.

var differentialFixtures = []string{"gnumeric.xls", "libreoffice.xls", "gnumeric95.xls"}

func gunzip(t *testing.T, name string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(fixture(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var unescape = strings.NewReplacer(`\\`, `\`, `\t`, "\t", `\n`, "\n")

// TestDifferentialXlrd: the same cells, in the same order, with the same
// text and the same numbers (compared as doubles: xlrd prints Python's
// repr), and numbers in the reader's form.
func TestDifferentialXlrd(t *testing.T) {
	t.Parallel()
	for _, file := range differentialFixtures {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			got, err := extractAll(t, &Reader{allRows: true}, fixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(string(gunzip(t, strings.TrimSuffix(file, ".xls")+".xlrd.tsv.gz")), "\n")
			lines := strings.Split(golden, "\n")
			if len(got) != len(lines) {
				t.Errorf("%d cells, xlrd reads %d", len(got), len(lines))
			}
			for i := range min(len(got), len(lines)) {
				f := strings.Split(lines[i], "\t")
				sheet, ref, kind, want := unescape.Replace(f[0]), f[1], f[2], unescape.Replace(f[3])
				g := got[i]
				if g.Sheet != sheet || g.Cell != ref {
					t.Fatalf("cell %d is %s!%s, xlrd's %s!%s", i, g.Sheet, g.Cell, sheet, ref)
				}
				if kind == "s" {
					if g.Data != want {
						t.Errorf("%s!%s = %q, xlrd %q", sheet, ref, g.Data, want)
					}
					continue
				}
				v, err1 := strconv.ParseFloat(g.Data, 64)
				w, err2 := strconv.ParseFloat(want, 64)
				if err1 != nil || err2 != nil || v != w {
					t.Errorf("%s!%s = %q, xlrd %s", sheet, ref, g.Data, want)
				}
				if v == math.Trunc(v) && math.Abs(v) < 1e21 && strings.ContainsAny(g.Data, ".e") {
					t.Errorf("%s!%s = %q: an integer with a point or an exponent", sheet, ref, g.Data)
				}
			}
		})
	}
}

// TestDifferentialSsconvert: every cell's text is ssconvert's, and every
// number its number (ssconvert prints up to 20 digits of the double, or
// the cell's format: a formatted date is skipped); every value ssconvert
// shows, booleans and errors aside, is yielded.
func TestDifferentialSsconvert(t *testing.T) {
	t.Parallel()
	for _, file := range differentialFixtures {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			got, err := extractAll(t, &Reader{allRows: true}, fixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			sheets := parseSsconvert(t, gunzip(t, strings.TrimSuffix(file, ".xls")+".ssconvert.txt.gz"))
			seen := map[string]bool{}
			dates := 0
			for _, g := range got {
				col, row := splitRef(t, g.Cell)
				key := fmt.Sprintf("%s!%d,%d", g.Sheet, row, col)
				seen[key] = true
				rows := sheets[g.Sheet]
				if row > len(rows) || col > len(rows[row-1]) {
					t.Errorf("%s!%s = %q: not in ssconvert's CSV", g.Sheet, g.Cell, g.Data)
					continue
				}
				want := rows[row-1][col-1]
				v, err := strconv.ParseFloat(g.Data, 64)
				if err != nil {
					if g.Data != want {
						t.Errorf("%s!%s = %q, ssconvert %q", g.Sheet, g.Cell, g.Data, want)
					}
					continue
				}
				w, err := strconv.ParseFloat(want, 64)
				if err != nil {
					dates++
					continue
				}
				if math.Abs(v-w) > 1e-15*math.Max(math.Abs(v), math.Abs(w)) {
					t.Errorf("%s!%s = %q, ssconvert %q", g.Sheet, g.Cell, g.Data, want)
				}
			}
			if dates != 1 {
				t.Errorf("%d numbers formatted by ssconvert, want 1 (the date in People!H2)", dates)
			}
			for name, rows := range sheets {
				for r, row := range rows {
					for c, v := range row {
						v = strings.TrimSpace(v)
						if v == "" || v == "TRUE" || v == "FALSE" || strings.HasPrefix(v, "#") {
							continue
						}
						if !seen[fmt.Sprintf("%s!%d,%d", name, r+1, c+1)] {
							t.Errorf("%s row %d column %d: %q not yielded", name, r+1, c+1, v)
						}
					}
				}
			}
		})
	}
}

// parseSsconvert splits the golden into sheets ("## name" lines) of CSV.
func parseSsconvert(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	sheets := map[string][][]string{}
	var name string
	var body bytes.Buffer
	flush := func() {
		if name == "" {
			return
		}
		r := csv.NewReader(&body)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("sheet %q: %v", name, err)
		}
		sheets[name] = rows
		body.Reset()
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "## ") {
			flush()
			name = line[3:]
		} else {
			body.WriteString(line + "\n")
		}
	}
	flush()
	if len(sheets) == 0 {
		t.Fatal("no sheets in the ssconvert golden")
	}
	return sheets
}

// splitRef returns the 1-based column and row of an A1 reference.
func splitRef(t *testing.T, ref string) (col, row int) {
	t.Helper()
	i := 0
	for i < len(ref) && 'A' <= ref[i] && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	row, err := strconv.Atoi(ref[i:])
	if err != nil || col == 0 {
		t.Fatalf("bad reference %q", ref)
	}
	return col, row
}
