package pdf

import (
	"errors"
	"io"
	"sort"
	"unicode/utf16"
	"unicode/utf8"
)

// CMaps map character codes to Unicode (a font's /ToUnicode) or say how
// many bytes a code takes (a Type 0 font's /Encoding). They are parsed here
// rather than by the library, whose PostScript interpreter loops forever on
// a hex string cut by the end of the stream (see lex.go).

// Caps on one CMap; beyond them it is not a real font's.
const (
	maxCMapBytes   = 8 << 20 // decompressed
	maxCMapEntries = 1 << 17 // bfchar and bfrange entries together
	maxCMapStack   = 3 * 1024
)

var errCMap = errors.New("malformed CMap")

type codeRange struct {
	lo, hi []byte
}

type bfRange struct {
	n      int // code length in bytes
	lo, hi uint32
	base   []uint16   // string destination: the first code's UTF-16
	arr    [][]uint16 // array destination: one per code
	hasArr bool
}

type cmap struct {
	space  [4][]codeRange // codespace ranges by code length
	chars  map[uint64]string
	ranges []bfRange // sorted by (n, lo)
}

func codeKey(n int, code uint32) uint64 { return uint64(n)<<32 | uint64(code) }

// parseCMap reads a CMap from r. Unknown operators (the PostScript around
// the mappings) are skipped.
func parseCMap(r io.Reader) (*cmap, error) {
	m := &cmap{chars: map[uint64]string{}}
	l := newLexer(r)
	var stack []any
	entries := 0
	for {
		t, err := l.next()
		if err != nil {
			if errors.Is(err, errSyntax) {
				stack = stack[:0]
				continue
			}
			return nil, err
		}
		if t.kind == tEOF {
			break
		}
		if t.kind != tKeyword || isLiteralKeyword(t.data) {
			v, err := l.object(t, false, 0)
			if err != nil {
				if errors.Is(err, errSyntax) {
					stack = stack[:0]
					continue
				}
				return nil, err
			}
			if len(stack) >= maxCMapStack {
				return nil, errCMap
			}
			stack = append(stack, v)
			continue
		}
		switch string(t.data) {
		case "endcodespacerange":
			for i := 0; i+1 < len(stack); i += 2 {
				lo, ok1 := stack[i].(pdfString)
				hi, ok2 := stack[i+1].(pdfString)
				if ok1 && ok2 && len(lo) == len(hi) && len(lo) >= 1 && len(lo) <= 4 {
					m.space[len(lo)-1] = append(m.space[len(lo)-1], codeRange{lo: lo, hi: hi})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(stack); i += 2 {
				src, ok1 := stack[i].(pdfString)
				dst, ok2 := stack[i+1].(pdfString)
				if !ok1 || !ok2 || len(src) < 1 || len(src) > 4 {
					continue
				}
				if entries++; entries > maxCMapEntries {
					return nil, errCMap
				}
				m.chars[codeKey(len(src), beUint(src))] = utf16BE(dst)
			}
		case "endbfrange":
			for i := 0; i+2 < len(stack); i += 3 {
				lo, ok1 := stack[i].(pdfString)
				hi, ok2 := stack[i+1].(pdfString)
				if !ok1 || !ok2 || len(lo) != len(hi) || len(lo) < 1 || len(lo) > 4 {
					continue
				}
				if entries++; entries > maxCMapEntries {
					return nil, errCMap
				}
				r := bfRange{n: len(lo), lo: beUint(lo), hi: beUint(hi)}
				if r.hi < r.lo {
					continue
				}
				switch dst := stack[i+2].(type) {
				case pdfString:
					r.base = utf16Units(dst)
				case pdfArray:
					r.hasArr = true
					for _, d := range dst {
						s, _ := d.(pdfString)
						r.arr = append(r.arr, utf16Units(s))
					}
				default:
					continue
				}
				m.ranges = append(m.ranges, r)
			}
		}
		stack = stack[:0]
	}
	if err := l.readErr(); err != nil {
		return nil, err
	}
	sort.SliceStable(m.ranges, func(i, j int) bool {
		a, b := m.ranges[i], m.ranges[j]
		if a.n != b.n {
			return a.n < b.n
		}
		return a.lo < b.lo
	})
	return m, nil
}

// isLiteralKeyword tells true, false and null, which are operands.
func isLiteralKeyword(b []byte) bool {
	s := string(b)
	return s == "true" || s == "false" || s == "null"
}

func beUint(b []byte) uint32 {
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v
}

func utf16Units(b []byte) []uint16 {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return u
}

// utf16BE decodes a CMap destination (UTF-16BE; a single byte is taken as
// a code point).
func utf16BE(b []byte) string {
	if len(b) == 1 {
		return string(rune(b[0]))
	}
	return string(utf16.Decode(utf16Units(b)))
}

// codeLen returns the length of the code at the start of s by the
// codespace ranges (9.7.6.2: each byte within the range's bytes), or 0 if
// none matches.
func (m *cmap) codeLen(s []byte) int {
	for n := 1; n <= 4 && n <= len(s); n++ {
		for _, r := range m.space[n-1] {
			in := true
			for i := range n {
				if s[i] < r.lo[i] || s[i] > r.hi[i] {
					in = false
					break
				}
			}
			if in {
				return n
			}
		}
	}
	return 0
}

// hasSpace reports whether the CMap declares codespace ranges.
func (m *cmap) hasSpace() bool {
	for _, s := range m.space {
		if len(s) > 0 {
			return true
		}
	}
	return false
}

// lookup maps an n-byte code to its text.
func (m *cmap) lookup(n int, code uint32) (string, bool) {
	if s, ok := m.chars[codeKey(n, code)]; ok {
		return s, true
	}
	// The last range (by start) that starts at or before code; a few
	// more before it in case ranges overlap.
	i := sort.Search(len(m.ranges), func(i int) bool {
		r := m.ranges[i]
		return r.n > n || (r.n == n && r.lo > code)
	})
	for j := i - 1; j >= 0 && j >= i-8; j-- {
		r := &m.ranges[j]
		if r.n != n {
			break
		}
		if code > r.hi {
			continue
		}
		off := code - r.lo
		if r.hasArr {
			if int64(off) < int64(len(r.arr)) {
				return string(utf16.Decode(r.arr[off])), true
			}
			return "", false
		}
		if len(r.base) == 0 {
			return "", false
		}
		u := append([]uint16(nil), r.base...)
		u[len(u)-1] += uint16(off)
		return string(utf16.Decode(u)), true
	}
	return "", false
}

// validText drops what a text layer should not carry into a line: control
// characters and U+FFFD.
func validText(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\t':
			b = append(b, ' ')
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}
