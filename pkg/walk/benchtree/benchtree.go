package benchtree

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// MarkerName is the file Ensure writes last in a generated tree. It is a
// regular file like the others, so walks and find count it: a tree holds
// Shape.Files+1 files.
const MarkerName = "BENCHTREE"

// Shape says what tree to generate.
type Shape struct {
	// Files is the number of regular files, not counting the marker.
	Files int
	// PerDir is the number of files per leaf directory; 0 means 100.
	PerDir int
}

func (s Shape) perDir() int {
	if s.PerDir <= 0 {
		return 100
	}
	return s.PerDir
}

// String names the shape; it is what the marker file holds and the name
// of its cache directory. The version changes when the layout does.
func (s Shape) String() string {
	return fmt.Sprintf("files-%d-per-%d-v1", s.Files, s.perDir())
}

// Layout of a tree: leaf directory i (PerDir files each, the last one
// holds the remainder) is t<i/100>/m<i/10%10>/l<i%10>, and one leaf in
// five sits two levels deeper, under m*/deep/er/, so the tree mixes wide
// and deep parts: 200,000 files make 2,000 leaves under 20 top
// directories, 2,621 directories with the root.
func leafDir(i int) string {
	p := filepath.Join(fmt.Sprintf("t%03d", i/100), fmt.Sprintf("m%d", i/10%10))
	if i%5 == 4 {
		p = filepath.Join(p, "deep", "er")
	}
	return filepath.Join(p, fmt.Sprintf("l%d", i%10))
}

// CacheDir is where a shape's tree is kept between runs:
// os.TempDir()/datahygiene-walkbench/<shape>.
func CacheDir(s Shape) string {
	return filepath.Join(os.TempDir(), "datahygiene-walkbench", s.String())
}

// Ensure makes sure dir holds the tree of shape s. It generates the tree
// when dir is missing or empty, accepts a tree whose marker names s, and
// refuses anything else rather than write into a directory it did not make.
func Ensure(dir string, s Shape) error {
	if s.Files <= 0 {
		return fmt.Errorf("benchtree: %d files: need at least one", s.Files)
	}
	marker, err := os.ReadFile(filepath.Join(dir, MarkerName))
	switch {
	case err == nil:
		if got := strings.TrimSpace(string(marker)); got != s.String() {
			return fmt.Errorf("benchtree: %s holds tree %s, want %s", dir, got, s)
		}
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("benchtree: %w", err)
	}
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("benchtree: %w", err)
	case len(ents) > 0:
		return fmt.Errorf("benchtree: %s is not empty and has no %s marker: not a tree of ours", dir, MarkerName)
	}
	if err := generate(dir, s); err != nil {
		return fmt.Errorf("benchtree: generating %s in %s: %w", s, dir, err)
	}
	return os.WriteFile(filepath.Join(dir, MarkerName), []byte(s.String()+"\n"), 0o644)
}

// generate writes the files, a leaf directory per task, on a few
// goroutines: creating files is mostly waiting on the file system.
func generate(dir string, s Shape) error {
	per := s.perDir()
	leaves := (s.Files + per - 1) / per
	next := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range max(2, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := range next {
				if err := writeLeaf(dir, i, min(per, s.Files-i*per), &buf); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range leaves {
		next <- i
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func writeLeaf(root string, leaf, n int, buf *bytes.Buffer) error {
	dir := filepath.Join(root, leafDir(leaf))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for f := range n {
		buf.Reset()
		// 10 to 100 bytes of filler, different per file.
		for range 1 + (leaf*7+f)%10 {
			fmt.Fprintf(buf, "line %04d\n", f)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.txt", f)), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Find runs find(1) on dir and returns how many lines it printed and how
// long it took, process start included. Plain `find DIR -type f` lists
// files from the directory entries' types and stats nothing; with stat
// set it runs `find DIR -type f -printf '%s\n'`, which must lstat every
// file, as a walk that reports sizes must.
func Find(ctx context.Context, dir string, stat bool) (lines int, took time.Duration, err error) {
	lines, took, _, err = FindCPU(ctx, dir, stat)
	return lines, took, err
}

// FindCPU is Find that also returns the CPU time find used (user and
// system): on a loaded machine wall times drift, CPU times much less.
func FindCPU(ctx context.Context, dir string, stat bool) (lines int, took, cpu time.Duration, err error) {
	args := []string{dir, "-type", "f"}
	if stat {
		args = append(args, "-printf", `%s\n`)
	}
	cmd := exec.CommandContext(ctx, "find", args...)
	var out lineCounter
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	start := time.Now()
	err = cmd.Run()
	took = time.Since(start)
	if err != nil {
		return 0, took, 0, fmt.Errorf("find: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out.n, took, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// lineCounter counts newlines, so that find's output costs a pipe and no
// memory.
type lineCounter struct{ n int }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte{'\n'})
	return len(p), nil
}

var _ io.Writer = (*lineCounter)(nil)
