package xls

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// fuzzSeeds are small workbook streams that reach the reader's paths.
func fuzzSeeds(t testing.TB) [][]byte {
	s := func(name string, records ...[]byte) testSheet { return testSheet{name: name, records: records} }
	seeds := [][]byte{
		workbookStream(biff8, [][]byte{sstRec("Name", "Phone", "Alice Example", "日本語 😀")},
			s("People", labelSSTRec(0, 0, 0), labelSSTRec(0, 1, 1), labelSSTRec(1, 0, 2), numberRec(1, 1, 447700900123),
				labelSSTRec(2, 0, 3), rec(recRK, cellHead(2, 1), le32(0x3FF00001)))),
		workbookStream(biff8, nil, s("S",
			rec(recMulRK, le16(0), le16(1), le16(15), le32(0x3FF00000), le16(15), le32(123456<<2|3), le16(3)),
			rec(recFormula, cellHead(1, 0), []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8)),
			rec(recString, xlString("bob@example.org")),
			rec(recLabel, cellHead(2, 0), le16(9), []byte{0}, []byte("caf\xe9 ")),
			rec(recContinue, []byte{1}, u16s("日本語!")),
			bofRec(biff8, 0x0020), eofRec,
			rec(recRString, cellHead(3, 0), xlString("4111 1111 1111 1111"), le16(0)))),
		workbookStream(biff5, [][]byte{rec(recCodePage, le16(1251))},
			s("\xcb\xe8\xf1\xf2", rec(recLabel, cellHead(0, 0), le16(4), []byte("\xc8\xe2\xe0\xed")))),
		workbookStream(biff8, [][]byte{rec(recFilePass, le16(0), le16(1), le16(2))}),
	}
	// The real BIFF7 fixture's stream, 8 KB.
	doc, err := mscfb.New(bytes.NewReader(fixture(t, "gnumeric95.xls")))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.File {
		if e.Name == "Book" {
			b, err := io.ReadAll(e)
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, b)
		}
	}
	return seeds
}

// checkChunk is what every yielded chunk must be, whatever the input.
func checkChunk(t *testing.T, c *extract.Chunk) {
	col, row := 0, 0
	ref := c.Loc.Cell
	i := 0
	for i < len(ref) && 'A' <= ref[i] && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	for _, d := range ref[i:] {
		if d < '0' || d > '9' {
			row = -1
			break
		}
		row = row*10 + int(d-'0')
	}
	switch {
	case c.Kind != extract.Cell:
		t.Errorf("%v: kind %d", c.Loc, c.Kind)
	case col < 1 || row != c.Loc.Row || row < 1 || row > 65536:
		t.Errorf("%v: cell and row disagree", c.Loc)
	case c.Loc.Column != c.Header:
		t.Errorf("%v: column %q, header %q", c.Loc, c.Loc.Column, c.Header)
	case len(bytes.TrimSpace(c.Data)) == 0:
		t.Errorf("%v: blank cell yielded", c.Loc)
	case !utf8.Valid(c.Data) || !utf8.ValidString(c.Loc.Sheet):
		t.Errorf("%v: invalid UTF-8", c.Loc)
	}
}

func knownError(err error) bool {
	return err == nil || errors.Is(err, extract.ErrCorrupt) || errors.Is(err, ErrEncrypted) ||
		errors.Is(err, ErrTooManyCells) || errors.Is(err, ErrTooLarge)
}

// FuzzWorkbook runs the record parser over a workbook stream, without the
// panic net that Extract adds, so that its panics are found. Errors must
// be ones the scan reports, chunks well-formed.
func FuzzWorkbook(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip("seeds and mutations stay small")
		}
		w := newWalker("fuzz.xls", 10_000, false, func(c *extract.Chunk) error { checkChunk(t, c); return nil })
		err := readWorkbook(context.Background(), bytes.NewReader(data), int64(len(data)), w)
		if !knownError(err) {
			t.Fatalf("unexpected error: %v", err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.xls: ") {
			t.Fatalf("error %q does not name the file", err)
		}
	})
}

// FuzzXLS runs Extract over whole files: the compound file, then the
// workbook.
func FuzzXLS(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(cfbFile(namedStream{"Workbook", s}))
	}
	f.Add(fixture(f, "password.xls"))
	f.Add(cfbFile(namedStream{"EncryptedPackage", []byte{1}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip("seeds and mutations stay small")
		}
		r := &Reader{MaxCells: 10_000}
		in := extract.Input{Name: "fuzz.xls", R: bytes.NewReader(data), Size: int64(len(data))}
		err := r.Extract(context.Background(), in, func(c *extract.Chunk) error { checkChunk(t, c); return nil })
		if !knownError(err) {
			t.Fatalf("unexpected error: %v", err)
		}
		if err != nil && strings.Contains(err.Error(), "panicked") {
			t.Fatalf("reader panicked: %v", err)
		}
		// A Workbook that OpenWorkbook opened reads as the file does.
		if wb := OpenWorkbook(bytes.NewReader(data), int64(len(data))); wb != nil {
			err2 := (&Reader{MaxCells: 10_000, Workbook: wb}).Extract(context.Background(), in, func(*extract.Chunk) error { return nil })
			if fmt.Sprint(err2) != fmt.Sprint(err) {
				t.Fatalf("through OpenWorkbook: %v, from the file: %v", err2, err)
			}
		}
	})
}
