package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// xmlScanner is a small pull tokenizer for the parts of a workbook read in
// bulk (worksheets, the shared-string table). encoding/xml allocates a
// token, a name and an attribute slice for every element and copies every
// piece of text, which is most of what excelize's row iterator costs; a
// worksheet is millions of tiny elements. This scanner reads through a
// fixed window that only grows to hold one oversized tag (up to
// maxTagLen), hands out names and attribute values as slices of that
// window, parses attributes only when asked, and decodes text only when
// the caller collects it.
//
// It follows encoding/xml wherever the two could disagree on well-formed
// input: names split at their one colon into prefix and local name,
// attribute values and text unescaped the same way (the five predefined
// entities, decimal and hex character references, "\r\n" and "\r" read as
// "\n"), CDATA sections as text, comments, processing instructions and
// directives skipped by the same rules, a declared non-UTF-8 encoding
// transcoded. It checks element names, that end tags match start tags, and
// that the attributes and text it decodes are valid UTF-8 made of XML
// characters; it does not check attributes and text it skips, so it reads
// some documents encoding/xml rejects. Errors carry no document content.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool  // r has no more bytes
	rerr     error // r's error, other than io.EOF

	// The current tag, set by next. name, local and the attribute slices
	// point into buf (or attrBuf) and stay valid until the next call.
	name, local []byte
	selfClosing bool
	rawAttrs    []byte
	attrsRead   bool
	attrs       []xmlAttr
	attrBuf     []byte

	// open holds the names of the open elements, end to end; openAt
	// their offsets.
	open   []byte
	openAt []int

	// maxText caps the text one collecting call may gather.
	maxText int
}

type xmlAttr struct {
	name, local, value []byte
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
)

const (
	// scanWindow is the scanner's initial window: a few hundred cells
	// of worksheet XML.
	scanWindow = 64 << 10
	// maxTagLen caps one tag, comment or processing instruction; real
	// ones are well under a kilobyte. The window grows to hold a long
	// tag whole, so this is also the most the window ever takes.
	maxTagLen = 1 << 20
	// maxDepth caps element nesting: a worksheet nests seven deep.
	maxDepth = 256
)

var (
	errSyntax    = errors.New("malformed XML")
	errTruncated = errors.New("XML ends early")
)

// syntaxError describes a problem without quoting the document, which is
// the data we audit.
func syntaxError(what string) error { return fmt.Errorf("%w: %s", errSyntax, what) }

func newXMLScanner(r io.Reader, maxText int) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, scanWindow), maxText: maxText}
}

// reset points s at a new input, keeping its buffers.
func (s *xmlScanner) reset(r io.Reader) {
	s.r, s.pos, s.end, s.eof, s.rerr = r, 0, 0, false, nil
	s.open, s.openAt = s.open[:0], s.openAt[:0]
}

// fill reads more input, keeping buf[pos:end] (moved to the front). It
// reports whether it read anything.
func (s *xmlScanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		copy(s.buf, s.buf[s.pos:s.end])
		s.end -= s.pos
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxTagLen {
			return false
		}
		nb := make([]byte, min(2*len(s.buf), maxTagLen))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range 100 {
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
	}
	s.eof, s.rerr = true, io.ErrNoProgress
	return false
}

// short is the error for input that stopped where more was needed.
func (s *xmlScanner) short() error {
	if s.rerr != nil {
		return s.rerr
	}
	if s.end-s.pos >= maxTagLen {
		return syntaxError(fmt.Sprintf("markup longer than %d bytes", maxTagLen))
	}
	return errTruncated
}

// next advances to the next start or end tag. Text before it is appended
// to *text, unescaped, when text is not nil, and skipped otherwise;
// comments and processing instructions are skipped. At the end of the
// input it returns tokEOF, or an error if elements are still open.
func (s *xmlScanner) next(text *[]byte) (tokKind, error) {
	for {
		// Text up to the next '<'.
		if text == nil {
			for {
				if i := bytes.IndexByte(s.buf[s.pos:s.end], '<'); i >= 0 {
					s.pos += i
					break
				}
				s.pos = s.end
				if !s.fill() {
					return s.atEOF()
				}
			}
		} else if err := s.text(text); err != nil {
			if err == io.EOF {
				return s.atEOF()
			}
			return 0, err
		}
		// s.buf[s.pos] == '<'
		if s.end-s.pos < 2 && !s.fill() {
			return 0, s.short()
		}
		switch s.buf[s.pos+1] {
		case '/':
			return tokEnd, s.endTag()
		case '?':
			if err := s.procInst(); err != nil {
				return 0, err
			}
		case '!':
			if err := s.bang(text); err != nil {
				return 0, err
			}
		default:
			return tokStart, s.startTag()
		}
	}
}

func (s *xmlScanner) atEOF() (tokKind, error) {
	if s.rerr != nil {
		return 0, s.rerr
	}
	if len(s.openAt) > 0 {
		return 0, errTruncated
	}
	return tokEOF, nil
}

// tagEnd returns the index in buf of the '>' closing the markup that
// starts at s.pos, reading more input as needed. Quoted attribute values
// may hold '>'.
func (s *xmlScanner) tagEnd() (int, error) {
	i := s.pos + 1
	var quote byte
	for {
		for ; i < s.end; i++ {
			c := s.buf[i]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			switch c {
			case '"', '\'':
				quote = c
			case '>':
				return i, nil
			}
		}
		off := i - s.pos
		if !s.fill() {
			return 0, s.short()
		}
		i = s.pos + off
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isNameByte reports whether c may appear in a name; bytes of multi-byte
// UTF-8 sequences are checked as runes by checkName.
func isNameByte(c byte) bool {
	return c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// readName returns the name at b[0:] and its length.
func readName(b []byte) []byte {
	i := 0
	for i < len(b) && isNameByte(b[i]) {
		i++
	}
	return b[:i]
}

// checkName applies encoding/xml's name rules: a name starts with a letter,
// '_' or ':' and continues with letters, digits and "_:.-", and holds at
// most one colon.
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

// startTag parses the start tag at s.pos: name, attributes and whether it
// closes itself.
func (s *xmlScanner) startTag() error {
	end, err := s.tagEnd()
	if err != nil {
		return err
	}
	tag := s.buf[s.pos+1 : end]
	s.pos = end + 1
	s.name = readName(tag)
	if !checkName(s.name) {
		return syntaxError("invalid element name")
	}
	s.local = localName(s.name)
	rest := tag[len(s.name):]
	s.selfClosing = len(rest) > 0 && rest[len(rest)-1] == '/'
	if s.selfClosing {
		rest = rest[:len(rest)-1]
	}
	if len(rest) > 0 && !isSpace(rest[0]) {
		return syntaxError("invalid element name")
	}
	// Attributes are parsed when asked for (attributes): most elements'
	// are never read.
	s.rawAttrs, s.attrsRead = rest, false
	if !s.selfClosing {
		if len(s.openAt) >= maxDepth {
			return syntaxError("elements nested too deep")
		}
		s.openAt = append(s.openAt, len(s.open))
		s.open = append(s.open, s.name...)
	}
	return nil
}

// attributes parses the attributes of the start tag next just read, as
// encoding/xml does; they are valid until next is called again.
func (s *xmlScanner) attributes() ([]xmlAttr, error) {
	if s.attrsRead {
		return s.attrs, nil
	}
	s.attrsRead = true
	s.attrs, s.attrBuf = s.attrs[:0], s.attrBuf[:0]
	rest := s.rawAttrs
	for {
		rest = trimSpaceLeft(rest)
		if len(rest) == 0 {
			return s.attrs, nil
		}
		name := readName(rest)
		if !checkName(name) {
			return nil, syntaxError("invalid attribute name")
		}
		rest = trimSpaceLeft(rest[len(name):])
		if len(rest) == 0 || rest[0] != '=' {
			return nil, syntaxError("attribute without value")
		}
		rest = trimSpaceLeft(rest[1:])
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil, syntaxError("unquoted attribute value")
		}
		q := rest[0]
		j := bytes.IndexByte(rest[1:], q)
		if j < 0 {
			return nil, syntaxError("unterminated attribute value")
		}
		raw := rest[1 : 1+j]
		rest = rest[2+j:]
		value, err := s.attrValue(raw)
		if err != nil {
			return nil, err
		}
		s.attrs = append(s.attrs, xmlAttr{name: name, local: localName(name), value: value})
	}
}

func trimSpaceLeft(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// attrValue unescapes an attribute value; most need nothing done and are
// returned as they are.
func (s *xmlScanner) attrValue(raw []byte) ([]byte, error) {
	if bytes.IndexByte(raw, '<') >= 0 {
		return nil, syntaxError("unescaped < in attribute value")
	}
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		if !validText(raw) {
			return nil, syntaxError("invalid character in attribute value")
		}
		return raw, nil
	}
	start := len(s.attrBuf)
	var err error
	if s.attrBuf, err = unescape(s.attrBuf, raw); err != nil {
		return nil, err
	}
	v := s.attrBuf[start:]
	if !validText(v) {
		return nil, syntaxError("invalid character in attribute value")
	}
	return v, nil
}

// endTag parses the end tag at s.pos and checks it closes the innermost
// open element.
func (s *xmlScanner) endTag() error {
	end, err := s.tagEnd()
	if err != nil {
		return err
	}
	tag := s.buf[s.pos+2 : end]
	s.pos = end + 1
	s.name = readName(tag)
	if len(trimSpaceLeft(tag[len(s.name):])) != 0 || !checkName(s.name) {
		return syntaxError("invalid end tag")
	}
	s.local = localName(s.name)
	s.selfClosing = false
	n := len(s.openAt)
	if n == 0 {
		return syntaxError("end tag without start tag")
	}
	at := s.openAt[n-1]
	if !bytes.Equal(s.open[at:], s.name) {
		return syntaxError("end tag does not match start tag")
	}
	s.open, s.openAt = s.open[:at], s.openAt[:n-1]
	return nil
}

// procInst skips a processing instruction. An XML declaration that names
// an encoding other than UTF-8 switches the input to a transcoder, as
// encoding/xml does with excelize's CharsetReader.
func (s *xmlScanner) procInst() error {
	s.pos += 2
	for s.end-s.pos < 4 && s.fill() {
	}
	rest := s.buf[s.pos:s.end]
	if !bytes.HasPrefix(rest, []byte("xml")) || len(rest) > 3 && isNameByte(rest[3]) {
		return s.skipPast([]byte("?>"), nil)
	}
	// The declaration is read whole; it is a few dozen bytes.
	for {
		if j := bytes.Index(s.buf[s.pos:s.end], []byte("?>")); j >= 0 {
			body := s.buf[s.pos : s.pos+j]
			s.pos += j + 2
			return s.declaration(body)
		}
		if !s.fill() {
			return s.short()
		}
	}
}

func (s *xmlScanner) declaration(body []byte) error {
	target := readName(body)
	if string(target) != "xml" {
		return nil
	}
	content := string(body[len(target):])
	if v := procInst("version", content); v != "" && v != "1.0" {
		return syntaxError("unsupported XML version")
	}
	enc := procInst("encoding", content)
	if enc == "" || strings.EqualFold(enc, "utf-8") {
		return nil
	}
	e, err := htmlindex.Get(enc)
	if err != nil {
		return syntaxError("unsupported encoding")
	}
	if s.rerr != nil {
		return s.rerr
	}
	// The bytes after the declaration, buffered or not, go through the
	// transcoder; the input may have reported its end already.
	rest := io.MultiReader(bytes.NewReader(append([]byte(nil), s.buf[s.pos:s.end]...)), s.r)
	s.r = e.NewDecoder().Reader(rest)
	s.pos, s.end, s.eof = 0, 0, false
	return nil
}

// procInst returns the value of pseudo-attribute param in s, read the way
// encoding/xml reads the XML declaration.
func procInst(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// bang handles "<!": a comment or a CDATA section (whose text goes to
// *text when collecting), or a DOCTYPE-like directive, which is skipped.
func (s *xmlScanner) bang(text *[]byte) error {
	for s.end-s.pos < 9 {
		if !s.fill() {
			break
		}
	}
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		s.pos += 4
		return s.skipPast([]byte("-->"), nil)
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		s.pos += 9
		return s.skipPast([]byte("]]>"), text)
	case len(rest) < 9 && (bytes.HasPrefix([]byte("<![CDATA["), rest) || bytes.HasPrefix([]byte("<!--"), rest)):
		return s.short()
	}
	if len(rest) >= 3 && rest[2] == '[' {
		return syntaxError("invalid <![ sequence")
	}
	if len(rest) < 3 {
		return s.short()
	}
	// A directive (<!DOCTYPE ...>): skipped up to the matching '>' the
	// way encoding/xml reads it. The character after "<!" is taken as
	// is; then quotes hide angle brackets, '<' nests unless it opens a
	// comment, which runs to "-->".
	s.pos += 3
	var quote byte
	depth := 0
	for {
		if s.pos == s.end && !s.fill() {
			return s.short()
		}
		c := s.buf[s.pos]
		s.pos++
		switch {
		case quote == 0 && c == '>' && depth == 0:
			return nil
		case c == quote:
			quote = 0
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			depth--
		case c == '<':
			for s.end-s.pos < 3 && s.fill() {
			}
			if bytes.HasPrefix(s.buf[s.pos:s.end], []byte("!--")) {
				s.pos += 3
				if err := s.skipPast([]byte("-->"), nil); err != nil {
					return err
				}
				continue
			}
			// As encoding/xml: the characters of "!--" that matched
			// are kept as text, the first that did not is read again.
			depth++
		}
	}
}

// skipPast moves past the next occurrence of end, appending what comes
// before it to *text when text is not nil (CDATA: taken literally, apart
// from line ends).
func (s *xmlScanner) skipPast(end []byte, text *[]byte) error {
	for {
		if j := bytes.Index(s.buf[s.pos:s.end], end); j >= 0 {
			if text != nil {
				if err := s.appendRaw(text, s.buf[s.pos:s.pos+j]); err != nil {
					return err
				}
			}
			s.pos += j + len(end)
			return nil
		}
		// Consume all but the last len(end)-1 bytes, which may start
		// the terminator.
		keep := max(s.end-(len(end)-1), s.pos)
		if keep > s.pos && s.buf[keep-1] == '\r' {
			keep-- // keep "\r\n" together
		}
		if text != nil {
			if err := s.appendRaw(text, s.buf[s.pos:keep]); err != nil {
				return err
			}
		}
		s.pos = keep
		if !s.fill() {
			return s.short()
		}
	}
}

// appendRaw appends CDATA text, reading "\r\n" and "\r" as "\n".
func (s *xmlScanner) appendRaw(text *[]byte, b []byte) error {
	if len(*text)+len(b) > s.maxText {
		return errValueTooLong
	}
	start := len(*text)
	*text = appendNewlines(*text, b)
	if !validText((*text)[start:]) {
		return syntaxError("invalid character in text")
	}
	return nil
}

var errValueTooLong = fmt.Errorf("%w: a text value over %d bytes", ErrTooLarge, maxStringLen)

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

// text appends the unescaped text up to the next '<' to *dst. It returns
// io.EOF if the input ends first (the text so far is kept).
func (s *xmlScanner) text(dst *[]byte) error {
	start := len(*dst)
	for {
		if s.pos == s.end && !s.fill() {
			if !validText((*dst)[start:]) {
				return syntaxError("invalid character in text")
			}
			if s.rerr != nil {
				return s.rerr
			}
			return io.EOF
		}
		seg := s.buf[s.pos:s.end]
		i := bytes.IndexAny(seg, "<&\r]")
		if i < 0 {
			i = len(seg)
		}
		if len(*dst)+i > s.maxText {
			return errValueTooLong
		}
		*dst = append(*dst, seg[:i]...)
		s.pos += i
		if i == len(seg) {
			continue
		}
		// Each case below looks a few bytes ahead; near the end of the
		// window it refills first (fill keeps buf[pos:]) and retries.
		avail := s.end - s.pos
		switch s.buf[s.pos] {
		case '<':
			if !validText((*dst)[start:]) {
				return syntaxError("invalid character in text")
			}
			return nil
		case '&':
			j := bytes.IndexByte(s.buf[s.pos:min(s.end, s.pos+maxEntityLen)], ';')
			if j < 0 {
				if avail < maxEntityLen && s.fill() {
					continue
				}
				if avail < maxEntityLen && s.rerr == nil {
					return errTruncated
				}
				return syntaxError("invalid character entity")
			}
			var err error
			if *dst, err = appendEntity(*dst, s.buf[s.pos+1:s.pos+j]); err != nil {
				return err
			}
			s.pos += j + 1
		case '\r':
			if avail < 2 && s.fill() {
				continue
			}
			*dst = append(*dst, '\n')
			s.pos++
			if s.pos < s.end && s.buf[s.pos] == '\n' {
				s.pos++
			}
		case ']':
			if avail < 3 && s.fill() {
				continue
			}
			if bytes.HasPrefix(s.buf[s.pos:s.end], []byte("]]>")) {
				return syntaxError("]]> in text")
			}
			*dst = append(*dst, ']')
			s.pos++
		}
	}
}

// maxEntityLen bounds "&...;": the longest is a hex reference with
// leading zeros, which encoding/xml also accepts, hence some slack.
const maxEntityLen = 32

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

// appendEntity appends the character that "&" + ent + ";" stands for.
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
	return nil, syntaxError("invalid character entity")
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

// skipElement skips the content of the element whose start tag was just
// read, up to and including its end tag.
func (s *xmlScanner) skipElement() error {
	if s.selfClosing {
		return nil
	}
	depth := 0
	for {
		k, err := s.next(nil)
		if err != nil {
			return err
		}
		switch k {
		case tokEOF:
			return errTruncated
		case tokStart:
			if !s.selfClosing {
				depth++
			}
		case tokEnd:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// directText appends to *dst the text directly inside the element whose
// start tag was just read, skipping nested elements, as encoding/xml
// fills a string or a ",chardata" field; it consumes the end tag.
func (s *xmlScanner) directText(dst *[]byte) error {
	if s.selfClosing {
		return nil
	}
	depth := 0
	for {
		var text *[]byte
		if depth == 0 {
			text = dst
		}
		k, err := s.next(text)
		if err != nil {
			return err
		}
		switch k {
		case tokEOF:
			return errTruncated
		case tokStart:
			if !s.selfClosing {
				depth++
			}
		case tokEnd:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// attrByName returns the value of the last attribute named name, prefix
// included.
func (s *xmlScanner) attrByName(name string) ([]byte, bool, error) {
	attrs, err := s.attributes()
	if err != nil {
		return nil, false, err
	}
	var v []byte
	found := false
	for _, a := range attrs {
		if string(a.name) == name {
			v, found = a.value, true
		}
	}
	return v, found, nil
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
