package mail

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// maxBoundary bounds a multipart boundary. RFC 2046 allows 70 characters;
// a longer one is accepted up to this, beyond it the multipart is broken.
const maxBoundary = 256

// errNoBoundary marks a multipart whose boundary never occurs.
var errNoBoundary = fmt.Errorf("%w: multipart body without its boundary", extract.ErrCorrupt)

// displayFields are the header fields copied into a message's text, in
// this order: the ones that name people, then the subject and the date.
var displayFields = []struct{ key, name string }{
	{"from", "From"}, {"to", "To"}, {"cc", "Cc"}, {"bcc", "Bcc"},
	{"reply-to", "Reply-To"}, {"sender", "Sender"}, {"subject", "Subject"}, {"date", "Date"},
}

// attachment is a leaf part found while parsing, yielded after the text.
type attachment struct {
	name       string // unique within the message
	cte        string // Content-Transfer-Encoding
	start, end int64  // raw range of the encoded body in the input
	size       int64  // decoded size
}

// segment is one decoded text body of a message.
type segment struct {
	text []byte
	html bool
}

// parser reads one message from a lineSource, in one pass: it keeps the
// header fields and text bodies (bounded by MaxHeaderBytes and
// MaxTextBytes) and records where each attachment's encoded body lies, to
// be decoded in a second pass over that range only (see Walk).
type parser struct {
	src     *lineSource
	lim     Limits
	bounds  [][]byte // boundaries of the open multiparts, outermost first
	head    []byte   // the rendered display fields
	segs    []segment
	textLen int // len(head) + the segments' text
	atts    []attachment
	names   names
	parts   int // MIME entities seen, the message included
	leaves  int // leaf parts seen, numbering unnamed attachments
	err     error
	alts    []int  // len(segs) when each open alternative began
	scratch []byte // attachment decoding, reused
	raw     []byte // text body decoding, reused: addText copies
}

func newParser(src *lineSource, lim Limits, scratch, raw []byte) *parser {
	return &parser{src: src, lim: lim, names: names{}, scratch: scratch, raw: raw}
}

// term says how a body ended: at the end of the message, or at a boundary
// line of the open multipart at bounds[level].
type term struct {
	end   bool
	level int
	close bool // the boundary was a closing one ("--b--")
}

// message parses the whole current message.
func (p *parser) message() {
	p.entity("text/plain", true)
	p.src.drain()
}

// fail records a problem of the message; the first one is reported.
func (p *parser) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// entity reads one MIME entity: its header, then its body.
func (p *parser) entity(defType string, top bool) term {
	p.parts++
	if p.parts > p.lim.MaxParts {
		p.fail(&LimitError{Limit: LimitParts, Value: int64(p.lim.MaxParts)})
		p.src.drain()
		return term{end: true}
	}
	h, t := p.header(top)
	if top {
		p.renderHead(h)
	}
	if t != nil {
		return *t // a header and no body
	}
	ctype, cparams := parseParams(h.get("content-type"))
	if !strings.Contains(ctype, "/") {
		ctype = defType
	}
	cte := h.get("content-transfer-encoding")
	if strings.HasPrefix(ctype, "multipart/") {
		return p.multipart(ctype, cparams["boundary"], cte)
	}
	p.leaves++
	disp, dparams := parseParams(h.get("content-disposition"))
	filename := dparams["filename"]
	if filename == "" {
		filename = cparams["name"]
	}
	filename = cleanFilename(decodeWords(filename))
	isText := ctype == "text/plain" || ctype == "text/html"
	if isText && disp != "attachment" && filename == "" {
		return p.textBody(cte, cparams["charset"], ctype == "text/html")
	}
	return p.attachment(ctype, cte, filename)
}

// keepField reports whether a header field is needed: the display fields
// of the message and the fields that say how to read a body.
func keepField(name string, top bool) bool {
	switch name {
	case "content-type", "content-disposition", "content-transfer-encoding":
		return true
	}
	if top {
		for _, f := range displayFields {
			if f.key == name {
				return true
			}
		}
	}
	return false
}

// header reads a header block up to the blank line after it. It returns a
// term when the block ended the entity (a boundary, or the end of the
// message) and nil when a body follows. A line that is not a header field
// starts the body, as it does in mail clients (a missing blank line); an
// mbox-style "From " line first in an .eml file is skipped.
func (p *parser) header(top bool) (header, *term) {
	var h header
	var cur *field // the field being read, if kept
	open := false  // a field is being read, kept or not
	used := 0      // header bytes read before this piece
	first := true
	// keep appends what fits of b within MaxHeaderBytes to the field.
	keep := func(b []byte) {
		if room := p.lim.MaxHeaderBytes - used; cur != nil && room > 0 {
			cur.value = append(cur.value, cutUTF8(b, room)...)
		}
	}
	for {
		f := p.src.next()
		if f == nil {
			return h, &term{end: true}
		}
		line := f.content()
		if !f.first {
			keep(line)
		} else if len(line) == 0 {
			return h, nil
		} else if t, ok := p.boundary(line); ok && f.whole {
			return h, &t
		} else if line[0] == ' ' || line[0] == '\t' {
			if !open {
				p.src.unread()
				return h, nil
			}
			keep(line)
		} else if name, ok := fieldName(line); ok {
			first, open, cur = false, true, nil
			lname := strings.ToLower(string(name))
			if keepField(lname, top) && used < p.lim.MaxHeaderBytes {
				h = append(h, field{name: lname})
				cur = &h[len(h)-1]
				keep(bytes.TrimLeft(line[bytes.IndexByte(line, ':')+1:], " \t"))
			}
		} else if first && top && bytes.HasPrefix(line, []byte("From ")) {
			first = false
		} else {
			p.src.unread()
			return h, nil
		}
		used += len(f.b)
		if used > p.lim.MaxHeaderBytes {
			p.fail(&LimitError{Limit: LimitHeader, Value: int64(p.lim.MaxHeaderBytes)})
		}
	}
}

// renderHead writes the display fields as the start of the message text.
func (p *parser) renderHead(h header) {
	var b []byte
	for _, d := range displayFields {
		for _, f := range h {
			if f.name == d.key {
				b = append(b, d.name...)
				b = append(b, ": "...)
				b = append(b, decodeText(string(f.value))...)
				b = append(b, '\n')
			}
		}
	}
	if len(b) > p.lim.MaxTextBytes {
		b = cutUTF8(b, p.lim.MaxTextBytes)
		p.fail(&LimitError{Limit: LimitText, Value: int64(p.lim.MaxTextBytes)})
	}
	p.head = b
	p.textLen = len(b)
}

// boundary reports whether line is a delimiter of an open multipart,
// innermost first: "--" boundary, then "--" for a closing one, then
// optional white space (RFC 2046 section 5.1.1).
func (p *parser) boundary(line []byte) (term, bool) {
	if len(p.bounds) == 0 || len(line) < 3 || line[0] != '-' || line[1] != '-' {
		return term{}, false
	}
	rest := bytes.TrimRight(line[2:], " \t")
	for i := len(p.bounds) - 1; i >= 0; i-- {
		b := p.bounds[i]
		if !bytes.HasPrefix(rest, b) {
			continue
		}
		switch string(rest[len(b):]) {
		case "":
			return term{level: i}, true
		case "--":
			return term{level: i, close: true}, true
		}
	}
	return term{}, false
}

// body reads lines up to the next delimiter of an open multipart or the
// end of the message and hands their content to sink (nil: discard). The
// line break before a delimiter belongs to the delimiter (RFC 2046) and is
// not handed on; at the end of the message it is. start and end are the
// raw range of what was handed on.
func (p *parser) body(sink func([]byte)) (t term, start, end int64) {
	var eol [2]byte
	neol := 0
	start = -1
	for {
		f := p.src.next()
		if f == nil {
			if neol > 0 && sink != nil {
				sink(eol[:neol])
			}
			end += int64(neol)
			break
		}
		if f.whole && len(f.b) > 2 && f.b[0] == '-' {
			if t, ok := p.boundary(f.content()); ok {
				if start < 0 {
					start, end = f.start, f.start
				}
				return t, start, end
			}
		}
		if start < 0 {
			start = f.start
		}
		if neol > 0 && sink != nil {
			sink(eol[:neol])
		}
		n := f.eolLen()
		if sink != nil && len(f.b) > n {
			sink(f.b[:len(f.b)-n])
		}
		neol = copy(eol[:], f.b[len(f.b)-n:])
		end = f.end - int64(neol)
	}
	if start < 0 {
		start, end = 0, 0
	}
	return term{end: true}, start, end
}

// textBody reads a text/plain or text/html body into the message text.
func (p *parser) textBody(cte, cs string, html bool) term {
	if html && p.hasPlain() {
		t, _, _ := p.body(nil) // pickAlternative would drop it
		return t
	}
	dec := newDecoder(cte)
	raw := p.raw[:0]
	defer func() {
		if cap(raw) <= 1<<20 { // a rare huge body's buffer is not kept
			p.raw = raw[:0]
		}
	}()
	cut := false
	t, _, _ := p.body(func(b []byte) {
		if cut {
			return
		}
		raw = dec.decode(raw, b)
		if len(raw) > p.lim.MaxTextBytes {
			raw, cut = cutUTF8(raw, p.lim.MaxTextBytes), true
		}
	})
	if !cut {
		raw = dec.flush(raw)
	}
	p.addText(raw, cs, html, cut)
	return t
}

// addText converts one body to UTF-8 text and appends it to the message
// text, within MaxTextBytes.
func (p *parser) addText(raw []byte, cs string, html, cut bool) {
	text := toUTF8(raw, cs)
	if html {
		text = htmlText(text)
	} else {
		text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
		if len(bytes.TrimSpace(text)) == 0 {
			text = nil
		} else if text[len(text)-1] != '\n' {
			text = append(text, '\n')
		}
	}
	sep := 0 // the blank line text() puts before the body
	if p.textLen > 0 {
		sep = 1
	}
	if room := p.lim.MaxTextBytes - p.textLen - sep; len(text) > room {
		text, cut = cutUTF8(text, room), true
	}
	if cut {
		p.fail(&LimitError{Limit: LimitText, Value: int64(p.lim.MaxTextBytes)})
	}
	if len(text) == 0 {
		return
	}
	p.segs = append(p.segs, segment{text: text, html: html})
	p.textLen += sep + len(text)
}

// attachment measures a leaf part that is yielded as a file of its own.
func (p *parser) attachment(ctype, cte, filename string) term {
	dec := newDecoder(cte)
	var n int64
	t, start, end := p.body(func(b []byte) {
		p.scratch = dec.decode(p.scratch[:0], b)
		n += int64(len(p.scratch))
	})
	p.scratch = dec.flush(p.scratch[:0])
	n += int64(len(p.scratch))
	name := filename
	if name == "" {
		name = "part-" + strconv.Itoa(p.leaves) + extension(ctype)
	}
	if (ctype == "message/rfc822" || ctype == "message/global") && !strings.HasSuffix(strings.ToLower(name), ".eml") {
		name += ".eml"
	}
	p.atts = append(p.atts, attachment{name: p.names.unique(name), cte: cte, start: start, end: end, size: n})
	return t
}

// multipart reads the parts of a multipart body. A missing closing
// delimiter is tolerated: the multipart ends where an enclosing one goes
// on, or with the message, as in mail clients. A multipart whose boundary
// never occurs is reported, and its body (kept in the preamble) becomes
// text, so that its content is still scanned.
func (p *parser) multipart(ctype, boundary, cte string) term {
	if len(p.bounds) >= p.lim.MaxDepth {
		p.fail(&LimitError{Limit: LimitDepth, Value: int64(p.lim.MaxDepth)})
		t, _, _ := p.body(nil)
		return t
	}
	if boundary == "" || len(boundary) > maxBoundary {
		p.fail(errNoBoundary)
		return p.textBody(cte, "", false)
	}
	level := len(p.bounds)
	p.bounds = append(p.bounds, []byte(boundary))
	defer func() { p.bounds = p.bounds[:level] }()
	mark := len(p.segs)

	// The preamble is kept only in case no delimiter follows.
	var pre []byte
	cut := false
	t, _, _ := p.body(func(b []byte) {
		if len(pre)+len(b) > p.lim.MaxTextBytes {
			cut = true
			return
		}
		pre = append(pre, b...)
	})
	if t.end || t.level != level {
		p.fail(errNoBoundary)
		p.addText(pre, "", false, cut)
		return t
	}
	if ctype == "multipart/alternative" {
		p.alts = append(p.alts, mark)
		defer func() { p.alts = p.alts[:len(p.alts)-1] }()
	}
	childType := "text/plain"
	if ctype == "multipart/digest" {
		childType = "message/rfc822"
	}
	for t.level == level && !t.end {
		if t.close {
			p.bounds = p.bounds[:level] // the epilogue is not read
			t, _, _ = p.body(nil)
			break
		}
		t = p.entity(childType, false)
	}
	if ctype == "multipart/alternative" {
		p.pickAlternative(mark)
	}
	return t
}

// hasPlain reports whether the innermost open alternative already has a
// plain-text version.
func (p *parser) hasPlain() bool {
	if len(p.alts) == 0 {
		return false
	}
	for _, s := range p.segs[p.alts[len(p.alts)-1]:] {
		if !s.html {
			return true
		}
	}
	return false
}

// pickAlternative keeps, of the text an alternative produced since mark,
// the plain-text versions when there is one, and the HTML ones otherwise.
func (p *parser) pickAlternative(mark int) {
	plain := false
	for _, s := range p.segs[mark:] {
		plain = plain || !s.html
	}
	if !plain {
		return
	}
	kept := p.segs[:mark]
	for _, s := range p.segs[mark:] {
		if s.html {
			p.textLen -= len(s.text)
			continue
		}
		kept = append(kept, s)
	}
	p.segs = kept
}

// text returns the message text: the display fields, a blank line, and
// the bodies separated by blank lines.
func (p *parser) text() ([][]byte, int64) {
	out := [][]byte{p.head}
	n := int64(len(p.head))
	for i, s := range p.segs {
		if i > 0 || len(p.head) > 0 {
			out = append(out, newline)
			n++
		}
		out = append(out, s.text)
		n += int64(len(s.text))
	}
	return out, n
}

var newline = []byte("\n")

// cutUTF8 shortens b to at most n bytes without splitting a character.
func cutUTF8(b []byte, n int) []byte {
	if n <= 0 {
		return b[:0]
	}
	if len(b) <= n {
		return b
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return b[:n]
}
