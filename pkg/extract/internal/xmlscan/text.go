package xmlscan

import (
	"bytes"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// readText decodes text up to the next '<', or a piece of it of at most
// MaxText bytes, into s.text. Text that needs no decoding is handed out
// as a slice of the window.
func (s *Scanner) readText() error {
	s.textBuf = s.textBuf[:0]
	limit := s.o.MaxText
	for {
		if s.pos == s.end && !s.fill() {
			break // the caller reports the end of the input
		}
		seg := s.buf[s.pos:s.end]
		i := bytes.IndexAny(seg, "<&\r]")
		if i < 0 {
			i = len(seg)
		}
		if room := limit - len(s.textBuf); i > room {
			i = runeCut(seg, room)
			s.textBuf = append(s.textBuf, seg[:i]...)
			s.pos += i
			break
		}
		if len(s.textBuf) == 0 && i < len(seg) && seg[i] == '<' {
			s.pos += i
			s.text = seg[:i]
			return checkText(s.text)
		}
		s.textBuf = append(s.textBuf, seg[:i]...)
		s.pos += i
		if i == len(seg) {
			continue
		}
		if c := s.buf[s.pos]; c == '<' {
			break
		} else if limit-len(s.textBuf) < utf8.UTFMax {
			break // the piece is full; the next starts here
		}
		// Each case below looks a few bytes ahead; near the end of the
		// window it refills first (fill keeps buf[pos:]) and retries.
		avail := s.end - s.pos
		switch s.buf[s.pos] {
		case '&':
			j := bytes.IndexByte(s.buf[s.pos:min(s.end, s.pos+maxEntityLen)], ';')
			if j < 0 {
				if avail < maxEntityLen && s.fill() {
					continue
				}
				if avail < maxEntityLen {
					return s.short()
				}
				return syntaxError("invalid character entity")
			}
			var err error
			if s.textBuf, err = appendEntity(s.textBuf, s.buf[s.pos+1:s.pos+j]); err != nil {
				return err
			}
			s.pos += j + 1
		case '\r':
			if avail < 2 && s.fill() {
				continue
			}
			s.textBuf = append(s.textBuf, '\n')
			s.pos++
			if s.pos < s.end && s.buf[s.pos] == '\n' {
				s.pos++
			}
		case ']':
			if avail < 3 && s.fill() {
				continue
			}
			if bytes.HasPrefix(s.buf[s.pos:s.end], cdataEnd) {
				return syntaxError("]]> in text")
			}
			s.textBuf = append(s.textBuf, ']')
			s.pos++
		}
	}
	s.text = s.textBuf
	return checkText(s.text)
}

// readCDATA reads the next piece of the CDATA section being read into
// s.text, taken literally apart from line ends, and clears inCDATA at
// its end.
func (s *Scanner) readCDATA() error {
	s.textBuf = s.textBuf[:0]
	for {
		seg := s.buf[s.pos:s.end]
		j := bytes.Index(seg, cdataEnd)
		n := j
		if j < 0 {
			// Keep what may start the terminator, and "\r\n" together.
			n = max(len(seg)-(len(cdataEnd)-1), 0)
			if n > 0 && seg[n-1] == '\r' {
				n--
			}
		}
		if room := s.o.MaxText - len(s.textBuf); n > room {
			n = runeCut(seg, room)
			if n > 0 && seg[n-1] == '\r' {
				n--
			}
			s.textBuf = appendNewlines(s.textBuf, seg[:n])
			s.pos += n
			break
		}
		s.textBuf = appendNewlines(s.textBuf, seg[:n])
		s.pos += n
		if j >= 0 {
			s.pos += len(cdataEnd)
			s.inCDATA = false
			break
		}
		if !s.fill() {
			return s.short()
		}
	}
	s.text = s.textBuf
	return checkText(s.text)
}

// runeCut returns n, or less so as not to cut a UTF-8 sequence in b.
func runeCut(b []byte, n int) int {
	for i := n; i >= 0 && i > n-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return n
}

// appendNewlines appends b to dst reading "\r\n" and "\r" as "\n".
func appendNewlines(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		dst = append(dst, '\n')
		b = b[i+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
}

// unescape appends raw to dst with entities replaced and line ends
// normalised.
func unescape(dst, raw []byte) ([]byte, error) {
	for len(raw) > 0 {
		i := bytes.IndexAny(raw, "&\r")
		if i < 0 {
			return append(dst, raw...), nil
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		if raw[0] == '\r' {
			dst = append(dst, '\n')
			raw = raw[1:]
			if len(raw) > 0 && raw[0] == '\n' {
				raw = raw[1:]
			}
			continue
		}
		j := bytes.IndexByte(raw, ';')
		if j < 0 {
			return nil, syntaxError("invalid character entity")
		}
		var err error
		if dst, err = appendEntity(dst, raw[1:j]); err != nil {
			return nil, err
		}
		raw = raw[j+1:]
	}
	return dst, nil
}

// appendEntity appends the character "&" + ent + ";" stands for: one of
// the five predefined entities or a character reference. Nothing else is
// expanded.
func appendEntity(dst, ent []byte) ([]byte, error) {
	if len(ent) > 1 && ent[0] == '#' {
		digits, base := ent[1:], 10
		if digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		if len(digits) == 0 || len(digits) > 16 {
			return nil, syntaxError("invalid character reference")
		}
		n, err := strconv.ParseUint(string(digits), base, 64)
		if err != nil || n > unicode.MaxRune {
			return nil, syntaxError("invalid character reference")
		}
		// As encoding/xml: a surrogate becomes U+FFFD; U+0000 and other
		// non-characters fail the character check later.
		return utf8.AppendRune(dst, rune(n)), nil
	}
	switch string(ent) {
	case "lt":
		return append(dst, '<'), nil
	case "gt":
		return append(dst, '>'), nil
	case "amp":
		return append(dst, '&'), nil
	case "apos":
		return append(dst, '\''), nil
	case "quot":
		return append(dst, '"'), nil
	}
	return nil, syntaxError("unknown entity")
}

func checkText(b []byte) error {
	if !validText(b) {
		return syntaxError("invalid character in text")
	}
	return nil
}

// validText reports whether b is UTF-8 made of XML characters.
func validText(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
			return false
		}
		i += n
	}
	return true
}
