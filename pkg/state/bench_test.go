package state

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
)

// The benchmarks measure what the state adds to a scan of a 100k-file
// tree where 1 file in 100 holds findings:
//
//	go test -run '^$' -bench . -benchtime 5x ./pkg/state
//
// Besides wall time they report cpu-ms/op, the process's user+system CPU
// time per operation, which shared machines disturb much less.
//
// Nightly is the whole state cost of re-scanning an unchanged tree (load
// the cache, look every file up, record the run); RecordChanged is the
// cost of recording a first scan, or a scan where every file changed.

const benchFiles = 100_000

func benchTree() []file {
	files := make([]file, benchFiles)
	for i := range files {
		// Paths in walk order (sorted), 1000 files a directory.
		p := fmt.Sprintf("dept%02d/project%03d/doc%06d.txt", i/10000, i/1000, i)
		if i%100 == 0 {
			files[i] = dirtyFile(p, i, fnd("email", finding.Medium, loc(3, fmt.Sprintf("fp%d", i)), loc(9, "fpshared")))
		} else {
			files[i] = cleanFile(p, i)
		}
	}
	return files
}

var (
	templateOnce sync.Once
	templateDir  string
	templateErr  error
)

// benchStore copies a state holding one complete run over benchTree, so
// each benchmark starts from the same database without rebuilding it.
func benchStore(b *testing.B) *Store {
	b.Helper()
	templateOnce.Do(func() {
		templateDir, templateErr = os.MkdirTemp("", "state-bench-")
		if templateErr != nil {
			return
		}
		s, err := Open(templateDir)
		if err != nil {
			templateErr = err
			return
		}
		release, _ := s.Lock("/srv")
		recordAll(b, s, benchTree(), nil)
		release()
		templateErr = s.Close()
	})
	if templateErr != nil {
		b.Fatal(templateErr)
	}
	dir := b.TempDir()
	ents, _ := os.ReadDir(templateDir)
	for _, e := range ents {
		if e.Name() == lockName {
			continue
		}
		copyFile(b, filepath.Join(templateDir, e.Name()), filepath.Join(dir, e.Name()))
	}
	s := openT(b, dir)
	lockT(b, s, "/srv")
	return s
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	out.Close()
}

// recordAll records one run over files: with a cache, unchanged files
// are reused as the scan would; without, every file counts as read.
func recordAll(tb testing.TB, s *Store, files []file, c *Cache) {
	rec, err := s.StartRun(RunInfo{Root: "/srv", RulesHash: "r1"}, c)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range files {
		f := &files[i]
		res, hit := []finding.FileResult(nil), Miss
		if c != nil {
			res, hit = c.Lookup(f.res.Path, f.m)
		}
		if hit == Miss {
			res = []finding.FileResult{f.res}
		}
		if err := rec.File(f.res.Path, f.m, res, hit); err != nil {
			tb.Fatal(err)
		}
	}
	if err := rec.Finish(report.Summary{FilesSeen: len(files)}); err != nil {
		tb.Fatal(err)
	}
}

// reportCPU starts the clock for cpu-ms/op; call the result when done.
func reportCPU(b *testing.B) func() {
	b.ResetTimer()
	start := cpuTime()
	return func() {
		b.StopTimer()
		b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}

func BenchmarkCacheLoad100k(b *testing.B) {
	s := benchStore(b)
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		c, err := s.Cache("/srv", "r1")
		if err != nil || c.Len() != benchFiles {
			b.Fatal(c.Len(), err)
		}
	}
}

func BenchmarkLookup100k(b *testing.B) {
	s := benchStore(b)
	files := benchTree()
	c, err := s.Cache("/srv", "r1")
	if err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		for j := range files {
			if _, hit := c.Lookup(files[j].res.Path, files[j].m); hit != SameMeta {
				b.Fatal(files[j].res.Path, hit)
			}
		}
	}
}

func BenchmarkRecordChanged100k(b *testing.B) {
	s := benchStore(b)
	files := benchTree()
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := range files {
			files[j].m.MtimeNs++
		}
		start := cpuTime()
		b.StartTimer()
		recordAll(b, s, files, nil)
		cpu += cpuTime() - start
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

func BenchmarkNightly100k(b *testing.B) {
	s := benchStore(b)
	files := benchTree()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		c, err := s.Cache("/srv", "r1")
		if err != nil {
			b.Fatal(err)
		}
		recordAll(b, s, files, c)
	}
}
