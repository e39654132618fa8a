//go:build unix

package walk

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// detail renders an entry with what its Info says, for comparing walks.
func detail(e Entry) string {
	s := show(e)
	if e.Info != nil {
		s += fmt.Sprintf(" [%v %d %d]", e.Info.Mode(), e.Info.Size(), e.Info.ModTime().UnixNano())
	}
	if e.followed {
		s += " (followed)"
	}
	return s
}

func collectDetail(t *testing.T, root string, opts Options) []string {
	t.Helper()
	var got []string
	if err := walkGuarded(t, root, opts, func(e Entry) error {
		e.Stat()
		got = append(got, detail(e))
		return nil
	}); err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

// randomTree builds a tree with a bit of everything the walk treats
// specially: ignore files at several levels, a directory bigger than a
// chunk, deep nesting, symlinks (to files, to directories, looping,
// dangling), FIFOs, empty directories, files of several sizes.
func randomTree(t *testing.T, root string, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	names := []string{"a", "b", "keep", "tmp", "x.log", "y.txt", "Z", "deep"}
	var specs []string
	var dirs []string
	for i := range 30 {
		depth := 1 + rng.IntN(5)
		var elems []string
		for range depth {
			elems = append(elems, names[rng.IntN(len(names))])
		}
		d := strings.Join(elems, "/")
		dirs = append(dirs, d)
		for f := range rng.IntN(12) {
			specs = append(specs, fmt.Sprintf("%s/f%02d-%d=%d", d, f, i, rng.IntN(3000)))
		}
	}
	patterns := []string{"*.log", "!keep.log", "tmp/", "/b", "*.bin", "!y.txt", "deep/**/Z", "f0*-1*"}
	for _, d := range append([]string{"."}, dirs[:10]...) {
		var lines []string
		for range 1 + rng.IntN(3) {
			lines = append(lines, patterns[rng.IntN(len(patterns))])
		}
		specs = append(specs, d+"/.datahygieneignore:"+strings.Join(lines, `\n`))
	}
	for i := range statChunk + 40 { // a directory read in two chunks
		specs = append(specs, fmt.Sprintf("big/f%04d=%d", i, i))
	}
	specs = append(specs,
		"big/sub/inner.txt", "big/zz/inner.txt", "empty/",
		"links/file -> ../big/f0001", "links/dir -> ../big/sub", "links/loop -> ..",
		"links/dangling -> nowhere", "links/self -> self", "pipe|", "a/pipe|",
	)
	mkTree(t, root, specs...)
}

// TestWalkParallelismSameResult walks the same trees with several
// parallelisms, with and without LazyStat, and expects the same entries,
// in the same order, with the same FileInfos (after Stat): reading ahead
// and leaving stats to the consumer (issue 5, a faster walk) must change
// nothing but the time taken.
func TestWalkParallelismSameResult(t *testing.T) {
	t.Parallel()
	for seed := range uint64(2) {
		root := t.TempDir()
		randomTree(t, root, seed)
		for _, opts := range []Options{
			{},
			{FollowSymlinks: true},
			{Excludes: []string{"a/", "!*.txt", "*.log"}, MaxFileSize: 1000},
		} {
			opts.Parallelism = 1
			want := collectDetail(t, root, opts)
			if len(want) < statChunk {
				t.Fatalf("seed %d: only %d entries", seed, len(want))
			}
			for _, lp := range []struct {
				lazy bool
				p    int
			}{{false, 2}, {false, 8}, {true, 1}, {true, 2}, {true, 8}} {
				opts.Parallelism, opts.LazyStat = lp.p, lp.lazy
				{
					if got := collectDetail(t, root, opts); !slices.Equal(got, want) {
						t.Errorf("seed %d, options %+v: entries differ from Parallelism 1 without LazyStat", seed, opts)
						for i := range max(len(got), len(want)) {
							var g, w string
							if i < len(got) {
								g = got[i]
							}
							if i < len(want) {
								w = want[i]
							}
							if g != w {
								t.Logf("first difference at %d:\n got: %s\nwant: %s", i, g, w)
								break
							}
						}
					}
				}
			}
		}
	}
}

// TestWalkReadAheadChecked changes directories the workers have (very
// likely) read already, from the callback, before the walk reaches them:
// the walk must yield what is there when it gets there, as a walk without
// read-ahead does.
func TestWalkReadAheadChecked(t *testing.T) {
	t.Parallel()
	for _, lp := range []struct {
		lazy bool
		p    int
	}{{false, 1}, {false, 2}, {false, 8}, {true, 1}, {true, 2}, {true, 8}} {
		p := lp.p
		t.Run(fmt.Sprint("parallelism=", p, "/lazy=", lp.lazy), func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			root := filepath.Join(tmp, "root")
			var specs []string
			for d := range 12 {
				for f := range 3 {
					specs = append(specs, fmt.Sprintf("d%02d/f%d", d, f))
				}
			}
			specs = append(specs, "../outside/secret.txt", "../other/new.txt")
			mkTree(t, root, specs...)
			var got []string
			err := walkGuarded(t, root, Options{Parallelism: p, LazyStat: lp.lazy}, func(e Entry) error {
				e.Stat()
				got = append(got, show(e))
				if e.Rel != "d00/f0" {
					return nil
				}
				// Give the workers time to read ahead; the result must
				// not depend on whether they did.
				time.Sleep(20 * time.Millisecond)
				must := func(err error) {
					if err != nil {
						t.Fatal(err)
					}
				}
				must(os.RemoveAll(filepath.Join(root, "d01")))
				must(os.RemoveAll(filepath.Join(root, "d02")))
				must(os.Symlink(filepath.Join(tmp, "outside"), filepath.Join(root, "d02")))
				must(os.RemoveAll(filepath.Join(root, "d03")))
				must(os.Rename(filepath.Join(tmp, "other"), filepath.Join(root, "d03")))
				must(os.Remove(filepath.Join(root, "d04", "f1")))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{
				"d00/f0", "d00/f1", "d00/f2",
				"d01: error: open d01: no such file or directory",
				"d02: error: open d02: changed during the walk: not a directory",
				"d03/new.txt",
				"d04/f0", "d04/f2",
			}
			for d := 5; d < 12; d++ {
				for f := range 3 {
					want = append(want, fmt.Sprintf("d%02d/f%d", d, f))
				}
			}
			if p > 1 {
				// d04 was listed ahead; its f1 is yielded and fails
				// only when opened, or with LazyStat when statted
				// (Stat's lstat fails). A walk without read-ahead lists
				// it when it gets there. Either is right; pin down ours.
				gone := "d04/f1"
				if lp.lazy {
					gone += ": error: lstat d04/f1: no such file or directory"
				}
				if i := slices.Index(got, gone); i < 0 {
					t.Errorf("%q not yielded", gone)
				} else {
					got = slices.Delete(got, i, i+1)
				}
			}
			diffLines(t, got, want)
		})
	}
}

// TestWalkLaterChunkCannotReopen makes the directory fail to open when the
// walk comes back to stat its second chunk: the entries are then statted
// by path, and the walk yields the same as before. With LazyStat, a chunk
// of regular files has nothing to stat, and the directory is not opened
// again at all.
func TestWalkLaterChunkCannotReopen(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	var want []string
	for i := range statChunk + 5 {
		name := fmt.Sprintf("f%04d", i)
		mkTree(t, root, name)
		want = append(want, name)
	}
	eachMode(t, Options{}, func(t *testing.T, opts Options) {
		var opens atomic.Int32
		opts.openDir = func(path string, follow bool) (*os.File, error) {
			if opens.Add(1) > 1 {
				return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES}
			}
			return openDirectory(path, follow)
		}
		diffLines(t, collect(t, root, opts), want)
		want := int32(2) // the listing, then the second chunk
		if opts.LazyStat {
			want = 1
		}
		if n := opens.Load(); n != want {
			t.Errorf("%d opens, want %d", n, want)
		}
	})
}

// TestWalkOneFileSystem needs two file systems: the temporary directory
// and /dev/shm (a tmpfs) usually are. The other one is reached through a
// followed symlink, as a mount point inside the tree would be.
func TestWalkOneFileSystem(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	other, err := os.MkdirTemp("/dev/shm", "walktest")
	if err != nil {
		t.Skipf("no /dev/shm: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(other) })
	var a, b syscall.Stat_t
	if syscall.Stat(root, &a) != nil || syscall.Stat(other, &b) != nil || a.Dev == b.Dev {
		t.Skip("the temporary directory and /dev/shm are on the same file system")
	}
	mkTree(t, other, "x.txt", "sub/y.txt")
	mkTree(t, root, "a.txt", "in/b.txt", "mnt -> "+other, "file -> "+filepath.Join(other, "x.txt"))

	for _, tc := range []struct {
		opts Options
		want []string
	}{
		{Options{FollowSymlinks: true}, []string{"a.txt", "file", "in/b.txt", "mnt/sub/y.txt", "mnt/x.txt"}},
		{Options{FollowSymlinks: true, OneFileSystem: true}, []string{"a.txt", "file", "in/b.txt", "mnt: skip: " + SkipOtherFileSystem}},
		{Options{FollowSymlinks: true, OneFileSystem: true, Parallelism: 1}, []string{"a.txt", "file", "in/b.txt", "mnt: skip: " + SkipOtherFileSystem}},
		{Options{OneFileSystem: true}, []string{"a.txt", "file: skip: " + SkipSymlink, "in/b.txt", "mnt: skip: " + SkipSymlink}},
		{Options{FollowSymlinks: true, OneFileSystem: true, LazyStat: true}, []string{"a.txt", "file", "in/b.txt", "mnt: skip: " + SkipOtherFileSystem}},
		{Options{OneFileSystem: true, LazyStat: true}, []string{"a.txt", "file: skip: " + SkipSymlink, "in/b.txt", "mnt: skip: " + SkipSymlink}},
	} {
		diffLines(t, collect(t, root, tc.opts), tc.want)
	}
	// The root is always walked, whatever file system it is on.
	diffLines(t, collect(t, other, Options{OneFileSystem: true}), []string{"sub/y.txt", "x.txt"})
}

// TestWalkOneFileSystemMountPoint walks /dev, which on Linux usually
// holds mount points of other file systems (/dev/shm, /dev/pts): they are
// yielded as skipped, and nothing under them is.
func TestWalkOneFileSystemMountPoint(t *testing.T) {
	t.Parallel()
	var dev syscall.Stat_t
	if err := syscall.Stat("/dev", &dev); err != nil {
		t.Skipf("no /dev: %v", err)
	}
	var mounts []string
	for _, name := range []string{"shm", "pts", "mqueue"} {
		var st syscall.Stat_t
		if syscall.Lstat("/dev/"+name, &st) == nil && st.Mode&syscall.S_IFMT == syscall.S_IFDIR && st.Dev != dev.Dev {
			mounts = append(mounts, name)
		}
	}
	if len(mounts) == 0 {
		t.Skip("no mount point found in /dev")
	}
	eachMode(t, Options{OneFileSystem: true}, func(t *testing.T, opts Options) {
		got := map[string]string{}
		err := walkGuarded(t, "/dev", opts, func(e Entry) error {
			for _, m := range mounts {
				if strings.HasPrefix(e.Rel, m+"/") {
					t.Errorf("yielded %s, under the mount point %s", e.Rel, m)
				}
			}
			got[e.Rel] = e.Skip
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mounts {
			if got[m] != SkipOtherFileSystem {
				t.Errorf("%s: skip %q, want %q", m, got[m], SkipOtherFileSystem)
			}
		}
	})
}

// TestWalkReadAheadStops checks that Walk returns only once its goroutines
// are done, when the callback stops it and when the context does. It is
// not parallel, so that no other test's walks are running.
func TestWalkReadAheadStops(t *testing.T) {
	root := t.TempDir()
	var specs []string
	for d := range 40 {
		for f := range 5 {
			specs = append(specs, fmt.Sprintf("d%02d/s/f%d", d, f))
		}
	}
	mkTree(t, root, specs...)
	stop := errors.New("stop")
	for i, tc := range []struct {
		at   string
		want error
		lazy bool
	}{{"d00/s/f0", stop, false}, {"d17/s/f3", stop, false}, {"d05/s/f0", context.Canceled, false}, {"d17/s/f3", stop, true}, {"d05/s/f0", context.Canceled, true}} {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		err := Walk(ctx, root, Options{Parallelism: 8, LazyStat: tc.lazy}, func(e Entry) error {
			n++
			if e.Rel == tc.at {
				if tc.want == stop {
					return stop
				}
				cancel()
			}
			return nil
		})
		cancel()
		if !errors.Is(err, tc.want) {
			t.Errorf("%d: Walk = %v, want %v", i, err, tc.want)
		}
		if n > 200 {
			t.Errorf("%d: %d entries yielded after stopping", i, n)
		}
		// A worker past wg.Done may not have exited yet; a worker left
		// behind never would.
		g := walkGoroutines()
		for tries := 0; g != "" && tries < 2000; tries++ {
			time.Sleep(time.Millisecond)
			g = walkGoroutines()
		}
		if g != "" {
			t.Errorf("%d: goroutines left running after Walk returned:\n%s", i, g)
		}
	}
}

func TestWalkNegativeParallelism(t *testing.T) {
	t.Parallel()
	err := Walk(context.Background(), t.TempDir(), Options{Parallelism: -1}, func(Entry) error { return nil })
	if err == nil || err.Error() != "walk: negative parallelism -1" {
		t.Errorf("Walk = %v", err)
	}
}

// TestWalkInfoMatchesLstat compares each yielded FileInfo with what
// os.Lstat (os.Stat through a followed link) says about the same path.
func TestWalkInfoMatchesLstat(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mkTree(t, root, "plain=100", "empty=0", "dir/inner=7", "pipe|", "link -> plain", "ldir -> dir", "setuid", "sticky", "setgid")
	for name, mode := range map[string]fs.FileMode{"setuid": fs.ModeSetuid | 0o755, "sticky": fs.ModeSticky | 0o644, "setgid": fs.ModeSetgid | 0o640} {
		if err := os.Chmod(filepath.Join(root, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Date(2020, 2, 29, 12, 0, 0, 123456789, time.UTC)
	if err := os.Chtimes(filepath.Join(root, "plain"), old, old); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{}, {FollowSymlinks: true}, {LazyStat: true}, {FollowSymlinks: true, LazyStat: true}} {
		n := 0
		err := walkGuarded(t, root, opts, func(e Entry) error {
			n++
			if err := e.Stat(); err != nil {
				t.Fatal(err)
			}
			stat := os.Lstat
			if e.followed {
				stat = os.Stat
			}
			want, err := stat(e.Path)
			if err != nil {
				t.Fatal(err)
			}
			got := e.Info
			if got.Name() != want.Name() || got.Size() != want.Size() || got.Mode() != want.Mode() ||
				!got.ModTime().Equal(want.ModTime()) || got.IsDir() != want.IsDir() {
				t.Errorf("%s: Info %s %d %v %v, want %s %d %v %v", e.Rel,
					got.Name(), got.Size(), got.Mode(), got.ModTime(), want.Name(), want.Size(), want.Mode(), want.ModTime())
			}
			if !reflect.DeepEqual(got.Sys(), want.Sys()) {
				t.Errorf("%s: Sys %+v, want %+v", e.Rel, got.Sys(), want.Sys())
			}
			if !sameFile(got, want) {
				t.Errorf("%s: sameFile is false", e.Rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 9 {
			t.Errorf("%+v: %d entries, want 9", opts, n)
		}
	}
}

// walkGoroutines returns the stacks of the goroutines running this
// package's read-ahead code, if any.
func walkGoroutines() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var left []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "walk.(*pool).work") || strings.Contains(g, "walk.(*walker).stat") {
			left = append(left, g)
		}
	}
	return strings.Join(left, "\n\n")
}
