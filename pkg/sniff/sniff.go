package sniff

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
)

// Type is a file type as the scan sees it.
type Type string

const (
	Empty Type = "empty" // no bytes at all
	Text  Type = "text"  // plain text: UTF-8, UTF-16 with a BOM, or Windows-1252
	CSV   Type = "csv"   // text named .csv
	TSV   Type = "tsv"   // text named .tsv or .tab
	// XLSX is a zip named like an Office Open XML workbook (.xlsx, .xlsm,
	// .xltx, .xltm); whether it really is one, the reader finds out.
	XLSX Type = "xlsx"
	Zip  Type = "zip"
	PDF  Type = "pdf"
	// CFB is an OLE2 compound file: a legacy Office document (.xls, .doc)
	// or an OOXML document encrypted with a password.
	CFB      Type = "cfb"
	Gzip     Type = "gzip"
	SevenZip Type = "7z"
	Image    Type = "image"
	Binary   Type = "binary" // executables and anything else not text
)

// HeadSize is how many bytes of a file Detect looks at; it ignores the rest.
const HeadSize = 8 << 10

// maxControlPercent is the share of control characters above which a head
// without NUL bytes is binary rather than text. Text has almost none (tab,
// newline and friends, and ESC in terminal logs, do not count); random
// bytes have about 10% (26 byte values of 256).
const maxControlPercent = 10

// Detect returns the type of the file called name whose first bytes are
// head (HeadSize bytes or all of a shorter file). name may be a path; only
// its extension, in any case, is used.
func Detect(name string, head []byte) Type {
	if len(head) > HeadSize {
		head = head[:HeadSize]
	}
	if len(head) == 0 {
		return Empty
	}
	if t := magic(name, head); t != "" {
		return t
	}
	// A byte-order mark is text: UTF-16 is full of NUL bytes, which would
	// otherwise make it binary.
	if has(head, "\xFF\xFE") || has(head, "\xFE\xFF") || has(head, "\xEF\xBB\xBF") {
		return textType(name)
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return Binary
	}
	if 100*controls(head) > maxControlPercent*len(head) {
		return Binary
	}
	return textType(name)
}

// magic returns the type a magic number at the start of head announces, or
// "". It switches on the first byte, so a text head costs a few comparisons.
func magic(name string, head []byte) Type {
	switch head[0] {
	case 'P':
		if has(head, "PK\x03\x04") {
			if isWorkbookName(name) {
				return XLSX
			}
			return Zip
		}
		if has(head, "PK\x05\x06") || has(head, "PK\x07\x08") { // empty or spanned zip
			return Zip
		}
	case 0xD0:
		if has(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
			return CFB
		}
	case '%':
		if has(head, "%PDF-") {
			return PDF
		}
	case 0x1F:
		if has(head, "\x1F\x8B") {
			return Gzip
		}
	case '7':
		if has(head, "7z\xBC\xAF\x27\x1C") {
			return SevenZip
		}
	case 0x89:
		if has(head, "\x89PNG\r\n\x1A\n") {
			return Image
		}
	case 0xFF:
		if has(head, "\xFF\xD8\xFF") { // JPEG; FF FE is a UTF-16 BOM
			return Image
		}
	case 'G':
		if has(head, "GIF87a") || has(head, "GIF89a") {
			return Image
		}
	case 'R':
		if has(head, "RIFF") && len(head) >= 12 && string(head[8:12]) == "WEBP" {
			return Image
		}
	case 'I':
		if has(head, "II*\x00") { // TIFF, little-endian
			return Image
		}
	case 'M':
		if has(head, "MM\x00*") { // TIFF, big-endian
			return Image
		}
		if has(head, "MZ") && isPE(head) {
			return Binary
		}
	case 'B':
		// "BM" starts many words; a BMP also has four reserved zero bytes.
		if has(head, "BM") && len(head) >= 10 && string(head[6:10]) == "\x00\x00\x00\x00" {
			return Image
		}
	case 0x7F:
		if has(head, "\x7FELF") {
			return Binary
		}
	case 0xCA, 0xCE, 0xCF, 0xFE:
		// Mach-O (and Java class files, which share CAFEBABE).
		if has(head, "\xCF\xFA\xED\xFE") || has(head, "\xCE\xFA\xED\xFE") ||
			has(head, "\xFE\xED\xFA\xCE") || has(head, "\xFE\xED\xFA\xCF") || has(head, "\xCA\xFE\xBA\xBE") {
			return Binary
		}
	}
	// HEIF/AVIF images: an ISO box "ftyp" with an image brand.
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		switch string(head[8:12]) {
		case "heic", "heix", "hevc", "mif1", "msf1", "avif", "avis":
			return Image
		}
	}
	return ""
}

// isPE reports whether an "MZ" head is a Windows executable: the DOS header
// points, at offset 0x3C, to the "PE\0\0" signature.
func isPE(head []byte) bool {
	if len(head) < 0x40 {
		return false
	}
	off := binary.LittleEndian.Uint32(head[0x3C:])
	return uint64(off)+4 <= uint64(len(head)) && string(head[off:off+4]) == "PE\x00\x00"
}

func has(head []byte, prefix string) bool {
	return len(head) >= len(prefix) && string(head[:len(prefix)]) == prefix
}

// controlByte marks the bytes that count against text: C0 controls other
// than \t \n \v \f \r and ESC, and DEL. Bytes from 0x80 up are allowed, as
// UTF-8 or as Windows-1252.
var controlByte = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = 1
	}
	for _, c := range "\t\n\v\f\r\x1b" {
		t[c] = 0
	}
	t[0x7F] = 1
	return t
}()

// controls counts control bytes a word at a time, with the usual bit
// tricks on the eight bytes of a uint64. One subtraction clears a word with
// no byte below 0x20, which is most words of text; a word holding a newline
// or another low byte is then counted exactly. DEL, rare in any file, is
// counted apart with bytes.Count, which has a vector implementation. On
// text this costs about 1.4 times a loop that merely loads the words.
func controls(b []byte) int {
	n, i := 0, 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// Non-zero if some byte is below 0x20: exact as a yes or no,
		// though borrows may mark more bytes than qualify.
		if (x-0x20*ones)&^x&highs != 0 {
			n += countLow(x)
		}
	}
	for _, c := range b[i:] {
		if c < 0x20 {
			n += int(controlByte[c])
		}
	}
	return n + bytes.Count(b, del)
}

var del = []byte{0x7F}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	lows  = 0x7F7F7F7F7F7F7F7F
)

// countLow counts the bytes of x below 0x20 that controlByte marks. In each
// mask the high bit of a byte is set exactly when the byte qualifies: the
// low seven bits plus a constant cannot carry into the next byte.
func countLow(x uint64) int {
	l := x & lows
	below20 := ^((l + (0x80-0x20)*ones) | x) // < 0x20
	from09 := l + (0x80-0x09)*ones           // >= 0x09, for bytes < 0x80
	from0E := l + (0x80-0x0E)*ones           // >= 0x0E
	space := from09 &^ from0E                // \t \n \v \f \r
	e := x ^ 0x1B*ones
	esc := ^(((e & lows) + lows) | e) // == 0x1B
	return bits.OnesCount64((below20 &^ space &^ esc) & highs)
}

// textType refines Text by the file's extension.
func textType(name string) Type {
	switch e := Ext(name); {
	case strings.EqualFold(e, ".csv"):
		return CSV
	case strings.EqualFold(e, ".tsv"), strings.EqualFold(e, ".tab"):
		return TSV
	}
	return Text
}

func isWorkbookName(name string) bool {
	e := Ext(name)
	return strings.EqualFold(e, ".xlsx") || strings.EqualFold(e, ".xlsm") ||
		strings.EqualFold(e, ".xltx") || strings.EqualFold(e, ".xltm")
}

// Ext returns the extension of the last element of name, dot included, or
// "". Both / and \ separate elements, and so does the ! of OUTER!INNER
// archive paths, which filepath.Ext would read as one name. Readers that
// choose by extension use it, so that they agree with Detect.
func Ext(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		switch name[i] {
		case '.':
			return name[i:]
		case '/', '\\', '!':
			return ""
		}
	}
	return ""
}
