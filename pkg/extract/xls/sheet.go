package xls

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// Limits on one row, which is held until it ends: its cells are sorted by
// column and the first row may be the header. A BIFF8 row has 256 columns
// at most; a row longer than these is hostile.
const (
	maxRowCells = 1 << 16
	maxRowBytes = 64 << 20
)

// walker holds the state of one Extract call: the cell cap, the reused
// chunk, and the row being collected.
type walker struct {
	name     string
	yield    extract.Yield
	maxCells int64
	cells    int64
	// allRows (tests) yields the first row too, without a header.
	allRows bool
	// inYield is set while yield runs, to tell its panics from the
	// reader's; yieldErr is what yield returned, passed on unchanged.
	inYield  bool
	yieldErr error
	chunk    extract.Chunk
	buf, ref []byte

	sheet     string
	sst       *sharedStrings
	row       int // the row being collected (0-based), -1 before the first
	entries   []entry
	vals      []byte
	headers   []string
	seenFirst bool
}

// entry is one non-blank cell of the row being collected: a shared string,
// or text in vals.
type entry struct {
	col      int
	sst      bool
	idx      uint32
	off, end int
}

func newWalker(name string, maxCells int64, allRows bool, yield extract.Yield) *walker {
	if maxCells <= 0 {
		maxCells = DefaultMaxCells
	}
	return &walker{name: name, yield: yield, maxCells: maxCells, allRows: allRows,
		chunk: extract.Chunk{Kind: extract.Cell}}
}

func (w *walker) startSheet(name string, sst *sharedStrings) {
	w.sheet, w.sst, w.row = name, sst, -1
	w.entries, w.vals = w.entries[:0], w.vals[:0]
	w.headers, w.seenFirst = nil, false
}

// at makes row the row being collected, yielding the previous one if it
// ends. Rows are stored in ascending order ([MS-XLS] 2.1.7.20.5); a row
// that comes back later is yielded where it stands.
func (w *walker) at(row int) error {
	if row == w.row {
		if len(w.entries) >= maxRowCells {
			return fmt.Errorf("row %d holds over %d cells", row+1, maxRowCells)
		}
		if len(w.vals) > maxRowBytes {
			return fmt.Errorf("%w: row %d holds over %d bytes of text", ErrTooLarge, row+1, maxRowBytes)
		}
		return nil
	}
	if err := w.flush(); err != nil {
		return err
	}
	w.row = row
	return nil
}

// addText adds the text appended to w.vals since off, unless it is blank.
func (w *walker) addText(col, off int) {
	if len(bytes.TrimSpace(w.vals[off:])) == 0 {
		w.vals = w.vals[:off]
		return
	}
	w.entries = append(w.entries, entry{col: col, off: off, end: len(w.vals)})
}

func (w *walker) addNumber(row, col int, v float64) error {
	if err := w.at(row); err != nil {
		return err
	}
	off := len(w.vals)
	var ok bool
	if w.vals, ok = appendNumber(w.vals, v); ok {
		w.entries = append(w.entries, entry{col: col, off: off, end: len(w.vals)})
	}
	return nil
}

func (w *walker) addShared(row, col int, idx uint32) error {
	if err := w.at(row); err != nil {
		return err
	}
	s, ok := w.sst.get(idx)
	if !ok {
		return fmt.Errorf("cell %s: shared string %d of %d", cellRef(col, row), idx, len(w.sst.ends))
	}
	if len(bytes.TrimSpace(s)) > 0 {
		w.entries = append(w.entries, entry{col: col, sst: true, idx: idx})
	}
	return nil
}

// value is e's text; a shared string is copied, so that a consumer that
// writes into the chunk cannot change the table.
func (w *walker) value(e *entry) []byte {
	if e.sst {
		s, _ := w.sst.get(e.idx)
		w.buf = append(w.buf[:0], s...)
		return w.buf
	}
	return w.vals[e.off:e.end]
}

// flush yields the row being collected, or takes it as the sheet's header
// row if it is the first non-empty one and reads as one.
func (w *walker) flush() error {
	if len(w.entries) == 0 {
		w.vals = w.vals[:0]
		return nil
	}
	defer func() { w.entries, w.vals = w.entries[:0], w.vals[:0] }()
	slices.SortStableFunc(w.entries, func(a, b entry) int { return a.col - b.col })
	if !w.seenFirst && !w.allRows {
		w.seenFirst = true
		if fields := w.fields(); extract.LooksLikeHeader(fields) {
			w.headers = make([]string, len(fields))
			for i, f := range fields {
				w.headers[i] = strings.TrimSpace(f)
			}
			return w.count(len(w.entries))
		}
	}
	for i := range w.entries {
		e := &w.entries[i]
		if err := w.count(1); err != nil {
			return err
		}
		header := ""
		if e.col < len(w.headers) {
			header = w.headers[e.col]
		}
		if err := w.emit(e.col, header, w.value(e)); err != nil {
			return err
		}
	}
	return nil
}

// fields is the row as a header candidate: one field per column from A to
// the last non-empty one.
func (w *walker) fields() []string {
	n := w.entries[len(w.entries)-1].col + 1
	if n > extract.MaxHeaderFields {
		return nil
	}
	f := make([]string, n)
	for i := range w.entries {
		f[w.entries[i].col] = string(w.value(&w.entries[i]))
	}
	return f
}

func (w *walker) count(n int) error {
	w.cells += int64(n)
	if w.cells > w.maxCells {
		return fmt.Errorf("%s: %w: more than %d", w.name, ErrTooManyCells, w.maxCells)
	}
	return nil
}

func (w *walker) emit(col int, header string, v []byte) error {
	w.ref = appendCellRef(w.ref[:0], col, w.row)
	c := &w.chunk
	c.Data = v
	c.Loc.Sheet, c.Loc.Cell, c.Loc.Row, c.Loc.Column = w.sheet, string(w.ref), w.row+1, header
	c.Header = header
	w.inYield = true
	err := w.yield(c)
	w.inYield = false
	if err != nil {
		w.yieldErr = err
	}
	return err
}

// appendCellRef appends the A1 reference of the 0-based col and row.
func appendCellRef(dst []byte, col, row int) []byte {
	var letters [8]byte
	i := len(letters)
	for c := col + 1; c > 0 && i > 0; c = (c - 1) / 26 {
		i--
		letters[i] = byte('A' + (c-1)%26)
	}
	dst = append(dst, letters[i:]...)
	return strconv.AppendInt(dst, int64(row)+1, 10)
}

func cellRef(col, row int) string { return string(appendCellRef(nil, col, row)) }

// readSheet yields the cells of one worksheet: the substream at sh.pos,
// from its BOF to its EOF, skipping the substreams nested in it.
func (s *stream) readSheet(w *walker, b *book, sh *sheetInfo) error {
	if err := s.rr.seek(sh.pos); err != nil {
		return err
	}
	_, dt, err := s.bof()
	if err != nil {
		return err
	}
	if dt != bofWorksheet && dt != bofMacro {
		return nil // a chart or module filed as a worksheet: no cells
	}
	w.startSheet(sh.name, b.sst)
	depth := 0
	// A FORMULA whose value is text is followed by a STRING record that
	// holds the text ([MS-XLS] 2.4.268).
	pendingRow, pendingCol := -1, -1
	for {
		if err := s.next(); err != nil {
			if err == io.EOF {
				err = errors.New("sheet ends without an EOF record")
			}
			return err
		}
		typ, data := s.rr.typ, s.rr.data
		at := s.rr.pos - int64(len(data)) - 4
		switch {
		case typ == recBOF:
			if depth++; depth > maxDepth {
				return errors.New("substreams nested too deep")
			}
			continue
		case typ == recEOF && depth == 0:
			return w.flush()
		case typ == recEOF:
			depth--
			continue
		case depth > 0:
			continue
		}
		var row, col int
		switch typ {
		case recNumber, recRK, recMulRK, recLabelSST, recLabel, recRString, recFormula:
			if len(data) < 6 {
				return errShort(typ, len(data))
			}
			row, col = u16(data, 0), u16(data, 2)
			pendingRow, pendingCol = -1, -1
		}
		switch typ {
		case recNumber:
			if len(data) < 14 {
				return errShort(typ, len(data))
			}
			err = w.addNumber(row, col, math.Float64frombits(uint64(u32(data, 6))|uint64(u32(data, 10))<<32))
		case recRK:
			if len(data) < 10 {
				return errShort(typ, len(data))
			}
			err = w.addNumber(row, col, rkNumber(u32(data, 6)))
		case recMulRK:
			// First column, then six bytes a cell (XF index, RK), then
			// the last column.
			for i := 0; 4+6*i+6 <= len(data)-2 && err == nil; i++ {
				err = w.addNumber(row, col+i, rkNumber(u32(data, 4+6*i+2)))
			}
		case recLabelSST:
			if len(data) < 10 {
				return errShort(typ, len(data))
			}
			err = w.addShared(row, col, u32(data, 6))
		case recLabel, recRString:
			err = s.addLabel(w, b, row, col, data[6:])
		case recFormula:
			if len(data) < 14 {
				return errShort(typ, len(data))
			}
			if u16(data, 12) != 0xFFFF {
				err = w.addNumber(row, col, math.Float64frombits(uint64(u32(data, 6))|uint64(u32(data, 10))<<32))
			} else if data[6] == 0 {
				pendingRow, pendingCol = row, col
			}
			// Otherwise a boolean, an error or an empty string.
		case recString:
			if pendingRow >= 0 {
				err = s.addLabel(w, b, pendingRow, pendingCol, data)
				pendingRow, pendingCol = -1, -1
			}
		}
		if err != nil {
			if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrTooManyCells) && w.yieldErr == nil {
				err = fmt.Errorf("%s record at offset %d: %w", recordName(typ), at, err)
			}
			return err
		}
	}
}

// addLabel adds the string that starts at data: an XLUnicodeString in
// BIFF8, possibly continued; a 16-bit byte count and code-page text in
// BIFF5.
func (s *stream) addLabel(w *walker, b *book, row, col int, data []byte) error {
	if err := w.at(row); err != nil {
		return err
	}
	off := len(w.vals)
	if b.version == biff8 {
		s.seg.reset(data, s.rr.continuation)
		var err error
		if w.vals, err = s.seg.unicodeString(w.vals, false); err != nil {
			w.vals = w.vals[:off]
			return err
		}
	} else {
		if len(data) < 2 || len(data) < 2+u16(data, 0) {
			return errTruncated
		}
		w.vals = b.cp.appendText(w.vals, data[2:2+u16(data, 0)])
	}
	w.addText(col, off)
	return nil
}
