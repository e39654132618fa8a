//go:build unix

package walk

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/walk/benchtree"
)

// BenchmarkWalk walks a generated tree of 20,000 small files (20×10
// directories of 100 files) and, on the same tree in the same run, times
// filepath.WalkDir, `find DIR -type f | wc -l` and the same find made to
// stat every file, for comparison:
//
//	go test -run '^$' -bench BenchmarkWalk -benchtime 20x ./pkg/walk/
//
// Creating the tree takes a while on a disk; TMPDIR=/dev/shm speeds it up.
func BenchmarkWalk(b *testing.B) {
	const dirs, subdirs, files = 20, 10, 100
	root := b.TempDir()
	for d := range dirs {
		for s := range subdirs {
			dir := filepath.Join(root, fmt.Sprintf("d%02d", d), fmt.Sprintf("s%02d", s))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
			for f := range files {
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.txt", f)), []byte("x"), 0o644); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	const want = dirs * subdirs * files

	count := func(b *testing.B, n int) {
		b.Helper()
		if n != want {
			b.Fatalf("found %d files, want %d", n, want)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/want, "ns/file")
	}

	b.Run("Walk", func(b *testing.B) {
		var n int
		for b.Loop() {
			n = 0
			err := Walk(context.Background(), root, Options{}, func(e Entry) error {
				if e.Err == nil && e.Skip == "" {
					n++
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		count(b, n)
	})
	b.Run("Walk/lazy", func(b *testing.B) {
		// As the scan walks: regular files come unstatted, and the
		// consumer's workers stat them (not timed here).
		var n int
		for b.Loop() {
			n = 0
			err := Walk(context.Background(), root, Options{LazyStat: true}, func(e Entry) error {
				if e.Err == nil && e.Skip == "" {
					n++
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		count(b, n)
	})
	b.Run("Walk/excludes", func(b *testing.B) {
		// Patterns that match nothing, so every file is still tested
		// against all of them.
		opts := Options{Excludes: []string{"*.log", "node_modules/", "/build", "**/tmp", "doc/**/*.pdf", "[Tt]humbs.db"}}
		var n int
		for b.Loop() {
			n = 0
			err := Walk(context.Background(), root, opts, func(e Entry) error {
				n++
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		count(b, n)
	})
	b.Run("filepath.WalkDir", func(b *testing.B) {
		var n int
		for b.Loop() {
			n = 0
			err := filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					n++
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		count(b, n)
	})
	// find -type f uses the directory entries' types and never stats a
	// file; -printf %s makes it Lstat each one, as Walk must for Info.
	for _, tc := range []struct{ name, script string }{
		{"find", `find "$1" -type f | wc -l`},
		{"find-printf-size", `find "$1" -type f -printf '%s\n' | wc -l`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			if _, err := exec.LookPath("find"); err != nil {
				b.Skip("find not found")
			}
			var n int
			for b.Loop() {
				out, err := exec.Command("sh", "-c", tc.script, "sh", root).Output()
				if err != nil {
					b.Fatal(err)
				}
				if n, err = strconv.Atoi(strings.TrimSpace(string(out))); err != nil {
					b.Fatal(err)
				}
			}
			count(b, n)
		})
	}
}

// BenchmarkWalkTree times Walk and `find DIR -type f` one after the other
// in each iteration, on the same generated tree of small files
// (benchtree: 100 files per leaf directory, some nested deeper), and
// reports both and their ratio; issue 5 asks for walk/find <= 2 at 200,000
// files. The trees are generated once and kept under $TMPDIR (the first
// run of the 200,000-file one takes seconds more):
//
//	go test -run '^$' -bench BenchmarkWalkTree -benchtime 5x ./pkg/walk/
//
// ns/op counts both; read walk-ms/op, find-ms/op and walk/find. The
// "sequential" variants set Parallelism 1, the "lazy" ones LazyStat (as
// the scan walks), for comparison. The same measurement, as a command:
// go run ./scripts/walkbench.
func BenchmarkWalkTree(b *testing.B) {
	if _, err := exec.LookPath("find"); err != nil {
		b.Skip("find not found")
	}
	for _, tc := range []struct {
		files       int
		parallelism int
		lazy        bool
	}{
		{20000, 0, false}, {20000, 1, false}, {20000, 0, true}, {200000, 0, false}, {200000, 1, false}, {200000, 0, true},
	} {
		name := fmt.Sprintf("files=%d", tc.files)
		if tc.parallelism == 1 {
			name += "/sequential"
		}
		if tc.lazy {
			name += "/lazy"
		}
		b.Run(name, func(b *testing.B) {
			shape := benchtree.Shape{Files: tc.files}
			dir := benchtree.CacheDir(shape)
			if err := benchtree.Ensure(dir, shape); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var walkTime, findTime time.Duration
			for b.Loop() {
				start := time.Now()
				n := 0
				err := Walk(ctx, dir, Options{Parallelism: tc.parallelism, LazyStat: tc.lazy}, func(e Entry) error {
					if e.Err != nil {
						return e.Err
					}
					n++
					return nil
				})
				walkTime += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				found, took, err := benchtree.Find(ctx, dir, false)
				if err != nil {
					b.Fatal(err)
				}
				findTime += took
				if n != found || n != tc.files+1 { // the tree's marker file is one more
					b.Fatalf("walk found %d files, find %d, want %d", n, found, tc.files+1)
				}
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
			b.ReportMetric(ms(walkTime), "walk-ms/op")
			b.ReportMetric(ms(findTime), "find-ms/op")
			b.ReportMetric(float64(walkTime)/float64(findTime), "walk/find")
		})
	}
}

// BenchmarkWalkLatency stands in for a network share, where each call
// waits for a round trip: every directory open sleeps 500 µs (and the
// machine's load matters little, since waiting costs no CPU). Reading
// directories ahead hides the waits; with Parallelism 1 they add up.
//
//	go test -run '^$' -bench BenchmarkWalkLatency -benchtime 3x ./pkg/walk/
func BenchmarkWalkLatency(b *testing.B) {
	shape := benchtree.Shape{Files: 20000}
	dir := benchtree.CacheDir(shape)
	if err := benchtree.Ensure(dir, shape); err != nil {
		b.Fatal(err)
	}
	slowOpen := func(path string, follow bool) (*os.File, error) {
		time.Sleep(500 * time.Microsecond)
		return openDirectory(path, follow)
	}
	for _, p := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("parallelism=%d", p), func(b *testing.B) {
			for b.Loop() {
				n := 0
				err := Walk(context.Background(), dir, Options{Parallelism: p, openDir: slowOpen}, func(e Entry) error {
					n++
					return e.Err
				})
				if err != nil || n != shape.Files+1 {
					b.Fatalf("Walk = %v after %d files", err, n)
				}
			}
		})
	}
}
