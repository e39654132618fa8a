package xlsx

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
)

// DefaultMaxCells is the cell cap of a Reader whose MaxCells is not set.
const DefaultMaxCells = 50_000_000

var (
	// ErrTooManyCells means the workbook has more non-empty cells than
	// Reader.MaxCells. The scan reports the file as skipped with this
	// reason; chunks yielded before the cap was hit stand.
	ErrTooManyCells = errors.New("too many cells")
	// ErrTooLarge means the workbook exceeds one of the reader's size
	// limits. Most are checked before anything is decompressed, and then
	// nothing was yielded: 256 MiB of file, 2 GiB of decompressed parts,
	// of which at most 256 MiB not streamed (container.go explains them),
	// 16 Mi shared strings. The limits on one value (4 MiB) and one row
	// (64 MiB) are met while reading: chunks yielded before stand.
	ErrTooLarge = errors.New("workbook too large")
	// ErrEncrypted means the workbook is password-protected: an OOXML
	// package encrypted into an OLE2 compound file, as Office saves it, or
	// a zip with encrypted entries. Nothing was yielded.
	ErrEncrypted = errors.New("workbook is encrypted")
)

// Reader reads .xlsx and .xlsm workbooks. The zero value is ready to use.
type Reader struct {
	// MaxCells caps the non-empty cells read, header cells included;
	// 0 or less means DefaultMaxCells.
	MaxCells int64

	// For tests: slowDates leaves date formats as excelize has them
	// (datefmt.go); partInMemory replaces maxPartInMemory when set.
	slowDates    bool
	partInMemory int64
}

var _ extract.Extractor = (*Reader)(nil)

// Extract yields every non-empty cell of every sheet, in workbook order and
// row by row. Errors wrap extract.ErrCorrupt, ErrEncrypted, ErrTooLarge or
// ErrTooManyCells, or are ctx's error or the error yield returned.
func (r *Reader) Extract(ctx context.Context, in extract.Input, yield extract.Yield) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	partInMemory := int64(maxPartInMemory)
	if r.partInMemory > 0 {
		partInMemory = r.partInMemory
	}
	// A large workbook, and a large shared-string table, are spilled to
	// a private directory (0700), removed whatever happens: they are the
	// very data we audit.
	var tmp spillDir
	defer tmp.cleanup()
	input, err := spoolInput(ctx, in, partInMemory, &tmp)
	if err != nil {
		return err
	}
	defer input.Release()
	zr, _, err := openContainer(in.Name, input, input.Size, partInMemory)
	if err != nil {
		return err
	}
	w := newWalker(in.Name, r.MaxCells, yield)
	// excelize has panicked on hostile workbooks before (index out of
	// range, nil maps); a panic there, or in the tokenizer, is a corrupt
	// file, not a crash. A panic inside yield is the consumer's bug and
	// goes on unchanged. (FuzzSheetXML runs the tokenizer without this
	// net, so that its panics are found.)
	defer func() {
		if p := recover(); p != nil {
			if w.inYield {
				panic(p)
			}
			err = corrupt(in.Name, fmt.Sprintf("reader panicked: %v", p))
		}
	}()
	return r.extract(ctx, zr, w, partInMemory, &tmp)
}

// extract reads an opened container; Extract adds the panic net.
func (r *Reader) extract(ctx context.Context, zr *zip.Reader, w *walker, partInMemory int64, tmp *spillDir) error {
	wb, err := openBook(zr, !r.slowDates)
	if err != nil {
		return corrupt(w.name, err)
	}
	defer wb.close()
	sheets := wb.fx.GetSheetList()
	if len(sheets) == 0 {
		// Every workbook has a sheet; a zip without one is something else.
		return corrupt(w.name, "no sheets: not a workbook")
	}
	sst, err := wb.sharedStrings(partInMemory, tmp.get)
	if err != nil {
		return w.fail("shared strings", err)
	}
	defer sst.close()
	cells := newCellFormatter(&styleTable{f: wb.fx}, sst, newFormatOracle(wb.fx))
	for _, sheet := range sheets {
		if err := w.sheet(ctx, wb, cells, sheet); err != nil {
			return err
		}
	}
	return nil
}

// walker holds the state of one Extract call.
type walker struct {
	name     string
	yield    extract.Yield
	maxCells int64
	cells    int64
	// inYield is set while yield runs, to tell its panics from excelize's.
	inYield bool
	// chunk and buf are reused for every cell, as extract.Chunk allows.
	chunk extract.Chunk
	buf   []byte
	// The worksheet reader, reused from sheet to sheet.
	x       *xmlScanner
	parser  sheetParser
	rows    rowIter
	cellRef []byte
}

func newWalker(name string, maxCells int64, yield extract.Yield) *walker {
	if maxCells <= 0 {
		maxCells = DefaultMaxCells
	}
	return &walker{name: name, yield: yield, maxCells: maxCells, chunk: extract.Chunk{Kind: extract.Cell}}
}

// sheet yields the cells of one sheet, read with the tokenizer. The loop
// is the one excelize's iterator runs in reference.go, cell for cell.
func (w *walker) sheet(ctx context.Context, wb *book, cells *cellFormatter, sheet string) error {
	part, err := wb.sheetPart(sheet)
	if err != nil {
		return corrupt(w.name, fmt.Errorf("sheet %q: %w", sheet, err))
	}
	rc, err := part.Open()
	if err != nil {
		return corrupt(w.name, fmt.Errorf("sheet %q: %w", sheet, err))
	}
	defer rc.Close()
	if w.x == nil {
		w.x = newXMLScanner(rc, maxStringLen)
	} else {
		w.x.Reset(rc, xmlscan.Options{})
	}
	w.parser.x = w.x
	it := &w.rows
	it.reset(&w.parser)
	it.cells = cells

	var headers []string
	seenFirst := false
	// Rows are numbered by counting Next calls, as with excelize.
	for row := 1; it.Next(); row++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := it.Columns(); err != nil {
			return w.fail(fmt.Sprintf("sheet %q row %d", sheet, row), err)
		}
		if !seenFirst {
			if len(it.entries) == 0 {
				continue
			}
			seenFirst = true
			if fields := it.fields(); extract.LooksLikeHeader(fields) {
				headers = make([]string, len(fields))
				for i, c := range fields {
					headers[i] = strings.TrimSpace(c)
				}
				if err := w.count(len(it.entries)); err != nil {
					return err
				}
				continue
			}
		}
		for i := range it.entries {
			e := &it.entries[i]
			if err := w.count(1); err != nil {
				return err
			}
			cell, err := w.cellName(e.col+1, row)
			if err != nil {
				return corrupt(w.name, fmt.Errorf("sheet %q row %d: %w", sheet, row, err))
			}
			header := ""
			if e.col < len(headers) {
				header = headers[e.col]
			}
			if err := w.emitBytes(sheet, cell, row, header, it.value(e)); err != nil {
				return err
			}
		}
	}
	if err := it.Err(); err != nil {
		return w.fail(fmt.Sprintf("sheet %q", sheet), err)
	}
	return nil
}

// fail wraps an error met while reading part of the workbook: limits keep
// their own error, anything else is a corrupt file.
func (w *walker) fail(where string, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return fmt.Errorf("%s: %s: %w", w.name, where, err)
	}
	return corrupt(w.name, fmt.Errorf("%s: %w", where, err))
}

// cellName is excelize.CoordinatesToCellName without its allocations.
func (w *walker) cellName(col, row int) (string, error) {
	if col < 1 || col > excelize.MaxColumns || row < 1 || row > totalRows {
		return excelize.CoordinatesToCellName(col, row)
	}
	name, _ := excelize.ColumnNumberToName(col)
	w.cellRef = strconv.AppendInt(append(w.cellRef[:0], name...), int64(row), 10)
	return string(w.cellRef), nil
}

func (w *walker) count(n int) error {
	w.cells += int64(n)
	if w.cells > w.maxCells {
		return fmt.Errorf("%s: %w: more than %d", w.name, ErrTooManyCells, w.maxCells)
	}
	return nil
}

func (w *walker) emit(sheet, cell string, row int, header, v string) error {
	w.buf = append(w.buf[:0], v...)
	return w.emitBytes(sheet, cell, row, header, w.buf)
}

// emitBytes yields v, which must not change until yield returns.
func (w *walker) emitBytes(sheet, cell string, row int, header string, v []byte) error {
	c := &w.chunk
	c.Data = v
	c.Loc.Sheet, c.Loc.Cell, c.Loc.Row, c.Loc.Column = sheet, cell, row, header
	c.Header = header
	w.inYield = true
	err := w.yield(c)
	w.inYield = false
	return err
}

func corrupt(name string, detail any) error {
	return fmt.Errorf("%s: %w: %v", name, extract.ErrCorrupt, detail)
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

func allBlank(cells []string) bool { return blanks(cells) == len(cells) }

func blanks(cells []string) int {
	n := 0
	for _, c := range cells {
		if isBlank(c) {
			n++
		}
	}
	return n
}
