package office

import (
	"bytes"
	"slices"
	"unicode/utf8"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
)

const (
	// blockSize is the most text held per part before it is yielded:
	// large enough that yields are rare next to detection, small enough
	// that a part's text never sits in memory whole.
	blockSize = 64 << 10
	// splitWindow is how far back from the end of a full block a line
	// with no end in sight is cut at whitespace, so that the tokens the
	// detectors look for are rarely cut in two.
	splitWindow = 4 << 10
	// maxSpaces caps the spaces one <text:s text:c="..."/> adds.
	maxSpaces = 1024
)

// emitter yields chunks for one Extract call.
type emitter struct {
	yield   extract.Yield
	chunk   extract.Chunk
	inYield bool // tells the consumer's panics from ours
}

// yieldError carries the error yield returned up to Extract, which
// returns it unchanged; nothing on the way may wrap it.
type yieldError struct{ err error }

func (e *yieldError) Error() string { return e.err.Error() }

// isYieldErr reports whether err is the one yield returned.
func isYieldErr(err error) bool {
	_, ok := err.(*yieldError)
	return ok
}

func (e *emitter) emit(kind extract.Kind, data []byte, loc finding.Location, header string) error {
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	e.chunk = extract.Chunk{Kind: kind, Data: data, Loc: loc, Header: header}
	e.inYield = true
	err := e.yield(&e.chunk)
	e.inYield = false
	if err != nil {
		return &yieldError{err}
	}
	return nil
}

// lines collects the text of one Part (a location label: "", "header",
// "slide 3 notes") as lines, one per paragraph, and yields it in blocks.
// Line numbers go on across the XML parts that share a label (header1.xml,
// header2.xml).
type lines struct {
	e    *emitter
	part string
	buf  []byte
	line int // number of the line buf starts with
	cur  int // bytes of the unfinished last line in buf
	// space: the last byte written was collapsible white space, or the
	// line is empty (ODF collapses white space runs and drops leading
	// white space, ODF 1.3 part 3, 6.1.2).
	space bool
}

func newLines(e *emitter, part string) *lines {
	return &lines{e: e, part: part, line: 1, space: true}
}

// text appends document text; line ends and tabs become spaces, since
// lines end only at paragraphs and breaks.
func (l *lines) text(b []byte) error {
	for len(b) > 0 {
		n := min(len(b), blockSize)
		start := len(l.buf)
		l.buf = append(l.buf, b[:n]...)
		for i := start; i < len(l.buf); i++ {
			if c := l.buf[i]; c == '\n' || c == '\r' || c == '\t' {
				l.buf[i] = ' '
			}
		}
		l.cur += n
		l.space = false
		b = b[n:]
		if err := l.spill(); err != nil {
			return err
		}
	}
	return nil
}

// textCollapsed appends ODF character data: each run of white space is
// one space, and none starts a line.
func (l *lines) textCollapsed(b []byte) error {
	for _, c := range b {
		if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
			if l.space {
				continue
			}
			c, l.space = ' ', true
		} else {
			l.space = false
		}
		l.buf = append(l.buf, c)
		l.cur++
	}
	return l.spill()
}

// spaces appends n explicit spaces (a tab, <text:s/>), which never
// collapse.
func (l *lines) spaces(n int) error {
	for range n {
		l.buf = append(l.buf, ' ')
	}
	l.cur += n
	l.space = false
	return l.spill()
}

// newline ends the current line (a paragraph or a break).
func (l *lines) newline() error {
	l.buf = append(l.buf, '\n')
	l.cur, l.space = 0, true
	return l.spill()
}

// spill yields whole lines once the buffer holds a block, or cuts a line
// longer than a block.
func (l *lines) spill() error {
	if len(l.buf) < blockSize {
		return nil
	}
	end := len(l.buf) - l.cur // just after the last '\n'
	if end == 0 {
		end = splitPoint(l.buf)
	}
	return l.yieldTo(end)
}

// flush yields everything collected.
func (l *lines) flush() error {
	if len(l.buf) == 0 {
		return nil
	}
	return l.yieldTo(len(l.buf))
}

// yieldTo yields buf[:end] and keeps the rest.
func (l *lines) yieldTo(end int) error {
	data := l.buf[:end]
	if err := l.e.emit(extract.Lines, data, finding.Location{Part: l.part, Line: l.line}, ""); err != nil {
		return err
	}
	l.line += bytes.Count(data, []byte{'\n'})
	n := copy(l.buf, l.buf[end:])
	l.buf = l.buf[:n]
	l.cur = min(l.cur, n)
	return nil
}

// splitPoint says where to cut a block that holds one unfinished line:
// after the last white space within splitWindow of its end, or else at
// its end moved back to a rune boundary. It is always > 0.
func splitPoint(b []byte) int {
	for i := len(b) - 1; i >= max(len(b)-splitWindow, 0); i-- {
		if b[i] == ' ' {
			return i + 1
		}
	}
	for i := len(b); i > max(len(b)-utf8.UTFMax, 0); i-- {
		if utf8.RuneStart(b[i-1]) {
			if i-1 > 0 && !utf8.FullRune(b[i-1:]) {
				return i - 1
			}
			break
		}
	}
	return len(b)
}

// sinks hands out one lines per Part label, in the order first asked for,
// so that every label keeps one line count.
type sinks struct {
	e     *emitter
	order []*lines
	byKey map[string]*lines
}

func newSinks(e *emitter) *sinks { return &sinks{e: e, byKey: map[string]*lines{}} }

func (s *sinks) get(part string) *lines {
	if l, ok := s.byKey[part]; ok {
		return l
	}
	l := newLines(s.e, part)
	s.byKey[part] = l
	s.order = append(s.order, l)
	return l
}

// flush yields what every label holds, in the order they were created.
func (s *sinks) flush() error {
	for _, l := range s.order {
		if err := l.flush(); err != nil {
			return err
		}
	}
	return nil
}

// release flushes the given labels and forgets them, so that a long
// presentation does not keep a buffer per slide.
func (s *sinks) release(parts ...string) error {
	for _, p := range parts {
		l, ok := s.byKey[p]
		if !ok {
			continue
		}
		if err := l.flush(); err != nil {
			return err
		}
		delete(s.byKey, p)
		s.order = slices.DeleteFunc(s.order, func(o *lines) bool { return o == l })
	}
	return nil
}
