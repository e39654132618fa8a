package csv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/text"
)

const (
	// MaxFieldBytes caps one field. The rest of a longer field is skipped
	// (the field is truncated and parsing goes on), so that a broken quote
	// or a huge blob cannot make the reader's memory grow without bound.
	// No value a detector looks for comes near this size.
	MaxFieldBytes = 1 << 20
	// blockSize is the read buffer. Fields that lie within one block are
	// yielded straight from it; only fields that straddle two blocks, or
	// contain doubled quotes, are copied.
	blockSize = 256 << 10
	// maxColumnNames bounds the cache of "column N" names; wider rows get
	// their names built on the fly.
	maxColumnNames = extract.MaxHeaderFields
)

// Reader extracts the fields of a CSV or TSV file. The zero value sniffs the
// delimiter.
type Reader struct {
	// Comma is the field delimiter; 0 means guess it with Sniff. It must be
	// an ASCII character other than '"', '\r' and '\n'.
	Comma rune
}

var _ extract.Extractor = Reader{}

// ErrDelimiter is returned for a Comma the reader cannot use.
var ErrDelimiter = errors.New("delimiter must be an ASCII character other than '\"', '\\r' and '\\n'")

// maxEmptyReads is how many reads in a row may return nothing before a
// reader is deemed broken; bufio uses the same figure.
const maxEmptyReads = 100

var bufPool sync.Pool // of *[]byte, blockSize long

// Extract decodes in.R with text.Decode and yields one extract.Cell chunk for
// each field that is not blank, in file order (see the package
// documentation for how rows, columns and lines are numbered).
func (r Reader) Extract(ctx context.Context, in extract.Input, yield extract.Yield) error {
	bp, _ := bufPool.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, blockSize)
		bp = &b
	}
	defer bufPool.Put(bp)
	return r.extract(ctx, in, yield, *bp)
}

// extract does the work of Extract with buf as the block buffer; tests use
// tiny buffers to exercise fields that straddle blocks.
func (r Reader) extract(ctx context.Context, in extract.Input, yield extract.Yield, buf []byte) error {
	p := parser{
		ctx:   ctx,
		name:  in.Name,
		src:   text.Decode(in.R),
		yield: yield,
		buf:   buf,
		line:  1,
		row:   1,
	}
	p.fieldLine = 1
	p.headerPending = true
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", in.Name, err)
	}
	// Read enough to sniff the delimiter before parsing starts.
	for p.end < min(SniffBytes, len(p.buf)) && !p.eof {
		if err := p.read(); err != nil {
			return err
		}
	}
	comma := r.Comma
	if comma == 0 {
		comma = Sniff(p.buf[:p.end])
	}
	if comma <= 0 || comma >= 0x80 || comma == '"' || comma == '\r' || comma == '\n' {
		return fmt.Errorf("%s: delimiter %q: %w", in.Name, comma, ErrDelimiter)
	}
	p.comma = byte(comma)
	return p.run()
}

// Parser states. The parser is a byte-level state machine so that it can
// stop at the end of any block and resume in the next.
const (
	stFieldStart = iota // before a field, skipping leading blanks
	stUnquoted          // inside an unquoted field
	stQuoted            // inside a quoted field
	stQuoteSeen         // just after a '"' inside a quoted field
)

type parser struct {
	ctx   context.Context
	name  string
	src   io.Reader
	yield extract.Yield
	comma byte

	buf      []byte
	pos, end int // unparsed bytes are buf[pos:end]
	eof      bool

	state     int
	line      int // physical line at pos
	row       int // record number, 1-based
	col       int // field index in the record, 0-based
	fieldLine int // line where the current field started

	// The current field is acc followed by buf[spanStart:spanEnd], where
	// spanEnd is pos, or the closing quote's index in stQuoteSeen.
	spanStart int
	quoteAt   int
	acc       []byte
	accUsed   bool

	headerPending bool // the header record has not been decided yet
	pending       []pendingField
	header        []string
	columnNames   []string
	chunk         extract.Chunk
}

type pendingField struct {
	data string
	line int
}

// read appends the next piece of decoded input to buf[end:].
func (p *parser) read() error {
	for empty := 0; ; {
		n, err := p.src.Read(p.buf[p.end:])
		p.end += n
		if err == io.EOF {
			p.eof = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: reading csv: %w", p.name, err)
		}
		if n > 0 {
			return nil
		}
		if empty++; empty == maxEmptyReads {
			return fmt.Errorf("%s: reading csv: %w", p.name, io.ErrNoProgress)
		}
	}
}

// refill moves the part of the current field that is in buf to acc and reads
// the next block into the whole of buf.
func (p *parser) refill() error {
	if err := p.ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	switch p.state {
	case stUnquoted, stQuoted:
		p.keep(p.buf[p.spanStart:p.end])
	case stQuoteSeen:
		p.keep(p.buf[p.spanStart:p.quoteAt])
		p.quoteAt = 0
	}
	p.pos, p.end, p.spanStart = 0, 0, 0
	return p.read()
}

// keep appends b to the field accumulated so far, up to MaxFieldBytes.
func (p *parser) keep(b []byte) {
	p.accUsed = true
	if room := MaxFieldBytes - len(p.acc); len(b) > room {
		b = b[:max(room, 0)]
	}
	p.acc = append(p.acc, b...)
}

// field returns the current field, which ends at buf[end].
func (p *parser) field(end int) []byte {
	if !p.accUsed {
		return p.buf[p.spanStart:end]
	}
	p.keep(p.buf[p.spanStart:end])
	return p.acc
}

func (p *parser) run() error {
	comma := p.comma
	for {
		if p.pos == p.end {
			if p.eof {
				return p.finish()
			}
			if err := p.refill(); err != nil {
				return err
			}
			continue
		}
		switch p.state {
		case stFieldStart:
			c := p.buf[p.pos]
			if isLeadingSpace(c, comma) {
				p.pos++
				continue
			}
			if c == '"' {
				p.pos++
				p.state = stQuoted
				p.spanStart = p.pos
				continue
			}
			p.state = stUnquoted
			p.spanStart = p.pos
			fallthrough
		case stUnquoted:
			b := p.buf[p.pos:p.end]
			i := 0
			for i < len(b) && b[i] != comma && b[i] != '\n' {
				i++
			}
			p.pos += i
			if i == len(b) {
				continue
			}
			if err := p.endField(p.field(p.pos), b[i] == '\n'); err != nil {
				return err
			}
			p.pos++
		case stQuoted:
			b := p.buf[p.pos:p.end]
			i := bytes.IndexByte(b, '"')
			if i < 0 {
				p.line += bytes.Count(b, newline)
				p.pos = p.end
				continue
			}
			p.line += bytes.Count(b[:i], newline)
			p.quoteAt = p.pos + i
			p.pos += i + 1
			p.state = stQuoteSeen
		case stQuoteSeen:
			c := p.buf[p.pos]
			switch {
			case c == '"': // a doubled quote stands for one quote
				p.keep(p.buf[p.spanStart:p.quoteAt])
				p.keep(quote)
				p.pos++
				p.spanStart = p.pos
				p.state = stQuoted
			case c == comma || c == '\n':
				if err := p.endField(p.field(p.quoteAt), c == '\n'); err != nil {
					return err
				}
				p.pos++
			case c == '\r' && p.pos+1 < p.end && p.buf[p.pos+1] == '\n':
				if err := p.endField(p.field(p.quoteAt), true); err != nil {
					return err
				}
				p.pos += 2
			default:
				// Text after the closing quote: be lenient and read on
				// as an unquoted field, so that `"a" b,c` gives `a b`
				// and `c` rather than swallowing the rest of the file.
				p.keep(p.buf[p.spanStart:p.quoteAt])
				p.spanStart = p.pos
				p.state = stUnquoted
			}
		}
	}
}

var (
	quote   = []byte{'"'}
	newline = []byte{'\n'}
)

// endField handles the end of the field data; eol says it also ends the
// record. The caller moves pos past the delimiter.
func (p *parser) endField(data []byte, eol bool) error {
	var err error
	if p.headerPending {
		err = p.holdHeaderField(data)
	} else if data = trimSpace(data); len(data) > 0 {
		err = p.emit(data, p.col, p.fieldLine)
	}
	p.acc, p.accUsed = p.acc[:0], false
	p.state = stFieldStart
	if eol {
		if err == nil {
			err = p.endRecord()
		}
		p.line++
		p.row++
		p.col = 0
	} else {
		p.col++
	}
	p.fieldLine = p.line
	return err
}

// finish ends the last record when the input does not end with '\n'.
func (p *parser) finish() error {
	var data []byte
	switch p.state {
	case stFieldStart:
		if p.col == 0 {
			return nil // no record was started, or only blanks
		}
	case stUnquoted, stQuoted:
		data = p.field(p.end)
	case stQuoteSeen:
		data = p.field(p.quoteAt)
	}
	return p.endField(data, true)
}

// holdHeaderField keeps a field of the first record until the record is
// complete and can be judged as a header. A field that rules the record out
// as a header ends the wait at once, which also bounds what is held.
func (p *parser) holdHeaderField(data []byte) error {
	data = trimSpace(data)
	if len(data) > extract.MaxHeaderLen || len(p.pending) >= extract.MaxHeaderFields {
		if err := p.flushPending(); err != nil {
			return err
		}
		if len(data) == 0 {
			return nil
		}
		return p.emit(data, p.col, p.fieldLine)
	}
	p.pending = append(p.pending, pendingField{string(data), p.fieldLine})
	return nil
}

// endRecord decides, at the end of the first non-blank record, whether it is
// the header.
func (p *parser) endRecord() error {
	if !p.headerPending {
		return nil
	}
	blank := true
	for _, f := range p.pending {
		if f.data != "" {
			blank = false
			break
		}
	}
	if blank {
		// Leading blank lines are rows, but not the header.
		p.pending = p.pending[:0]
		return nil
	}
	names := make([]string, len(p.pending))
	for i, f := range p.pending {
		names[i] = f.data
	}
	if extract.LooksLikeHeader(names) {
		p.header = names
		p.headerPending = false
		p.pending = nil
		return nil
	}
	return p.flushPending()
}

// flushPending yields the fields held for the header decision as data.
func (p *parser) flushPending() error {
	p.headerPending = false
	pending := p.pending
	p.pending = nil
	for col, f := range pending {
		if f.data == "" {
			continue
		}
		if err := p.emit([]byte(f.data), col, f.line); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) emit(data []byte, col, line int) error {
	var header string
	if col < len(p.header) {
		header = p.header[col]
	}
	column := header
	if column == "" {
		column = p.columnName(col)
	}
	// Set the fields one by one: assigning a whole Chunk literal to the
	// heap-allocated p.chunk costs a bulk write barrier per field (a quarter
	// of the reader's time in BenchmarkReader). All fields are set, in case
	// the consumer changed one.
	c := &p.chunk
	c.Kind = extract.Cell
	c.Data = data
	c.Loc.Line, c.Loc.Row, c.Loc.Column = line, p.row, column
	c.Loc.Sheet, c.Loc.Cell = "", ""
	c.Header = header
	return p.yield(c)
}

// columnName returns "column N" for the 0-based column col.
func (p *parser) columnName(col int) string {
	if col < len(p.columnNames) {
		return p.columnNames[col]
	}
	if col >= maxColumnNames {
		return "column " + strconv.Itoa(col+1)
	}
	for i := len(p.columnNames); i <= col; i++ {
		p.columnNames = append(p.columnNames, "column "+strconv.Itoa(i+1))
	}
	return p.columnNames[col]
}

// isSpace reports whether c is ASCII white space; fields are trimmed of it.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

// isLeadingSpace reports whether c is skipped before a field, so that
// `a, "b,c"` reads as two fields. The delimiter itself is never skipped.
func isLeadingSpace(c, comma byte) bool {
	return (c == ' ' || c == '\t') && c != comma
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
