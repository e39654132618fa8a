package walk

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// dirent64 encodes one struct linux_dirent64 record as the kernel does:
// header, name, NUL, padded to 8 bytes.
func dirent64(ino uint64, typ byte, name string) []byte {
	n := (direntName + len(name) + 1 + 7) &^ 7
	b := make([]byte, n)
	binary.NativeEndian.PutUint64(b, ino)
	binary.NativeEndian.PutUint16(b[direntReclen:], uint16(n))
	b[direntType] = typ
	copy(b[direntName:], name)
	return b
}

func TestParseDirents(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mkTree(t, dir, "unknown-file", "unknown-dir/", "unknown-link -> x")
	d, err := openDirHandle(nil, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()

	var buf []byte
	for _, r := range []struct {
		ino  uint64
		typ  byte
		name string
	}{
		{1, unix.DT_DIR, "."},
		{1, unix.DT_DIR, ".."},
		{2, unix.DT_REG, "file"},
		{0, unix.DT_REG, "deleted"},
		{3, unix.DT_DIR, "dir"},
		{4, unix.DT_LNK, "link"},
		{5, unix.DT_FIFO, "fifo"},
		{6, unix.DT_SOCK, "sock"},
		{7, unix.DT_BLK, "blk"},
		{8, unix.DT_CHR, "chr"},
		{9, unix.DT_UNKNOWN, "unknown-file"},
		{10, unix.DT_UNKNOWN, "unknown-dir"},
		{11, unix.DT_UNKNOWN, "unknown-link"},
		{12, unix.DT_UNKNOWN, "unknown-gone"},
		{13, unix.DT_REG, strings.Repeat("n", 255)},
	} {
		buf = append(buf, dirent64(r.ino, r.typ, r.name)...)
	}
	good := len(buf)
	buf = append(buf, dirent64(14, unix.DT_REG, "truncated")[:direntName+3]...) // cut short: ignored

	var fi fileInfo
	got := parseDirents(d, string(buf), nil, &fi)
	want := []dirent{
		{"file", 0, false}, {"dir", os.ModeDir, false}, {"link", os.ModeSymlink, false}, {"fifo", os.ModeNamedPipe, false},
		{"sock", os.ModeSocket, false}, {"blk", os.ModeDevice, false}, {"chr", os.ModeDevice | os.ModeCharDevice, false},
		{"unknown-file", 0, true}, {"unknown-dir", os.ModeDir, true}, {"unknown-link", os.ModeSymlink, true},
		{strings.Repeat("n", 255), 0, false},
	}
	if !slices.Equal(got, want) {
		t.Errorf("parseDirents:\n got %v\nwant %v", got, want)
	}
	if again := parseDirents(d, string(buf[:good]), nil, &fi); !slices.Equal(again, want) {
		t.Errorf("without the truncated record: %v", again)
	}
}

// FuzzParseDirents feeds arbitrary bytes as a getdents64 result: the
// kernel writes it, but a bug or a hostile FUSE server must not make the
// walk panic, loop, or yield a name that could climb out of its directory.
func FuzzParseDirents(f *testing.F) {
	f.Add(append(dirent64(1, unix.DT_REG, "a.txt"), dirent64(2, unix.DT_DIR, "sub")...))
	f.Add(dirent64(3, unix.DT_UNKNOWN, "x"))
	f.Add(dirent64(1, unix.DT_DIR, ".."))
	f.Add([]byte("\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08a/b\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var fi fileInfo
		for _, e := range parseDirents(dirHandle{fd: -1}, string(b), nil, &fi) {
			if e.name == "" || e.name == "." || e.name == ".." || strings.ContainsAny(e.name, "/\x00") {
				t.Fatalf("bad name %q", e.name)
			}
			if len(e.name) > len(b) {
				t.Fatalf("name longer than the input")
			}
		}
	})
}

// TestDirHandleStatsRelative checks that the stats go through the open
// directory, not the path: after the directory is renamed, they still
// find its files; by path (pathHandle) they do not.
func TestDirHandleStatsRelative(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	mkTree(t, tmp, "before/f=3")
	d, err := openDirHandle(nil, filepath.Join(tmp, "before"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	if err := os.Rename(filepath.Join(tmp, "before"), filepath.Join(tmp, "after")); err != nil {
		t.Fatal(err)
	}
	var fi fileInfo
	if info, err := d.lstat(&fi, "f", filepath.Join(tmp, "before", "f")); err != nil || info.Size() != 3 {
		t.Errorf("relative lstat = %v, %v", info, err)
	}
	if _, err := pathHandle().lstat(&fi, "f", filepath.Join(tmp, "before", "f")); err == nil {
		t.Error("lstat by path found a file that moved")
	}
}

// TestPlanLazy checks which entries a walk with LazyStat leaves unstatted:
// regular files as the listing typed them, not those whose type took an
// lstat (DT_UNKNOWN, typed as a regular file when that lstat failed), nor
// anything else.
func TestPlanLazy(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w := &walker{opts: Options{IgnoreFileName: DefaultIgnoreFileName, LazyStat: true}, lazy: &statRules{}}
	n := &node{path: dir, rel: ".", prefix: dirPrefix(dir)}
	w.relOff = len(n.prefix)
	r := &dirResult{ents: []dirent{
		{"dir", os.ModeDir, false}, {"fifo", os.ModeNamedPipe, false}, {"link", os.ModeSymlink, false},
		{"probed", 0, true}, {"regular", 0, false}, {"sock", os.ModeSocket, false},
	}}
	chunk, todo := w.plan(n, r, 0)
	defer putChunk(chunk)
	var lazy []string
	for _, p := range chunk {
		if p.e.lazy != nil {
			if p.act != actYield || p.e.Info != nil || p.e.Rel != "regular" || p.e.Path != filepath.Join(dir, "regular") {
				t.Errorf("lazy entry %+v", p)
			}
			lazy = append(lazy, p.e.Rel)
		}
	}
	if want := []string{"regular"}; !slices.Equal(lazy, want) {
		t.Errorf("unstatted %q, want %q", lazy, want)
	}
	if want := []int{1, 2, 3, 5}; !slices.Equal(todo, want) {
		t.Errorf("to stat: %v, want %v", todo, want)
	}
	if chunk[0].act != actDir {
		t.Errorf("dir: action %v, want actDir", chunk[0].act)
	}
}
