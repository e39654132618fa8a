package pdf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/extract"
	lpdf "github.com/ledongthuc/pdf"
)

// BenchmarkReader reads documents of 10, 100 and 800 pages (40 lines
// each, as pdfwrite lays them out), with a classic table and with object
// streams, and reports pages per second:
// go test -run XXX -bench Reader ./pkg/extract/pdf
func BenchmarkReader(b *testing.B) {
	for _, objStm := range []bool{false, true} {
		for _, n := range []int{10, 100, 800} {
			data := bigPages(b, n, objStm)
			name := fmt.Sprintf("pages=%d/objstm=%v", n, objStm)
			b.Run(name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				start, cpu := time.Now(), cpuTime()
				for b.Loop() {
					in := extract.Input{Name: "x.pdf", R: bytes.NewReader(data), RA: bytes.NewReader(data), Size: int64(len(data))}
					if err := (&Reader{}).Extract(context.Background(), in, func(*extract.Chunk) error { return nil }); err != nil {
						b.Fatal(err)
					}
				}
				reportPages(b, n, start, cpu)
			})
		}
	}
}

// BenchmarkLibrary reads the same documents the way the library's
// examples do (NumPage, then Page(i).GetTextByRow), for comparison. 800
// pages take minutes that way, so they are read only when
// DH_BENCH_LIBRARY_800 is set.
func BenchmarkLibrary(b *testing.B) {
	sizes := []int{10, 100}
	if os.Getenv("DH_BENCH_LIBRARY_800") != "" {
		sizes = append(sizes, 800)
	}
	for _, objStm := range []bool{false, true} {
		for _, n := range sizes {
			data := bigPages(b, n, objStm)
			b.Run(fmt.Sprintf("pages=%d/objstm=%v", n, objStm), func(b *testing.B) {
				start, cpu := time.Now(), cpuTime()
				for b.Loop() {
					r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
					if err != nil {
						b.Fatal(err)
					}
					for i := 1; i <= r.NumPage(); i++ {
						if _, err := r.Page(i).GetTextByRow(); err != nil {
							b.Fatal(err)
						}
					}
				}
				reportPages(b, n, start, cpu)
			})
		}
	}
}

// reportPages reports pages per second of wall time and of CPU time.
func reportPages(b *testing.B, n int, start time.Time, cpu time.Duration) {
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "pages/s")
	if c := cpuTime() - cpu; c > 0 {
		b.ReportMetric(float64(n*b.N)/c.Seconds(), "pages/cpu-s")
	}
}

// BenchmarkSmall reads the two-page fixture: the fixed cost of a file.
func BenchmarkSmall(b *testing.B) {
	data := readFixture(b, "basic.pdf")
	for b.Loop() {
		in := extract.Input{Name: "x.pdf", R: bytes.NewReader(data), RA: bytes.NewReader(data), Size: int64(len(data))}
		if err := (&Reader{}).Extract(context.Background(), in, func(*extract.Chunk) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
