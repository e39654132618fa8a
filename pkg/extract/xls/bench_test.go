package xls

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// BenchmarkReader reads the fixtures whole, compound file included, and
// reports cells per second.
func BenchmarkReader(b *testing.B) {
	for _, file := range []string{"gnumeric.xls", "libreoffice.xls"} {
		b.Run(file, func(b *testing.B) {
			data := fixture(b, file)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			cells := 0
			for b.Loop() {
				err := (&Reader{}).Extract(context.Background(), extract.Input{Name: file, R: bytes.NewReader(data), Size: int64(len(data))},
					func(*extract.Chunk) error { cells++; return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cells)/b.Elapsed().Seconds(), "cells/s")
		})
	}
}

const benchRows = 20_000

// benchStream is a 200,010-cell workbook stream (a header row and 20,000
// rows of 10 columns: shared strings, numbers, RK and MULRK values, a
// LABEL), built once per process.
var benchStream = sync.OnceValue(func() []byte {
	strs := []string{"Name", "Email", "Phone", "Card", "City", "Postcode", "Notes", "ID", "Balance", "Code"}
	var records [][]byte
	for c := range 10 {
		records = append(records, labelSSTRec(0, c, uint32(c)))
	}
	for r := 1; r <= benchRows; r++ {
		base := uint32(len(strs))
		strs = append(strs, fmt.Sprintf("Person %d Example", r), fmt.Sprintf("person%d@example.com", r))
		records = append(records,
			labelSSTRec(r, 0, base), labelSSTRec(r, 1, base+1),
			numberRec(r, 2, float64(447700900000+r)),
			numberRec(r, 3, 4111111111111111),
			labelSSTRec(r, 4, 10+uint32(r%3)), // not distinct: fine
			labelRec(r, 5, fmt.Sprintf("ZZ%d 9ZZ", r%100)),
			labelRec(r, 6, "synthetic test row"),
			rec(recMulRK, le16(r), le16(7), le16(15), le32(uint32(r)<<2|2), le16(15), le32(uint32(r*125)<<2|3), le16(8)),
			rec(recRK, cellHead(r, 9), le32(0x3FF00000)))
	}
	// The table in records of 8,224 bytes at most, strings not cut (as
	// Excel may do too).
	var globals [][]byte
	payload := cat(le32(uint32(len(strs))), le32(uint32(len(strs))))
	typ := uint16(recSST)
	for _, s := range strs {
		if x := xlString(s); len(payload)+len(x) <= 8224 {
			payload = append(payload, x...)
		} else {
			globals = append(globals, rec(typ, payload))
			typ, payload = recContinue, x
		}
	}
	globals = append(globals, rec(typ, payload))
	return workbookStream(biff8, globals, testSheet{name: "People", records: records})
})

// BenchmarkRecords reads a workbook stream without the compound file.
func BenchmarkRecords(b *testing.B) {
	data := benchStream()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cells := 0
	for b.Loop() {
		w := newWalker("bench.xls", 0, false, func(*extract.Chunk) error { cells++; return nil })
		if err := readWorkbook(context.Background(), bytes.NewReader(data), int64(len(data)), w); err != nil {
			b.Fatal(err)
		}
	}
	if cells%200_000 != 0 {
		b.Fatalf("%d cells, not a multiple of 200,000", cells)
	}
	b.ReportMetric(float64(cells)/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkScanPath is what the scan does for a legacy Office file: ask
// whether it is a workbook (OpenWorkbook), then read it, the reader using
// OpenWorkbook's parse of the compound file.
func BenchmarkScanPath(b *testing.B) {
	data := fixture(b, "libreoffice.xls")
	in := extract.Input{Name: "libreoffice.xls", RA: bytes.NewReader(data), Size: int64(len(data))}
	discard := func(*extract.Chunk) error { return nil }
	b.ReportAllocs()
	for b.Loop() {
		wb := OpenWorkbook(in.RA, in.Size)
		if wb == nil {
			b.Fatal("not a workbook")
		}
		if err := (&Reader{Workbook: wb}).Extract(context.Background(), in, discard); err != nil {
			b.Fatal(err)
		}
	}
}
