//go:build unix

package walk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/internal/gittest"
	"golang.org/x/sys/unix"
)

// mkTree creates a tree under root from a list of specs:
//
//	"dir/"          a directory
//	"name"          a file holding "data"
//	"name=N"        a file of N bytes
//	"name:text"     a file holding text (\n for new lines)
//	"name -> dest"  a symlink
//	"name|"         a named pipe
//
// Parents are created as needed; "../x" lands next to root.
func mkTree(t *testing.T, root string, specs ...string) {
	t.Helper()
	for _, s := range specs {
		var err error
		name, arg, kind := s, "", byte(0)
		switch {
		case strings.Contains(s, " -> "):
			name, arg, _ = strings.Cut(s, " -> ")
			kind = 'l'
		case strings.Contains(s, ":"):
			name, arg, _ = strings.Cut(s, ":")
			kind = 't'
		case strings.Contains(s, "="):
			name, arg, _ = strings.Cut(s, "=")
			kind = 's'
		case strings.HasSuffix(s, "/"):
			kind = 'd'
		case strings.HasSuffix(s, "|"):
			name, kind = strings.TrimSuffix(s, "|"), 'p'
		}
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		switch kind {
		case 'd':
			err = os.MkdirAll(p, 0o755)
		case 'l':
			err = os.Symlink(filepath.FromSlash(arg), p)
		case 'p':
			err = syscall.Mkfifo(p, 0o644)
		case 's':
			n, _ := strconv.Atoi(arg)
			err = os.WriteFile(p, []byte(strings.Repeat("x", n)), 0o644)
		case 't':
			err = os.WriteFile(p, []byte(strings.ReplaceAll(arg, `\n`, "\n")), 0o644)
		default:
			err = os.WriteFile(p, []byte("data"), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// show renders an entry as one line of a golden list.
func show(e Entry) string {
	switch {
	case e.Err != nil:
		return e.Rel + ": error: " + e.Err.Error()
	case e.Skip != "":
		return e.Rel + ": skip: " + e.Skip
	}
	return e.Rel
}

// collect walks root and returns show() of every entry, statted first as
// a consumer of a walk with LazyStat must. It fails the test if the walk
// takes more than a few seconds: opening a FIFO would block forever, and
// that is the bug this guards against.
func collect(t *testing.T, root string, opts Options) []string {
	t.Helper()
	var got []string
	err := walkGuarded(t, root, opts, func(e Entry) error {
		e.Stat()
		got = append(got, show(e))
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

func walkGuarded(t *testing.T, root string, opts Options, fn func(Entry) error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- Walk(context.Background(), root, opts, fn) }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Walk hung: did it open a FIFO?")
		return nil
	}
}

// eachMode runs f as two subtests, one walking with opts as they are
// (every file statted by Walk) and one with LazyStat, where the test's
// callbacks call Stat: what they see must not differ.
func eachMode(t *testing.T, opts Options, f func(t *testing.T, opts Options)) {
	t.Helper()
	for _, lazy := range []bool{false, true} {
		opts.LazyStat = lazy
		t.Run(fmt.Sprint("lazy=", lazy), func(t *testing.T) { f(t, opts) })
	}
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("entries differ\n got: %q\nwant: %q", got, want)
	}
}

func TestWalk(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		tree []string
		root string // relative to the temp dir; default "root"
		opts Options
		want []string
	}{
		{
			name: "nested directories in bytewise order",
			tree: []string{"b/2.txt", "a/sub/3.txt", "a/1.txt", "c.txt", "a.txt", "A.txt", "a-b.txt", "empty/", "a/sub/deeper/4.txt"},
			want: []string{"A.txt", "a/1.txt", "a/sub/3.txt", "a/sub/deeper/4.txt", "a-b.txt", "a.txt", "b/2.txt", "c.txt"},
		},
		{
			name: "excludes",
			tree: []string{"x.log", "keep.log", "sub/y.log", "build/out.txt", "src/build/ok.txt", "node_modules/m.js", "src/node_modules/m.js", "node_modules.txt", "src/main.go"},
			opts: Options{Excludes: []string{"*.log", "!keep.log", "/build", "node_modules/"}},
			want: []string{"keep.log", "node_modules.txt", "src/build/ok.txt", "src/main.go"},
		},
		{
			name: "ignore files at several levels",
			tree: []string{
				`.datahygieneignore:*.log\n!keep.log\nsecret/\n`,
				"a.log", "keep.log", "secret/s.txt", "notsecret/secret",
				`sub/.datahygieneignore:!*.log\n/only-here.txt\n`,
				"sub/b.log", "sub/only-here.txt", "sub/deeper/only-here.txt",
				`sub/deeper/.datahygieneignore:keep.log\n`,
				"sub/deeper/keep.log", "sub/deeper/c.log",
				"other/d.log",
			},
			want: []string{
				".datahygieneignore", "keep.log", "notsecret/secret",
				"sub/.datahygieneignore", "sub/b.log",
				"sub/deeper/.datahygieneignore", "sub/deeper/c.log", "sub/deeper/only-here.txt",
			},
		},
		{
			name: "excludes take precedence over ignore files",
			tree: []string{`.datahygieneignore:*.csv\n!secret.txt\n`, "keep.csv", "other.csv", "secret.txt"},
			opts: Options{Excludes: []string{"!keep.csv", "secret.txt", ".datahygieneignore"}},
			want: []string{"keep.csv"},
		},
		{
			name: "a file under an ignored directory cannot be re-included",
			tree: []string{`.datahygieneignore:logs/\n!logs/keep.txt\n`, "logs/keep.txt", "logs/x.txt"},
			want: []string{".datahygieneignore"},
		},
		{
			name: "an ignore file can ignore itself",
			tree: []string{`.datahygieneignore:.datahygieneignore\n`, "a.txt"},
			want: []string{"a.txt"},
		},
		{
			name: "custom ignore file name, CRLF and BOM",
			tree: []string{".scanignore:\xef\xbb\xbf*.tmp\r\n#c\r\n", "a.tmp", "b.txt", `.datahygieneignore:b.txt\n`},
			opts: Options{IgnoreFileName: ".scanignore"},
			want: []string{".datahygieneignore", ".scanignore", "b.txt"},
		},
		{
			name: "size limit",
			tree: []string{"small=1024", "big=3072", "empty=0", "huge=15728640"},
			opts: Options{MaxFileSize: 1024},
			want: []string{
				"big: skip: larger than --max-file-size (3 KiB > 1 KiB)",
				"empty",
				"huge: skip: larger than --max-file-size (15 MiB > 1 KiB)",
				"small",
			},
		},
		{
			name: "named pipes are yielded, never opened",
			tree: []string{"a.txt", "pipe|", "sub/pipe2|"},
			want: []string{"a.txt", "pipe: skip: " + SkipFIFO, "sub/pipe2: skip: " + SkipFIFO},
		},
		{
			name: "an ignore file that is a pipe is not read",
			tree: []string{".datahygieneignore|", "a.txt"},
			want: []string{".datahygieneignore: skip: " + SkipFIFO, "a.txt"},
		},
		{
			name: "an ignore file that is a symlink is not read",
			tree: []string{".datahygieneignore -> rules", "rules:a.txt", "a.txt"},
			opts: Options{FollowSymlinks: true},
			want: []string{".datahygieneignore", "a.txt", "rules"},
		},
		{
			name: "an oversized ignore file is an error",
			tree: []string{".datahygieneignore=1048577", "a.txt"},
			want: []string{".datahygieneignore: error: read .datahygieneignore: ignore file larger than 1 MiB", "a.txt"},
		},
		{
			name: "symlinks are not followed by default",
			tree: []string{
				"target.txt", "dir/inner.txt", "lfile -> target.txt", "ldir -> dir",
				"../outside/secret.txt", "lout -> ../outside/secret.txt", "loutdir -> ../outside",
				"ldangle -> nowhere",
			},
			want: []string{
				"dir/inner.txt",
				"ldangle: skip: " + SkipSymlink,
				"ldir: skip: " + SkipSymlink,
				"lfile: skip: " + SkipSymlink,
				"lout: skip: " + SkipSymlink,
				"loutdir: skip: " + SkipSymlink,
				"target.txt",
			},
		},
		{
			name: "symlinks are followed with the option",
			tree: []string{
				"target.txt", "zdir/inner.txt", "lfile -> target.txt", "ldir -> zdir",
				"../outside/secret.txt", "lout -> ../outside/secret.txt", "loutdir -> ../outside",
				"ldangle -> nowhere",
			},
			opts: Options{FollowSymlinks: true},
			want: []string{
				"ldangle: error: stat ldangle: no such file or directory",
				"ldir/inner.txt",
				"lfile",
				"lout",
				"loutdir/secret.txt",
				"target.txt",
				`zdir: skip: directory already scanned as "ldir"`,
			},
		},
		{
			name: "a link to a directory already scanned",
			tree: []string{"adir/x.txt", "link -> adir"},
			opts: Options{FollowSymlinks: true},
			want: []string{"adir/x.txt", `link: skip: directory already scanned as "adir"`},
		},
		{
			name: "symlink loops terminate",
			tree: []string{"a/file", "a/link -> ..", "self -> .", "l1 -> l2", "l2 -> l1", "b/c/up -> ../../b"},
			opts: Options{FollowSymlinks: true},
			want: []string{
				"a/file",
				"a/link: skip: " + SkipSymlinkLoop,
				"b/c/up: skip: " + SkipSymlinkLoop,
				"l1: skip: " + SkipSymlinkLoop,
				"l2: skip: " + SkipSymlinkLoop,
				"self: skip: " + SkipSymlinkLoop,
			},
		},
		{
			name: "a followed link to a pipe is not opened",
			tree: []string{"p|", "lp -> p"},
			opts: Options{FollowSymlinks: true},
			want: []string{"lp: skip: " + SkipFIFO, "p: skip: " + SkipFIFO},
		},
		{
			name: "excluded symlinks",
			tree: []string{"dir/x.txt", "ldir -> dir", "lfile -> dir/x.txt"},
			opts: Options{FollowSymlinks: true, Excludes: []string{"ldir/", "dir/", "lfile/"}},
			want: []string{"lfile"},
		},
		{
			name: "root is a single file",
			tree: []string{"file.csv"},
			root: "root/file.csv",
			opts: Options{Excludes: []string{"*.csv"}},
			want: []string{"file.csv"},
		},
		{
			name: "root is a single pipe",
			tree: []string{"p|"},
			root: "root/p",
			want: []string{"p: skip: " + SkipFIFO},
		},
		{
			name: "root is a symlink to a directory",
			tree: []string{"../real/a.txt", "../real/l -> a.txt"},
			root: "link",
			want: []string{"a.txt", "l: skip: " + SkipSymlink},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			root := filepath.Join(tmp, "root")
			if err := os.Mkdir(root, 0o755); err != nil {
				t.Fatal(err)
			}
			if tc.root == "link" {
				if err := os.Symlink("real", filepath.Join(tmp, "link")); err != nil {
					t.Fatal(err)
				}
			}
			mkTree(t, root, tc.tree...)
			if tc.root != "" {
				root = filepath.Join(tmp, filepath.FromSlash(tc.root))
			}
			eachMode(t, tc.opts, func(t *testing.T, opts Options) {
				diffLines(t, collect(t, root, opts), tc.want)
			})
		})
	}
}

func TestWalkEntryFields(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mkTree(t, root, "dir/a.txt=10", "dir/link -> a.txt", "other/b.txt=7", "ldir -> other")
	got := map[string]Entry{}
	for _, follow := range []bool{false, true} {
		for _, lazy := range []bool{false, true} {
			err := walkGuarded(t, root, Options{FollowSymlinks: follow, LazyStat: lazy}, func(e Entry) error {
				if err := e.Stat(); err != nil {
					t.Errorf("%s: Stat: %v", e.Rel, err)
				}
				got[fmt.Sprint(follow, " ", lazy, " ", e.Rel)] = e
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		key, path string
		size      int64
		mode      fs.FileMode
	}{
		{"false false dir/a.txt", "dir/a.txt", 10, 0},
		{"false true dir/a.txt", "dir/a.txt", 10, 0},
		{"false false dir/link", "dir/link", int64(len("a.txt")), fs.ModeSymlink}, // Lstat
		{"false true dir/link", "dir/link", int64(len("a.txt")), fs.ModeSymlink},
		{"true false dir/link", "dir/link", 10, 0}, // Stat of the target
		{"true true dir/link", "dir/link", 10, 0},
		{"true false ldir/b.txt", "ldir/b.txt", 7, 0},
		{"true true ldir/b.txt", "ldir/b.txt", 7, 0},
	} {
		e, ok := got[tc.key]
		if !ok {
			t.Errorf("%s: not yielded", tc.key)
			continue
		}
		if want := filepath.Join(root, filepath.FromSlash(tc.path)); e.Path != want {
			t.Errorf("%s: Path = %q, want %q", tc.key, e.Path, want)
		}
		if e.Info.Size() != tc.size || e.Info.Mode().Type() != tc.mode {
			t.Errorf("%s: Info size %d mode %v, want %d %v", tc.key, e.Info.Size(), e.Info.Mode().Type(), tc.size, tc.mode)
		}
	}
}

func TestWalkSocketAndDevice(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mkTree(t, root, "a.txt")
	l, err := net.Listen("unix", filepath.Join(root, "sock"))
	if err != nil {
		t.Skipf("cannot make a unix socket: %v", err)
	}
	defer l.Close()
	want := []string{"a.txt", "sock: skip: " + SkipSocket}
	// Making device nodes needs CAP_MKNOD; test them when we can.
	if err := unix.Mknod(filepath.Join(root, "null"), unix.S_IFCHR|0o600, int(unix.Mkdev(1, 3))); err == nil {
		want = []string{"a.txt", "null: skip: " + SkipDevice, "sock: skip: " + SkipSocket}
	} else {
		t.Logf("no device node test: %v", err)
	}
	eachMode(t, Options{}, func(t *testing.T, opts Options) { diffLines(t, collect(t, root, opts), want) })
}

// TestWalkPrunesExcludedDirectories checks that an excluded directory is
// not even opened.
func TestWalkPrunesExcludedDirectories(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mkTree(t, root, "keep/a.txt", "node_modules/m/m.js", `.datahygieneignore:cache/\n`, "x/cache/c.bin", "x/y.txt")
	eachMode(t, Options{Excludes: []string{"node_modules"}}, func(t *testing.T, opts Options) {
		var opened []string
		opts.openDir = func(path string, follow bool) (*os.File, error) {
			rel, _ := filepath.Rel(root, path)
			opened = append(opened, filepath.ToSlash(rel))
			return openDirectory(path, follow)
		}
		diffLines(t, collect(t, root, opts), []string{".datahygieneignore", "keep/a.txt", "x/y.txt"})
		if want := []string{".", "keep", "x"}; !slices.Equal(opened, want) {
			t.Errorf("opened directories %q, want %q", opened, want)
		}
	})
}

// TestWalkUnreadableDirectory uses chmod, which root ignores; the tests
// below reach the same code path by injection and by racing the walk.
func TestWalkUnreadableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read any directory; see TestWalkOpenDirectoryFails")
	}
	t.Parallel()
	root := t.TempDir()
	mkTree(t, root, "Private/x.txt", "public.txt")
	priv := filepath.Join(root, "Private")
	if err := os.Chmod(priv, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(priv, 0o755) })
	eachMode(t, Options{}, func(t *testing.T, opts Options) {
		diffLines(t, collect(t, root, opts), []string{"Private: error: open Private: permission denied", "public.txt"})
	})
}

func TestWalkOpenDirectoryFails(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mkTree(t, root, "Private/x.txt", "Public/y.txt", "z.txt")
	failing := func(name string) func(string, bool) (*os.File, error) {
		return func(path string, follow bool) (*os.File, error) {
			if filepath.Base(path) == name {
				return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES}
			}
			return openDirectory(path, follow)
		}
	}

	eachMode(t, Options{}, func(t *testing.T, opts Options) {
		var entries []Entry
		opts.openDir = failing("Private")
		err := walkGuarded(t, root, opts, func(e Entry) error {
			e.Stat()
			entries = append(entries, e)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, show(e))
		}
		diffLines(t, got, []string{"Private: error: open Private: permission denied", "Public/y.txt", "z.txt"})
		if len(entries) > 0 {
			if !errors.Is(entries[0].Err, fs.ErrPermission) {
				t.Errorf("error %v is not fs.ErrPermission", entries[0].Err)
			}
			var pe *fs.PathError
			if !errors.As(entries[0].Err, &pe) || pe.Path != "Private" {
				t.Errorf("error %#v does not carry the relative path", entries[0].Err)
			}
		}

		// The root itself: the error names the root as given.
		opts.openDir = failing(filepath.Base(root))
		got = collect(t, root, opts)
		diffLines(t, got, []string{".: error: open " + root + ": permission denied"})
	})
}

func TestWalkDirectoryRemovedDuringWalk(t *testing.T) {
	t.Parallel()
	eachMode(t, Options{}, func(t *testing.T, opts Options) {
		root := t.TempDir()
		mkTree(t, root, "a/x.txt", "b/y.txt", "c.txt")
		var got []string
		err := walkGuarded(t, root, opts, func(e Entry) error {
			e.Stat()
			got = append(got, show(e))
			if e.Rel == "a/x.txt" {
				return os.RemoveAll(filepath.Join(root, "b"))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		diffLines(t, got, []string{"a/x.txt", "b: error: open b: no such file or directory", "c.txt"})
	})
}

// TestWalkFileRemovedDuringWalk removes a file listed in a later chunk of
// its directory, so its Lstat fails: Walk's own (eager), or with LazyStat
// the one Stat makes when the callback gets it.
func TestWalkFileRemovedDuringWalk(t *testing.T) {
	t.Parallel()
	eachMode(t, Options{}, func(t *testing.T, opts Options) {
		root := t.TempDir()
		n := statChunk + 3
		var want []string
		for i := range n {
			name := fmt.Sprintf("f%03d", i)
			mkTree(t, root, name)
			want = append(want, name)
		}
		last := want[n-1]
		want[n-1] = last + ": error: lstat " + last + ": no such file or directory"
		var got []string
		err := walkGuarded(t, root, opts, func(e Entry) error {
			e.Stat()
			got = append(got, show(e))
			if e.Rel == "f000" {
				return os.Remove(filepath.Join(root, last))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		diffLines(t, got, want)
	})
}

// TestWalkDirectoryReplacedBySymlink swaps a directory for a link out of
// the tree between listing and opening: the walk must not follow it.
func TestWalkDirectoryReplacedBySymlink(t *testing.T) {
	t.Parallel()
	eachMode(t, Options{}, func(t *testing.T, opts Options) {
		tmp := t.TempDir()
		root := filepath.Join(tmp, "root")
		mkTree(t, root, "a/x.txt", "b/y.txt", "../outside/secret.txt")
		var got []string
		err := walkGuarded(t, root, opts, func(e Entry) error {
			e.Stat()
			got = append(got, show(e))
			if e.Rel == "a/x.txt" {
				b := filepath.Join(root, "b")
				if err := os.RemoveAll(b); err != nil {
					return err
				}
				return os.Symlink(filepath.Join(tmp, "outside"), b)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		diffLines(t, got, []string{"a/x.txt", "b: error: open b: changed during the walk: not a directory"})
	})
}

func TestWalkStopsOnCallbackError(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mkTree(t, root, "a/1", "a/2", "b/3")
	stop := errors.New("stop")
	eachMode(t, Options{}, func(t *testing.T, opts Options) {
		var n int
		err := walkGuarded(t, root, opts, func(e Entry) error {
			n++
			if e.Rel == "a/2" {
				return stop
			}
			return nil
		})
		if err != stop || n != 2 {
			t.Errorf("Walk = %v after %d entries, want %v after 2", err, n, stop)
		}
	})
}

func TestWalkContext(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mkTree(t, root, "a/1", "b/2", "c/3")
	eachMode(t, Options{}, func(t *testing.T, opts Options) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := Walk(ctx, root, opts, func(Entry) error { t.Error("yielded after cancel"); return nil }); !errors.Is(err, context.Canceled) {
			t.Errorf("canceled before: Walk = %v", err)
		}

		ctx, cancel = context.WithCancel(context.Background())
		defer cancel()
		var got []string
		err := Walk(ctx, root, opts, func(e Entry) error {
			got = append(got, e.Rel)
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) || !slices.Equal(got, []string{"a/1"}) {
			t.Errorf("canceled during: Walk = %v after %q, want context.Canceled after [a/1]", err, got)
		}
	})
}

func TestWalkRootAndOptionErrors(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, tc := range []struct {
		name string
		root string
		opts Options
		want string
	}{
		{"missing root", filepath.Join(root, "nope"), Options{}, "stat " + filepath.Join(root, "nope") + ": no such file or directory"},
		{"negative size", root, Options{MaxFileSize: -1}, "walk: negative maximum file size -1"},
		{"ignore file with a slash", root, Options{IgnoreFileName: "a/b"}, `walk: ignore file name "a/b" is not a plain file name`},
		{"ignore file dot-dot", root, Options{IgnoreFileName: ".."}, `walk: ignore file name ".." is not a plain file name`},
		{"negative size, lazy", root, Options{MaxFileSize: -1, LazyStat: true}, "walk: negative maximum file size -1"},
	} {
		err := Walk(context.Background(), tc.root, tc.opts, func(Entry) error { return nil })
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: Walk = %v, want %s", tc.name, err, tc.want)
		}
	}
}

// TestWalkDeterministic creates the same tree in two random orders and
// expects the same entries, in an order where every directory's names are
// sorted.
func TestWalkDeterministic(t *testing.T) {
	t.Parallel()
	var specs []string
	for i := range 60 {
		specs = append(specs, fmt.Sprintf("d%d/s%d/f%02d", i%4, i%3, i))
	}
	var runs [][]string
	for seed := range uint64(2) {
		root := t.TempDir()
		shuffled := slices.Clone(specs)
		rand.New(rand.NewPCG(seed, seed)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		mkTree(t, root, shuffled...)
		runs = append(runs, collect(t, root, Options{}), collect(t, root, Options{LazyStat: true}))
	}
	for _, run := range runs[1:] {
		diffLines(t, run, runs[0])
	}
	if len(runs[0]) != len(specs) || !slices.IsSorted(runs[0]) { // sorted here because every name has the same length
		t.Errorf("got %d entries, sorted %v: %q", len(runs[0]), slices.IsSorted(runs[0]), runs[0])
	}
}

// TestWalkLargeDirectory reads a directory in several batches.
func TestWalkLargeDirectory(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	var want []string
	for i := range 50 {
		name := fmt.Sprintf("f%03d", 49-i)
		if err := os.WriteFile(filepath.Join(root, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		want = append(want, fmt.Sprintf("f%03d", i))
	}
	eachMode(t, Options{readDirBatch: 7}, func(t *testing.T, opts Options) { diffLines(t, collect(t, root, opts), want) })
}

// TestOpen swaps files after the walk, as a hostile user of a shared tree
// could, and checks that Open opens only the regular file the stat saw.
// The stat is Walk's, or with LazyStat the one Stat made in the callback,
// as the scan's workers do; an entry never statted is statted by Open,
// which then opens what is there if, and only if, it is a regular file.
func TestOpen(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		lazy, stat bool
		changed    map[string]string // wants that differ from the eager walk's
	}{
		{name: "eager"},
		{name: "lazy, statted in the callback", lazy: true, stat: true},
		{name: "lazy, statted by Open", lazy: true, changed: map[string]string{
			"b.txt": "error: open b.txt: not opened: " + SkipFIFO,
			"c.txt": "error: lstat c.txt: changed during the walk",
			"d.txt": "new inode",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			root := filepath.Join(tmp, "root")
			mkTree(t, root, "a.txt:hello", "b.txt", "c.txt", "d.txt", "e.txt", "big=100", "p|", "link -> a.txt", "../secret.txt")
			entries := map[string]Entry{}
			for _, follow := range []bool{false, true} {
				err := walkGuarded(t, root, Options{FollowSymlinks: follow, MaxFileSize: 10, LazyStat: tc.lazy}, func(e Entry) error {
					if tc.stat {
						e.Stat()
					}
					if follow {
						e.Rel = "followed " + e.Rel
					}
					entries[e.Rel] = e
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}

			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(os.Remove(filepath.Join(root, "b.txt")))
			must(syscall.Mkfifo(filepath.Join(root, "b.txt"), 0o644))
			must(os.Remove(filepath.Join(root, "c.txt")))
			must(os.Symlink(filepath.Join(tmp, "secret.txt"), filepath.Join(root, "c.txt")))
			// Written beside and renamed over, so the inode cannot be reused.
			must(os.WriteFile(filepath.Join(root, "d.new"), []byte("new inode"), 0o644))
			must(os.Rename(filepath.Join(root, "d.new"), filepath.Join(root, "d.txt")))

			for _, want := range []struct {
				rel  string
				want string // file content, or "error: ..."
			}{
				{"a.txt", "hello"},
				{"followed link", "hello"},
				{"e.txt", "data"},
				{"link", "error: open link: not opened: " + SkipSymlink},
				{"big", "error: open big: not opened: larger than --max-file-size (100 B > 10 B)"},
				{"p", "error: open p: not opened: " + SkipFIFO},
				{"b.txt", "error: open b.txt: not a regular file"},
				{"c.txt", "error: open c.txt: too many levels of symbolic links"},
				{"d.txt", "error: open d.txt: changed during the walk"},
			} {
				if w, ok := tc.changed[want.rel]; ok {
					want.want = w
				}
				e, ok := entries[want.rel]
				if !ok {
					t.Errorf("%s: not yielded", want.rel)
					continue
				}
				got := openAndRead(t, e)
				if got != want.want {
					t.Errorf("Open(%s) = %q, want %q", want.rel, got, want.want)
				}
			}
		})
	}
}

func openAndRead(t *testing.T, e Entry) string {
	t.Helper()
	done := make(chan string, 1)
	go func() {
		f, err := Open(e)
		if err != nil {
			done <- "error: " + err.Error()
			return
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			done <- "error: " + err.Error()
			return
		}
		done <- string(b)
	}()
	select {
	case s := <-done:
		return s
	case <-time.After(10 * time.Second):
		t.Fatalf("Open(%s) hung", e.Rel)
		return ""
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1 KiB"},
		{1536, "1.5 KiB"},
		{10 << 20, "10 MiB"},
		{12<<20 + 1, "12.0 MiB"},
		{3 << 30, "3 GiB"},
		{1 << 62, "4 EiB"},
	} {
		if got := formatSize(tc.n); got != tc.want {
			t.Errorf("formatSize(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// TestWalkAgreesWithGit builds random trees with ignore files at several
// levels and --exclude patterns, and expects Walk to yield exactly the
// files git ls-files --others lists with the same rules: this checks the
// precedence between levels and the pruning of ignored directories, which
// TestMatch cannot.
func TestWalkAgreesWithGit(t *testing.T) {
	git := gittest.Git(t)
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	names := []string{"a", "b", "ab", "a.log", "b.log", "keep.log", "tmp", "x.txt"}
	patterns := []string{
		"*.log", "!keep.log", "!*.log", "tmp/", "/a", "a/", "b", "**/tmp", "a/**", "!b", "ab/*.txt",
		"!a", "x.txt", "/ab/", "*", "!*/", "?.log", "[ab]", "!/b/",
	}
	randomLines := func(n int) []string {
		var lines []string
		for range n {
			lines = append(lines, patterns[rng.IntN(len(patterns))])
		}
		return lines
	}
	for i := range 12 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			repo := gittest.Repo(t, git)
			var specs []string
			dirs := []string{""}
			for range 25 {
				var elems []string
				for range 1 + rng.IntN(3) {
					elems = append(elems, names[rng.IntN(len(names))])
				}
				specs = append(specs, strings.Join(elems, "/")+".f") // ".f" keeps files and directories apart
				for k := 1; k < len(elems); k++ {
					dirs = append(dirs, strings.Join(elems[:k], "/")+"/")
				}
			}
			for _, d := range dirs {
				if rng.IntN(3) == 0 {
					specs = append(specs, d+".datahygieneignore:"+strings.Join(randomLines(1+rng.IntN(3)), `\n`))
				}
			}
			mkTree(t, repo, specs...)
			excludes := randomLines(rng.IntN(3))

			args := []string{"ls-files", "-o", "-z", "--exclude-per-directory=.datahygieneignore"}
			for _, x := range excludes {
				args = append(args, "--exclude="+x)
			}
			cmd := exec.Command(git, args...)
			cmd.Dir = repo
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("git ls-files: %v", err)
			}
			want := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			if want[0] == "" {
				want = nil
			}

			got := collect(t, repo, Options{Excludes: append(slices.Clone(excludes), "/.git/")})
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("excludes %q, tree %q:\nWalk yields %q\n git lists  %q", excludes, specs, got, want)
			}
		})
	}
}
