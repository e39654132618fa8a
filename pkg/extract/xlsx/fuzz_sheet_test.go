package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// FuzzSheetXML feeds worksheet documents to the tokenizer, in a workbook
// with the styles and shared strings of the hand-written differential
// tests. It checks that the tokenizer does not panic (it runs without
// Extract's recover), stays within its bounds (the cell cap, values no
// longer than the input allows; xmlscan's FuzzScanner checks the window),
// fails only with errors the scan knows, reads the same however the input
// is split between reads, and, on a well-formed document (one
// encoding/xml reads to the end), yields exactly what the excelize-based
// reader yields.
//
// Seeds: testdata/fuzz/FuzzSheetXML, written by TestWriteSheetSeeds.
func FuzzSheetXML(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 64<<10 {
			t.Skip("mutations stay small")
		}
		data := sheetPackage(string(doc), part{"xl/styles.xml", stylesPart}, part{"xl/sharedStrings.xml", sstPart})
		const maxCells = 5000
		r := &Reader{MaxCells: maxCells}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var got []cell
		longest := 0
		for _, p := range []string{stylesPart, sstPart} {
			longest = max(longest, len(p))
		}
		w := newWalker("fuzz.xlsx", maxCells, func(c *extract.Chunk) error {
			col, row, err := excelize.CellNameToCoordinates(c.Loc.Cell)
			switch {
			case c.Kind != extract.Cell || c.Loc.Sheet == "":
				t.Errorf("%v: kind %d", c.Loc, c.Kind)
			case err != nil || row != c.Loc.Row || col < 1:
				t.Errorf("%v: cell and row disagree (%v)", c.Loc, err)
			case c.Loc.Column != c.Header:
				t.Errorf("%v: column %q, header %q", c.Loc, c.Loc.Column, c.Header)
			case isBlank(string(c.Data)):
				t.Errorf("%v: blank cell yielded", c.Loc)
			case len(c.Data) > len(doc)+longest:
				t.Errorf("%v: %d bytes from a %d-byte sheet", c.Loc, len(c.Data), len(doc))
			}
			got = append(got, cell{c.Loc.Sheet, c.Loc.Cell, c.Loc.Row, c.Loc.Column, c.Header, string(c.Data)})
			return nil
		})
		var tmp spillDir
		defer tmp.cleanup()
		err = r.extract(context.Background(), zr, w, maxPartInMemory, &tmp)
		if err != nil && !errors.Is(err, extract.ErrCorrupt) && !errors.Is(err, ErrTooManyCells) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("unexpected error: %v", err)
		}
		if len(got) > maxCells {
			t.Errorf("%d cells yielded, cap %d", len(got), maxCells)
		}
		// Where reads split the input must not matter.
		whole := sheetEvents(bytes.NewReader(doc))
		for how, split := range splitReaders {
			if got := sheetEvents(split(doc)); got != whole {
				t.Errorf("read %s:\n%s\nwhole:\n%s", how, got, whole)
			}
		}
		if !wellFormed(doc) {
			return
		}
		var want []cell
		werr := r.extractExcelize(context.Background(), extract.Input{Name: "fuzz.xlsx", R: bytes.NewReader(data), Size: int64(len(data))},
			func(c *extract.Chunk) error {
				want = append(want, cell{c.Loc.Sheet, c.Loc.Cell, c.Loc.Row, c.Loc.Column, c.Header, string(c.Data)})
				return nil
			})
		if errorKind(err) != errorKind(werr) {
			t.Errorf("tokenizer: %v\nexcelize: %v", err, werr)
		}
		equalCells(t, got, want)
	})
}

// wellFormed reports whether encoding/xml, as excelize configures it,
// reads doc to the end without an error.
func wellFormed(doc []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = charsetReader
	for {
		_, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// sheetSeeds are the worksheet documents of the differential tests.
func sheetSeeds() map[string][]byte {
	seeds := map[string][]byte{}
	for name, rows := range handWrittenSheets {
		seeds["rows-"+name] = []byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`)
	}
	for name, doc := range handWrittenDocuments {
		seeds["doc-"+name] = []byte(doc)
	}
	return seeds
}

// TestWriteSheetSeeds rewrites the committed FuzzSheetXML corpus with
// -update-seeds and otherwise checks that it is current.
func TestWriteSheetSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzSheetXML")
	seeds := sheetSeeds()
	names := make([]string, 0, len(seeds))
	for n := range seeds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		file := filepath.Join(dir, seedFileName(name))
		want := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", seeds[name])
		if *updateSeeds {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is missing or stale (%v); run go test -run TestWriteSheetSeeds -update-seeds", file, err)
		}
	}
}

func seedFileName(name string) string {
	b := []byte(strings.ToLower(name))
	for i, c := range b {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			b[i] = '-'
		}
	}
	return string(b)
}
