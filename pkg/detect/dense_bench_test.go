package detect

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/csv"
	"github.com/datahygiene/datahygiene/pkg/synth"
)

// denseCSV is the customer table of scripts/gencorpus -dense (issue 5): an
// id, a name, an email, a phone, a card-shaped number (half of them
// failing Luhn) and a date on every row.
func denseCSV(rows int) []byte {
	g := synth.New(1)
	phones := make([]string, 500)
	for i := range phones {
		phones[i] = g.Phone()
	}
	var b bytes.Buffer
	b.WriteString("id,name,email,phone,card,created\n")
	for i := 1; i <= rows; i++ {
		first, last := g.Name()
		card := g.Card(synth.CardFormat(i % 3))
		if i%2 == 0 {
			card = g.LuhnFailing16()
		}
		fmt.Fprintf(&b, "%d,%s %s,%s,%s,%s,%s\n", i, first, last, g.Email(first, last), phones[g.IntN(len(phones))], card, g.Date())
	}
	return b.Bytes()
}

// denseCells reads a dense CSV into the cell chunks the scan would hand
// the engine.
func denseCells(tb testing.TB, rows int) []extract.Chunk {
	var cells []extract.Chunk
	err := csv.Reader{}.Extract(context.Background(), extract.Input{Name: "dense.csv", R: bytes.NewReader(denseCSV(rows))}, func(c *extract.Chunk) error {
		cc := *c
		cc.Data = bytes.Clone(c.Data)
		cells = append(cells, cc)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cells
}

func BenchmarkEngineDense(b *testing.B) {
	cells := denseCells(b, 20000)
	n := 0
	for _, c := range cells {
		n += len(c.Data) + 1
	}
	e := New(builtin(b), Options{})
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		f := e.NewFile()
		for i := range cells {
			_ = f.Add(&cells[i])
		}
	}
	// The benchmark machines are shared: CPU time per row is the figure
	// to compare, wall-clock ns/op is not.
	if cpu >= 0 {
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/float64(len(cells)/6), "cpu-ns/row")
	}
}

// BenchmarkIndexDense scans the dense table as the scan's fan-out does
// (a File per batch of 16k cells, merged in order), without a state key
// and with the value index: the difference is what the index costs.
func BenchmarkIndexDense(b *testing.B) {
	cells := denseCells(b, 20000)
	key := []byte("0123456789abcdef0123456789abcdef")
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"plain", Options{}},
		{"index", Options{FingerprintKey: key, IndexValues: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := New(builtin(b), bc.opts)
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				out := e.NewFile()
				for s := 0; s < len(cells); s += 16 << 10 {
					part := e.NewFile()
					for i := s; i < min(s+16<<10, len(cells)); i++ {
						_ = part.Add(&cells[i])
					}
					out.Merge(part)
				}
				_ = out.Findings()
			}
			if cpu >= 0 {
				b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/float64(len(cells)/6), "cpu-ns/row")
			}
		})
	}
}
