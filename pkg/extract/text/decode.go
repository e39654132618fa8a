package text

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// DecodeBlockSize is the unit in which Decode judges whether input is UTF-8
// or Windows-1252. It is small enough that a stray legacy byte only affects
// its own neighbourhood and large enough that utf8.Valid runs at full speed.
const DecodeBlockSize = 64 << 10

// maxCarry is the longest incomplete UTF-8 sequence that can end a block
// (utf8.UTFMax-1 bytes). It is carried over to the next block so that a rune
// split by the block boundary is not mistaken for invalid UTF-8.
const maxCarry = utf8.UTFMax - 1

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// win1252 holds the UTF-8 encoding of the bytes 0x80-0xFF in Windows-1252,
// taken from x/text's table once, so that decoding a block is a table lookup
// per byte rather than a transform.Reader with its own buffers. Bytes that
// Windows-1252 leaves undefined decode to U+FFFD, as x/text does.
var win1252 = func() (t [128]string) {
	for i := range t {
		t[i] = string(charmap.Windows1252.DecodeByte(byte(0x80 + i)))
	}
	return t
}()

// Decode returns a reader that produces the UTF-8 text of r (see the package
// documentation for the rules). It reads r in blocks of DecodeBlockSize bytes
// and holds at most a few such blocks in memory, whatever the input.
func Decode(r io.Reader) io.Reader {
	return &decoder{src: r}
}

type decoder struct {
	src     io.Reader
	started bool      // the first block (with any byte order mark) was read
	utf16   io.Reader // set once a UTF-16 byte order mark was seen
	carry   [maxCarry]byte
	ncarry  int
	raw     []byte // block buffer, for reads too small to fill in place
	conv    []byte // Windows-1252 output buffer
	pending []byte // decoded bytes not yet returned
	err     error  // sticky: io.EOF after the last block, or a read error
}

func (d *decoder) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for len(d.pending) == 0 {
		if d.utf16 != nil {
			return d.utf16.Read(p)
		}
		if d.err != nil {
			return 0, d.err
		}
		if len(p) >= maxCarry+DecodeBlockSize {
			// Fast path: read the block straight into p. Only blocks that
			// must be converted go through d.conv.
			out, inPlace := d.fill(p)
			if inPlace {
				if len(out) > 0 {
					return len(out), nil
				}
				continue
			}
			d.pending = out
			continue
		}
		if d.raw == nil {
			d.raw = make([]byte, maxCarry+DecodeBlockSize)
		}
		d.pending, _ = d.fill(d.raw)
	}
	n := copy(p, d.pending)
	d.pending = d.pending[n:]
	return n, nil
}

// fill reads the next block into dst (which has room for the carry and a
// whole block) and returns its decoded text: either a prefix of dst (inPlace)
// or d.conv. It sets d.err at the end of the input and d.utf16 when the input
// turns out to be UTF-16.
func (d *decoder) fill(dst []byte) (out []byte, inPlace bool) {
	nc := copy(dst, d.carry[:d.ncarry])
	d.ncarry = 0
	m, err := readFull(d.src, dst[nc:nc+DecodeBlockSize])
	b := dst[:nc+m]
	final := err != nil
	if final {
		d.err = err
	}
	if !d.started {
		d.started = true
		switch {
		case bytes.HasPrefix(b, bomUTF8):
			b = dst[:copy(dst, b[len(bomUTF8):])]
		case bytes.HasPrefix(b, bomUTF16LE):
			d.startUTF16(b[2:], unicode.LittleEndian)
			return nil, true
		case bytes.HasPrefix(b, bomUTF16BE):
			d.startUTF16(b[2:], unicode.BigEndian)
			return nil, true
		}
	}
	if !final {
		t := incompleteTail(b)
		d.ncarry = copy(d.carry[:], b[len(b)-t:])
		b = b[:len(b)-t]
	}
	if utf8.Valid(b) {
		return b, true
	}
	d.conv = decode1252(d.conv[:0], b)
	return d.conv, false
}

// startUTF16 switches the decoder to UTF-16: head is what fill already read
// after the byte order mark, and the rest of the input follows it.
func (d *decoder) startUTF16(head []byte, order unicode.Endianness) {
	var rest io.Reader
	switch d.err {
	case nil:
		rest = io.MultiReader(bytes.NewReader(bytes.Clone(head)), d.src)
	case io.EOF:
		rest = bytes.NewReader(bytes.Clone(head))
	default:
		rest = io.MultiReader(bytes.NewReader(bytes.Clone(head)), errReader{d.err})
	}
	d.err = nil
	dec := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder()
	d.utf16 = transform.NewReader(rest, dec)
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// incompleteTail returns the length of the incomplete UTF-8 sequence at the
// end of b: 0 when b ends with a whole rune or with bytes that can never
// start one.
func incompleteTail(b []byte) int {
	for i := 1; i <= maxCarry && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			need := 0
			switch {
			case c >= 0xF8:
				return 0
			case c >= 0xF0:
				need = 4
			case c >= 0xE0:
				need = 3
			case c >= 0xC0:
				need = 2
			}
			if i < need {
				return i
			}
			return 0
		}
	}
	return 0
}

// decode1252 appends the UTF-8 form of the Windows-1252 text src to dst.
func decode1252(dst, src []byte) []byte {
	if need := 3 * len(src); cap(dst)-len(dst) < need {
		dst = append(make([]byte, 0, len(dst)+need), dst...)
	}
	for _, c := range src {
		if c < utf8.RuneSelf {
			dst = append(dst, c)
		} else {
			dst = append(dst, win1252[c-0x80]...)
		}
	}
	return dst
}

// readFull is io.ReadFull, except that it returns io.EOF whenever it
// reaches the end of the input and errNoProgress rather than spinning on a
// reader that returns neither data nor an error.
func readFull(r io.Reader, p []byte) (int, error) {
	n, empty := 0, 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
		if m > 0 {
			empty = 0
		} else if empty++; empty == maxEmptyReads {
			return n, errNoProgress
		}
	}
	return n, nil
}

// maxEmptyReads is how many reads in a row may return nothing before a reader
// is deemed broken; bufio uses the same figure.
const maxEmptyReads = 100

// errNoProgress is returned when a reader keeps returning no data and no
// error, which would otherwise spin forever.
var errNoProgress = errors.New("reader returned no data and no error repeatedly")
