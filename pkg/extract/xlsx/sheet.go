package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
)

// The worksheet reader reproduces excelize's row iterator (Rows.Next and
// Rows.Columns, rows.go) on top of xmlScanner, because the current
// reader's output is the reference and excelize's iterator has rules of
// its own: it numbers rows by counting Next calls, takes a row's r
// attribute when it has one and the previous number plus one when not,
// places a cell at the column of its r attribute or one right of the
// previous cell, never moves a cell left of one already placed, keeps a
// cell only if its formatted value is not empty or it has a formula, and
// reads a <c> element the way xlsxC.cellXMLHandler does (the last <v>
// wins; an s attribute that is not a number abandons the cell and leaves
// its children to the row loop). sheetParser turns the XML into row and
// cell events; rowIter runs excelize's Next/Columns logic over them.

type evKind uint8

const (
	evEOF evKind = iota
	evRow
	evCell
	evSheetDataEnd
)

// rawCell is a <c> element as excelize's xlsxC holds it before any
// formatting.
type rawCell struct {
	ref     []byte // r attribute, as written
	style   int    // s attribute
	typ     []byte // t attribute
	v       []byte // text of the last <v>
	hasF    bool   // a <f> element: the cell is kept even when empty
	hasIS   bool   // an <is> element
	isT     []byte // text of <is>'s last direct <t>
	isRuns  []byte // texts of <is>'s runs (<r><t>), in order
	dropped bool   // an s attribute excelize could not parse
}

func (c *rawCell) reset() {
	c.ref, c.typ, c.v, c.isT, c.isRuns = c.ref[:0], c.typ[:0], c.v[:0], c.isT[:0], c.isRuns[:0]
	c.style, c.hasF, c.hasIS, c.dropped = 0, false, false, false
}

// sheetParser reads one worksheet part into events.
type sheetParser struct {
	x *xmlScanner
	// After evRow: the row's r attribute as attrValToInt reads it.
	rowNum int
	rowErr error
	// After evCell: the cell.
	c        rawCell
	cellName []byte
}

func (p *sheetParser) next() (evKind, error) {
	for {
		k, err := p.x.Next()
		if err != nil {
			return 0, err
		}
		switch k {
		case xmlscan.EOF:
			return evEOF, nil
		case xmlscan.Start:
			switch string(p.x.Local()) {
			case "row":
				attrs, err := p.x.Attrs()
				if err != nil {
					return 0, err
				}
				p.rowNum, p.rowErr = attrInt(attrs, "r")
				return evRow, nil
			case "c":
				if err := p.cell(); err != nil {
					return 0, err
				}
				return evCell, nil
			}
		case xmlscan.End:
			if string(p.x.Local()) == "sheetData" {
				return evSheetDataEnd, nil
			}
		}
	}
}

var errRowNumber = errors.New("row number is not a number")

// attrInt reads an integer attribute as excelize's attrValToInt does:
// every attribute with the local name counts, the first that does not
// parse stops with 0 and an error.
func attrInt(attrs []xmlscan.Attr, local string) (int, error) {
	val := 0
	for _, a := range attrs {
		if string(a.Local) != local {
			continue
		}
		n, ok := atoi(a.Value)
		if !ok {
			return 0, errRowNumber
		}
		val = n
	}
	return val, nil
}

// atoi is strconv.Atoi on bytes, without allocating for plain numbers.
func atoi(b []byte) (int, bool) {
	if len(b) > 0 && len(b) < 16 {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				goto slow
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
slow:
	n, err := strconv.Atoi(string(b))
	return n, err == nil
}

// cell reads the <c> element whose start tag was just read.
func (p *sheetParser) cell() error {
	x, c := p.x, &p.c
	c.reset()
	attrs, err := x.Attrs()
	if err != nil {
		return err
	}
	for _, a := range attrs {
		switch string(a.Local) {
		case "r":
			c.ref = append(c.ref[:0], a.Value...)
		case "s":
			// xlsxC.cellXMLAttrHandler parses s with ParseInt and, on
			// failure, returns before reading the rest: the cell keeps
			// the attributes seen so far, and its children are read by
			// the row loop as if they stood outside it.
			n, err := strconv.ParseInt(string(a.Value), 10, 64)
			if err != nil {
				c.dropped = true
				return nil
			}
			c.style = int(n)
		case "t":
			c.typ = append(c.typ[:0], a.Value...)
		}
	}
	if x.SelfClosing() {
		return nil
	}
	// excelize reads up to the first end tag named like the cell, and
	// decodes every v, f and is element on the way, however deep.
	p.cellName = append(p.cellName[:0], x.Name()...)
	for {
		k, err := x.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmlscan.EOF:
			return xmlscan.ErrTruncated
		case xmlscan.Start:
			switch string(x.Local()) {
			case "v":
				c.v = c.v[:0]
				if err := x.directText(&c.v); err != nil {
					return err
				}
			case "f":
				c.hasF = true
				if err := x.Skip(); err != nil {
					return err
				}
			case "is":
				c.hasIS = true
				if err := richText(x, &c.isT, &c.isRuns); err != nil {
					return err
				}
			default:
				if x.SelfClosing() && bytes.Equal(x.Name(), p.cellName) {
					return nil
				}
			}
		case xmlscan.End:
			if bytes.Equal(x.Name(), p.cellName) {
				return nil
			}
		}
	}
}

// richText reads the content of an element of type CT_Rst (<is>, <si>)
// whose start tag was just read, as encoding/xml fills excelize's xlsxSI:
// the last direct <t> goes to *t, each <r>'s last direct <t> is appended
// to *runs, everything else (phonetic runs, properties) is skipped. The
// string is *t followed by *runs.
func richText(x *xmlScanner, t, runs *[]byte) error {
	return x.eachChild(func(local []byte) error {
		switch string(local) {
		case "t":
			*t = (*t)[:0]
			return x.directText(t)
		case "r":
			return run(x, runs)
		}
		return x.Skip()
	})
}

// run reads one <r> of rich text, appending the text of its last <t>.
func run(x *xmlScanner, runs *[]byte) error {
	start := len(*runs)
	return x.eachChild(func(local []byte) error {
		if string(local) == "t" {
			*runs = (*runs)[:start]
			return x.directText(runs)
		}
		return x.Skip()
	})
}

// totalRows is excelize's row limit (TotalRows).
const totalRows = excelize.TotalRows

// maxRowBytes caps the text one row holds while it is read: an honest row
// of 16,384 long cells stays far below it.
const maxRowBytes = 64 << 20

// rowEntry is a non-blank cell of the current row: its column index, its
// formatted value and, when it differs (digits.go), the value to yield.
type rowEntry struct {
	col            int
	off, end       int
	altOff, altEnd int
	hasAlt         bool
}

// rowIter is excelize's Rows over a sheetParser. Its fields mirror Rows:
// curRow is the number of the row last seen, seekRow the number of the
// row Next moved to, pending the row start Next read and Columns has not
// yet taken (Rows.token).
type rowIter struct {
	p       *sheetParser
	cells   *cellFormatter
	curRow  int
	seekRow int
	pending bool
	pendNum int
	pendErr error
	err     error

	// The row Columns read: length is len(cells) in excelize, entries
	// its non-blank cells in column order, vals their text.
	length  int
	entries []rowEntry
	vals    []byte
}

func (it *rowIter) reset(p *sheetParser) {
	it.p, it.curRow, it.seekRow, it.pending, it.pendNum, it.pendErr, it.err = p, 0, 0, false, 0, nil, nil
	it.length, it.entries, it.vals = 0, it.entries[:0], it.vals[:0]
}

// Next moves to the next row, as Rows.Next.
func (it *rowIter) Next() bool {
	if it.err != nil {
		return false
	}
	it.seekRow++
	if it.curRow >= it.seekRow {
		return true // a row missing from the XML
	}
	for {
		ev, err := it.p.next()
		if err != nil {
			it.err = err
			return false
		}
		switch ev {
		case evEOF, evSheetDataEnd:
			return false
		case evRow:
			it.curRow++
			// Next ignores a bad r (the number is then 0); Columns
			// reports it.
			n := it.p.rowNum
			if n > totalRows {
				it.err = excelize.ErrMaxRows
				return false
			}
			if n != 0 {
				it.curRow = n
			}
			it.pending, it.pendNum, it.pendErr = true, it.p.rowNum, it.p.rowErr
			return true
		}
	}
}

// Err is the error that stopped Next, if any.
func (it *rowIter) Err() error { return it.err }

// Columns reads the current row, as Rows.Columns.
func (it *rowIter) Columns() error {
	it.length, it.entries, it.vals = 0, it.entries[:0], it.vals[:0]
	if it.curRow > it.seekRow {
		return nil
	}
	col := 0
	var rowErr error
	for {
		var ev evKind
		if it.pending {
			ev = evRow
		} else {
			var err error
			if ev, err = it.p.next(); err != nil {
				return err
			}
		}
		switch ev {
		case evEOF:
			return rowErr
		case evSheetDataEnd:
			return rowErr
		case evRow:
			num, err := it.p.rowNum, it.p.rowErr
			if it.pending {
				num, err = it.pendNum, it.pendErr
			}
			rowErr = err
			switch {
			case num > totalRows:
				it.err, it.pending = excelize.ErrMaxRows, false
				return it.err
			case num != 0:
				it.curRow = num
			case !it.pending:
				it.curRow++
			}
			it.pending = false
			if it.curRow > it.seekRow || rowErr != nil {
				// The next row, or a bad row number: excelize consumes
				// the row's start tag here either way.
				return rowErr
			}
		case evCell:
			col++
			c := &it.p.c
			if len(c.ref) > 0 {
				var err error
				if col, err = refColumn(c.ref); err != nil {
					return err
				}
			}
			if err := it.add(col, c); err != nil {
				return err
			}
		}
	}
}

// add formats c and places it at col, as rowXMLHandler does.
func (it *rowIter) add(col int, c *rawCell) error {
	if c.dropped {
		// No value and no formula: excelize drops it.
		return nil
	}
	start := len(it.vals)
	var err error
	if it.vals, err = it.cells.appendValue(it.vals, c); err != nil {
		return err
	}
	val := it.vals[start:]
	if len(val) == 0 && !c.hasF {
		return nil
	}
	pos := max(col-1, it.length)
	it.length = pos + 1
	if len(bytes.TrimSpace(val)) == 0 {
		it.vals = it.vals[:start]
		return nil
	}
	e := rowEntry{col: pos, off: start, end: len(it.vals)}
	if mayHaveLostDigits(val) {
		// Excel's 15 digits: yield the stored digits instead, when
		// that is what was lost (digits.go).
		it.vals = it.cells.appendRaw(it.vals, c)
		if d, ok := storedDigits(it.vals[e.end:]); ok {
			e.hasAlt, e.altOff, e.altEnd = true, e.end, e.end+len(d)
		} else {
			it.vals = it.vals[:e.end]
		}
	}
	if len(it.vals)+len(it.entries)*16 > maxRowBytes {
		return fmt.Errorf("%w: a row holds over %d bytes of text", ErrTooLarge, maxRowBytes)
	}
	it.entries = append(it.entries, e)
	return nil
}

// value is the text the row yields for e.
func (it *rowIter) value(e *rowEntry) []byte {
	if e.hasAlt {
		return it.vals[e.altOff:e.altEnd]
	}
	return it.vals[e.off:e.end]
}

// fields is the row as excelize's Columns returns it, for the header
// check: nil when it is too wide to be a header row.
func (it *rowIter) fields() []string {
	if it.length > extract.MaxHeaderFields {
		return nil
	}
	f := make([]string, it.length)
	for _, e := range it.entries {
		f[e.col] = string(it.vals[e.off:e.end])
	}
	return f
}

var errCellRef = errors.New("invalid cell reference")

// refColumn returns the column of cell reference ref ("B7": 2), with
// excelize's rules (CellNameToCoordinates); the error does not quote ref.
func refColumn(ref []byte) (int, error) {
	// Fast path: upper-case letters, then digits not starting with 0.
	col, i := 0, 0
	for i < len(ref) && 'A' <= ref[i] && ref[i] <= 'Z' && i < 3 {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	if i > 0 && i < len(ref) && len(ref)-i <= 7 && ref[i] != '0' {
		row := 0
		for _, c := range ref[i:] {
			if c < '0' || c > '9' {
				goto slow
			}
			row = row*10 + int(c-'0')
		}
		if col <= excelize.MaxColumns && row <= totalRows {
			return col, nil
		}
	}
slow:
	col, _, err := excelize.CellNameToCoordinates(string(ref))
	if err != nil {
		return 0, errCellRef
	}
	return col, nil
}
