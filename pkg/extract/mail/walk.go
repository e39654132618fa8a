package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/spool"
)

// Part is one readable piece of a mail file: the text of a message, or one
// of its attachments.
type Part struct {
	// Name is "" for the text of an .eml message and "msg-N" for that of
	// the Nth message of an mbox (1-based, in file order). An attachment
	// is "FILENAME" in an .eml and "msg-N/FILENAME" in an mbox, FILENAME
	// being its declared name cleaned (no path elements, no control
	// characters, made unique in its message: "a.pdf", "a (2).pdf") or,
	// for an unnamed part, "part-K" and an extension from its content
	// type (K numbers the message's leaf parts from 1); a forwarded
	// message (message/rfc822) always ends in ".eml". The scan reports an
	// attachment as OUTER!Name, like an archive entry.
	Name string
	// Text is set for a message's text: its From, To, Cc, Bcc, Reply-To,
	// Sender, Subject and Date fields (encoded-words decoded), a blank
	// line, then its text/plain bodies (or, where an alternative has none,
	// its text/html bodies as plain text), as UTF-8 with "\n" line breaks.
	// Attachments have Text false and hold their decoded bytes.
	Text bool
	// R reads the part; it is valid only during the callback, which need
	// not read it to the end. An attachment is decoded as it is read.
	R io.Reader
	// Size is the decoded size, which R yields unless Err is set.
	Size int64
	// Err is set when the part is incomplete. On a message's text it is
	// the first problem of the message: a *LimitError (too many parts,
	// nesting too deep, header or text too large: the rest of the message,
	// or the part concerned, was skipped), or an error wrapping
	// extract.ErrCorrupt (a multipart whose boundary never occurs, whose
	// body is then read as text); the text and the attachments found are
	// still yielded. On an attachment it is a *LimitError for one larger
	// than MaxPartBytes, and R returns it. Messages name the message by
	// number, never by a header value.
	Err error
}

// Walk reads the mail file in, in format f, and calls fn for each message:
// first its text Part, then each attachment. It returns fn's error
// unchanged, ctx.Err() when cancelled (checked between messages, while
// reading and between parts), a *LimitError when the file exceeds
// MaxMessages, MaxAttachments or MaxTotalBytes (the Parts yielded before
// were complete), and an error wrapping extract.ErrCorrupt for a format it
// does not read. A problem of one message or part is reported in its
// Part.Err and the walk goes on.
//
// Each message is read in one pass that keeps its text (bounded by
// MaxTextBytes) and notes where each attachment's encoded body lies; an
// attachment's R then decodes that byte range only, streaming, so memory
// stays bounded whatever the size of the file or of an attachment. That
// needs random access: in.RA (or in.R if it is an io.ReaderAt) with a
// known in.Size is used in place, and anything else is first copied with
// pkg/extract/spool (in memory up to 32 MiB, then to a private temporary
// file), refused beyond MaxTotalBytes.
func Walk(ctx context.Context, in extract.Input, f Format, lim Limits, fn func(*Part) error) error {
	if f != EML && f != MBOX {
		return fmt.Errorf("%w: not a mail format (%q)", extract.ErrCorrupt, f)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	lim = lim.withDefaults()
	ra := in.RA
	if ra == nil {
		ra, _ = in.R.(io.ReaderAt)
	}
	size := in.Size
	if ra == nil || size < 0 {
		sp, err := spool.Open(ctx, in.R, nil, -1, spool.Options{Max: lim.MaxTotalBytes})
		if errors.Is(err, spool.ErrTooLarge) {
			return &LimitError{Limit: LimitBytes, Value: lim.MaxTotalBytes}
		}
		if err != nil {
			return fmt.Errorf("copying mail for reading: %w", err)
		}
		defer sp.Release()
		ra, size = sp, sp.Size
	}
	w := &walker{ctx: ctx, ra: ra, size: size, mbox: f == MBOX, lim: lim, fn: fn}
	return w.walk()
}

// walker holds one Walk call's state.
type walker struct {
	ctx   context.Context
	ra    io.ReaderAt
	size  int64
	mbox  bool
	lim   Limits
	fn    func(*Part) error
	atts  int   // attachments yielded
	total int64 // bytes yielded
	// body and buf are reused by every attachment reader, one at a time,
	// rather than allocated per attachment.
	body *lineSource
	buf  []byte
	// scratch and raw are the parsers' buffers, kept across messages.
	scratch, raw []byte
}

func (w *walker) walk() error {
	src := newLineSource(w.ctx, io.NewSectionReader(w.ra, 0, w.size), w.mbox, w.mbox)
	if w.mbox {
		src.skipSeparator()
	}
	if !src.nextMessage() {
		return w.readErr(src)
	}
	for n := 1; ; n++ {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if n > w.lim.MaxMessages {
			return &LimitError{Limit: LimitMessages, Value: int64(w.lim.MaxMessages)}
		}
		p := newParser(src, w.lim, w.scratch, w.raw)
		if err := parse(p, n); err != nil {
			return err
		}
		w.scratch, w.raw = p.scratch[:0], p.raw[:0]
		if err := w.readErr(src); err != nil {
			return err
		}
		if err := w.yield(n, p); err != nil {
			return err
		}
		if !w.mbox || !src.nextMessage() {
			return w.readErr(src)
		}
	}
}

// parse reads message n. The charset decoders and the RFC 2047 decoder
// come from libraries; should one panic on hostile input, the panic
// becomes an error wrapping extract.ErrCorrupt, and the walk stops, since
// the position in the file is then unknown.
func parse(p *parser, n int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			// Only a runtime error's text is shown: a library's own panic
			// value could quote the input.
			why := "decoder failure"
			if re, ok := r.(runtime.Error); ok {
				why = re.Error()
			}
			err = fmt.Errorf("%w: message %d: unreadable (%s)", extract.ErrCorrupt, n, why)
		}
	}()
	p.message()
	return nil
}

// readErr returns the line source's read error, if any, with context.
func (w *walker) readErr(src *lineSource) error {
	switch {
	case src.err == nil:
		return nil
	case errors.Is(src.err, context.Canceled), errors.Is(src.err, context.DeadlineExceeded):
		return src.err
	}
	return fmt.Errorf("reading mail: %w", src.err)
}

// yield hands message n's text and attachments to fn.
func (w *walker) yield(n int, p *parser) error {
	name, where := "", "message"
	if w.mbox {
		name, where = "msg-"+strconv.Itoa(n), "message "+strconv.Itoa(n)
	}
	text, size := p.text()
	if err := w.charge(size); err != nil {
		return err
	}
	part := &Part{Name: name, Text: true, R: newSegReader(text), Size: size}
	if p.err != nil {
		part.Err = fmt.Errorf("%s: %w", where, p.err)
	}
	if err := w.fn(part); err != nil {
		return err
	}
	for i, a := range p.atts {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		w.atts++
		if w.atts > w.lim.MaxAttachments {
			return &LimitError{Limit: LimitAttachments, Value: int64(w.lim.MaxAttachments)}
		}
		part := &Part{Name: a.name, Size: a.size}
		if w.mbox {
			part.Name = name + "/" + a.name
		}
		if a.size > w.lim.MaxPartBytes {
			lerr := &LimitError{Limit: LimitPartBytes, Value: w.lim.MaxPartBytes}
			part.Err = fmt.Errorf("%s, attachment %d: %w", where, i+1, lerr)
			part.R = errReader{part.Err}
		} else {
			if err := w.charge(a.size); err != nil {
				return err
			}
			part.R = w.attachmentReader(a)
		}
		if err := w.fn(part); err != nil {
			return err
		}
	}
	return nil
}

// charge counts n more bytes against MaxTotalBytes.
func (w *walker) charge(n int64) error {
	if w.total+n > w.lim.MaxTotalBytes {
		return &LimitError{Limit: LimitBytes, Value: w.lim.MaxTotalBytes}
	}
	w.total += n
	return nil
}

// attachmentReader decodes the raw range of one attachment.
func (w *walker) attachmentReader(a attachment) io.Reader {
	sr := io.NewSectionReader(w.ra, a.start, a.end-a.start)
	if w.body == nil {
		w.body = newLineSource(w.ctx, sr, w.mbox, false)
	} else {
		w.body.reset(sr)
	}
	return &partReader{w: w, src: w.body, dec: newDecoder(a.cte), left: a.size}
}

// partReader streams one attachment: the raw lines of its body (mbox
// escaping undone), through its transfer decoder. left caps the output at
// the size measured by the first pass, should the file change under us.
type partReader struct {
	w    *walker
	src  *lineSource
	dec  decoder
	buf  []byte // a window on w.buf
	pos  int
	left int64
	done bool
}

func (r *partReader) Read(p []byte) (int, error) {
	for r.pos == len(r.buf) {
		if r.done || r.left <= 0 {
			return 0, io.EOF
		}
		if err := r.w.ctx.Err(); err != nil {
			return 0, err
		}
		r.buf, r.pos = r.w.buf[:0], 0
		if f := r.src.next(); f != nil {
			r.buf = r.dec.decode(r.buf, f.b)
		} else {
			if r.src.err != nil {
				return 0, fmt.Errorf("reading mail attachment: %w", r.src.err)
			}
			r.buf, r.done = r.dec.flush(r.buf), true
		}
		r.w.buf = r.buf
		if int64(len(r.buf)) > r.left {
			r.buf = r.buf[:r.left]
		}
		r.left -= int64(len(r.buf))
	}
	n := copy(p, r.buf[r.pos:])
	r.pos += n
	return n, nil
}

// segReader reads a message text held as segments, without joining them.
type segReader struct{ segs [][]byte }

func newSegReader(segs [][]byte) *segReader { return &segReader{segs: segs} }

func (r *segReader) Read(p []byte) (int, error) {
	for len(r.segs) > 0 && len(r.segs[0]) == 0 {
		r.segs = r.segs[1:]
	}
	if len(r.segs) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.segs[0])
	r.segs[0] = r.segs[0][n:]
	return n, nil
}

// WriteTo lets io.Copy take the segments as they are.
func (r *segReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for len(r.segs) > 0 {
		n, err := w.Write(r.segs[0])
		total += int64(n)
		r.segs[0] = r.segs[0][n:]
		if err != nil {
			return total, err
		}
		r.segs = r.segs[1:]
	}
	return total, nil
}

// errReader fails every Read with its error.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
