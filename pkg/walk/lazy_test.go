//go:build unix

package walk

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"syscall"
	"testing"
)

// entryState renders everything an entry holds, Info's Sys included, so
// that two walks can be compared whole.
func entryState(e Entry) string {
	s := fmt.Sprintf("%s path=%s skip=%q followed=%v lazy=%v", e.Rel, e.Path, e.Skip, e.followed, e.lazy != nil)
	if e.Err != nil {
		var pe *fs.PathError
		errors.As(e.Err, &pe)
		s += fmt.Sprintf(" err=%q (%T, path %q)", e.Err, e.Err, pe.Path)
	}
	if e.Info != nil {
		s += fmt.Sprintf(" info=%s %v %d %d %+v", e.Info.Name(), e.Info.Mode(), e.Info.Size(), e.Info.ModTime().UnixNano(), e.Info.Sys())
	}
	return s
}

// lazyTree builds a tree with everything Stat must treat as Walk does, in
// root, and a file outside it; Private cannot be opened (failPrivate).
func lazyTree(t *testing.T) (root string) {
	t.Helper()
	tmp := t.TempDir()
	root = filepath.Join(tmp, "root")
	mkTree(t, root,
		"a.txt:hello", "empty=0", "big=11", "limit=10", "pipe|", "sub/c.txt", "sub/empty=0",
		"Private/x.txt", ".datahygieneignore:*.log\n", "x.log",
		"lfile -> a.txt", "ldir -> sub", "lbig -> big", "lpipe -> pipe", "ldangle -> nowhere", "lloop -> lloop",
		"../outside.txt:outside", "lout -> ../outside.txt",
	)
	l, err := net.Listen("unix", filepath.Join(root, "sock"))
	if err != nil {
		t.Logf("no socket in the tree: %v", err)
	} else {
		t.Cleanup(func() { l.Close() })
	}
	return root
}

func failPrivate(path string, follow bool) (*os.File, error) {
	if filepath.Base(path) == "Private" {
		return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES}
	}
	return openDirectory(path, follow)
}

// TestLazyStatSameEntries walks the same tree with and without LazyStat:
// once statted, the entries must be the same, field by field, in the same
// order; before Stat, only regular files lack their Info.
func TestLazyStatSameEntries(t *testing.T) {
	t.Parallel()
	root := lazyTree(t)
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"symlinks not followed", Options{MaxFileSize: 10}},
		{"symlinks followed", Options{MaxFileSize: 10, FollowSymlinks: true}},
		{"read ahead", Options{MaxFileSize: 10, Parallelism: 4}},
	} {
		opts := tc.opts
		t.Run(tc.name, func(t *testing.T) {
			if opts.Parallelism == 0 {
				opts.openDir = failPrivate
			}
			var eager, lazy, shown []string
			err := walkGuarded(t, root, opts, func(e Entry) error {
				eager = append(eager, entryState(e))
				shown = append(shown, show(e))
				if err := e.Stat(); err != e.Err {
					t.Errorf("%s: Stat = %v, want Err %v", e.Rel, err, e.Err)
				}
				if got := entryState(e); got != eager[len(eager)-1] {
					t.Errorf("%s: Stat changed an eager entry:\n got %s\nwant %s", e.Rel, got, eager[len(eager)-1])
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// The tree has what it claims to.
			for _, want := range []string{
				"a.txt", "big: skip: larger than --max-file-size (11 B > 10 B)", "empty", "limit", "pipe: skip: " + SkipFIFO,
				"sock: skip: " + SkipSocket,
			} {
				if _, err := os.Lstat(filepath.Join(root, "sock")); err != nil && want == "sock: skip: "+SkipSocket {
					continue // logged by lazyTree
				}
				if !slices.Contains(shown, want) {
					t.Errorf("eager walk did not yield %q: %q", want, shown)
				}
			}
			if opts.openDir != nil && !slices.Contains(shown, "Private: error: open Private: permission denied") {
				t.Errorf("Private was read: %q", shown)
			}
			opts.LazyStat = true
			unstatted := map[string]bool{}
			err = walkGuarded(t, root, opts, func(e Entry) error {
				if e.lazy != nil {
					if e.Info != nil || e.Skip != "" || e.Err != nil {
						t.Errorf("%s: unstatted entry has %s", e.Rel, entryState(e))
					}
					unstatted[e.Rel] = true
				}
				err := e.Stat()
				if err != e.Err {
					t.Errorf("%s: Stat = %v, want Err %v", e.Rel, err, e.Err)
				}
				lazy = append(lazy, entryState(e))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(lazy) != len(eager) {
				t.Fatalf("lazy walk yielded %d entries, eager %d:\n%q\n%q", len(lazy), len(eager), lazy, eager)
			}
			for i := range lazy {
				if lazy[i] != eager[i] {
					t.Errorf("entry %d differs:\nlazy  %s\neager %s", i, lazy[i], eager[i])
				}
			}
			// Only regular files wait for Stat; everything whose type
			// decides what Walk does came statted.
			want := map[string]bool{"a.txt": true, "empty": true, "big": true, "limit": true, "sub/c.txt": true, "sub/empty": true, ".datahygieneignore": true}
			if opts.Parallelism != 0 {
				want["Private/x.txt"] = true
			}
			if opts.FollowSymlinks { // sub is read as ldir, which comes first
				delete(want, "sub/c.txt")
				delete(want, "sub/empty")
				want["ldir/c.txt"], want["ldir/empty"] = true, true
			}
			if !reflect.DeepEqual(unstatted, want) {
				t.Errorf("unstatted entries %v, want %v", unstatted, want)
			}
		})
	}
}

// TestLazyStatAfterChange changes files between the walk and Stat: a file
// removed becomes an entry with Err, one replaced by a directory or a
// symlink is reported changed (never followed), one replaced by a FIFO is
// skipped; and a second Stat makes no system call.
func TestLazyStatAfterChange(t *testing.T) {
	t.Parallel()
	for _, follow := range []bool{false, true} {
		t.Run(fmt.Sprint("follow=", follow), func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			root := filepath.Join(tmp, "root")
			mkTree(t, root, "gone", "todir", "tolink", "tofifo", "kept:kept", "statted", "grown=5", "../outside.txt")
			entries := map[string]Entry{}
			err := walkGuarded(t, root, Options{LazyStat: true, FollowSymlinks: follow, MaxFileSize: 10}, func(e Entry) error {
				if e.Rel == "statted" {
					if err := e.Stat(); err != nil {
						t.Errorf("Stat(statted) = %v", err)
					}
				}
				entries[e.Rel] = e
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			p := func(name string) string { return filepath.Join(root, name) }
			must(os.Remove(p("gone")))
			must(os.Remove(p("todir")))
			must(os.Mkdir(p("todir"), 0o755))
			must(os.Remove(p("tolink")))
			must(os.Symlink(filepath.Join(tmp, "outside.txt"), p("tolink")))
			must(os.Remove(p("tofifo")))
			must(syscall.Mkfifo(p("tofifo"), 0o644))
			must(os.Remove(p("statted")))
			must(os.WriteFile(p("grown"), []byte("more than ten bytes"), 0o644))

			// Open stats an entry no one statted (entries holds copies),
			// and refuses what is not a regular file.
			for rel, want := range map[string]string{
				"gone":   "error: lstat gone: no such file or directory",
				"tolink": "error: lstat tolink: changed during the walk",
				"tofifo": "error: open tofifo: not opened: " + SkipFIFO,
				"kept":   "kept",
			} {
				if got := openAndRead(t, entries[rel]); got != want {
					t.Errorf("Open(%s) = %q, want %q", rel, got, want)
				}
			}

			for _, tc := range []struct {
				rel, want string
				info      bool
				notExist  bool
			}{
				{rel: "gone", want: "gone: error: lstat gone: no such file or directory", notExist: true},
				{rel: "todir", want: "todir: error: lstat todir: changed during the walk", info: true},
				{rel: "tolink", want: "tolink: error: lstat tolink: changed during the walk", info: true},
				{rel: "tofifo", want: "tofifo: skip: " + SkipFIFO, info: true},
				{rel: "kept", want: "kept", info: true},
				{rel: "grown", want: "grown: skip: larger than --max-file-size (19 B > 10 B)", info: true},
				// Statted before it was removed: Stat does not look again.
				{rel: "statted", want: "statted", info: true},
			} {
				e, ok := entries[tc.rel]
				if !ok {
					t.Errorf("%s: not yielded", tc.rel)
					continue
				}
				err := e.Stat()
				if err != e.Err {
					t.Errorf("%s: Stat = %v, want Err %v", tc.rel, err, e.Err)
				}
				if got := show(e); got != tc.want {
					t.Errorf("%s: after Stat %q, want %q", tc.rel, got, tc.want)
				}
				if (e.Info != nil) != tc.info {
					t.Errorf("%s: Info %v, want set: %v", tc.rel, e.Info, tc.info)
				}
				if e.Err != nil {
					var pe *fs.PathError
					if !errors.As(e.Err, &pe) || pe.Path != tc.rel {
						t.Errorf("%s: Err %#v is not an *fs.PathError naming Rel", tc.rel, e.Err)
					}
				}
				if got := errors.Is(e.Err, fs.ErrNotExist); got != tc.notExist {
					t.Errorf("%s: errors.Is(Err, fs.ErrNotExist) = %v", tc.rel, got)
				}
				if e.followed {
					t.Errorf("%s: marked followed", tc.rel)
				}
				// A second Stat changes nothing, even now that the
				// file has changed again.
				info := e.Info
				must(os.RemoveAll(p(tc.rel)))
				if err := e.Stat(); err != e.Err || e.Info != info || show(e) != tc.want {
					t.Errorf("%s: second Stat = %v, entry %q", tc.rel, err, show(e))
				}
			}
		})
	}
}
