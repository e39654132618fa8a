package progress

import (
	"io"
	"testing"
)

// BenchmarkFile measures what a scan worker pays per file, with all
// workers reporting at once.
func BenchmarkFile(b *testing.B) {
	p := New(io.Discard, Options{IsTerminal: terminal})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			p.File("HR/Contracts/2024/offer.xlsx", 4096)
		}
	})
}

// BenchmarkRender measures one redraw (four per second by default).
func BenchmarkRender(b *testing.B) {
	p, _, clock := newTest(Options{ExpectedBytes: 1e12, Width: func(io.Writer) int { return 120 }})
	p.w = io.Discard
	p.samples = []sample{{t: clock.now()}}
	p.File("Finance/Accounts Payable/2019/Quarterly Statements/x.csv", 1<<20)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		clock.advance(p.opts.Interval)
		p.File("Finance/Accounts Payable/2019/Quarterly Statements/x.csv", 1<<20)
		p.draw()
	}
}
