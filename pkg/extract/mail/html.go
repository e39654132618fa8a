package mail

import (
	"bytes"
	"html"
	"strings"
)

// Tags that break lines, as a browser lays them out: paragraph-like
// blocks are set apart by a blank line, other blocks (rows, list items,
// divisions) start a line of their own. Table cells are separated by a
// tab instead, so that a row stays one line.
var (
	paragraphTags = map[string]bool{
		"blockquote": true, "dl": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
		"h6": true, "hr": true, "ol": true, "p": true, "table": true, "title": true, "ul": true,
	}
	lineTags = map[string]bool{
		"address": true, "article": true, "aside": true, "caption": true, "dd": true, "div": true,
		"dt": true, "footer": true, "form": true, "header": true, "li": true, "main": true,
		"nav": true, "section": true, "tbody": true, "tfoot": true, "thead": true, "tr": true,
	}
)

// htmlText turns an HTML body into plain text for the detectors: tags,
// comments and the contents of script and style removed, entities
// decoded, white space collapsed outside <pre>, and a line break wherever
// a block ends, so that table rows and paragraphs stay on lines of their
// own. A mailto: or tel: link whose text does not show its address gets
// the address appended, since the address is the personal data. It is a
// single pass over src without backtracking, so it costs linear time on
// any input; malformed markup is read as text up to the next '>'.
func htmlText(src []byte) []byte {
	c := htmlConv{out: make([]byte, 0, len(src)/2)}
	for len(src) > 0 {
		i := bytes.IndexByte(src, '<')
		if i < 0 {
			c.text(src)
			break
		}
		c.text(src[:i])
		src = c.tag(src[i:])
	}
	return c.finish()
}

type htmlConv struct {
	out    []byte
	pre    int    // depth of open <pre> elements
	space  bool   // white space is pending
	link   string // address of the open mailto:/tel: link
	linkAt int    // len(out) when that link opened
}

// text adds character data.
func (c *htmlConv) text(b []byte) {
	if len(b) == 0 {
		return
	}
	s := string(b)
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	for _, r := range s {
		if r == '\u00A0' {
			r = ' '
		}
		if c.pre == 0 && (r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f') {
			c.space = true
			continue
		}
		if c.space {
			c.space = false
			if n := len(c.out); n > 0 && c.out[n-1] != '\n' && c.out[n-1] != '\t' {
				c.out = append(c.out, ' ')
			}
		}
		c.out = append(c.out, string(r)...)
	}
}

// breakLine ends the current line (br: always, giving empty lines for
// repeated breaks) and, for want == 2, leaves a blank line after it. Never
// more than one blank line in a row.
func (c *htmlConv) breakLine(want int, force bool) {
	c.space = false
	c.out = bytes.TrimRight(c.out, " \t")
	n := len(c.out)
	if n == 0 {
		return
	}
	have := 0
	for have < 2 && have < n && c.out[n-1-have] == '\n' {
		have++
	}
	if force && have < 2 {
		c.out = append(c.out, '\n')
		return
	}
	for ; have < want; have++ {
		c.out = append(c.out, '\n')
	}
}

// tag consumes the markup src starts with and returns the rest.
func (c *htmlConv) tag(src []byte) []byte {
	switch {
	case bytes.HasPrefix(src, []byte("<!--")):
		return skipPast(src[4:], "-->")
	case len(src) > 1 && (src[1] == '!' || src[1] == '?'):
		return skipPast(src, ">")
	}
	closing := len(src) > 1 && src[1] == '/'
	j := 1
	if closing {
		j = 2
	}
	k := j
	if k < len(src) && isLetter(src[k]) {
		for k < len(src) && isTagChar(src[k]) {
			k++
		}
	}
	if k == j {
		// "<" not followed by a tag name is text ("a < b").
		c.text(src[:1])
		return src[1:]
	}
	name := strings.ToLower(string(src[j:k]))
	end := tagEnd(src[k:])
	attrs := src[k : k+end]
	rest := src[k+end:]
	if len(rest) > 0 {
		rest = rest[1:] // the '>'
	}
	switch {
	case !closing && (name == "script" || name == "style"):
		return skipPastFold(rest, "</"+name)
	case name == "br":
		c.breakLine(1, true)
	case name == "pre":
		c.breakLine(2, false)
		if closing && c.pre > 0 {
			c.pre--
		} else if !closing {
			c.pre++
		}
	case name == "td" || name == "th":
		if !closing && len(c.out) > 0 && c.out[len(c.out)-1] != '\n' {
			c.space = false
			c.out = append(bytes.TrimRight(c.out, " "), '\t')
		}
	case name == "a":
		c.anchor(closing, attrs)
	case paragraphTags[name]:
		c.breakLine(2, false)
	case lineTags[name]:
		c.breakLine(1, false)
	}
	return rest
}

// anchor tracks mailto: and tel: links.
func (c *htmlConv) anchor(closing bool, attrs []byte) {
	if closing {
		if c.link != "" && c.linkAt <= len(c.out) && !bytes.Contains(c.out[c.linkAt:], []byte(c.link)) {
			c.text([]byte(" <"))
			c.out = append(c.out, c.link...)
			c.out = append(c.out, '>')
		}
		c.link = ""
		return
	}
	href := html.UnescapeString(attr(attrs, "href"))
	for _, scheme := range []string{"mailto:", "tel:"} {
		if len(href) > len(scheme) && strings.EqualFold(href[:len(scheme)], scheme) {
			addr, _, _ := strings.Cut(href[len(scheme):], "?")
			c.link, c.linkAt = strings.TrimSpace(addr), len(c.out)
			return
		}
	}
	c.link = ""
}

func (c *htmlConv) finish() []byte {
	out := bytes.TrimSpace(c.out)
	if len(out) > 0 {
		out = append(out, '\n')
	}
	return out
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func isTagChar(b byte) bool { return isLetter(b) || b >= '0' && b <= '9' || b == '-' || b == ':' }

// tagEnd returns the index of the '>' that ends a tag's attributes,
// skipping quoted values, or len(b) when there is none.
func tagEnd(b []byte) int {
	var quote byte
	for i, c := range b {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
	return len(b)
}

// attr returns the value of the attribute called name in a tag's
// attribute text, or "".
func attr(attrs []byte, name string) string {
	s := string(attrs)
	for s != "" {
		s = strings.TrimLeft(s, " \t\r\n/")
		i := 0
		for i < len(s) && s[i] != '=' && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' && s[i] != '>' {
			i++
		}
		key := s[:i]
		s = strings.TrimLeft(s[i:], " \t\r\n")
		if !strings.HasPrefix(s, "=") {
			if i == 0 {
				return ""
			}
			continue
		}
		s = strings.TrimLeft(s[1:], " \t\r\n")
		var val string
		if s != "" && (s[0] == '"' || s[0] == '\'') {
			q := s[0]
			j := strings.IndexByte(s[1:], q)
			if j < 0 {
				val, s = s[1:], ""
			} else {
				val, s = s[1:1+j], s[2+j:]
			}
		} else {
			j := strings.IndexAny(s, " \t\r\n")
			if j < 0 {
				j = len(s)
			}
			val, s = s[:j], s[j:]
		}
		if strings.EqualFold(key, name) {
			return val
		}
	}
	return ""
}

// skipPast returns what follows the first end in b, or nothing.
func skipPast(b []byte, end string) []byte {
	if i := bytes.Index(b, []byte(end)); i >= 0 {
		return b[i+len(end):]
	}
	return nil
}

// skipPastFold skips to the first end (ASCII, any case) and then past the
// next '>'.
func skipPastFold(b []byte, end string) []byte {
	for i := 0; i+len(end) <= len(b); i++ {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return nil
		}
		i += j
		if i+len(end) <= len(b) && bytes.EqualFold(b[i:i+len(end)], []byte(end)) {
			return skipPast(b[i:], ">")
		}
	}
	return nil
}
