package pdf

import (
	"errors"
	"io"
	"strconv"
)

// The lexer reads PDF tokens (ISO 32000-1, 7.2-7.3) from content streams,
// CMaps and the file's cross-reference sections. It exists because the
// library's own tokenizer holds whatever a token grows to (a string or a
// keyword of a decompressed gigabyte), keeps every operand of a content
// stream on its stack, and spins forever on a hex string cut by the end of
// a stream. This one caps every token and aggregate and always makes
// progress: each call consumes at least one byte or returns tEOF.

// Caps on one token or aggregate; beyond them the input is not a document.
const (
	maxString   = 1 << 20 // bytes in one string
	maxWord     = 4 << 10 // bytes in one name, number or operator
	maxElements = 1 << 17 // elements of one array or entries of one dict
	maxDepth    = 32      // nesting of arrays and dicts
)

var (
	errTokenTooLong = errors.New("token too long")
	errTooDeep      = errors.New("arrays or dictionaries nested too deep")
	errTooMany      = errors.New("array or dictionary too large")
	errSyntax       = errors.New("syntax error")
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tInt
	tReal
	tString
	tName
	tKeyword // an operator, or true/false/null/R/obj/stream...
	tArrayOpen
	tArrayClose
	tDictOpen
	tDictClose
)

// token is one lexical token. data (string, name, keyword) points into the
// lexer's scratch buffer and is valid until the next call.
type token struct {
	kind tokKind
	i    int64
	f    float64
	data []byte
}

type lexer struct {
	r    io.Reader
	buf  []byte
	pos  int
	end  int
	err  error // first read error; io.EOF at the end
	off  int64 // offset of buf[0] in the input
	tmp  []byte
	back []token // pushed-back tokens (their data copied)
}

// newLexer returns a lexer reading r through a buffer of 32 KB: content
// streams are read in full.
func newLexer(r io.Reader) *lexer { return newLexerSize(r, 32<<10) }

// newLexerSize returns a lexer with a buffer of size bytes; the structure
// check reads a few tokens here and there and uses small ones.
func newLexerSize(r io.Reader, size int) *lexer {
	return &lexer{r: r, buf: make([]byte, size)}
}

// reset makes the lexer read r from the start, keeping its buffers.
func (l *lexer) reset(r io.Reader) {
	l.r, l.pos, l.end, l.err, l.off = r, 0, 0, nil, 0
	l.back = l.back[:0]
}

// offset is the position of the next unread byte in the input.
func (l *lexer) offset() int64 { return l.off + int64(l.pos) }

// fill reads more input; false at the end or on an error (in l.err).
func (l *lexer) fill() bool {
	if l.err != nil {
		return false
	}
	l.off += int64(l.end)
	l.pos, l.end = 0, 0
	for empty := 0; empty < 100; empty++ {
		n, err := l.r.Read(l.buf)
		l.end = n
		if err != nil {
			l.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	l.err = io.ErrNoProgress
	return false
}

// byte returns the next byte; ok is false at the end of the input.
func (l *lexer) byte() (byte, bool) {
	if l.pos >= l.end && !l.fill() {
		return 0, false
	}
	c := l.buf[l.pos]
	l.pos++
	return c, true
}

// peek returns the next byte without consuming it.
func (l *lexer) peek() (byte, bool) {
	if l.pos >= l.end && !l.fill() {
		return 0, false
	}
	return l.buf[l.pos], true
}

// readErr is the read error that ended the input, nil for a clean end.
func (l *lexer) readErr() error {
	if l.err == io.EOF {
		return nil
	}
	return l.err
}

func isSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isSpace(c) && !isDelim(c) }

// unread pushes t back; next returns it first. Its data is copied.
func (l *lexer) unread(t token) {
	t.data = append([]byte(nil), t.data...)
	l.back = append(l.back, t)
}

// next returns the next token. A malformed token yields an error; the
// lexer has moved past it, so the caller may go on.
func (l *lexer) next() (token, error) {
	if n := len(l.back); n > 0 {
		t := l.back[n-1]
		l.back = l.back[:n-1]
		return t, nil
	}
	for {
		c, ok := l.byte()
		if !ok {
			return token{kind: tEOF}, nil
		}
		switch {
		case isSpace(c):
			continue
		case c == '%':
			l.skipComment()
			continue
		case c == '(':
			return l.literal()
		case c == '<':
			if d, ok := l.peek(); ok && d == '<' {
				l.pos++
				return token{kind: tDictOpen}, nil
			}
			return l.hex()
		case c == '>':
			if d, ok := l.peek(); ok && d == '>' {
				l.pos++
				return token{kind: tDictClose}, nil
			}
			return token{}, errSyntax
		case c == '[':
			return token{kind: tArrayOpen}, nil
		case c == ']':
			return token{kind: tArrayClose}, nil
		case c == '{' || c == '}':
			// PostScript procedures (Type 4 functions, some CMaps):
			// nothing a text reader needs; an operator that does nothing.
			return token{kind: tKeyword, data: append(l.tmp[:0], c)}, nil
		case c == ')':
			return token{}, errSyntax
		case c == '/':
			return l.name()
		default:
			return l.word(c)
		}
	}
}

func (l *lexer) skipComment() {
	for {
		c, ok := l.byte()
		if !ok || c == '\n' || c == '\r' {
			return
		}
	}
}

// literal reads a (string) after its '('. A string cut by the end of the
// input ends there.
func (l *lexer) literal() (token, error) {
	b := l.tmp[:0]
	depth := 1
	for {
		c, ok := l.byte()
		if !ok {
			break
		}
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				l.tmp = b
				return token{kind: tString, data: b}, nil
			}
		case '\r':
			// An end of line in a string is read as '\n' (7.3.4.2).
			if d, ok := l.peek(); ok && d == '\n' {
				l.pos++
			}
			c = '\n'
		case '\\':
			e, ok := l.byte()
			if !ok {
				continue
			}
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if d, ok := l.peek(); ok && d == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := int(e - '0')
				for range 2 {
					d, ok := l.peek()
					if !ok || d < '0' || d > '7' {
						break
					}
					l.pos++
					v = v*8 + int(d-'0')
				}
				c = byte(v) // high-order overflow is ignored (7.3.4.2)
			default:
				c = e // \( \) \\ and unknown escapes: the character itself
			}
		}
		if len(b) >= maxString {
			l.tmp = b
			return token{}, errTokenTooLong
		}
		b = append(b, c)
	}
	l.tmp = b
	return token{kind: tString, data: b}, nil
}

// hex reads a <hex string> after its '<'. White space is skipped, an odd
// final digit counts as followed by 0, and the end of the input ends it.
func (l *lexer) hex() (token, error) {
	b := l.tmp[:0]
	hi := -1
	for {
		c, ok := l.byte()
		if !ok || c == '>' {
			break
		}
		if isSpace(c) {
			continue
		}
		v := unhex(c)
		if v < 0 {
			l.tmp = b
			for c != '>' && ok {
				c, ok = l.byte()
			}
			return token{}, errSyntax
		}
		if hi < 0 {
			hi = v
			continue
		}
		if len(b) >= maxString {
			l.tmp = b
			return token{}, errTokenTooLong
		}
		b = append(b, byte(hi<<4|v))
		hi = -1
	}
	if hi >= 0 {
		b = append(b, byte(hi<<4))
	}
	l.tmp = b
	return token{kind: tString, data: b}, nil
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// name reads a /Name after its '/', decoding #xx escapes.
func (l *lexer) name() (token, error) {
	b := l.tmp[:0]
	for {
		c, ok := l.peek()
		if !ok || !isRegular(c) {
			break
		}
		l.pos++
		if len(b) >= maxWord {
			l.tmp = b
			l.skipWord()
			return token{}, errTokenTooLong
		}
		if c == '#' {
			h1, ok1 := l.peek()
			if ok1 && unhex(h1) >= 0 {
				l.pos++
				h2, ok2 := l.peek()
				if ok2 && unhex(h2) >= 0 {
					l.pos++
					c = byte(unhex(h1)<<4 | unhex(h2))
				} else {
					c = byte(unhex(h1))
				}
			}
		}
		b = append(b, c)
	}
	l.tmp = b
	return token{kind: tName, data: b}, nil
}

// word reads a number or an operator starting with c.
func (l *lexer) word(c byte) (token, error) {
	b := append(l.tmp[:0], c)
	for {
		d, ok := l.peek()
		if !ok || !isRegular(d) {
			break
		}
		l.pos++
		if len(b) >= maxWord {
			l.tmp = b
			l.skipWord()
			return token{}, errTokenTooLong
		}
		b = append(b, d)
	}
	l.tmp = b
	if t, ok := number(b); ok {
		return t, nil
	}
	return token{kind: tKeyword, data: b}, nil
}

func (l *lexer) skipWord() {
	for {
		c, ok := l.peek()
		if !ok || !isRegular(c) {
			return
		}
		l.pos++
	}
}

// number parses an integer or a real as PDF writes them: optional sign,
// digits, at most one point, no exponent. Producers' slips that readers
// accept ("--5", "4.-2", a trailing second point) are not numbers here and
// become unknown operators, which are ignored.
func number(b []byte) (token, bool) {
	s := b
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if len(s) == 0 {
		return token{}, false
	}
	dots, digits := 0, 0
	for _, c := range s {
		switch {
		case c == '.':
			dots++
		case '0' <= c && c <= '9':
			digits++
		default:
			return token{}, false
		}
	}
	if digits == 0 || dots > 1 {
		return token{}, false
	}
	if dots == 0 {
		if v, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			return token{kind: tInt, i: v, f: float64(v)}, true
		}
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return token{}, false
	}
	return token{kind: tReal, f: v}, true
}

// Objects built from tokens. Numbers are int64 or float64, booleans bool,
// null nil; the rest have their own types.
type (
	pdfString []byte
	pdfName   string
	pdfArray  []any
	pdfDict   map[pdfName]any
	pdfRef    struct {
		num uint32
		gen uint16
	}
)

// object reads the object that starts with t. With refs set, "n g R" is a
// reference (cross-reference sections and object headers); content
// streams have none. Keywords other than true, false and null are
// returned as errSyntax, so that an operator is never taken for an
// operand.
func (l *lexer) object(t token, refs bool, depth int) (any, error) {
	switch t.kind {
	case tInt:
		if refs && t.i >= 0 && t.i <= 1<<32-1 {
			return l.maybeRef(t)
		}
		return t.i, nil
	case tReal:
		return t.f, nil
	case tString:
		return pdfString(append([]byte(nil), t.data...)), nil
	case tName:
		return pdfName(t.data), nil
	case tKeyword:
		switch string(t.data) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		return nil, errSyntax
	case tArrayOpen:
		return l.array(refs, depth+1)
	case tDictOpen:
		return l.dict(refs, depth+1)
	}
	return nil, errSyntax
}

func (l *lexer) maybeRef(t token) (any, error) {
	t2, err := l.next()
	if err != nil {
		return nil, err
	}
	if t2.kind != tInt || t2.i < 0 || t2.i > 65535 {
		l.unread(t2)
		return t.i, nil
	}
	t3, err := l.next()
	if err != nil {
		return nil, err
	}
	if t3.kind == tKeyword && string(t3.data) == "R" {
		return pdfRef{num: uint32(t.i), gen: uint16(t2.i)}, nil
	}
	l.unread(t3)
	l.unread(t2)
	return t.i, nil
}

func (l *lexer) array(refs bool, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	var a pdfArray
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tArrayClose:
			return a, nil
		case tEOF:
			return a, nil // cut by the end of the stream
		}
		if len(a) >= maxElements {
			return nil, errTooMany
		}
		v, err := l.object(t, refs, depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
}

func (l *lexer) dict(refs bool, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	d := pdfDict{}
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tDictClose, tEOF:
			return d, nil
		case tName:
		default:
			return nil, errSyntax
		}
		if len(d) >= maxElements {
			return nil, errTooMany
		}
		key := pdfName(t.data)
		t, err = l.next()
		if err != nil {
			return nil, err
		}
		if t.kind == tDictClose || t.kind == tEOF {
			return d, nil // a key without a value
		}
		v, err := l.object(t, refs, depth)
		if err != nil {
			return nil, err
		}
		d[key] = v
	}
}
