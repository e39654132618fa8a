package xlsx

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite the seed corpus in testdata/fuzz/FuzzXLSX")

// FuzzXLSX checks that no input makes the reader panic, that every error is
// one the scan knows how to report, and that every chunk is well-formed.
// The seeds in testdata/fuzz/FuzzXLSX come from TestWriteSeeds.
func FuzzXLSX(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip("seeds and mutations stay small")
		}
		r := &Reader{MaxCells: 10_000}
		in := extract.Input{Name: "fuzz.xlsx", R: bytes.NewReader(data), Size: int64(len(data))}
		err := r.Extract(context.Background(), in, func(c *extract.Chunk) error {
			col, row, err := excelize.CellNameToCoordinates(c.Loc.Cell)
			switch {
			case c.Kind != extract.Cell:
				t.Errorf("%v: kind %d", c.Loc, c.Kind)
			case c.Loc.Sheet == "":
				t.Errorf("%v: no sheet", c.Loc)
			case err != nil || row != c.Loc.Row || col < 1:
				t.Errorf("%v: cell and row disagree (%v)", c.Loc, err)
			case c.Loc.Column != c.Header:
				t.Errorf("%v: column %q, header %q", c.Loc, c.Loc.Column, c.Header)
			case isBlank(string(c.Data)):
				t.Errorf("%v: blank cell yielded", c.Loc)
			}
			return nil
		})
		if err != nil && !errors.Is(err, extract.ErrCorrupt) && !errors.Is(err, ErrEncrypted) &&
			!errors.Is(err, ErrTooManyCells) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("unexpected error: %v", err)
		}
	})
}

// seeds are small inputs that reach different paths of the reader.
func seeds() map[string][]byte {
	encrypted := append(append([]byte{}, cfbMagic...), make([]byte, 512-len(cfbMagic))...)
	entry := make([]byte, 128)
	copy(entry, encryptionInfoName)
	entry[64], entry[66] = byte(len(encryptionInfoName)+2), 2
	return map[string][]byte{
		"minimal": minimalWorkbook(`<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Phone</t></is></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>Alice Example</t></is></c><c r="B2"><v>447700900123</v></c></row>` +
			`<row r="5"><c r="B5"><v>4111111111111111</v></c><c r="C5" t="b"><v>1</v></c></row>`),
		"styled": minimalWorkbook(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45356</v></c><c r="C1" s="2"><v>4111111111111111</v></c></row>`,
			part{"xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>erin@example.net</t></si></sst>`},
			part{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
				`<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>` +
				`<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="1" applyNumberFormat="1"/></cellXfs></styleSheet>`}),
		"encrypted": append(encrypted, entry...),
		"text":      []byte("name,email\nAlice,alice@example.com\n"),
	}
}

// TestWriteSeeds rewrites the committed corpus with -update-seeds and
// otherwise checks that it is current.
func TestWriteSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzXLSX")
	for name, data := range seeds() {
		path := filepath.Join(dir, name)
		want := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
		if *updateSeeds {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is missing or stale (%v); run go test -run TestWriteSeeds -update-seeds", path, err)
		}
	}
}
