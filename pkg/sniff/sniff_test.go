package sniff

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func utf16BE(s string) []byte {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.BigEndian.AppendUint16(b, u)
	}
	return b
}

// pe is the start of a Windows executable: "MZ", e_lfanew = 0x40, "PE\0\0".
func pe() []byte {
	b := make([]byte, 0x80)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3C:], 0x40)
	copy(b[0x40:], "PE\x00\x00")
	return b
}

// withControls is n bytes of text of which c are control bytes (\x01).
func withControls(n, c int) []byte {
	b := bytes.Repeat([]byte("a"), n)
	for i := range c {
		b[i*(n/c)] = 0x01
	}
	return b
}

// Every value below is synthetic.
var tests = []struct {
	name string
	file string
	head []byte
	want Type
}{
	{"empty", "a.csv", nil, Empty},
	{"ascii text", "notes.txt", []byte("Call Alice Example on +44 7700 900123.\n"), Text},
	{"no extension", "README", []byte("hello\n"), Text},
	{"csv", "people.csv", []byte("name,email\nAlice,alice@example.com\n"), CSV},
	{"csv upper case", "PEOPLE.CSV", []byte("name,email\n"), CSV},
	{"tsv", "people.tsv", []byte("name\temail\n"), TSV},
	{"tab", "people.tab", []byte("name\temail\n"), TSV},
	{"csv in archive", "backup.zip!export/people.csv", []byte("a,b\n"), CSV},
	{"dot in directory", "dir.csv/people", []byte("a,b\n"), Text},
	{"utf-16le csv", "people.csv", utf16LE("name,email\r\nZoë,zoe@example.com\r\n", true), CSV},
	{"utf-16le text", "notes.txt", utf16LE("Straße 1\r\n", true), Text},
	{"utf-16be text", "notes.txt", utf16BE("Straße 1\n"), Text},
	{"utf-8 bom csv", "people.csv", []byte("\xEF\xBB\xBFname,email\n"), CSV},
	{"utf-8 bom with nul", "x.txt", []byte("\xEF\xBB\xBFa\x00b"), Text},
	{"utf-8", "notes.md", []byte("Zoë Example, Straße 1, 東京 — ok\n"), Text},
	{"windows-1252", "notes.txt", []byte("Caf\xe9 na\xefve \x80 5, \x93quoted\x94\r\n"), Text},
	{"terminal log", "build.log", []byte("\x1b[32mok\x1b[0m\x1b[31mfail\x1b[0m\f\v\n"), Text},
	{"10% controls", "x.txt", withControls(100, 10), Text},
	{"11% controls", "x.txt", withControls(100, 11), Binary},
	{"nul", "data.txt", []byte("abc\x00def"), Binary},
	{"utf-16 without bom", "notes.txt", utf16LE("hello", false), Binary},
	{"zip", "archive.zip", []byte("PK\x03\x04\x14\x00\x00\x00"), Zip},
	{"zip named xlsx", "Book.XLSX", []byte("PK\x03\x04\x14\x00"), XLSX},
	{"xlsm", "macros.xlsm", []byte("PK\x03\x04"), XLSX},
	{"xlsx.zip", "book.xlsx.zip", []byte("PK\x03\x04"), Zip},
	{"zip named csv", "people.csv", []byte("PK\x03\x04"), Zip},
	{"empty zip", "empty.zip", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), Zip},
	{"cfb", "legacy.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"), CFB},
	{"cfb named xlsx", "secret.xlsx", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), CFB},
	{"pdf", "scan.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), PDF},
	{"pdf-like text", "notes.tex", []byte("%PDFs are generated later\n"), Text},
	{"gzip", "dump.sql.gz", []byte("\x1F\x8B\x08\x00"), Gzip},
	{"7z", "a.7z", []byte("7z\xBC\xAF\x27\x1C\x00\x04"), SevenZip},
	{"png", "a.png", []byte("\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR"), Image},
	{"jpeg", "a.jpg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF"), Image},
	{"gif", "a.gif", []byte("GIF89a\x01\x00"), Image},
	{"webp", "a.webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), Image},
	{"wav is not an image", "a.wav", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), Binary},
	{"tiff", "a.tif", []byte("II*\x00\x08\x00\x00\x00"), Image},
	{"bmp", "a.bmp", []byte("BM\x36\x00\x0C\x00\x00\x00\x00\x00\x36\x00"), Image},
	{"text starting BM", "cars.txt", []byte("BMW 320d, one owner\n"), Text},
	{"heic", "IMG_0001.HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), Image},
	{"elf", "a.out", []byte("\x7FELF\x02\x01\x01"), Binary},
	{"pe", "setup.exe", pe(), Binary},
	{"text starting MZ", "names.txt", []byte("MZ Example Ltd, 1 High Street, Leeds LS1 1AA, United Kingdom, +44 113 496 0000\n"), Text},
	{"mach-o", "tool", []byte("\xCF\xFA\xED\xFE\x07\x00\x00\x01"), Binary},
	{"past the head", "x.txt", append(bytes.Repeat([]byte("a"), HeadSize), 0), Text},
}

func TestDetect(t *testing.T) {
	t.Parallel()
	for _, tt := range tests {
		if got := Detect(tt.file, tt.head); got != tt.want {
			t.Errorf("%s: Detect(%q, %q…) = %q, want %q", tt.name, tt.file, trim(tt.head), got, tt.want)
		}
	}
}

func trim(b []byte) []byte { return b[:min(len(b), 16)] }

func TestDetectDoesNotAllocate(t *testing.T) {
	for _, tt := range tests {
		if n := testing.AllocsPerRun(10, func() { Detect(tt.file, tt.head) }); n != 0 {
			t.Errorf("%s: %v allocations", tt.name, n)
		}
	}
}

func TestControls(t *testing.T) {
	t.Parallel()
	// Every byte value at every offset of a word, against the table.
	for c := range 256 {
		for off := range 17 {
			b := bytes.Repeat([]byte{' '}, 24)
			b[off] = byte(c)
			if got, want := controls(b), int(controlByte[c]); got != want {
				t.Fatalf("controls with %#02x at %d = %d, want %d", c, off, got, want)
			}
		}
	}
}
