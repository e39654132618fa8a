package benchtree

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnsure(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "tree")
	shape := Shape{Files: 25, PerDir: 10}
	if err := Ensure(dir, shape); err != nil {
		t.Fatal(err)
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != shape.Files+1 {
		t.Errorf("%d files, want %d", len(files), shape.Files+1)
	}
	for _, want := range []string{MarkerName, "t000/m0/l0/f009.txt", "t000/m0/l1/f000.txt", "t000/m0/l2/f004.txt"} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Errorf("missing %s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "t000/m0/l2/f005.txt")); err == nil {
		t.Error("the last leaf has more than the remainder")
	}

	// The same shape again is a no-op; anything else is refused.
	before, _ := os.Stat(filepath.Join(dir, MarkerName))
	if err := Ensure(dir, shape); err != nil {
		t.Errorf("Ensure again: %v", err)
	}
	if after, _ := os.Stat(filepath.Join(dir, MarkerName)); !after.ModTime().Equal(before.ModTime()) {
		t.Error("Ensure regenerated an existing tree")
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "mine.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir   string
		shape Shape
		want  string
	}{
		{dir, Shape{Files: 26, PerDir: 10}, "holds tree files-25-per-10-v1, want files-26-per-10-v1"},
		{other, shape, "is not empty and has no BENCHTREE marker"},
		{dir, Shape{}, "0 files: need at least one"},
	} {
		if err := Ensure(tc.dir, tc.shape); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Ensure(%s, %v) = %v, want an error containing %q", tc.dir, tc.shape, err, tc.want)
		}
	}
}

func TestLeafDir(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		leaf int
		want string
	}{
		{0, "t000/m0/l0"},
		{4, "t000/m0/deep/er/l4"},
		{13, "t000/m1/l3"},
		{1999, "t019/m9/deep/er/l9"},
	} {
		if got := filepath.ToSlash(leafDir(tc.leaf)); got != tc.want {
			t.Errorf("leafDir(%d) = %s, want %s", tc.leaf, got, tc.want)
		}
	}
}

func TestFind(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("find"); err != nil {
		t.Skip("find not found")
	}
	dir := t.TempDir()
	if err := Ensure(dir, Shape{Files: 12, PerDir: 5}); err != nil {
		t.Fatal(err)
	}
	for _, stat := range []bool{false, true} {
		n, _, err := Find(context.Background(), dir, stat)
		if err != nil || n != 13 {
			t.Errorf("Find(stat %v) = %d, %v; want 13 files", stat, n, err)
		}
	}
	if _, _, err := Find(context.Background(), filepath.Join(dir, "missing"), false); err == nil {
		t.Error("Find of a missing directory did not fail")
	}
}
