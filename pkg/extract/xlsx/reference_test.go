package xlsx

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// This is the reader as it was before the worksheet tokenizer: excelize
// opens the whole workbook and its row iterator reads every sheet. It is
// kept, unexported, as the reference the tokenizer is tested against
// (differential_test.go): for any workbook both must yield the same
// chunks.

// extractExcelize is Extract done with excelize's row iterator.
func (r *Reader) extractExcelize(ctx context.Context, in extract.Input, yield extract.Yield) (err error) {
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
	w := newWalker(in.Name, r.MaxCells, yield)
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
		if err := w.sheetExcelize(ctx, f, sheet); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) sheetExcelize(ctx context.Context, f *excelize.File, sheet string) error {
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

// rawRows finds stored cell values in one sheet, walking forward only: the
// main loop asks for rows in increasing order.
type rawRows struct {
	f     *excelize.File
	sheet string
	rows  *excelize.Rows
	at    int // row number the iterator stands on
	row   int // row number of cells
	cells []string
}

// value returns the stored digits of the cell at row and column index col
// if they are what formatted lost, and formatted otherwise.
func (r *rawRows) value(row, col int, formatted string) (string, error) {
	if r.row != row {
		if r.rows == nil {
			rows, err := r.f.Rows(r.sheet)
			if err != nil {
				return "", err
			}
			r.rows = rows
		}
		// Next without Columns skips a row, just as in the main loop.
		for r.at < row && r.rows.Next() {
			r.at++
		}
		if r.at != row {
			return formatted, nil
		}
		cells, err := r.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return "", err
		}
		r.row, r.cells = row, cells
	}
	if col < len(r.cells) {
		if d, ok := storedDigits(r.cells[col]); ok {
			return d, nil
		}
	}
	return formatted, nil
}

func (r *rawRows) close() {
	if r.rows != nil {
		r.rows.Close()
	}
}

// readInput reads the whole workbook (a zip is read from its end, and the
// scan hands readers a stream), refusing files above maxFileSize.
func readInput(name string, in io.Reader, size int64) ([]byte, error) {
	if size > maxFileSize {
		return nil, fmt.Errorf("%s: %w: %d bytes, limit %d", name, ErrTooLarge, size, maxFileSize)
	}
	var buf bytes.Buffer
	if size > 0 {
		buf.Grow(int(size) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(in, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if n > maxFileSize {
		return nil, fmt.Errorf("%s: %w: over %d bytes", name, ErrTooLarge, maxFileSize)
	}
	return buf.Bytes(), nil
}

// checkContainer is openContainer for the excelize-based reader, which
// opens the zip itself.
func checkContainer(name string, data []byte, partInMemory int64) (spills bool, err error) {
	_, spills, err = openContainer(name, bytes.NewReader(data), int64(len(data)), partInMemory)
	return spills, err
}

// cfbHasEncryptionInfo looks for the directory entry of an EncryptionInfo
// stream. Directory entries are 128 bytes long and sectors (512 or 4096
// bytes) start at multiples of 128, so an entry can only sit at such an
// offset: the name, its byte length with the terminator at offset 64 and
// the object type (2, a stream) at offset 66. Scanning those offsets avoids
// following the sector chains of a file we do not otherwise parse.
func cfbHasEncryptionInfo(data []byte) bool {
	return cfbHasEncryptionInfoAt(bytes.NewReader(data), int64(len(data)))
}
