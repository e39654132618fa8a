package office

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// xmlScanner is a small pull tokenizer for document parts. encoding/xml
// would do, but it allocates a token, names and attributes for every
// element and returns a text node whole, however long; a document body is
// hundreds of thousands of tiny elements around the text we want. This
// scanner reads through a window that grows only to hold one tag (up to
// maxTagLen), hands out names as slices of it, parses attributes only when
// asked, resolves namespace prefixes to the few namespaces the readers
// know (nsID), decodes text only when the caller wants it and hands it out
// in pieces of at most maxTextPiece bytes.
//
// It checks what it needs to stay in step: tags close in order, names are
// not empty, entities are the five predefined ones or character
// references (a DOCTYPE is skipped and its entities are never expanded, so
// there is no billion-laughs expansion), nesting stays under maxDepth. It
// does not check what it skips. Errors never quote the document.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	rerr     error
	maxDepth int

	// wantText: decode text and return it as tokText; otherwise text is
	// skipped.
	wantText bool
	// root: an element was seen.
	root bool

	// The current token. local points into buf (start tags) or into
	// open (end tags) and is valid until the next call.
	ns          nsID
	local       []byte
	rawAttrs    []byte
	text        []byte
	selfClosing bool
	pendingEnd  bool

	// open holds the qualified names of the open elements end to end;
	// openAt their offsets, openNS their namespaces and openBinds how
	// many bindings were in force before each was opened.
	open      []byte
	openAt    []int32
	openNS    []nsID
	openBinds []int32
	binds     []binding

	attrBuf []byte
	textBuf []byte

	// The last prefix resolved, valid while cacheOK.
	cachePrefix []byte
	cacheNS     nsID
	cacheOK     bool
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

// binding is a namespace declaration in scope.
type binding struct {
	prefix string
	ns     nsID
}

const (
	// scanWindow is the initial window: a few hundred paragraphs of
	// document XML.
	scanWindow = 64 << 10
	// maxTagLen caps one tag, comment, processing instruction or
	// directive; real ones are well under a kilobyte.
	maxTagLen = 1 << 20
	// maxTextPiece caps one tokText: longer text comes in pieces.
	maxTextPiece = 32 << 10
	// maxEntityLen bounds "&...;" (hex references with leading zeros).
	maxEntityLen = 32
	// maxEmptyReads bounds reads in a row that return nothing.
	maxEmptyReads = 100
	// maxNameLen caps an element name, which the scanner keeps for each
	// open element, and maxBindings the namespace declarations in scope:
	// real documents use a few dozen of each size, and without the caps
	// maxDepth open elements could hold maxDepth tags' worth of names.
	maxNameLen  = 1024
	maxBindings = 1024
)

var (
	errSyntax    = errors.New("malformed XML")
	errTruncated = errors.New("XML ends early")
	errNoRoot    = errors.New("XML has no root element")
)

func syntaxError(what string) error { return fmt.Errorf("%w: %s", errSyntax, what) }

func newXMLScanner(r io.Reader, maxDepth int) *xmlScanner {
	s := &xmlScanner{buf: make([]byte, scanWindow)}
	s.reset(r, maxDepth)
	return s
}

// reset starts reading r, keeping the window.
func (s *xmlScanner) reset(r io.Reader, maxDepth int) {
	s.r, s.pos, s.end, s.eof, s.rerr, s.maxDepth = r, 0, 0, false, nil, maxDepth
	s.wantText, s.pendingEnd, s.root = false, false, false
	s.open, s.openAt, s.openNS, s.openBinds, s.binds = s.open[:0], s.openAt[:0], s.openNS[:0], s.openBinds[:0], s.binds[:0]
	s.cacheOK = false
	s.decodeStart()
}

// depth is the number of open elements.
func (s *xmlScanner) depth() int { return len(s.openAt) }

// fill reads more input after buf[pos:end], moving that to the start of
// the window and growing it when it is full. It reports whether bytes
// were added.
func (s *xmlScanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxTagLen+maxEntityLen {
			return false // callers report the tag as too long
		}
		nb := make([]byte, min(2*len(s.buf), maxTagLen+maxEntityLen))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for empty := 0; ; {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
		if empty++; empty == maxEmptyReads {
			s.eof, s.rerr = true, io.ErrNoProgress
			return false
		}
	}
}

// short is the error for input that ends inside a construct.
func (s *xmlScanner) short() error {
	if s.rerr != nil {
		return s.rerr
	}
	if s.end-s.pos >= maxTagLen {
		return syntaxError("tag too long")
	}
	return errTruncated
}

// decodeStart handles a byte order mark and an XML declaration naming an
// encoding other than UTF-8, which get a transcoder (OOXML and ODF allow
// UTF-16; other encodings are read as encoding/xml's CharsetReader users
// read them).
func (s *xmlScanner) decodeStart() {
	for s.end < 256 && s.fill() {
	}
	head := s.buf[:s.end]
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		s.pos = 3
		return
	case bytes.HasPrefix(head, []byte("\xFF\xFE")), bytes.HasPrefix(head, []byte("\xFE\xFF")):
		s.transcode(unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Reader)
		return
	}
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return
	}
	enc := strings.ToLower(pseudoAttr(string(head[5:end]), "encoding"))
	switch enc {
	case "", "utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii":
		// UTF-16 without a byte order mark cannot have got this far.
		return
	}
	e, err := htmlindex.Get(enc)
	if err != nil {
		return // read as UTF-8: the writer at worst yields mojibake
	}
	s.pos = end + 2
	s.transcode(e.NewDecoder().Reader)
}

// transcode passes the unread input through a decoder.
func (s *xmlScanner) transcode(dec func(io.Reader) io.Reader) {
	rest := io.MultiReader(bytes.NewReader(append([]byte(nil), s.buf[s.pos:s.end]...)), s.r)
	if s.rerr != nil {
		rest = io.MultiReader(rest, errReader{s.rerr})
	}
	s.r = dec(rest)
	s.pos, s.end, s.eof, s.rerr = 0, 0, false, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// pseudoAttr returns the value of name="..." in an XML declaration.
func pseudoAttr(decl, name string) string {
	i := strings.Index(decl, name)
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(decl[i+len(name):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	j := strings.IndexByte(rest[1:], rest[0])
	if j < 0 {
		return ""
	}
	return rest[1 : 1+j]
}

// next reads the next token: a start tag (a self-closing element gives a
// start and then an end), an end tag, a piece of text (only when
// wantText, and only inside the root element), or the end of the input.
func (s *xmlScanner) next() (tokKind, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.endCurrent()
		return tokEnd, nil
	}
	for {
		if s.pos == s.end && !s.fill() {
			if s.rerr != nil {
				return tokEOF, s.rerr
			}
			if len(s.openAt) > 0 {
				return tokEOF, errTruncated
			}
			if !s.root {
				return tokEOF, errNoRoot
			}
			return tokEOF, nil
		}
		if s.buf[s.pos] != '<' {
			if s.wantText && len(s.openAt) > 0 {
				if err := s.readText(); err != nil {
					return tokEOF, err
				}
				if len(s.text) > 0 {
					return tokText, nil
				}
				continue
			}
			s.skipText()
			continue
		}
		for s.end-s.pos < 2 {
			if !s.fill() {
				return tokEOF, s.short()
			}
		}
		switch s.buf[s.pos+1] {
		case '/':
			if err := s.endTag(); err != nil {
				return tokEOF, err
			}
			return tokEnd, nil
		case '?':
			if err := s.skipPast(2, []byte("?>")); err != nil {
				return tokEOF, err
			}
		case '!':
			cdata, err := s.bang()
			if err != nil {
				return tokEOF, err
			}
			if cdata && len(s.text) > 0 {
				return tokText, nil
			}
		default:
			if err := s.startTag(); err != nil {
				return tokEOF, err
			}
			return tokStart, nil
		}
	}
}

// skipText moves to the next '<'.
func (s *xmlScanner) skipText() {
	for {
		if i := bytes.IndexByte(s.buf[s.pos:s.end], '<'); i >= 0 {
			s.pos += i
			return
		}
		s.pos = s.end
		if !s.fill() {
			return
		}
	}
}

// readText decodes text up to the next '<', or maxTextPiece bytes of it,
// into s.text.
func (s *xmlScanner) readText() error {
	s.textBuf = s.textBuf[:0]
	for len(s.textBuf) < maxTextPiece {
		if s.pos == s.end && !s.fill() {
			break
		}
		seg := s.buf[s.pos:s.end]
		i := bytes.IndexAny(seg, "<&")
		if i < 0 {
			i = len(seg)
		}
		i = min(i, maxTextPiece-len(s.textBuf))
		s.textBuf = append(s.textBuf, seg[:i]...)
		s.pos += i
		if s.pos == s.end || len(s.textBuf) >= maxTextPiece {
			continue
		}
		if s.buf[s.pos] == '<' {
			break
		}
		// An entity: make sure it is in the window whole.
		j := bytes.IndexByte(s.buf[s.pos:min(s.end, s.pos+maxEntityLen)], ';')
		if j < 0 {
			if s.end-s.pos < maxEntityLen && s.fill() {
				continue
			}
			if s.end-s.pos < maxEntityLen {
				return s.short()
			}
			return syntaxError("invalid entity")
		}
		var err error
		if s.textBuf, err = appendEntity(s.textBuf, s.buf[s.pos+1:s.pos+j]); err != nil {
			return err
		}
		s.pos += j + 1
	}
	s.text = s.textBuf
	return nil
}

// tagEnd finds the '>' closing the tag at s.pos, outside quotes, filling
// the window as needed.
func (s *xmlScanner) tagEnd() (int, error) {
	i := s.pos + 1
	var q byte
	for {
		for ; i < s.end; i++ {
			c := s.buf[i]
			if q != 0 {
				if c == q {
					q = 0
				}
				continue
			}
			switch c {
			case '"', '\'':
				q = c
			case '>':
				return i, nil
			case '<':
				return 0, syntaxError("'<' in tag")
			}
		}
		off := i - s.pos
		if off > maxTagLen {
			return 0, syntaxError("tag too long")
		}
		if !s.fill() {
			return 0, s.short()
		}
		i = s.pos + off
	}
}

// startTag reads the start tag at s.pos.
func (s *xmlScanner) startTag() error {
	end, err := s.tagEnd()
	if err != nil {
		return err
	}
	tag := s.buf[s.pos+1 : end]
	s.pos = end + 1
	name, colon := readQName(tag)
	if len(name) == 0 || len(name) > maxNameLen {
		return syntaxError("invalid element name")
	}
	rest := tag[len(name):]
	s.selfClosing = len(rest) > 0 && rest[len(rest)-1] == '/'
	if s.selfClosing {
		rest = rest[:len(rest)-1]
	}
	if len(rest) > 0 && !isSpace(rest[0]) {
		return syntaxError("invalid element name")
	}
	if len(s.openAt) >= s.maxDepth {
		return syntaxError("elements nested too deep")
	}
	s.rawAttrs = rest
	s.openBinds = append(s.openBinds, int32(len(s.binds)))
	if len(rest) > 6 && bytes.Contains(rest, []byte("xmlns")) {
		if err := s.declare(); err != nil {
			return err
		}
	}
	var prefix []byte
	s.local = name
	if colon >= 0 {
		prefix, s.local = name[:colon], name[colon+1:]
	}
	s.ns = s.resolve(prefix)
	s.openAt = append(s.openAt, int32(len(s.open)))
	s.open = append(s.open, name...)
	s.openNS = append(s.openNS, s.ns)
	s.pendingEnd = s.selfClosing
	s.root = true
	return nil
}

// declare records the namespace declarations among the current
// attributes.
func (s *xmlScanner) declare() error {
	return s.eachAttr(func(name, raw []byte) (bool, error) {
		var prefix string
		switch {
		case string(name) == "xmlns":
		case bytes.HasPrefix(name, []byte("xmlns:")):
			prefix = string(name[6:])
		default:
			return true, nil
		}
		if len(s.binds) >= maxBindings || len(prefix) > maxNameLen {
			return false, syntaxError("too many namespace declarations")
		}
		v, err := s.attrValue(raw)
		if err != nil {
			return false, err
		}
		s.binds = append(s.binds, binding{prefix: prefix, ns: namespaceOf(v)})
		s.cacheOK = false
		return true, nil
	})
}

// resolve returns the namespace bound to prefix. The last answer is
// kept while the bindings stay the same: a part uses one or two
// prefixes for nearly all its elements.
func (s *xmlScanner) resolve(prefix []byte) nsID {
	if s.cacheOK && bytes.Equal(prefix, s.cachePrefix) {
		return s.cacheNS
	}
	ns := s.lookup(prefix)
	s.cachePrefix, s.cacheNS, s.cacheOK = append(s.cachePrefix[:0], prefix...), ns, true
	return ns
}

func (s *xmlScanner) lookup(prefix []byte) nsID {
	for i := len(s.binds) - 1; i >= 0; i-- {
		if s.binds[i].prefix == string(prefix) {
			return s.binds[i].ns
		}
	}
	if len(prefix) == 0 {
		return nsNone
	}
	return nsOther // undeclared prefix: read on, recognise nothing
}

// endTag reads the end tag at s.pos, which must close the innermost open
// element.
func (s *xmlScanner) endTag() error {
	end, err := s.tagEnd()
	if err != nil {
		return err
	}
	tag := s.buf[s.pos+2 : end]
	s.pos = end + 1
	name := readName(tag)
	if len(trimSpaceLeft(tag[len(name):])) != 0 || len(name) == 0 {
		return syntaxError("invalid end tag")
	}
	n := len(s.openAt)
	if n == 0 {
		return syntaxError("end tag without start tag")
	}
	if !bytes.Equal(s.open[s.openAt[n-1]:], name) {
		return syntaxError("end tag does not match start tag")
	}
	s.endCurrent()
	return nil
}

// endCurrent makes the innermost open element the current end token and
// closes it.
func (s *xmlScanner) endCurrent() {
	n := len(s.openAt)
	at := s.openAt[n-1]
	_, s.local = splitName(s.open[at:])
	s.ns, s.rawAttrs, s.selfClosing = s.openNS[n-1], nil, false
	if b := int(s.openBinds[n-1]); b != len(s.binds) {
		s.binds, s.cacheOK = s.binds[:b], false
	}
	// local stays valid: open is only appended to by the next start tag.
	s.open, s.openAt, s.openNS, s.openBinds = s.open[:at], s.openAt[:n-1], s.openNS[:n-1], s.openBinds[:n-1]
}

// skipPast moves past the next occurrence of end, skip bytes after s.pos.
func (s *xmlScanner) skipPast(skip int, end []byte) error {
	s.pos += skip
	for {
		if j := bytes.Index(s.buf[s.pos:s.end], end); j >= 0 {
			s.pos += j + len(end)
			return nil
		}
		// Consume all but the bytes that may start the terminator.
		s.pos = max(s.end-(len(end)-1), s.pos)
		if !s.fill() {
			return s.short()
		}
	}
}

// bang handles "<!": a comment, a CDATA section (whose text becomes
// s.text when wanted) or a directive such as DOCTYPE, skipped with its
// internal subset. It reports whether it read a CDATA section.
func (s *xmlScanner) bang() (bool, error) {
	for s.end-s.pos < 9 && s.fill() {
	}
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		return false, s.skipPast(4, []byte("-->"))
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		return true, s.cdata()
	case len(rest) < 9:
		return false, s.short()
	}
	// A directive: skip to the '>' that closes it, outside quotes and
	// the brackets of an internal subset.
	s.pos += 2
	var q byte
	depth := 0
	for {
		if s.pos == s.end && !s.fill() {
			return false, s.short()
		}
		c := s.buf[s.pos]
		s.pos++
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			return false, nil
		}
	}
}

// cdata reads a CDATA section; its text is kept only when wanted inside
// an element. A section longer than maxTextPiece is cut: it is data, and
// real documents never hold long ones.
func (s *xmlScanner) cdata() error {
	s.pos += 9
	s.textBuf = s.textBuf[:0]
	keep := s.wantText && len(s.openAt) > 0
	for {
		seg := s.buf[s.pos:s.end]
		if j := bytes.Index(seg, []byte("]]>")); j >= 0 {
			if keep {
				s.textBuf = append(s.textBuf, seg[:min(j, maxTextPiece-len(s.textBuf))]...)
			}
			s.pos += j + 3
			s.text = s.textBuf
			return nil
		}
		n := max(len(seg)-2, 0)
		if keep {
			s.textBuf = append(s.textBuf, seg[:min(n, maxTextPiece-len(s.textBuf))]...)
		}
		s.pos += n
		if !s.fill() {
			return s.short()
		}
	}
}

// eachAttr calls f with the name and raw value of each attribute of the
// current start tag until f returns false.
func (s *xmlScanner) eachAttr(f func(name, raw []byte) (bool, error)) error {
	rest := s.rawAttrs
	for {
		rest = trimSpaceLeft(rest)
		if len(rest) == 0 {
			return nil
		}
		name := readName(rest)
		if len(name) == 0 {
			return syntaxError("invalid attribute name")
		}
		rest = trimSpaceLeft(rest[len(name):])
		if len(rest) == 0 || rest[0] != '=' {
			return syntaxError("attribute without value")
		}
		rest = trimSpaceLeft(rest[1:])
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return syntaxError("unquoted attribute value")
		}
		j := bytes.IndexByte(rest[1:], rest[0])
		if j < 0 {
			return syntaxError("unterminated attribute value")
		}
		raw := rest[1 : 1+j]
		rest = rest[2+j:]
		if more, err := f(name, raw); err != nil || !more {
			return err
		}
	}
}

// attr returns the value of the current start tag's attribute ns:local
// (nsNone: an unprefixed attribute). The value is valid until the next
// call to attr or next.
func (s *xmlScanner) attr(ns nsID, local string) ([]byte, bool, error) {
	var val []byte
	found := false
	err := s.eachAttr(func(name, raw []byte) (bool, error) {
		prefix, l := splitName(name)
		if string(l) != local {
			return true, nil
		}
		if len(prefix) == 0 {
			if ns != nsNone {
				return true, nil
			}
		} else if string(prefix) == "xmlns" || s.resolve(prefix) != ns {
			return true, nil
		}
		v, err := s.attrValue(raw)
		if err != nil {
			return false, err
		}
		val, found = v, true
		return false, nil
	})
	return val, found, err
}

// attrValue unescapes an attribute value.
func (s *xmlScanner) attrValue(raw []byte) ([]byte, error) {
	if bytes.IndexByte(raw, '&') < 0 {
		return raw, nil
	}
	s.attrBuf = s.attrBuf[:0]
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			s.attrBuf = append(s.attrBuf, raw...)
			break
		}
		s.attrBuf = append(s.attrBuf, raw[:i]...)
		j := bytes.IndexByte(raw[i:], ';')
		if j < 0 {
			return nil, syntaxError("invalid entity")
		}
		var err error
		if s.attrBuf, err = appendEntity(s.attrBuf, raw[i+1:i+j]); err != nil {
			return nil, err
		}
		raw = raw[i+j+1:]
	}
	return s.attrBuf, nil
}

// skip skips the rest of the element whose start tag was just read, its
// end tag included.
func (s *xmlScanner) skip() error {
	want := s.wantText
	s.wantText = false
	defer func() { s.wantText = want }()
	d := len(s.openAt)
	for {
		k, err := s.next()
		if err != nil {
			return err
		}
		if k == tokEnd && len(s.openAt) < d {
			return nil
		}
	}
}

// appendEntity appends the character "&" + ent + ";" stands for.
func appendEntity(dst, ent []byte) ([]byte, error) {
	if len(ent) > 1 && ent[0] == '#' {
		digits, base := ent[1:], 10
		if digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		if len(digits) == 0 || len(digits) > 16 {
			return nil, syntaxError("invalid character reference")
		}
		n, err := strconv.ParseUint(string(digits), base, 32)
		if err != nil || n > utf8.MaxRune {
			return nil, syntaxError("invalid character reference")
		}
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

// readName returns the name at the start of b: the bytes up to a space,
// '/', '=' or '>'.
func readName(b []byte) []byte {
	for i, c := range b {
		if isSpace(c) || c == '/' || c == '=' || c == '>' || c == '"' || c == '\'' {
			return b[:i]
		}
	}
	return b
}

// readQName is readName that also returns the index of the name's first
// colon, or -1.
func readQName(b []byte) ([]byte, int) {
	colon := -1
	for i, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r', '/', '=', '>', '"', '\'':
			return b[:i], colon
		case ':':
			if colon < 0 {
				colon = i
			}
		}
	}
	return b, colon
}

// splitName splits a qualified name at its colon.
func splitName(name []byte) (prefix, local []byte) {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return nil, name
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimSpaceLeft(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}
