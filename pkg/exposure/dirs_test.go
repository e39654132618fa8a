//go:build unix

package exposure

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func mkdirMode(t *testing.T, parent, name string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(parent, name)
	if err := os.Mkdir(p, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // Mkdir applies the umask
		t.Fatal(err)
	}
	return p
}

func TestDirsWorldWritable(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	open := mkdirMode(t, base, "dropbox", 0o777)
	tmp := mkdirMode(t, base, "tmp", 0o777|os.ModeSticky)
	private := mkdirMode(t, base, "private", 0o750)
	group := mkdirMode(t, base, "group", 0o770)
	link := filepath.Join(base, "link-to-private")
	if err := os.Symlink(private, link); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(base, "file.csv")
	if err := os.WriteFile(file, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir              string
		writable, sticky bool
		err              string
	}{
		{open, true, false, ""},
		{tmp, true, true, ""},
		{private, false, false, ""},
		{group, false, false, ""},
		{link, false, false, ""}, // the link's own 0777 must not count
		{file, false, false, file + ": not a directory"},
		{filepath.Join(base, "missing"), false, false, "no such file or directory"},
	}
	var d Dirs
	for _, tt := range tests {
		w, s, err := d.WorldWritable(tt.dir)
		if w != tt.writable || s != tt.sticky || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("WorldWritable(%s) = %v, %v, %v; want %v, %v, %q", tt.dir, w, s, err, tt.writable, tt.sticky, tt.err)
		}
	}
	if _, _, err := d.WorldWritable(filepath.Join(base, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing dir: err = %v, want ErrNotExist", err)
	}

	// Each directory is looked at once: a later chmod is not seen.
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if w, _, _ := d.WorldWritable(open); !w {
		t.Error("cached answer not reused")
	}
	var fresh Dirs
	if w, _, _ := fresh.WorldWritable(open); w {
		t.Error("a new Dirs sees the chmod")
	}
}

func TestDirsConcurrent(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dirs := []string{mkdirMode(t, base, "a", 0o777), mkdirMode(t, base, "b", 0o755), mkdirMode(t, base, "c", 0o777|os.ModeSticky)}
	var d Dirs
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				dir := dirs[i%3]
				w, s, err := d.WorldWritable(dir)
				if err != nil || w != (i%3 != 1) || s != (i%3 == 2) {
					t.Errorf("%s: %v %v %v", dir, w, s, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(d.m) != 3 {
		t.Errorf("cache holds %d directories, want 3", len(d.m))
	}
}
