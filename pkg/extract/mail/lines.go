package mail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
)

// bufSize is the longest piece of a line handed on at once. Longer lines (a
// base64 body without line breaks, a huge header) arrive in pieces, so
// memory stays bounded whatever the input.
const bufSize = 64 << 10

// ctxEvery is how many bytes the line source reads between checks of the
// context, so that one huge message cannot outlast a cancelled scan.
const ctxEvery = 4 << 20

// frag is a line or a piece of one. It is valid until the next call to
// lineSource.next.
type frag struct {
	// b is the content, with the line break if the line ends here. In an
	// mbox, the '>' that escapes a ">From " line is already removed.
	b []byte
	// start and end are the raw offsets of the piece in the input (start
	// is that of the removed '>', if any).
	start, end int64
	first      bool // the piece starts a line
	eol        bool // the piece ends with '\n'
	whole      bool // the piece is a whole line (first, and ends with '\n' or the input)
}

// content returns b without its line break ("\n" or "\r\n").
func (f *frag) content() []byte {
	if !f.eol {
		return f.b
	}
	return bytes.TrimSuffix(f.b[:len(f.b)-1], []byte("\r"))
}

// eolLen is the length of the piece's line break (0, 1 or 2).
func (f *frag) eolLen() int { return len(f.b) - len(f.content()) }

// lineSource cuts an input into lines (in pieces of at most bufSize bytes)
// and, in an mbox, into messages: it stops at each "From " separator
// until nextMessage is called, and undoes mboxrd/mboxo escaping.
type lineSource struct {
	br       *bufio.Reader
	ctx      context.Context
	off      int64 // raw offset of the next unread byte
	checked  int64 // off at the last context check
	unescape bool  // remove one '>' from ">From " (mbox)
	split    bool  // stop at "From " separators (mbox)
	midLine  bool  // the last piece did not end its line
	replay   bool  // next returns cur again
	stopped  bool  // at the end of a message (or of the input)
	eof      bool  // at the end of the input
	err      error // a read error or ctx.Err(): ends the input
	cur      frag
	blank    [2]byte // a blank line, kept across a Peek
}

func newLineSource(ctx context.Context, r io.Reader, mbox, split bool) *lineSource {
	return &lineSource{br: bufio.NewReaderSize(r, bufSize), ctx: ctx, unescape: mbox, split: split}
}

// reset makes l read r from its start, reusing its buffer.
func (l *lineSource) reset(r io.Reader) {
	br := l.br
	br.Reset(r)
	*l = lineSource{br: br, ctx: l.ctx, unescape: l.unescape, split: l.split}
}

// next returns the next piece of the current message, or nil at its end.
func (l *lineSource) next() *frag {
	if l.replay {
		l.replay = false
		return &l.cur
	}
	if l.stopped {
		return nil
	}
	if l.off-l.checked >= ctxEvery {
		l.checked = l.off
		if err := l.ctx.Err(); err != nil {
			l.fail(err)
			return nil
		}
	}
	start := l.off
	b, err := l.br.ReadSlice('\n')
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		l.fail(err)
		return nil
	}
	if len(b) == 0 {
		l.stopped, l.eof = true, true
		return nil
	}
	l.off += int64(len(b))
	first := !l.midLine
	eol := b[len(b)-1] == '\n'
	l.midLine = !eol && err != io.EOF
	if first && l.split {
		if eol && isBlank(b) {
			// A blank line before "From " belongs to the separator.
			n := copy(l.blank[:], b)
			if p, _ := l.br.Peek(5); string(p) == "From " {
				l.skipLine()
				l.stopped = true
				return nil
			}
			b = l.blank[:n]
		} else if bytes.HasPrefix(b, []byte("From ")) && postmark(b) {
			// A separator without the blank line some writers omit.
			l.midLine = false
			if !eol && err != io.EOF {
				l.skipLine()
			}
			l.stopped = true
			return nil
		}
	}
	if first && l.unescape && escapedFrom(b) {
		b = b[1:]
	}
	l.cur = frag{b: b, start: start, end: l.off, first: first, eol: eol, whole: first && (eol || err == io.EOF)}
	return &l.cur
}

// unread makes next return the current piece again.
func (l *lineSource) unread() { l.replay = true }

// skipLine consumes the rest of the current line.
func (l *lineSource) skipLine() {
	for {
		b, err := l.br.ReadSlice('\n')
		l.off += int64(len(b))
		if err == nil || err == io.EOF {
			return
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			l.fail(err)
			return
		}
	}
}

// skipSeparator consumes a "From " line at the very start of an mbox.
func (l *lineSource) skipSeparator() {
	if p, _ := l.br.Peek(5); string(p) == "From " {
		l.skipLine()
	}
}

// drain consumes the rest of the current message.
func (l *lineSource) drain() {
	l.replay = false
	for l.next() != nil {
	}
}

// nextMessage moves past a separator to the next message; it reports
// false at the end of the input.
func (l *lineSource) nextMessage() bool {
	if l.eof || l.err != nil {
		return false
	}
	l.stopped, l.midLine, l.replay = false, false, false
	if _, err := l.br.Peek(1); err != nil {
		l.eof = true
		return false
	}
	return true
}

func (l *lineSource) fail(err error) {
	if l.err == nil {
		l.err = err
	}
	l.stopped, l.eof = true, true
}

func isBlank(b []byte) bool {
	return len(b) == 1 && b[0] == '\n' || len(b) == 2 && b[0] == '\r' && b[1] == '\n'
}

// escapedFrom reports whether b starts with one or more '>' and "From ".
func escapedFrom(b []byte) bool {
	i := 0
	for i < len(b) && b[i] == '>' {
		i++
	}
	return i > 0 && bytes.HasPrefix(b[i:], []byte("From "))
}

// postmark reports whether a "From " line looks like an mbox separator
// ("From sender Mon Jan  2 15:04:05 2006", Thunderbird's "From - ..."): a
// sender, then at least four words, among them a time (h:mm) and a year.
// It is asked only for lines that do not follow a blank line, where a body
// line could start with an unescaped "From ".
func postmark(b []byte) bool {
	if len(b) > 512 {
		return false
	}
	words := bytes.Fields(b[5:])
	if len(words) < 5 {
		return false
	}
	var clock, year bool
	for _, w := range words[1:] {
		switch {
		case bytes.IndexByte(w, ':') > 0 && allDigitsOr(w, ':'):
			clock = true
		case len(w) == 4 && allDigitsOr(w, 0):
			year = true
		}
	}
	return clock && year
}

// allDigitsOr reports whether w holds only ASCII digits and sep.
func allDigitsOr(w []byte, sep byte) bool {
	for _, c := range w {
		if (c < '0' || c > '9') && c != sep {
			return false
		}
	}
	return true
}
