package xls

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// The fixtures are made by scripts/genxls.sh from one synthetic workbook;
// all names, numbers and addresses in them are synthetic.

// wantCommon is what every fixture holds outside the Long sheet, written
// by Gnumeric (BIFF8 and BIFF7) and LibreOffice (BIFF8). unicode is the
// Note of row 2, which BIFF7's code page 1252 cannot hold whole, and
// sheet4 the name of the fourth sheet, for the same reason.
func wantCommon(unicode, sheet4 string) (head, tail []cell) {
	p := func(ref string, row int, hdr, v string) cell { return cell{"People", ref, row, hdr, v} }
	n := func(ref string, row int, v string) cell { return cell{"Numbers", ref, row, "", v} }
	head = []cell{
		p("A2", 2, "Name", "Alice Example"),
		p("B2", 2, "Email", "alice@example.com"),
		p("C2", 2, "Phone", "442079460958"),    // a number
		p("D2", 2, "Card", "4111111111111111"), // a number: all 16 digits
		p("E2", 2, "IBAN", "GB82 WEST 1234 5698 7654 32"),
		p("F2", 2, "SSN", "123-45-6789"),
		p("G2", 2, "Note", unicode),   // rich text in LibreOffice's file
		p("H2", 2, "Joined", "45356"), // a date: its serial number
		p("A3", 3, "Name", "Bob Example"),
		p("B3", 3, "Email", "bob@example.org"),
		p("C3", 3, "Phone", "+44 20 7946 0958"),
		p("D3", 3, "Card", "5555555555554444"),
		p("E3", 3, "IBAN", "GB82WEST12345698765432"),
		// G3 holds three spaces: blank, not yielded.
		p("A4", 4, "Name", "Carol Example"),      // formula with a string result
		p("B4", 4, "Email", "carol@example.net"), // formula with a string result
		p("C4", 4, "Phone", "2079460958"),
		p("D4", 4, "Card", "4111111111111111"), // formula with a number result
		p("G4", 4, "Note", "line one\nline two"),
		p("A6", 6, "Name", "Dave Example"), // after an empty row
		p("J6", 6, "", "beyond the header"),
		// No header: the first row is numbers.
		n("A1", 1, "42"),
		n("B1", 1, "-7"),
		n("C1", 1, "0.1"),
		n("D1", 1, "1234.5"),
		n("E1", 1, "-0.000123"),
		n("F1", 1, "1e-07"),
		n("G1", 1, "1e+21"),
		n("H1", 1, "123456789012345680"), // 123456789012345678 has no double of its own
		n("I1", 1, "3.14159"),
		n("J1", 1, "0"),
		n("A2", 2, "42"),                 // =2*21
		n("B2", 2, "0.3333333333333333"), // =1/3
		// C2 TRUE, D2 #DIV/0!, E2 a boolean formula, F2 an empty string: skipped.
		n("G2", 2, "-4111111111111111"),
		n("H2", 2, "9007199254740992"), // 2^53+1 rounds to 2^53
		n("I2", 2, "100000"),
		n("J2", 2, "4000000001"),
	}
	tail = []cell{
		{sheet4, "A2", 2, "Kontakt", "Émile Example"},
		{sheet4, "B2", 2, "Telefon", "+33 1 23 45 67 89"},
		// Leer is empty; Versteckt is hidden, and read.
		{"Versteckt", "A1", 1, "", "secret@example.com"},
	}
	return head, tail
}

// longLabel is the text of column B of the Long sheet in row i+1, as
// scripts/genxls.sh writes it.
func longLabel(i int) string {
	switch {
	case i%100 == 0:
		return fmt.Sprintf("long %d ", i) + strings.Repeat("synthetic filler text ", 14) + "Ünïcödé ✓ end"
	case i%3 == 0:
		return fmt.Sprintf("Ünïcödé Ⅻ %d 日本 ✓", i)
	case i%3 == 1:
		return fmt.Sprintf("plain text row %d with some padding", i)
	}
	return fmt.Sprintf("café %d naïve", i)
}

// wantLong is the Long sheet: 1,200 rows whose 2,400 distinct strings
// make a shared-string table of many CONTINUE records, some strings cut
// in two, some switching from one byte a character to two.
func wantLong() []cell {
	var want []cell
	for i := 1; i <= 1200; i++ {
		row := i + 1
		ref := func(col string) string { return fmt.Sprintf("%s%d", col, row) }
		half := fmt.Sprint(float64(i) * 1.5)
		want = append(want,
			cell{"Long", ref("A"), row, "Code", fmt.Sprintf("item %04d", i)},
			cell{"Long", ref("B"), row, "Label", longLabel(i)},
			cell{"Long", ref("C"), row, "Count", fmt.Sprint(i)},
			cell{"Long", ref("D"), row, "Half", half})
	}
	return want
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	note := "Zoë Ångström 日本語 😀"
	head, tail := wantCommon(note, "Übersicht ✓")
	full := append(append(append([]cell{}, head...), wantLong()...), tail...)
	head95, tail95 := wantCommon("Zoë Ångström ??? ?", "Übersicht ?")
	tests := []struct {
		file string
		want []cell
	}{
		{"gnumeric.xls", full},
		{"libreoffice.xls", full},
		{"gnumeric95.xls", append(head95, tail95...)}, // BIFF7: code page text, no SST
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := extractAll(t, &Reader{}, fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			equalCells(t, got, tt.want)
		})
	}
}

func TestEncryptedFixture(t *testing.T) {
	t.Parallel()
	data := fixture(t, "password.xls") // LibreOffice, RC4 CryptoAPI
	got, err := extractAll(t, &Reader{}, data)
	if !errors.Is(err, ErrEncrypted) || errors.Is(err, extract.ErrCorrupt) {
		t.Fatalf("err = %v, want ErrEncrypted only", err)
	}
	if !strings.HasPrefix(err.Error(), "book.xls: ") || len(got) != 0 {
		t.Errorf("error %q (want the file named first), %d cells yielded", err, len(got))
	}

	tests := []struct {
		name string
		data []byte
		want bool
		err  error
	}{
		{"password.xls", data, true, nil},
		{"gnumeric.xls", fixture(t, "gnumeric.xls"), false, nil},
		{"gnumeric95.xls", fixture(t, "gnumeric95.xls"), false, nil},
		{"encrypted OOXML", cfbFile(namedStream{"EncryptionInfo", []byte{4, 0, 4, 0}}, namedStream{"EncryptedPackage", []byte{1}}), true, nil},
		{"crafted FILEPASS", cfbFile(namedStream{"Workbook", workbookStream(biff8,
			[][]byte{rec(recFilePass, le16(1), make([]byte, 52))})}), true, nil},
		{"FILEPASS after WRITEPROTECT", cfbFile(namedStream{"Workbook", workbookStream(biff8,
			[][]byte{rec(0x0086), rec(recFilePass, le16(0), le16(0x1234), le16(0x5678))})}), true, nil},
		{"not a compound file", []byte("name,email\n"), false, extract.ErrCorrupt},
		{"no workbook stream", cfbFile(namedStream{"WordDocument", []byte{1}}), false, extract.ErrCorrupt},
	}
	// The rows once checked a separate Encrypted function that nothing
	// but tests used; Extract, which the scan runs, must agree with them.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := extractAll(t, &Reader{}, tt.data)
			if enc := errors.Is(err, ErrEncrypted); enc != tt.want {
				t.Errorf("Extract: %v, want ErrEncrypted %v", err, tt.want)
			}
			if !tt.want && !errors.Is(err, tt.err) {
				t.Errorf("Extract: %v, want %v", err, tt.err)
			}
		})
	}
}

// TestCrafted reads workbook streams built record by record, each aimed at
// one rule of the format.
func TestCrafted(t *testing.T) {
	t.Parallel()
	s := func(name string, records ...[]byte) testSheet { return testSheet{name: name, records: records} }
	mulRK := rec(recMulRK, le16(0), le16(1), le16(15), le32(0x3FF00000), le16(15), le32(123456<<2|3), le16(15), le32(7<<2|2), le16(3))
	tests := []struct {
		name    string
		vers    int
		globals [][]byte
		sheets  []testSheet
		allRows bool // the first row is read as data, not as a header
		want    []cell
	}{
		{
			name:    "header below empty rows, cells out of column order",
			vers:    biff8,
			globals: [][]byte{sstRec("Phone", "Name", "Alice Example")},
			sheets: []testSheet{s("S",
				labelSSTRec(2, 1, 0), labelSSTRec(2, 0, 1),
				numberRec(3, 1, 447700900123), labelSSTRec(3, 0, 2))},
			want: []cell{{"S", "A4", 4, "Name", "Alice Example"}, {"S", "B4", 4, "Phone", "447700900123"}},
		},
		{
			name: "first row is data: an e-mail address",
			vers: biff8,
			sheets: []testSheet{s("S",
				labelRec(0, 0, "erin@example.net"), numberRec(0, 1, 42), labelRec(1, 0, "Ünïcödé ✓"))},
			want: []cell{{"S", "A1", 1, "", "erin@example.net"}, {"S", "B1", 1, "", "42"}, {"S", "A2", 2, "", "Ünïcödé ✓"}},
		},
		{
			name:   "MULRK and RK: 1.0, 1234.56 (an integer over 100), 7",
			vers:   biff8,
			sheets: []testSheet{s("S", mulRK, rec(recRK, cellHead(1, 0), le32(0x3FF00001)))},
			want: []cell{{"S", "B1", 1, "", "1"}, {"S", "C1", 1, "", "1234.56"}, {"S", "D1", 1, "", "7"},
				{"S", "A2", 2, "", "0.01"}},
		},
		{
			name: "formula results: string (after SHRFMLA), number, boolean, error, empty; a stray STRING",
			vers: biff8,
			sheets: []testSheet{s("S",
				rec(recFormula, cellHead(0, 0), []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8)),
				rec(0x04BC, make([]byte, 10)), // SHRFMLA
				rec(recString, xlString("bob@example.org")),
				rec(recFormula, cellHead(0, 1), f64(4111111111111111), make([]byte, 8)),
				rec(recFormula, cellHead(0, 2), []byte{1, 0, 1, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8)),
				rec(recFormula, cellHead(0, 3), []byte{2, 0, 7, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8)),
				rec(recFormula, cellHead(0, 4), []byte{3, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8)),
				rec(recString, xlString("not a cell")))},
			want: []cell{{"S", "A1", 1, "", "bob@example.org"}, {"S", "B1", 1, "", "4111111111111111"}},
		},
		{
			name: "RSTRING, BOOLERR skipped, a chart substream nested in the sheet, charts and modules skipped",
			vers: biff8,
			sheets: []testSheet{
				s("S",
					rec(recRString, cellHead(0, 0), xlString("alice@example.com"), le16(1), le32(0)),
					rec(0x0205, cellHead(0, 1), []byte{1, 0}), // BOOLERR: TRUE
					bofRec(biff8, 0x0020), labelRec(5, 5, "inside a chart"), eofRec,
					labelRec(1, 0, "after the chart")),
				{name: "Chart1", kind: 2, records: [][]byte{labelRec(0, 0, "chart")}},
				{name: "Module1", kind: 6, records: [][]byte{labelRec(0, 0, "module")}},
			},
			want: []cell{{"S", "A1", 1, "", "alice@example.com"}, {"S", "A2", 2, "", "after the chart"}},
		},
		{
			name: "a LABEL continued into a CONTINUE record, switching to UTF-16",
			vers: biff8,
			sheets: []testSheet{s("S",
				rec(recLabel, cellHead(0, 0), le16(9), []byte{0}, []byte("caf\xe9 ")),
				rec(recContinue, []byte{1}, []byte{0xE5, 0x65, 0x2C, 0x67, 0x9E, 0x8A, '!', 0}))},
			allRows: true,
			want:    []cell{{"S", "A1", 1, "", "café 日本語!"}},
		},
		{
			name:    "BIFF5: code page 1251 for labels and sheet names",
			vers:    biff5,
			globals: [][]byte{rec(recCodePage, le16(1251))},
			sheets: []testSheet{s("\xcb\xe8\xf1\xf2", // "Лист"
				rec(recLabel, cellHead(0, 0), le16(4), []byte("\xc8\xec\xff ")),    // "Имя "
				rec(recLabel, cellHead(1, 0), le16(4), []byte("\xc8\xe2\xe0\xed")), // "Иван"
				rec(recRString, cellHead(1, 1), le16(3), []byte("abc"), []byte{0}))},
			want: []cell{{"Лист", "A2", 2, "Имя", "Иван"}, {"Лист", "B2", 2, "", "abc"}},
		},
		{
			name:    "BIFF5: Shift-JIS",
			vers:    biff5,
			globals: [][]byte{rec(recCodePage, le16(932))},
			sheets:  []testSheet{s("S", rec(recLabel, cellHead(0, 0), le16(6), []byte("\x93\xfa\x96\x7b\x8c\xea")))},
			allRows: true,
			want:    []cell{{"S", "A1", 1, "", "日本語"}},
		},
		{
			name:    "BIFF5: an unknown code page reads as 1252",
			vers:    biff5,
			globals: [][]byte{rec(recCodePage, le16(1))},
			sheets:  []testSheet{s("S", rec(recLabel, cellHead(0, 0), le16(5), []byte("caf\xe9\x80")))},
			allRows: true,
			want:    []cell{{"S", "A1", 1, "", "café€"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := cfbFile(namedStream{"Workbook", workbookStream(tt.vers, tt.globals, tt.sheets...)})
			got, err := extractAll(t, &Reader{allRows: tt.allRows}, data)
			if err != nil {
				t.Fatal(err)
			}
			equalCells(t, got, tt.want)
		})
	}
}

// TestBookStream: a BIFF5 file has a Book stream; a file with both (Excel's
// dual format) is read from Workbook.
func TestBookStream(t *testing.T) {
	t.Parallel()
	five := workbookStream(biff5, nil, testSheet{name: "S", records: [][]byte{rec(recLabel, cellHead(0, 0), le16(4), []byte("five"))}})
	eight := workbookStream(biff8, nil, testSheet{name: "S", records: [][]byte{labelRec(0, 0, "eight")}})
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"Book", cfbFile(namedStream{"Book", five}), "five"},
		{"both", cfbFile(namedStream{"Book", five}, namedStream{"Workbook", eight}), "eight"},
	} {
		got, err := extractAll(t, &Reader{allRows: true}, tt.data)
		if err != nil || len(got) != 1 || got[0].Data != tt.want {
			t.Errorf("%s: got %v, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	book := func(globals [][]byte, records ...[]byte) []byte {
		return cfbFile(namedStream{"Workbook", workbookStream(biff8, globals, testSheet{name: "S", records: records})})
	}
	raw := func(stream []byte) []byte { return cfbFile(namedStream{"Workbook", stream}) }
	valid := fixture(t, "gnumeric.xls")
	secret := "alice@example.com"
	noEOF := workbookStream(biff8, nil, testSheet{name: "S", records: [][]byte{labelRec(0, 0, secret)}})
	noEOF = noEOF[:len(noEOF)-len(eofRec)]
	badOffset := workbookStream(biff8, nil, testSheet{name: "S"})
	copy(badOffset[len(bofRec(biff8, bofGlobals))+4:], le32(1<<30))
	overlap := workbookStream(biff8, nil, testSheet{name: "A", records: [][]byte{labelRec(0, 0, "x")}}, testSheet{name: "B"})
	// Point B at A's BOF: A's records would be read twice.
	bs := len(bofRec(biff8, bofGlobals))
	copy(overlap[bs+len(rec(recBoundSheet, le32(0), []byte{0, 0}, []byte{1, 0}, []byte("A")))+4:], overlap[bs+4:bs+8])
	brokenDir := cfbFile(namedStream{"Workbook", noEOF})
	copy(brokenDir[0x30:], le32(0x7FFFFFF0)) // the directory's first sector, far past the end
	nested := [][]byte{}
	for range maxDepth + 1 {
		nested = append(nested, bofRec(biff8, 0x0020))
	}

	tests := []struct {
		name   string
		data   []byte
		want   error
		detail string
	}{
		{"empty", nil, extract.ErrCorrupt, "not an OLE2 compound file"},
		{"text", []byte("name,email\nAlice,alice@example.com\n"), extract.ErrCorrupt, "not an OLE2 compound file"},
		{"broken directory", brokenDir, extract.ErrCorrupt, "broken compound file: mscfb: "},
		{"truncated file", valid[:len(valid)/2], extract.ErrCorrupt, ""},
		{"no workbook stream", cfbFile(namedStream{"WordDocument", []byte{1}}), extract.ErrCorrupt, "no Workbook stream"},
		{"BIFF4", raw(rec(0x0409, le16(0), le16(0x10))), extract.ErrCorrupt, "BIFF2-4"},
		{"BIFF version", raw(bofRec(0x0400, bofGlobals)), extract.ErrCorrupt, "version 0x0400"},
		{"worksheet first", raw(bofRec(biff8, bofWorksheet)), extract.ErrCorrupt, "globals"},
		{"globals without EOF", raw(cat(bofRec(biff8, bofGlobals), sstRec("x"))), extract.ErrCorrupt, "without an EOF"},
		{"sheet without EOF", raw(noEOF), extract.ErrCorrupt, `sheet "S": `},
		{"sheet offset", raw(badOffset), extract.ErrCorrupt, "outside the"},
		{"overlapping sheets", raw(overlap), extract.ErrCorrupt, "overlap"},
		{"nested too deep", book(nil, nested...), extract.ErrCorrupt, "nested too deep"},
		{"shared string index", book([][]byte{sstRec(secret)}, labelSSTRec(0, 0, 0), labelSSTRec(0, 1, 1)),
			extract.ErrCorrupt, "LABELSST record at offset"},
		{"truncated shared string", book([][]byte{rec(recSST, le32(1), le32(1), le16(40), []byte{0}, []byte(secret))}),
			extract.ErrCorrupt, "shared string 0: truncated"},
		{"short NUMBER", book(nil, rec(recNumber, cellHead(0, 0), []byte{1, 2})), extract.ErrCorrupt, "NUMBER record of 8 bytes"},
		{"label cut short", book(nil, rec(recLabel, cellHead(0, 0), le16(40), []byte{0}, []byte(secret))),
			extract.ErrCorrupt, "LABEL record at offset"},
		{"too many shared strings", book([][]byte{rec(recSST, le32(1), le32(maxSSTStrings+1))}), ErrTooLarge, "shared strings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := extractAll(t, &Reader{}, tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "book.xls: ") || !strings.Contains(msg, tt.detail) {
				t.Errorf("error %q: want the file named first and %q", msg, tt.detail)
			}
			if strings.Contains(msg, secret) || strings.Contains(msg, "2147483632") {
				t.Errorf("error %q quotes the file's content", msg)
			}
			if len(got) != 0 && tt.name != "sheet without EOF" {
				t.Errorf("yielded %v", got)
			}
		})
	}
}

func TestFileTooLarge(t *testing.T) {
	t.Parallel()
	err := (&Reader{}).Extract(context.Background(), extract.Input{Name: "big.xls", R: strings.NewReader(""), Size: maxFileSize + 1},
		func(*extract.Chunk) error { return nil })
	if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), "big.xls: ") {
		t.Fatalf("err = %v, want ErrTooLarge naming the file", err)
	}
}

func TestMaxCells(t *testing.T) {
	t.Parallel()
	data := fixture(t, "gnumeric95.xls") // 8 header cells first, 49 cells in all
	got, err := extractAll(t, &Reader{MaxCells: 12}, data)
	if !errors.Is(err, ErrTooManyCells) || !strings.Contains(err.Error(), "more than 12") {
		t.Fatalf("err = %v, want ErrTooManyCells with the count", err)
	}
	if len(got) != 4 {
		t.Errorf("yielded %d cells before the cap, want 4 (12 less the 8 header cells)", len(got))
	}
	if got, err := extractAll(t, &Reader{MaxCells: 49}, data); err != nil || len(got) != 39 {
		t.Errorf("MaxCells 49 (10 header cells): %d cells, %v", len(got), err)
	}
}

func TestYieldStopsAndCancel(t *testing.T) {
	t.Parallel()
	data := fixture(t, "gnumeric.xls")
	in := func() extract.Input { return extract.Input{Name: "b.xls", R: bytes.NewReader(data), Size: -1} }

	errStop := errors.New("stop")
	n := 0
	err := (&Reader{}).Extract(context.Background(), in(), func(*extract.Chunk) error { n++; return errStop })
	if err != errStop || n != 1 {
		t.Errorf("yield error: got %v after %d chunks, want errStop unchanged after 1", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = (&Reader{}).Extract(ctx, in(), func(*extract.Chunk) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || n < 1 || n > ctxEvery {
		t.Errorf("cancel: got %v after %d chunks, want context.Canceled within %d records", err, n, ctxEvery)
	}
}

func TestYieldPanicIsNotCorrupt(t *testing.T) {
	t.Parallel()
	data := fixture(t, "gnumeric95.xls")
	defer func() {
		if p := recover(); p != "consumer bug" {
			t.Errorf("recovered %v, want the consumer's panic", p)
		}
	}()
	err := (&Reader{}).Extract(context.Background(), extract.Input{Name: "b.xls", R: bytes.NewReader(data), Size: -1},
		func(*extract.Chunk) error { panic("consumer bug") })
	t.Errorf("Extract returned %v instead of panicking", err)
}

// TestReaderAt: with Input.RA the file is read in place, and a consumer
// that writes into a chunk does not change the shared strings.
func TestReaderAt(t *testing.T) {
	t.Parallel()
	data := fixture(t, "libreoffice.xls")
	var first, again []string
	for _, list := range []*[]string{&first, &again} {
		err := (&Reader{}).Extract(context.Background(),
			extract.Input{Name: "b.xls", R: strings.NewReader("unused"), RA: bytes.NewReader(data), Size: int64(len(data))},
			func(c *extract.Chunk) error {
				*list = append(*list, string(c.Data))
				for i := range c.Data {
					c.Data[i] = 'x'
				}
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(first) != 4839 || strings.Join(first, "\x00") != strings.Join(again, "\x00") {
		t.Errorf("%d cells; second read differs: %v", len(first), first[:3])
	}
}

func TestAppendCellRef(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		col, row int
		want     string
	}{{0, 0, "A1"}, {25, 9, "Z10"}, {26, 0, "AA1"}, {255, 65535, "IV65536"}, {16383, 0, "XFD1"}, {65535, 0, "CRXP1"}} {
		if got := cellRef(tt.col, tt.row); got != tt.want {
			t.Errorf("cellRef(%d, %d) = %q, want %q", tt.col, tt.row, got, tt.want)
		}
	}
}

// TestOpenBudget: mscfb gives up once it has read its budget opening the
// file (here two reads: the header and one directory sector).
func TestOpenBudget(t *testing.T) {
	t.Parallel()
	data := fixture(t, "gnumeric95.xls")
	if _, _, err := openStream(bytes.NewReader(data), int64(len(data)), 2*512); err == nil || err.Error() != "compound file directory too large" {
		t.Errorf("err = %v, want the budget's", err)
	}
	if _, _, err := openStream(bytes.NewReader(data), int64(len(data)), cfbBudget); err != nil {
		t.Errorf("err = %v with the default budget", err)
	}
}

func TestOpenWorkbookTellsWorkbooks(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		data []byte
		want bool
	}{
		{"gnumeric.xls", fixture(t, "gnumeric.xls"), true},
		{"gnumeric95.xls (Book)", fixture(t, "gnumeric95.xls"), true},
		{"password.xls", fixture(t, "password.xls"), true},
		{"a Word document", cfbFile(namedStream{"WordDocument", []byte{0xEC, 0xA5}}), false},
		{"a Workbook stream of zeros", cfbFile(namedStream{"Workbook", nil}), false},
		{"encrypted OOXML", cfbFile(namedStream{"EncryptedPackage", []byte{1}}), false},
		{"text", []byte("name,email\n"), false},
	} {
		if got := OpenWorkbook(bytes.NewReader(tt.data), int64(len(tt.data))) != nil; got != tt.want {
			t.Errorf("%s: OpenWorkbook found a workbook: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestOpenWorkbook: a Reader given the Workbook that OpenWorkbook opened
// yields what it yields from the file, error included, without parsing
// the compound file again.
func TestOpenWorkbook(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"gnumeric.xls", "gnumeric95.xls", "libreoffice.xls", "password.xls"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := fixture(t, name)
			want, wantErr := extractAll(t, &Reader{}, data)

			ra := &countingReaderAt{r: bytes.NewReader(data)}
			wb := OpenWorkbook(ra, int64(len(data)))
			if wb == nil {
				t.Fatal("OpenWorkbook = nil, want a workbook")
			}
			opened := ra.reads
			r := &Reader{Workbook: wb}
			// in.R and in.RA are not read: the Workbook is.
			got, err := extractAll(t, r, []byte("not this file"))
			equalCells(t, got, want)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("err = %v, want %v", err, wantErr)
			}
			reread := ra.reads - opened

			// Reading through the Workbook costs the stream, not the
			// directory: fewer reads than opening the file afresh.
			fresh := &countingReaderAt{r: bytes.NewReader(data)}
			err = r.Extract(context.Background(), extract.Input{Name: "book.xls", RA: fresh, Size: int64(len(data))}, func(*extract.Chunk) error { return nil })
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("second read: err = %v, want %v", err, wantErr)
			}
			if fresh.reads != 0 {
				t.Errorf("Extract read in.RA %d times, want 0", fresh.reads)
			}
			plain := &countingReaderAt{r: bytes.NewReader(data)}
			(&Reader{}).Extract(context.Background(), extract.Input{Name: "book.xls", RA: plain, Size: int64(len(data))}, func(*extract.Chunk) error { return nil })
			if reread >= plain.reads {
				t.Errorf("Extract of the Workbook made %d reads, of the file %d: want fewer", reread, plain.reads)
			}
		})
	}
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"a Word document", cfbFile(namedStream{"WordDocument", []byte{0xEC, 0xA5}})},
		{"a Workbook stream of zeros", cfbFile(namedStream{"Workbook", nil})},
		{"text", []byte("name,email\n")},
	} {
		if wb := OpenWorkbook(bytes.NewReader(tt.data), int64(len(tt.data))); wb != nil {
			t.Errorf("%s: OpenWorkbook = %v, want nil", tt.name, wb)
		}
	}
}

// TestWorkbookTooLarge: the size limit holds for a Workbook too.
func TestWorkbookTooLarge(t *testing.T) {
	t.Parallel()
	data := fixture(t, "gnumeric.xls")
	wb := OpenWorkbook(bytes.NewReader(data), int64(len(data)))
	if wb == nil {
		t.Fatal("OpenWorkbook = nil")
	}
	wb.size = maxFileSize + 1
	_, err := extractAll(t, &Reader{Workbook: wb}, nil)
	if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), "book.xls: ") {
		t.Errorf("err = %v, want ErrTooLarge naming the file", err)
	}
}

type countingReaderAt struct {
	r     io.ReaderAt
	reads int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.r.ReadAt(p, off)
}
