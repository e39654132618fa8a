package office

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
	"github.com/datahygiene/datahygiene/pkg/finding"
)

// An OpenDocument spreadsheet is a list of table:table elements, each a
// list of rows (inside optional header-row and row-group wrappers) of
// table:table-cell and table:covered-table-cell elements (the cells a
// merged cell hides, which may still hold text). A row or cell element
// stands for number-rows-repeated rows or number-columns-repeated cells:
// LibreOffice writes the empty rest of a sheet as one row repeated a
// million times, and runs of equal cells as one.

const (
	// maxRepeat caps a repeat count as read; beyond any real sheet
	// (LibreOffice: 16,384 columns, 1,048,576 rows), and it keeps the
	// arithmetic small.
	maxRepeat = 1 << 30
	// maxCopies caps the copies of one repeated non-empty cell, and of
	// one repeated non-empty row, that are yielded. Repeated data comes
	// from a value filled across a range; its first copies locate it,
	// while a file could otherwise ask for 2^30 x 2^30 copies in a few
	// bytes. References after the repeat stay right.
	maxCopies = 1024
	// maxCellLen caps one cell's text; the xlsx reader's cap on a value.
	maxCellLen = 4 << 20
	// maxRowLen caps the text of one row, held until the row ends to
	// decide whether it is the header and to repeat it.
	maxRowLen = 64 << 20
)

// odsCell is a non-empty cell of the row being read.
type odsCell struct {
	col, repeat int
	start, end  int // its text in odsReader.rowText
}

type odsReader struct {
	d     *doc
	e     *emitter
	cells int64 // yielded so far

	sheets  int // table:table elements so far
	sheet   string
	row     int // rows of the sheet before the current one
	header  []string
	sawData bool // a non-empty row was read in this sheet

	rowRepeat int
	col       int
	rowCells  []odsCell
	rowText   []byte

	// The cell being read.
	cellRepeat int
	fallback   []byte // office:value and kin, used when there is no text
	paras      int    // text:p elements in the cell so far
	cellStart  int    // where the cell's text starts in rowText
	ref        []byte
}

// ods yields the cells of every sheet of content.xml, row by row.
func (d *doc) ods(part string, e *emitter) error {
	x, c, err := d.open(part)
	if err != nil {
		return err
	}
	defer c.Close()
	r := &odsReader{d: d, e: e}
	if err := r.read(x); err != nil {
		if isYieldErr(err) {
			return err
		}
		return d.fail(part, err)
	}
	return nil
}

// Depths (in the scanner's count of open elements) where the reader is
// inside a table, a row and a cell; 0 when outside.
type odsDepths struct{ table, row, cell, para int }

func (r *odsReader) read(x *xmlscan.Scanner) error {
	var at odsDepths
	for {
		k, err := x.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmlscan.EOF:
			return nil
		case xmlscan.Text:
			if err := r.appendText(x.Text(), true); err != nil {
				return err
			}
		case xmlscan.Start:
			if err := r.start(x, &at); err != nil {
				return err
			}
		case xmlscan.End:
			if err := r.end(x, &at); err != nil {
				return err
			}
		}
		x.SetWantText(at.para > 0)
	}
}

func (r *odsReader) start(x *xmlscan.Scanner, at *odsDepths) error {
	d := x.Depth()
	local := string(x.Local())
	if at.cell > 0 {
		// Inside a cell everything is content, nested tables included.
		switch {
		case x.NS() == nsText && (local == "p" || local == "h"):
			if at.para == 0 {
				if r.paras > 0 {
					r.rowText = append(r.rowText, '\n')
				}
				r.paras++
				at.para = d
			}
		case x.NS() == nsText && local == "s" && at.para > 0:
			n := 1
			if v, ok, err := x.Attr(nsText, "c"); err != nil {
				return err
			} else if ok {
				if c, err := strconv.Atoi(string(v)); err == nil {
					n = min(max(c, 0), maxSpaces)
				}
			}
			return r.appendText(bytes.Repeat([]byte{' '}, n), false)
		case x.NS() == nsText && local == "tab" && at.para > 0:
			return r.appendText([]byte{' '}, false)
		case x.NS() == nsText && local == "line-break" && at.para > 0:
			return r.appendText([]byte{'\n'}, false)
		case x.NS() == nsOffice && (local == "annotation" || local == "binary-data"):
			return x.Skip() // a comment, an image: not the cell's value
		}
		return nil
	}
	if x.NS() != nsTable {
		return nil
	}
	switch {
	case local == "shapes":
		// Drawings anchored to the sheet, which may hold tables of
		// their own; like the xlsx reader, this one reads cells only.
		return x.Skip()
	case local == "table" && at.table == 0:
		name, _, err := x.Attr(nsTable, "name")
		if err != nil {
			return err
		}
		r.sheets++
		r.sheet, r.row, r.header, r.sawData = string(name), 0, nil, false
		if r.sheet == "" { // required by ODF; named as LibreOffice would
			r.sheet = fmt.Sprintf("Sheet%d", r.sheets)
		}
		at.table = d
	case local == "table-row" && at.table > 0 && at.row == 0:
		n, err := repeatAttr(x, "number-rows-repeated")
		if err != nil {
			return err
		}
		r.rowRepeat, r.col, r.rowCells, r.rowText = n, 0, r.rowCells[:0], r.rowText[:0]
		at.row = d
	case (local == "table-cell" || local == "covered-table-cell") && at.row > 0:
		if err := r.startCell(x); err != nil {
			return err
		}
		at.cell = d
	}
	return nil
}

// valueAttrs hold a cell's value by type, in order of preference; the
// displayed text (text:p) is preferred to all, as it is what a reader of
// the sheet sees.
var valueAttrs = []string{"value", "date-value", "time-value", "string-value", "boolean-value"}

// startCell reads a cell's attributes in one pass: its repeat count and
// its stored value.
func (r *odsReader) startCell(x *xmlscan.Scanner) error {
	r.cellRepeat, r.paras, r.cellStart = 1, 0, len(r.rowText)
	r.fallback = r.fallback[:0]
	best := len(valueAttrs)
	return x.EachAttr(func(a xmlscan.RawAttr) (bool, error) {
		// The local name is checked first: most of a cell's attributes
		// (value types, styles) are neither, and need no lookup.
		switch {
		case string(a.Local) == "number-columns-repeated" && x.AttrNS(a) == nsTable:
			v, err := x.AttrValue(a)
			if err != nil {
				return false, err
			}
			r.cellRepeat = parseRepeat(v)
		default:
			if i := valueAttr(a.Local); i < best && x.AttrNS(a) == nsOffice {
				v, err := x.AttrValue(a)
				if err != nil {
					return false, err
				}
				best, r.fallback = i, append(r.fallback[:0], v...)
			}
		}
		return true, nil
	})
}

// valueAttr is local's index in valueAttrs, or len(valueAttrs).
func valueAttr(local []byte) int {
	for i, v := range valueAttrs {
		if string(local) == v {
			return i
		}
	}
	return len(valueAttrs)
}

func (r *odsReader) end(x *xmlscan.Scanner, at *odsDepths) error {
	d := x.Depth() + 1 // the depth of the element that just closed
	switch d {
	case at.para:
		at.para = 0
	case at.cell:
		at.cell = 0
		return r.endCell()
	case at.row:
		at.row = 0
		return r.endRow()
	case at.table:
		at.table = 0
	}
	return nil
}

// appendText adds text to the cell being read; collapse applies ODF's
// white space rule to character data.
func (r *odsReader) appendText(b []byte, collapse bool) error {
	if len(r.rowText)-r.cellStart+len(b) > maxCellLen {
		return fmt.Errorf("%w: a cell over %d bytes", ErrTooLarge, maxCellLen)
	}
	if len(r.rowText)+len(b) > maxRowLen {
		return fmt.Errorf("%w: a row over %d bytes", ErrTooLarge, maxRowLen)
	}
	if !collapse {
		r.rowText = append(r.rowText, b...)
		return nil
	}
	for _, c := range b {
		if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
			if n := len(r.rowText); n == r.cellStart || r.rowText[n-1] == ' ' || r.rowText[n-1] == '\n' {
				continue
			}
			c = ' '
		}
		r.rowText = append(r.rowText, c)
	}
	return nil
}

// endCell keeps the cell if it has a value, and moves past its columns.
func (r *odsReader) endCell() error {
	if isBlank(r.rowText[r.cellStart:]) {
		r.rowText = r.rowText[:r.cellStart]
		if !isBlank(r.fallback) {
			if err := r.appendText(r.fallback, false); err != nil {
				return err
			}
		}
	}
	if r.cellStart < len(r.rowText) {
		r.rowCells = append(r.rowCells, odsCell{col: r.col, repeat: r.cellRepeat, start: r.cellStart, end: len(r.rowText)})
	}
	r.col = min(r.col+r.cellRepeat, maxRepeat)
	return nil
}

// endRow yields the row's cells (its first copies, when repeated), or
// takes it as the sheet's header row.
func (r *odsReader) endRow() error {
	first := r.row + 1
	r.row = min(r.row+r.rowRepeat, maxRepeat)
	if len(r.rowCells) == 0 {
		return nil
	}
	copies := min(r.rowRepeat, maxCopies)
	if !r.sawData {
		r.sawData = true
		if fields := r.fields(); extract.LooksLikeHeader(fields) {
			r.header = make([]string, len(fields))
			for i, f := range fields {
				r.header[i] = strings.TrimSpace(f)
			}
			first++
			copies--
		}
	}
	for i := range copies {
		if err := r.emitRow(first + i); err != nil {
			return err
		}
	}
	return nil
}

// fields is the row as a header candidate: one string per column up to
// its last non-empty cell, or nil when wider than a header may be.
func (r *odsReader) fields() []string {
	last := r.rowCells[len(r.rowCells)-1]
	width := last.col + last.repeat
	if width > extract.MaxHeaderFields {
		return nil
	}
	fields := make([]string, width)
	for _, c := range r.rowCells {
		v := string(r.rowText[c.start:c.end])
		for j := c.col; j < c.col+c.repeat; j++ {
			fields[j] = v
		}
	}
	return fields
}

func (r *odsReader) emitRow(row int) error {
	for _, c := range r.rowCells {
		for j := c.col; j < c.col+min(c.repeat, maxCopies); j++ {
			r.cells++
			if r.cells > r.d.lim.MaxCells {
				return fmt.Errorf("%w: more than %d cells", ErrTooLarge, r.d.lim.MaxCells)
			}
			// Repeats yield many cells from few bytes, between two
			// reads that check ctx.
			if r.cells%4096 == 0 {
				if err := r.d.ctx.Err(); err != nil {
					return &limitError{err}
				}
			}
			header := ""
			if j < len(r.header) {
				header = r.header[j]
			}
			r.ref = appendCellRef(r.ref[:0], j, row)
			loc := finding.Location{Sheet: r.sheet, Cell: string(r.ref), Row: row, Column: header}
			if err := r.e.emit(extract.Cell, r.rowText[c.start:c.end], loc, header); err != nil {
				return err
			}
		}
	}
	return nil
}

// repeatAttr reads a table:number-*-repeated attribute: 1 when absent or
// not a positive number, at most maxRepeat.
func repeatAttr(x *xmlscan.Scanner, name string) (int, error) {
	v, ok, err := x.Attr(nsTable, name)
	if err != nil || !ok {
		return 1, err
	}
	return parseRepeat(v), nil
}

func parseRepeat(v []byte) int {
	n, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil {
		if len(v) > 0 && strings.Trim(string(v), "0123456789") == "" {
			return maxRepeat // all digits: too large
		}
		return 1
	}
	return int(min(max(n, 1), maxRepeat))
}

// appendCellRef appends the A1 reference of 0-based column col and
// 1-based row.
func appendCellRef(dst []byte, col, row int) []byte {
	var letters [8]byte
	i := len(letters)
	for n := col + 1; n > 0 && i > 0; n = (n - 1) / 26 {
		i--
		letters[i] = byte('A' + (n-1)%26)
	}
	dst = append(dst, letters[i:]...)
	return strconv.AppendInt(dst, int64(row), 10)
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }
