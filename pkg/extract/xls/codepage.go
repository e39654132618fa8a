package xls

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// BIFF5 stores text as bytes in the code page of the CODEPAGE record
// ([MS-XLS] 2.4.52); BIFF8 stores UTF-16 whatever that record says. A code
// page this table lacks is read as Windows-1252, Excel's default, which
// keeps ASCII (and so most identifiers) intact.
var codePages = map[int]encoding.Encoding{
	367:   charmap.Windows1252, // US-ASCII
	437:   charmap.CodePage437,
	850:   charmap.CodePage850,
	852:   charmap.CodePage852,
	855:   charmap.CodePage855,
	858:   charmap.CodePage858,
	860:   charmap.CodePage860,
	862:   charmap.CodePage862,
	863:   charmap.CodePage863,
	865:   charmap.CodePage865,
	866:   charmap.CodePage866,
	874:   charmap.Windows874,
	932:   japanese.ShiftJIS,
	936:   simplifiedchinese.GBK,
	949:   korean.EUCKR,
	950:   traditionalchinese.Big5,
	1250:  charmap.Windows1250,
	1251:  charmap.Windows1251,
	1252:  charmap.Windows1252,
	1253:  charmap.Windows1253,
	1254:  charmap.Windows1254,
	1255:  charmap.Windows1255,
	1256:  charmap.Windows1256,
	1257:  charmap.Windows1257,
	1258:  charmap.Windows1258,
	10000: charmap.Macintosh,
	10007: charmap.MacintoshCyrillic,
	20866: charmap.KOI8R,
	21866: charmap.KOI8U,
	28591: charmap.ISO8859_1,
	28592: charmap.ISO8859_2,
	28595: charmap.ISO8859_5,
	28597: charmap.ISO8859_7,
	28605: charmap.ISO8859_15,
	32768: charmap.Macintosh,   // Apple Roman, as Excel for the Mac writes it
	32769: charmap.Windows1252, // Excel's own name for 1252 in BIFF2-4
}

// codePage decodes 8-bit text.
type codePage struct {
	// table maps each byte for a single-byte code page; dec decodes the
	// multi-byte ones.
	table *[256]rune
	dec   *encoding.Decoder
}

func newCodePage(id int) codePage {
	enc, ok := codePages[id]
	if !ok {
		enc = charmap.Windows1252
	}
	if cm, ok := enc.(*charmap.Charmap); ok {
		var t [256]rune
		for i := range t {
			t[i] = cm.DecodeByte(byte(i))
		}
		return codePage{table: &t}
	}
	return codePage{dec: enc.NewDecoder()}
}

// appendText appends b decoded to UTF-8.
func (c codePage) appendText(dst, b []byte) []byte {
	if c.table != nil {
		for _, x := range b {
			if x < utf8.RuneSelf {
				dst = append(dst, x)
			} else {
				dst = utf8.AppendRune(dst, c.table[x])
			}
		}
		return dst
	}
	out, err := c.dec.Bytes(b)
	if err != nil {
		// x/text decoders replace bad input rather than fail; keep
		// what can be read if one does.
		return append(dst, strings.ToValidUTF8(string(b), "\uFFFD")...)
	}
	return append(dst, out...)
}
