package xlsx

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

const (
	benchRows = 20_000
	benchCols = 10
)

// benchWorkbook is a 200,010-cell workbook (a header row and 20,000 rows of
// 10 synthetic columns: text, e-mail, numbers, a date, a card as text),
// built once per process.
var benchWorkbook = sync.OnceValue(func() []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		panic(err)
	}
	header := []any{"Name", "Email", "Phone", "Card", "Joined", "Balance", "City", "Postcode", "Notes", "ID"}
	if err := sw.SetRow("A1", header); err != nil {
		panic(err)
	}
	joined := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	row := make([]any, benchCols)
	for r := range benchRows {
		row[0] = fmt.Sprintf("Person %d Example", r)
		row[1] = fmt.Sprintf("person%d@example.com", r)
		row[2] = 447700900000 + r
		row[3] = "4111111111111111"
		row[4] = joined.AddDate(0, 0, r%1000)
		row[5] = float64(r) * 1.25
		row[6] = []string{"Leeds", "Bristol", "Norwich"}[r%3]
		row[7] = fmt.Sprintf("ZZ%d 9ZZ", r%100)
		row[8] = "synthetic test row"
		row[9] = r
		ref, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(ref, row); err != nil {
			panic(err)
		}
	}
	if err := sw.Flush(); err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

const benchCells = (benchRows + 1) * benchCols

// BenchmarkReader measures Extract end to end: open, every cell formatted,
// located and yielded. dates=excelize leaves excelize's slow date formatting
// alone (see datefmt.go); dates=tagged is what the scan gets. reader=excelize
// is the excelize-based reader the tokenizer replaced (reference.go). All
// compare with BenchmarkExcelizeRows, the bare excelize loop.
func BenchmarkReader(b *testing.B) {
	data := benchWorkbook()
	for _, bc := range []struct {
		name string
		r    *Reader
		ex   func(*Reader) func(context.Context, extract.Input, extract.Yield) error
	}{
		{"dates=tagged", &Reader{}, (*Reader).extractFunc},
		{"dates=excelize", &Reader{slowDates: true}, (*Reader).extractFunc},
		{"reader=excelize/dates=tagged", &Reader{}, (*Reader).excelizeFunc},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			cells := 0
			extractor := bc.ex(bc.r)
			for b.Loop() {
				cells = 0
				err := extractor(context.Background(), extract.Input{Name: "bench.xlsx", R: bytes.NewReader(data), Size: int64(len(data))},
					func(*extract.Chunk) error { cells++; return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			if cells != benchCells-benchCols { // the header row is not yielded
				b.Fatalf("yielded %d cells, want %d", cells, benchCells-benchCols)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchCells, "ns/cell")
		})
	}
}

// BenchmarkExcelizeRows is the floor BenchmarkReader is measured against:
// the bare single-threaded excelize loop over the same workbook.
func BenchmarkExcelizeRows(b *testing.B) {
	data := benchWorkbook()
	b.SetBytes(int64(len(data)))
	cells := 0
	for b.Loop() {
		cells = 0
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.Rows(sheet)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				cols, err := rows.Columns()
				if err != nil {
					b.Fatal(err)
				}
				for _, c := range cols {
					if c != "" {
						cells++
					}
				}
			}
			rows.Close()
		}
		f.Close()
	}
	if cells != benchCells {
		b.Fatalf("read %d cells, want %d", cells, benchCells)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchCells, "ns/cell")
}

func (r *Reader) extractFunc() func(context.Context, extract.Input, extract.Yield) error {
	return r.Extract
}

func (r *Reader) excelizeFunc() func(context.Context, extract.Input, extract.Yield) error {
	return r.extractExcelize
}
