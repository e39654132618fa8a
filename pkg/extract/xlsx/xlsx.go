package xlsx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// DefaultMaxCells is the cell cap of a Reader whose MaxCells is not set.
const DefaultMaxCells = 50_000_000

var (
	// ErrTooManyCells means the workbook has more non-empty cells than
	// Reader.MaxCells. The scan reports the file as skipped with this
	// reason; chunks yielded before the cap was hit stand.
	ErrTooManyCells = errors.New("too many cells")
	// ErrTooLarge means the workbook exceeds one of the reader's size
	// limits, checked before anything is decompressed: 256 MiB of file,
	// 2 GiB of decompressed parts, of which at most 256 MiB held in memory
	// (container.go explains them). Nothing was yielded.
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
	data, err := readInput(in.Name, in.R, in.Size)
	if err != nil {
		return err
	}
	partInMemory := int64(maxPartInMemory)
	if r.partInMemory > 0 {
		partInMemory = r.partInMemory
	}
	spills, err := checkContainer(in.Name, data, partInMemory)
	if err != nil {
		return err
	}
	w := &walker{
		name:     in.Name,
		yield:    yield,
		maxCells: r.MaxCells,
		chunk:    extract.Chunk{Kind: extract.Cell},
	}
	if w.maxCells <= 0 {
		w.maxCells = DefaultMaxCells
	}
	// excelize has panicked on hostile workbooks before (index out of
	// range, nil maps); a panic there is a corrupt file, not a crash.
	// A panic inside yield is the consumer's bug and goes on unchanged.
	defer func() {
		if p := recover(); p != nil {
			if w.inYield {
				panic(p)
			}
			err = corrupt(in.Name, fmt.Sprintf("excelize panicked: %v", p))
		}
	}()
	opts := excelize.Options{UnzipSizeLimit: maxUnzipSize, UnzipXMLSizeLimit: partInMemory}
	if spills {
		// excelize removes its temporary files in Close, but not when
		// OpenReader fails half-way. They hold the decompressed sheets,
		// that is the very data we audit, so give them a private
		// directory (0700) that we remove whatever happens.
		dir, err := os.MkdirTemp("", "datahygiene-xlsx-")
		if err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		defer os.RemoveAll(dir)
		opts.TmpDir = dir
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), opts)
	if f != nil {
		// OpenReader may return a File along with an error.
		defer f.Close()
	}
	if err != nil {
		return corrupt(in.Name, err)
	}
	if !r.slowDates {
		tagDateFormats(f)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		// Every workbook has a sheet; a zip without one is something else.
		return corrupt(in.Name, "no sheets: not a workbook")
	}
	for _, sheet := range sheets {
		if err := w.sheet(ctx, f, sheet); err != nil {
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
}

func (w *walker) sheet(ctx context.Context, f *excelize.File, sheet string) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return corrupt(w.name, fmt.Errorf("sheet %q: %w", sheet, err))
	}
	defer rows.Close()
	raw := rawRows{f: f, sheet: sheet}
	defer raw.close()

	var headers []string
	seenFirst := false
	// excelize's iterator steps through row numbers, not <row> elements:
	// for a gap (rows 3 and 4 absent) Next still returns true and Columns
	// returns no cells, so counting Next calls gives the row number.
	for row := 1; rows.Next(); row++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		cells, err := rows.Columns()
		if err != nil {
			return corrupt(w.name, fmt.Errorf("sheet %q row %d: %w", sheet, row, err))
		}
		if !seenFirst {
			if allBlank(cells) {
				continue
			}
			seenFirst = true
			if extract.LooksLikeHeader(cells) {
				headers = make([]string, len(cells))
				for i, c := range cells {
					headers[i] = strings.TrimSpace(c)
				}
				if err := w.count(len(cells) - blanks(cells)); err != nil {
					return err
				}
				continue
			}
		}
		for i, v := range cells {
			if isBlank(v) {
				continue
			}
			if err := w.count(1); err != nil {
				return err
			}
			if mayHaveLostDigits(v) {
				if v, err = raw.value(row, i, v); err != nil {
					return corrupt(w.name, fmt.Errorf("sheet %q row %d: %w", sheet, row, err))
				}
			}
			cell, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				return corrupt(w.name, fmt.Errorf("sheet %q row %d: %w", sheet, row, err))
			}
			header := ""
			if i < len(headers) {
				header = headers[i]
			}
			if err := w.emit(sheet, cell, row, header, v); err != nil {
				return err
			}
		}
	}
	if err := rows.Error(); err != nil {
		return corrupt(w.name, fmt.Errorf("sheet %q: %w", sheet, err))
	}
	return nil
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
	c := &w.chunk
	c.Data = w.buf
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
