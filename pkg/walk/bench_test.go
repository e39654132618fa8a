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
