package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// cell is a yielded chunk, copied out of the reused Chunk.
type cell struct {
	Sheet, Cell string
	Row         int
	Column      string
	Header      string
	Data        string
}

func (c cell) String() string {
	return fmt.Sprintf("%s!%s row=%d col=%q hdr=%q %q", c.Sheet, c.Cell, c.Row, c.Column, c.Header, c.Data)
}

func extractAll(t testing.TB, r *Reader, data []byte) ([]cell, error) {
	t.Helper()
	var got []cell
	err := r.Extract(context.Background(), extract.Input{Name: "book.xlsx", R: bytes.NewReader(data), Size: int64(len(data))},
		func(c *extract.Chunk) error {
			if c.Kind != extract.Cell {
				t.Errorf("chunk kind = %d, want Cell", c.Kind)
			}
			got = append(got, cell{c.Loc.Sheet, c.Loc.Cell, c.Loc.Row, c.Loc.Column, c.Header, string(c.Data)})
			return nil
		})
	return got, err
}

// workbook builds a workbook in memory; opts are used to save it.
func workbook(t testing.TB, build func(f *excelize.File), opts ...excelize.Options) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf, opts...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func set(t testing.TB, f *excelize.File, sheet, ref string, v any) {
	t.Helper()
	must(t, f.SetCellValue(sheet, ref, v))
}

func style(t testing.TB, f *excelize.File, sheet, ref string, s *excelize.Style) {
	t.Helper()
	id, err := f.NewStyle(s)
	must(t, err)
	must(t, f.SetCellStyle(sheet, ref, ref, id))
}

func ptr[T any](v T) *T { return &v }

func equalCells(t *testing.T, got, want []cell) {
	t.Helper()
	n := max(len(got), len(want))
	for i := range n {
		switch {
		case i >= len(got):
			t.Errorf("missing  %v", want[i])
		case i >= len(want):
			t.Errorf("extra    %v", got[i])
		case got[i] != want[i]:
			t.Errorf("got      %v\nwant     %v", got[i], want[i])
		}
	}
}

// All names, numbers and addresses below are synthetic; card numbers are
// the well-known test PANs.
func TestExtract(t *testing.T) {
	t.Parallel()
	data := workbook(t, func(f *excelize.File) {
		must(t, f.SetSheetName("Sheet1", "People"))
		for i, h := range []string{"Name", "Email", "Phone", "Card", "Joined", "Balance", "Share"} {
			ref, _ := excelize.CoordinatesToCellName(i+1, 1)
			set(t, f, "People", ref, h)
		}
		set(t, f, "People", "A2", "Alice Example")
		set(t, f, "People", "B2", "alice@example.com")
		set(t, f, "People", "C2", 447700900123)     // phone as a General number
		set(t, f, "People", "D2", 4111111111111111) // card as a General number
		set(t, f, "People", "E2", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))
		style(t, f, "People", "E2", &excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")})
		set(t, f, "People", "F2", 1234.5)
		style(t, f, "People", "F2", &excelize.Style{CustomNumFmt: ptr("#,##0.00")})
		set(t, f, "People", "G2", 0.25)
		style(t, f, "People", "G2", &excelize.Style{NumFmt: 9}) // 0%
		set(t, f, "People", "A3", "Bob Example")
		set(t, f, "People", "B3", "bob@example.org")
		set(t, f, "People", "C3", "+44 7700 900456") // phone as text
		set(t, f, "People", "D3", "5555555555554444")
		set(t, f, "People", "E3", time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)) // excelize's default date style
		set(t, f, "People", "F3", 3.14159)
		set(t, f, "People", "G3", "  ") // blank: not yielded
		set(t, f, "People", "H3", "no header")

		// Header on row 2, gap rows 4-6, column B empty in row 7.
		_, err := f.NewSheet("Sparse")
		must(t, err)
		set(t, f, "Sparse", "A2", "Customer")
		set(t, f, "Sparse", "B2", "IBAN")
		set(t, f, "Sparse", "C2", "Mobile")
		set(t, f, "Sparse", "A3", "Carol Example")
		set(t, f, "Sparse", "B3", "GB82WEST12345698765432")
		set(t, f, "Sparse", "A7", "Dave Example")
		set(t, f, "Sparse", "C7", 5551234567)
		style(t, f, "Sparse", "C7", &excelize.Style{CustomNumFmt: ptr("(000) 000-0000")})

		_, err = f.NewSheet("Empty")
		must(t, err)

		// The first row holds an e-mail address: data, not a header.
		_, err = f.NewSheet("NoHeader")
		must(t, err)
		set(t, f, "NoHeader", "A1", "erin@example.net")
		set(t, f, "NoHeader", "B1", 42)
		set(t, f, "NoHeader", "A2", 4111111111111111)
		style(t, f, "NoHeader", "A2", &excelize.Style{CustomNumFmt: ptr("0")})
		set(t, f, "NoHeader", "B2", int64(-1234567890123456789))
		set(t, f, "NoHeader", "C2", "1.5E+20") // text that looks like a number
	})

	got, err := extractAll(t, &Reader{}, data)
	if err != nil {
		t.Fatal(err)
	}
	p := func(ref string, row int, col, v string) cell { return cell{"People", ref, row, col, col, v} }
	s := func(ref string, row int, col, v string) cell { return cell{"Sparse", ref, row, col, col, v} }
	n := func(ref string, row int, v string) cell { return cell{"NoHeader", ref, row, "", "", v} }
	want := []cell{
		p("A2", 2, "Name", "Alice Example"),
		p("B2", 2, "Email", "alice@example.com"),
		p("C2", 2, "Phone", "447700900123"),
		p("D2", 2, "Card", "4111111111111111"), // excelize alone: "4.11111111111111E+15"
		p("E2", 2, "Joined", "2024-03-05"),
		p("F2", 2, "Balance", "1,234.50"),
		p("G2", 2, "Share", "25%"),
		p("A3", 3, "Name", "Bob Example"),
		p("B3", 3, "Email", "bob@example.org"),
		p("C3", 3, "Phone", "+44 7700 900456"),
		p("D3", 3, "Card", "5555555555554444"),
		p("E3", 3, "Joined", "12-31-23"), // built-in format 14, as excelize renders it
		p("F3", 3, "Balance", "3.14159"),
		p("H3", 3, "", "no header"),
		s("A3", 3, "Customer", "Carol Example"),
		s("B3", 3, "IBAN", "GB82WEST12345698765432"),
		s("A7", 7, "Customer", "Dave Example"),
		s("C7", 7, "Mobile", "(555) 123-4567"),
		n("A1", 1, "erin@example.net"),
		n("B1", 1, "42"),
		n("A2", 2, "4111111111111111"), // excelize alone: "4111111111111110"
		n("B2", 2, "-1234567890123456789"),
		n("C2", 2, "1.5E+20"),
	}
	equalCells(t, got, want)
}

// TestRowNumbers pins down how excelize's iterator treats rows missing from
// the XML and rows without an r attribute, which some writers omit.
func TestRowNumbers(t *testing.T) {
	t.Parallel()
	sheet := `<row r="3"><c r="B3"><v>3</v></c></row>` + // not a header: a number
		`<row><c t="inlineStr"><is><t>four</t></is></c></row>` + // no r: follows row 3
		`<row r="9"><c r="A9" t="inlineStr"><is><t>nine</t></is></c><c r="D9"><v>9</v></c></row>`
	got, err := extractAll(t, &Reader{}, minimalWorkbook(sheet))
	if err != nil {
		t.Fatal(err)
	}
	equalCells(t, got, []cell{
		{"S", "B3", 3, "", "", "3"},
		{"S", "A4", 4, "", "", "four"},
		{"S", "A9", 9, "", "", "nine"},
		{"S", "D9", 9, "", "", "9"},
	})
}

type part struct{ name, body string }

// minimalWorkbook is the smallest package excelize opens: one sheet named
// S whose sheetData is rows, and extra parts. The fuzz seeds are made so.
func minimalWorkbook(rows string, extra ...part) []byte {
	parts := []part{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`},
	}
	parts = append(parts, extra...)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		// Stored, not deflated, so that fuzzing mutates the XML itself.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Store})
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func TestHeaderOnlyAndBlankRows(t *testing.T) {
	t.Parallel()
	data := workbook(t, func(f *excelize.File) {
		set(t, f, "Sheet1", "A1", "Name")
		set(t, f, "Sheet1", "B1", "Email")
		set(t, f, "Sheet1", "A3", "")
	})
	got, err := extractAll(t, &Reader{}, data)
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v; want no cells", got, err)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	valid := workbook(t, func(f *excelize.File) { set(t, f, "Sheet1", "A1", "x") })
	encrypted := workbook(t, func(f *excelize.File) { set(t, f, "Sheet1", "A1", "secret") },
		excelize.Options{Password: "synthetic-password"})
	cfb := append(append([]byte{}, cfbMagic...), make([]byte, 1024)...)

	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, extract.ErrCorrupt},
		{"text", []byte("name,email\nAlice,alice@example.com\n"), extract.ErrCorrupt},
		{"truncated", valid[:len(valid)/2], extract.ErrCorrupt},
		{"zip without workbook", zipOf(t, "notes.txt", 0, "hello"), extract.ErrCorrupt},
		{"legacy cfb", cfb, extract.ErrCorrupt},
		{"password", encrypted, ErrEncrypted},
		{"zip encryption", zipOf(t, "xl/workbook.xml", 0x1, "opaque"), ErrEncrypted},
		{"bomb", rawZip(t, "xl/worksheets/sheet1.xml", 3<<30), ErrTooLarge},
		{"big image", rawZip(t, "xl/media/image1.png", maxInMemory+1), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := extractAll(t, &Reader{}, tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "book.xlsx: ") {
				t.Errorf("error %q does not name the file", err)
			}
			if len(got) != 0 {
				t.Errorf("yielded %v", got)
			}
		})
	}
}

func TestFileTooLarge(t *testing.T) {
	t.Parallel()
	err := (&Reader{}).Extract(context.Background(), extract.Input{Name: "big.xlsx", R: strings.NewReader(""), Size: maxFileSize + 1},
		func(*extract.Chunk) error { return nil })
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

// zipOf is a zip with one stored entry and the given flags.
func zipOf(t testing.TB, name string, flags uint16, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Flags: flags, Method: zip.Store,
		CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))})
	must(t, err)
	_, err = w.Write([]byte(body))
	must(t, err)
	must(t, zw.Close())
	return buf.Bytes()
}

// rawZip is a zip whose one entry claims to inflate to size bytes.
func rawZip(t testing.TB, name string, size uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: size})
	must(t, err)
	_, err = w.Write([]byte{0x03, 0x00})
	must(t, err)
	must(t, zw.Close())
	return buf.Bytes()
}

func TestMaxCells(t *testing.T) {
	t.Parallel()
	data := workbook(t, func(f *excelize.File) {
		for r := 1; r <= 3; r++ {
			set(t, f, "Sheet1", fmt.Sprintf("A%d", r), r)
			set(t, f, "Sheet1", fmt.Sprintf("B%d", r), r)
		}
	})
	got, err := extractAll(t, &Reader{MaxCells: 5}, data)
	if !errors.Is(err, ErrTooManyCells) || !strings.Contains(err.Error(), "more than 5") {
		t.Fatalf("err = %v, want ErrTooManyCells with the count", err)
	}
	if len(got) != 5 {
		t.Errorf("yielded %d cells before the cap, want 5", len(got))
	}
	if _, err := extractAll(t, &Reader{MaxCells: 6}, data); err != nil {
		t.Errorf("MaxCells 6: %v", err)
	}
}

func TestYieldStopsAndCancel(t *testing.T) {
	t.Parallel()
	data := workbook(t, func(f *excelize.File) {
		for r := 1; r <= 50; r++ {
			set(t, f, "Sheet1", fmt.Sprintf("A%d", r), r)
			set(t, f, "Sheet1", fmt.Sprintf("B%d", r), r)
		}
	})
	in := func() extract.Input { return extract.Input{Name: "b.xlsx", R: bytes.NewReader(data), Size: -1} }

	errStop := errors.New("stop")
	n := 0
	err := (&Reader{}).Extract(context.Background(), in(), func(*extract.Chunk) error { n++; return errStop })
	if err != errStop || n != 1 {
		t.Errorf("yield error: got %v after %d chunks, want errStop unchanged after 1", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = (&Reader{}).Extract(ctx, in(), func(*extract.Chunk) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || n != 2 {
		t.Errorf("cancel: got %v after %d chunks, want context.Canceled at the end of row 1 (2 chunks)", err, n)
	}
}

func TestYieldPanicIsNotCorrupt(t *testing.T) {
	t.Parallel()
	data := workbook(t, func(f *excelize.File) { set(t, f, "Sheet1", "A1", 1) })
	defer func() {
		if p := recover(); p != "consumer bug" {
			t.Errorf("recovered %v, want the consumer's panic", p)
		}
	}()
	err := (&Reader{}).Extract(context.Background(), extract.Input{Name: "b.xlsx", R: bytes.NewReader(data)},
		func(*extract.Chunk) error { panic("consumer bug") })
	t.Errorf("Extract returned %v instead of panicking", err)
}

func TestMayHaveLostDigits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    string
		want bool
	}{
		{"4.11111111111111E+15", true},
		{"-1.23456789012346E+18", true},
		{"1E+16", true},
		{"4111111111111110", true},
		{"4,111,111,111,111,110", true},
		{"4111111111111110.00", true},
		{"4111111111111111", false}, // exact: nothing lost
		{"411111111111110", false},  // 15 digits
		{"EUR 1E+5", false},
		{"1.5E+20x", false},
		{"E+15", false},
		{"Flat 3, 12 East Road", false},
	}
	for _, tt := range tests {
		if got := mayHaveLostDigits(tt.v); got != tt.want {
			t.Errorf("mayHaveLostDigits(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestCFBEncryptionInfo(t *testing.T) {
	t.Parallel()
	entry := make([]byte, 128)
	copy(entry, encryptionInfoName)
	entry[64], entry[66] = byte(len(encryptionInfoName)+2), 2
	file := append(append(append([]byte{}, cfbMagic...), make([]byte, 1024-len(cfbMagic))...), entry...)
	if !cfbHasEncryptionInfo(file) {
		t.Error("entry at a sector boundary not found")
	}
	if cfbHasEncryptionInfo(append(file[:1024+8:1024+8], entry...)) {
		t.Error("misaligned entry found")
	}
	entry[66] = 1 // a storage, not a stream
	if cfbHasEncryptionInfo(append(file[:1024:1024], entry...)) {
		t.Error("storage named EncryptionInfo taken for the stream")
	}
}

// TestSpilledParts lowers the in-memory limit so that excelize spills the
// sheet and the shared strings to temporary files, which must be read
// right and must not outlive Extract.
func TestSpilledParts(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	data := workbook(t, func(f *excelize.File) {
		for r := 1; r <= 40; r++ {
			set(t, f, "Sheet1", fmt.Sprintf("A%d", r), fmt.Sprintf("person%d@example.com", r))
			set(t, f, "Sheet1", fmt.Sprintf("B%d", r), 4111111111111111)
		}
	})
	spy := func(c *extract.Chunk) error {
		entries, err := os.ReadDir(tmp)
		if err != nil || len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), "datahygiene-xlsx-") {
			t.Errorf("temporary files while reading: %v, %v", entries, err)
		}
		return nil
	}
	r := &Reader{partInMemory: 512}
	if err := r.Extract(context.Background(), extract.Input{Name: "b.xlsx", R: bytes.NewReader(data)}, spy); err != nil {
		t.Fatal(err)
	}
	got, err := extractAll(t, r, data)
	if err != nil || len(got) != 80 || got[79] != (cell{"Sheet1", "B40", 40, "", "", "4111111111111111"}) {
		t.Fatalf("got %d cells (last %v), %v", len(got), got[len(got)-1:], err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
