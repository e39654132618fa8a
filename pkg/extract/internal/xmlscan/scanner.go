package xmlscan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Kind is the kind of token Next read.
type Kind uint8

const (
	EOF Kind = iota
	Start
	End
	Text
)

// NS identifies a namespace from the caller's table (Options.Namespaces).
// The scanner reserves two values; callers number theirs from FirstNS.
type NS uint8

const (
	// NoNS: an unprefixed name outside any default namespace, an
	// unprefixed attribute, or every name when resolution is off.
	NoNS NS = iota
	// OtherNS: a namespace not in the table, or an undeclared prefix.
	OtherNS
	// FirstNS is the first value free for the caller's namespaces.
	FirstNS
)

// Options are what differs between the readers that use a Scanner.
type Options struct {
	// MaxDepth caps element nesting; 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxText caps one Text token: longer text comes in pieces, cut
	// between characters. 0 means DefaultMaxText.
	MaxText int
	// Namespaces turns on namespace resolution: it maps the namespace
	// URIs the caller knows to their NS; others resolve to OtherNS and
	// xmlns="" to NoNS. Nil leaves NS at NoNS and skips the work.
	Namespaces map[string]NS
	// EmptyEnd makes a self-closing element give an End token after its
	// Start, as if it were written <a></a>; otherwise it gives a Start
	// only, with SelfClosing set.
	EmptyEnd bool
	// RequireRoot makes input without any element an error (ErrNoRoot),
	// where encoding/xml reads it as empty.
	RequireRoot bool
}

const (
	// DefaultMaxDepth: real parts nest a few dozen deep at most.
	DefaultMaxDepth = 256
	// DefaultMaxText: a Text token is at most a few pages of text.
	DefaultMaxText = 32 << 10
	// MaxTagLen caps one tag, comment, processing instruction or
	// directive; real ones are well under a kilobyte. The window grows to
	// hold a long tag whole, so this is also the most the window takes.
	MaxTagLen = 1 << 20
	// scanWindow is the initial window: a few hundred elements.
	scanWindow = 64 << 10
	// maxNameLen caps a name, which the scanner keeps for each open
	// element, and maxBindings the namespace declarations in scope: real
	// documents use a few dozen of each, and without the caps MaxDepth
	// open elements could hold MaxDepth tags' worth of names.
	maxNameLen  = 1024
	maxBindings = 1024
	// maxEntityLen bounds "&...;": the longest is a hex reference with
	// leading zeros, which encoding/xml also accepts, hence some slack.
	maxEntityLen = 32
	// maxEmptyReads bounds reads in a row that return nothing.
	maxEmptyReads = 100
	// minText keeps a piece able to hold any one decoded character.
	minText = 16
)

var (
	// ErrSyntax: the input is not XML the scanner reads.
	ErrSyntax = errors.New("malformed XML")
	// ErrTruncated: the input ends inside a construct or an element.
	ErrTruncated = errors.New("XML ends early")
	// ErrNoRoot: no element at all, with Options.RequireRoot.
	ErrNoRoot = errors.New("XML has no root element")
	// ErrTextTooLong: CollectText's cap was reached.
	ErrTextTooLong = errors.New("XML text too long")
)

// syntaxError describes a problem without quoting the document.
func syntaxError(what string) error { return fmt.Errorf("%w: %s", ErrSyntax, what) }

// Scanner is a pull tokenizer over one XML document; see the package
// documentation. Its zero value is not usable: call New.
type Scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool  // r has no more bytes
	rerr     error // r's error, other than io.EOF
	o        Options

	begun      bool // the byte order mark was looked for
	transcoded bool // a UTF-16 byte order mark chose the encoding
	root       bool // an element was seen
	wantText   bool
	inCDATA    bool // a CDATA section is being handed out in pieces

	// The current token. name and local point into buf (start tags) or
	// into open (end tags) and stay valid until the next call; text
	// points into buf or textBuf.
	name, local []byte
	ns          NS
	selfClosing bool
	pendingEnd  bool
	text        []byte
	textBuf     []byte

	// Attributes of the current start tag, parsed when first asked for.
	// attrBuf holds decoded values: Attrs' first (attrsKeep bytes), then
	// those of the latest EachAttr pass.
	rawAttrs  []byte
	attrsRead bool
	attrs     []Attr
	attrBuf   []byte
	attrsKeep int

	// open holds the names of the open elements end to end; openAt their
	// offsets, and with namespace resolution openNS their namespaces and
	// openBinds how many bindings were in force before each was opened.
	open      []byte
	openAt    []int32
	openNS    []NS
	openBinds []int32
	binds     []binding

	// The last prefix resolved, valid while cacheOK.
	cachePrefix []byte
	cacheNS     NS
	cacheOK     bool
}

// New returns a Scanner reading r.
func New(r io.Reader, o Options) *Scanner {
	s := &Scanner{}
	s.Reset(r, o)
	return s
}

// Reset starts reading r with options o, keeping the scanner's buffers.
// A zero Scanner is ready after Reset.
func (s *Scanner) Reset(r io.Reader, o Options) {
	if s.buf == nil {
		s.buf = make([]byte, scanWindow)
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxText <= 0 {
		o.MaxText = DefaultMaxText
	}
	o.MaxText = max(o.MaxText, minText)
	s.r, s.pos, s.end, s.eof, s.rerr, s.o = r, 0, 0, false, nil, o
	s.begun, s.transcoded, s.root, s.wantText, s.inCDATA, s.pendingEnd = false, false, false, false, false, false
	s.name, s.local, s.ns, s.selfClosing, s.text = nil, nil, NoNS, false, nil
	s.rawAttrs, s.attrsRead = nil, true
	s.attrs, s.attrBuf, s.attrsKeep = s.attrs[:0], s.attrBuf[:0], 0
	s.open, s.openAt, s.openNS, s.openBinds, s.binds = s.open[:0], s.openAt[:0], s.openNS[:0], s.openBinds[:0], s.binds[:0]
	s.cacheOK = false
}

// Name is the current element's name as written, prefix included.
func (s *Scanner) Name() []byte { return s.name }

// Local is the current element's name without its prefix, split at its
// colon as encoding/xml splits it: "x:c" is c, ":c" and "c:" stay whole.
func (s *Scanner) Local() []byte { return s.local }

// NS is the current element's namespace (NoNS without resolution).
func (s *Scanner) NS() NS { return s.ns }

// SelfClosing reports whether the current start tag ends in "/>".
func (s *Scanner) SelfClosing() bool { return s.selfClosing }

// Text is the current Text token, valid until the next call.
func (s *Scanner) Text() []byte { return s.text }

// SetWantText chooses whether Next decodes text inside the root element
// and returns it as Text tokens, or skips it unchecked.
func (s *Scanner) SetWantText(want bool) { s.wantText = want }

// Depth is the number of open elements. Without EmptyEnd a self-closing
// element never counts: no End token will close it.
func (s *Scanner) Depth() int {
	if s.pendingEnd && !s.o.EmptyEnd {
		return len(s.openAt) - 1
	}
	return len(s.openAt)
}

// fill reads more input after buf[pos:end], moving that to the start of
// the window and growing the window when it is full, up to MaxTagLen. It
// reports whether bytes were added.
func (s *Scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= MaxTagLen {
			return false // callers report the markup as too long
		}
		nb := make([]byte, min(2*len(s.buf), MaxTagLen))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range maxEmptyReads {
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
func (s *Scanner) short() error {
	if s.rerr != nil {
		return s.rerr
	}
	if s.end-s.pos >= MaxTagLen {
		return syntaxError("tag too long")
	}
	return ErrTruncated
}

// ensure makes at least n bytes from pos available if the input has them.
func (s *Scanner) ensure(n int) {
	for s.end-s.pos < n && s.fill() {
	}
}

// Next reads the next token: a start tag, an end tag, a piece of text
// (only when wanted, and only inside the root element) or the end of the
// input. Comments, processing instructions and directives are skipped.
func (s *Scanner) Next() (Kind, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.endCurrent()
		if s.o.EmptyEnd {
			return End, nil
		}
	}
	if !s.begun {
		s.begin()
	}
	if s.inCDATA {
		if s.wantText && len(s.openAt) > 0 {
			if err := s.readCDATA(); err != nil {
				return EOF, err
			}
			if len(s.text) > 0 {
				return Text, nil
			}
		} else if err := s.skipPast(cdataEnd); err != nil {
			return EOF, err
		}
		s.inCDATA = false
	}
	for {
		if s.pos == s.end && !s.fill() {
			return s.atEOF()
		}
		if s.buf[s.pos] != '<' {
			if s.wantText && len(s.openAt) > 0 {
				if err := s.readText(); err != nil {
					return EOF, err
				}
				if len(s.text) > 0 {
					return Text, nil
				}
				continue
			}
			s.skipText()
			continue
		}
		if s.ensure(2); s.end-s.pos < 2 {
			return EOF, s.short()
		}
		switch s.buf[s.pos+1] {
		case '/':
			if err := s.endTag(); err != nil {
				return EOF, err
			}
			return End, nil
		case '?':
			if err := s.procInst(); err != nil {
				return EOF, err
			}
		case '!':
			cdata, err := s.bang()
			if err != nil {
				return EOF, err
			}
			if !cdata {
				continue
			}
			if !s.wantText || len(s.openAt) == 0 {
				if err := s.skipPast(cdataEnd); err != nil {
					return EOF, err
				}
				continue
			}
			s.inCDATA = true
			if err := s.readCDATA(); err != nil {
				return EOF, err
			}
			if len(s.text) > 0 {
				return Text, nil
			}
			s.inCDATA = false
		default:
			if err := s.startTag(); err != nil {
				return EOF, err
			}
			return Start, nil
		}
	}
}

func (s *Scanner) atEOF() (Kind, error) {
	switch {
	case s.rerr != nil:
		return EOF, s.rerr
	case len(s.openAt) > 0:
		return EOF, ErrTruncated
	case !s.root && s.o.RequireRoot:
		return EOF, ErrNoRoot
	}
	return EOF, nil
}

// skipText moves to the next '<'.
func (s *Scanner) skipText() {
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

// tagEnd returns the index in buf of the '>' closing the tag at s.pos,
// outside quotes, reading more input as needed.
func (s *Scanner) tagEnd() (int, error) {
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
			case '<':
				return 0, syntaxError("'<' in tag")
			}
		}
		off := i - s.pos
		if !s.fill() {
			return 0, s.short()
		}
		i = s.pos + off
	}
}

// startTag reads the start tag at s.pos: its name, where its attributes
// are, whether it closes itself, and its namespace declarations.
func (s *Scanner) startTag() error {
	end, err := s.tagEnd()
	if err != nil {
		return err
	}
	tag := s.buf[s.pos+1 : end]
	s.pos = end + 1
	name := readName(tag)
	if len(name) > maxNameLen || !checkName(name) {
		return syntaxError("invalid element name")
	}
	rest := tag[len(name):]
	selfClosing := len(rest) > 0 && rest[len(rest)-1] == '/'
	if selfClosing {
		rest = rest[:len(rest)-1]
	}
	if len(rest) > 0 && !isSpace(rest[0]) {
		return syntaxError("invalid element name")
	}
	if len(s.openAt) >= s.o.MaxDepth {
		return syntaxError("elements nested too deep")
	}
	s.name, s.local, s.selfClosing = name, localName(name), selfClosing
	// Attributes are parsed when asked for: most elements' never are.
	s.rawAttrs, s.attrsRead, s.attrBuf, s.attrsKeep = rest, false, s.attrBuf[:0], 0
	s.root = true
	if s.o.Namespaces != nil {
		s.openBinds = append(s.openBinds, int32(len(s.binds)))
		if len(rest) > 6 && bytes.Contains(rest, []byte("xmlns")) {
			if err := s.declare(); err != nil {
				return err
			}
		}
		s.ns = s.resolve(prefixOf(name, s.local))
		s.openNS = append(s.openNS, s.ns)
	}
	// A self-closing element is open until the next call, which closes
	// it (with an End token when EmptyEnd).
	s.openAt = append(s.openAt, int32(len(s.open)))
	s.open = append(s.open, name...)
	s.pendingEnd = selfClosing
	return nil
}

// endTag reads the end tag at s.pos, which must close the innermost open
// element.
func (s *Scanner) endTag() error {
	end, err := s.tagEnd()
	if err != nil {
		return err
	}
	tag := s.buf[s.pos+2 : end]
	s.pos = end + 1
	name := readName(tag)
	if len(trimSpaceLeft(tag[len(name):])) != 0 || !checkName(name) {
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
func (s *Scanner) endCurrent() {
	n := len(s.openAt)
	at := s.openAt[n-1]
	// name stays valid: open is only appended to by the next start tag.
	s.name = s.open[at:]
	s.local, s.selfClosing = localName(s.name), false
	s.rawAttrs, s.attrsRead, s.attrs = nil, true, s.attrs[:0]
	if s.o.Namespaces != nil {
		s.ns = s.openNS[n-1]
		if b := int(s.openBinds[n-1]); b != len(s.binds) {
			s.binds, s.cacheOK = s.binds[:b], false
		}
		s.openNS, s.openBinds = s.openNS[:n-1], s.openBinds[:n-1]
	}
	s.open, s.openAt = s.open[:at], s.openAt[:n-1]
}

// skipPast moves past the next occurrence of end.
func (s *Scanner) skipPast(end []byte) error {
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

var (
	cdataStart = []byte("<![CDATA[")
	cdataEnd   = []byte("]]>")
	commentBeg = []byte("<!--")
	commentEnd = []byte("-->")
)

// bang handles "<!": a comment, a directive such as DOCTYPE (skipped
// with its internal subset, whose entities are never expanded), or the
// start of a CDATA section, which it moves into and reports.
func (s *Scanner) bang() (bool, error) {
	s.ensure(len(cdataStart))
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, commentBeg):
		s.pos += len(commentBeg)
		return false, s.skipPast(commentEnd)
	case bytes.HasPrefix(rest, cdataStart):
		s.pos += len(cdataStart)
		return true, nil
	case len(rest) < len(cdataStart) && (bytes.HasPrefix(cdataStart, rest) || bytes.HasPrefix(commentBeg, rest)):
		return false, s.short()
	case len(rest) >= 3 && rest[2] == '[':
		return false, syntaxError("invalid <![ sequence")
	case len(rest) < 3:
		return false, s.short()
	}
	// A directive, skipped up to the matching '>' the way encoding/xml
	// reads it. The character after "<!" is taken as is; then quotes hide
	// angle brackets, and '<' nests unless it opens a comment, which runs
	// to "-->".
	s.pos += 3
	var quote byte
	depth := 0
	for {
		if s.pos == s.end && !s.fill() {
			return false, s.short()
		}
		c := s.buf[s.pos]
		s.pos++
		switch {
		case quote == 0 && c == '>' && depth == 0:
			return false, nil
		case c == quote:
			quote = 0
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			depth--
		case c == '<':
			s.ensure(3)
			if bytes.HasPrefix(s.buf[s.pos:s.end], commentBeg[1:]) {
				s.pos += 3
				if err := s.skipPast(commentEnd); err != nil {
					return false, err
				}
				continue
			}
			// As encoding/xml: the characters of "!--" that matched are
			// kept as text, the first that did not is read again.
			depth++
		}
	}
}

// Skip skips the rest of the element whose start tag was just read, its
// end tag included.
func (s *Scanner) Skip() error {
	if s.selfClosing && !s.o.EmptyEnd {
		return nil
	}
	want := s.wantText
	s.wantText = false
	defer func() { s.wantText = want }()
	d := len(s.openAt)
	for {
		k, err := s.Next()
		if err != nil {
			return err
		}
		switch {
		case k == EOF:
			return ErrTruncated
		case k == End && len(s.openAt) < d:
			return nil
		}
	}
}

// CollectText appends to dst the text directly inside the element whose
// start tag was just read, skipping nested elements, as encoding/xml
// fills a string or ",chardata" field; it consumes the end tag. Text
// beyond max bytes in all fails with ErrTextTooLong.
func (s *Scanner) CollectText(dst []byte, max int) ([]byte, error) {
	if s.selfClosing && !s.o.EmptyEnd {
		return dst, nil
	}
	want := s.wantText
	defer func() { s.wantText = want }()
	d := len(s.openAt)
	for {
		s.wantText = s.Depth() == d
		k, err := s.Next()
		if err != nil {
			return dst, err
		}
		switch {
		case k == Text:
			if len(dst)+len(s.text) > max {
				return dst, ErrTextTooLong
			}
			dst = append(dst, s.text...)
		case k == EOF:
			return dst, ErrTruncated
		case k == End && len(s.openAt) < d:
			return dst, nil
		}
	}
}
