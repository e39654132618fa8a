package xmlscan

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimSpaceLeft(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// isNameByte reports whether c may appear in a name; bytes of multi-byte
// UTF-8 sequences are checked as runes by checkName.
func isNameByte(c byte) bool {
	return c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// readName returns the name at the start of b.
func readName(b []byte) []byte {
	i := 0
	for i < len(b) && isNameByte(b[i]) {
		i++
	}
	return b[:i]
}

// checkName applies encoding/xml's name rules: a name starts with a
// letter, '_' or ':' and continues with letters, digits and "_:.-", and
// holds at most one colon.
func checkName(name []byte) bool {
	if len(name) == 0 {
		return false
	}
	colons := 0
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ':':
				colons++
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_':
			case '0' <= c && c <= '9' || c == '.' || c == '-':
				if i == 0 {
					return false
				}
			default:
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(name[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		if !unicode.Is(first, r) && (i == 0 || !unicode.Is(second, r)) {
			return false
		}
		i += n
	}
	return colons <= 1
}

// localName is the part of name after its colon, as encoding/xml splits
// it: "x:c" is c, but ":c" and "c:" stay whole.
func localName(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i > 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return name
}

// prefixOf is the prefix of name, whose local part is local, or nil.
func prefixOf(name, local []byte) []byte {
	if len(local) == len(name) {
		return nil
	}
	return name[:len(name)-len(local)-1]
}

// first and second are the rune classes encoding/xml accepts in names
// beyond ASCII (a close approximation of its tables).
var (
	first = &unicode.RangeTable{R16: []unicode.Range16{
		{0x00C0, 0x00D6, 1}, {0x00D8, 0x00F6, 1}, {0x00F8, 0x02FF, 1}, {0x0370, 0x037D, 1},
		{0x037F, 0x1FFF, 1}, {0x200C, 0x200D, 1}, {0x2070, 0x218F, 1}, {0x2C00, 0x2FEF, 1},
		{0x3001, 0xD7FF, 1}, {0xF900, 0xFDCF, 1}, {0xFDF0, 0xFFFD, 1},
	}, R32: []unicode.Range32{{0x10000, 0xEFFFF, 1}}}
	second = &unicode.RangeTable{R16: []unicode.Range16{
		{0x00B7, 0x00B7, 1}, {0x0300, 0x036F, 1}, {0x203F, 0x2040, 1},
	}}
)
