package mail

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decoder undoes a Content-Transfer-Encoding in pieces of any size: the
// output is the same however the input is cut.
type decoder interface {
	// decode appends the decoded form of p to dst.
	decode(dst, p []byte) []byte
	// flush appends what is still held at the end of the body.
	flush(dst []byte) []byte
}

// newDecoder returns the decoder for a Content-Transfer-Encoding value.
// 7bit, 8bit, binary and anything unknown are read as they are: a body is
// never dropped for a label.
func newDecoder(cte string) decoder {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return &base64Decoder{}
	case "quoted-printable":
		return &qpDecoder{}
	}
	return identity{}
}

type identity struct{}

func (identity) decode(dst, p []byte) []byte { return append(dst, p...) }
func (identity) flush(dst []byte) []byte     { return dst }

// base64Decoder decodes leniently, as mail clients do: characters outside
// the alphabet (line breaks, stray spaces) are skipped, both the standard
// and the URL-safe alphabet are read, and '=' ends a group wherever it
// stands, so concatenated encodings decode too. It never fails.
type base64Decoder struct {
	acc uint32 // sextets of the current group
	n   int    // sextets in acc
}

var b64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alpha); i++ {
		t[alpha[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

func (d *base64Decoder) decode(dst, p []byte) []byte {
	for i := 0; i < len(p); i++ {
		// Fast path: a whole group of four alphabet characters.
		if d.n == 0 && i+4 <= len(p) {
			a, b, c, e := b64[p[i]], b64[p[i+1]], b64[p[i+2]], b64[p[i+3]]
			if a|b|c|e < 64 {
				v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(e)
				dst = append(dst, byte(v>>16), byte(v>>8), byte(v))
				i += 3
				continue
			}
		}
		c := p[i]
		v := b64[c]
		if v == 0xFF {
			if c == '=' {
				dst = d.flush(dst)
			}
			continue
		}
		d.acc = d.acc<<6 | uint32(v)
		d.n++
		if d.n == 4 {
			dst = append(dst, byte(d.acc>>16), byte(d.acc>>8), byte(d.acc))
			d.acc, d.n = 0, 0
		}
	}
	return dst
}

// flush emits a partial group: two sextets make one byte, three make two;
// a single sextet carries no whole byte.
func (d *base64Decoder) flush(dst []byte) []byte {
	switch d.n {
	case 2:
		dst = append(dst, byte(d.acc>>4))
	case 3:
		dst = append(dst, byte(d.acc>>10), byte(d.acc>>2))
	}
	d.acc, d.n = 0, 0
	return dst
}

// qpDecoder decodes quoted-printable leniently: "=XX" is a byte, "=" at
// the end of a line (before optional white space) is a soft line break,
// and any other "=" is kept as it is, as mail clients show it.
type qpDecoder struct {
	state int  // qpText, qpEq, qpHex, qpSoft
	hi    byte // the first hex digit, in qpHex
	ws    []byte
}

const (
	qpText = iota
	qpEq   // after '='
	qpHex  // after '=' and one hex digit
	qpSoft // after '=' and white space: a soft break if the line ends
)

func (d *qpDecoder) decode(dst, p []byte) []byte {
	for _, c := range p {
		switch d.state {
		case qpText:
			if c == '=' {
				d.state = qpEq
				continue
			}
			dst = append(dst, c)
		case qpEq:
			switch {
			case c == '\n':
				d.state = qpText
			case c == '\r':
				// Soft break; the '\n' that follows is dropped below.
				d.state = qpSoft
			case c == ' ' || c == '\t':
				d.ws = append(d.ws[:0], c)
				d.state = qpSoft
			case isHex(c):
				d.hi, d.state = c, qpHex
			default:
				dst = append(dst, '=', c)
				d.state = qpText
			}
		case qpHex:
			d.state = qpText
			if h, ok := unhex(d.hi, c); ok {
				dst = append(dst, h)
				continue
			}
			dst = append(dst, '=', d.hi)
			if c == '=' {
				d.state = qpEq
				continue
			}
			dst = append(dst, c)
		case qpSoft:
			switch c {
			case ' ', '\t', '\r':
				if len(d.ws) < 64 {
					d.ws = append(d.ws, c)
				}
				continue
			case '\n':
				d.ws, d.state = d.ws[:0], qpText
				continue
			}
			// Not a line end after all: keep what was skipped.
			dst = append(dst, '=')
			dst = append(dst, strings.TrimLeft(string(d.ws), "\r")...)
			d.ws, d.state = d.ws[:0], qpText
			if c == '=' {
				d.state = qpEq
				continue
			}
			dst = append(dst, c)
		}
	}
	return dst
}

func (d *qpDecoder) flush(dst []byte) []byte {
	switch d.state {
	case qpHex:
		dst = append(dst, '=', d.hi)
	}
	d.state, d.ws = qpText, d.ws[:0]
	return dst
}

func isHex(c byte) bool {
	_, ok := hexVal(c)
	return ok
}

// win1252 holds the UTF-8 form of the bytes 0x80-0xFF in Windows-1252.
var win1252 = func() (t [128]string) {
	for i := range t {
		t[i] = string(charmap.Windows1252.DecodeByte(byte(0x80 + i)))
	}
	return t
}()

// fallbackUTF8 returns b when it is valid UTF-8 and its Windows-1252
// reading otherwise.
func fallbackUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	for _, c := range b {
		if c < 0x80 {
			out = append(out, c)
		} else {
			out = append(out, win1252[c-0x80]...)
		}
	}
	return out
}
