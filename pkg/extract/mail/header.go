package mail

import (
	"bytes"
	"io"
	"mime"
	"sort"
	"strconv"
	"strings"

	"github.com/emersion/go-message/charset"
)

// field is one header field, unfolded: continuation lines are joined with
// their line breaks removed, as RFC 5322 section 2.2.3 says.
type field struct {
	name  string // lower case
	value []byte
}

// header is what the parser keeps of one header block.
type header []field

// get returns the first value of the field called name (lower case).
func (h header) get(name string) string {
	for _, f := range h {
		if f.name == name {
			return string(f.value)
		}
	}
	return ""
}

// fieldName returns the name of the header field line starts, or false if
// line is not one: RFC 5322 names are printable ASCII without ':'. A space
// or tab before the colon is tolerated ("Subject : x"), as MUAs do.
func fieldName(line []byte) ([]byte, bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return nil, false
	}
	name := bytes.TrimRight(line[:i], " \t")
	if len(name) == 0 {
		return nil, false
	}
	for _, c := range name {
		if c <= ' ' || c > '~' {
			return nil, false
		}
	}
	return name, true
}

// wordDecoder decodes RFC 2047 encoded-words in any charset go-message
// knows (which is every charset x/text knows).
var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeText turns a header value into readable UTF-8: encoded-words
// decoded, raw 8-bit bytes taken as UTF-8 or else Windows-1252, runs of
// white space and control characters collapsed to one space.
func decodeText(v string) string {
	v = decodeWords(v)
	var b strings.Builder
	space := false
	for _, r := range v {
		if r <= ' ' || r == 0x7F || (r >= 0x80 && r < 0xA0) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// decodeWords decodes RFC 2047 encoded-words and reads raw 8-bit bytes as
// UTF-8 or else Windows-1252.
func decodeWords(v string) string {
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
	}
	return string(toUTF8([]byte(v), ""))
}

// maxParams bounds the parameters kept from one field; real ones have a
// handful, RFC 2231 continuations a few dozen.
const maxParams = 256

// parseParams splits a structured field value such as
// `text/plain; charset="utf-8"` into its lower-case value and parameters.
// It is lenient where mime.ParseMediaType is strict (which drops every
// parameter on one syntax error, common in real mail): unquoted values may
// hold spaces, a missing closing quote ends the value, the first of
// duplicate names wins. RFC 2231 extended and continued parameters
// (filename*0*, filename*1... with a charset'lang' prefix and %XX bytes)
// are joined and decoded in any charset.
func parseParams(v string) (string, map[string]string) {
	value, rest, _ := strings.Cut(v, ";")
	value = strings.ToLower(strings.TrimSpace(value))
	raw := map[string]string{}
	for rest != "" && len(raw) < maxParams {
		rest = strings.TrimLeft(rest, "; \t")
		i := strings.IndexAny(rest, "=;")
		if i < 0 {
			break
		}
		key := strings.ToLower(strings.TrimSpace(rest[:i]))
		if rest[i] == ';' {
			rest = rest[i:]
			continue
		}
		rest = strings.TrimLeft(rest[i+1:], " \t")
		var val string
		if strings.HasPrefix(rest, `"`) {
			val, rest = quoted(rest[1:])
		} else {
			j := strings.IndexByte(rest, ';')
			if j < 0 {
				j = len(rest)
			}
			val, rest = strings.TrimSpace(rest[:j]), rest[j:]
		}
		if _, dup := raw[key]; !dup && key != "" {
			raw[key] = val
		}
	}
	return value, join2231(raw)
}

// quoted reads a quoted-string whose opening quote is already consumed.
func quoted(s string) (val, rest string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), s[i+1:]
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), ""
}

// join2231 assembles RFC 2231 parameters: name* (extended: charset'lang'
// then %XX bytes) and name*0, name*1... (continued, each section extended
// or not). A decoded value replaces a plain one of the same name.
func join2231(raw map[string]string) map[string]string {
	out := map[string]string{}
	type section struct {
		n   int
		ext bool
		val string
	}
	sections := map[string][]section{}
	for k, v := range raw {
		base, rest, star := strings.Cut(k, "*")
		switch {
		case !star:
			if _, set := out[k]; !set {
				out[k] = v
			}
		case rest == "":
			sections[base] = append(sections[base], section{n: -1, ext: true, val: v})
		default:
			num, ext := strings.CutSuffix(rest, "*")
			n, err := strconv.Atoi(num)
			if err != nil || n < 0 || n >= maxParams {
				continue
			}
			sections[base] = append(sections[base], section{n: n, ext: ext, val: v})
		}
	}
	for base, secs := range sections {
		sort.Slice(secs, func(i, j int) bool { return secs[i].n < secs[j].n })
		var buf []byte
		cs := ""
		for i, s := range secs {
			if s.n != i && s.n != -1 {
				break // a gap ends the value, as RFC 2231 says
			}
			val := s.val
			if s.ext {
				if i == 0 {
					// charset'language'value; the quotes may be missing.
					if parts := strings.SplitN(val, "'", 3); len(parts) == 3 {
						cs, val = parts[0], parts[2]
					}
				}
				buf = append(buf, unpercent(val)...)
			} else {
				buf = append(buf, val...)
			}
			if s.n == -1 {
				break
			}
		}
		out[base] = string(toUTF8(buf, cs))
	}
	return out
}

// unpercent decodes %XX escapes, leaving malformed ones as they are.
func unpercent(s string) []byte {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if h, ok := unhex(s[i+1], s[i+2]); ok {
				b = append(b, h)
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return b
}

func unhex(a, b byte) (byte, bool) {
	x, ok1 := hexVal(a)
	y, ok2 := hexVal(b)
	return x<<4 | y, ok1 && ok2
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// toUTF8 converts text in the named charset to UTF-8. An empty, ASCII or
// UTF-8 label, an unknown one, or a conversion that fails, falls back to
// the bytes themselves when they are valid UTF-8 (mail that declares
// us-ascii often carries UTF-8) and to Windows-1252 otherwise (the usual
// undeclared 8-bit charset), so that text is never lost to a bad label.
func toUTF8(b []byte, cs string) []byte {
	cs = strings.ToLower(strings.Trim(cs, " \t\"'"))
	switch cs {
	case "", "utf-8", "utf8", "us-ascii", "ascii", "unknown-8bit", "x-unknown":
	default:
		if r, err := charset.Reader(cs, bytes.NewReader(b)); err == nil {
			// Decoders emit at most 4 bytes of UTF-8 per input byte.
			out, err := io.ReadAll(io.LimitReader(r, 4*int64(len(b))+16))
			if err == nil {
				return bytes.ToValidUTF8(out, []byte("\uFFFD"))
			}
		}
	}
	return fallbackUTF8(b)
}
