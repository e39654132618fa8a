package scan

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
	"github.com/datahygiene/datahygiene/pkg/synth"
)

func tree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	g := synth.New(7)
	for i := 0; i < 60; i++ {
		first, last := g.Name()
		p := filepath.Join(dir, fmt.Sprintf("d%d", i%7), fmt.Sprintf("f%02d.txt", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf("note %d\nmail %s\ncard %s\n", i, g.Email(first, last), g.Card(synth.Spaced))
		if i%3 == 0 {
			body = "nothing to see\n"
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDeterministic: the report is the same whatever the number of workers.
func TestDeterministic(t *testing.T) {
	dir := tree(t)
	rs, err := ruleset.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	var first []byte
	for _, w := range []int{1, 2, 8} {
		rep, err := Run(context.Background(), Options{Root: dir, Workers: w, Rules: rs, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Summary.FilesSeen != 60 || rep.Summary.FilesWithFindings != 40 || rep.Summary.Findings != 80 {
			t.Fatalf("workers=%d: summary %+v", w, rep.Summary)
		}
		b, _ := json.Marshal(rep.Files)
		if first == nil {
			first = b
		} else if string(b) != string(first) {
			t.Fatalf("workers=%d: different report", w)
		}
	}
}

// TestReadOnly: a scan changes neither the content, the mtime nor (for
// files we own, thanks to O_NOATIME) the access time of what it reads.
func TestReadOnly(t *testing.T) {
	dir := tree(t)
	p := filepath.Join(dir, "d1", "f01.txt")
	before, _ := os.ReadFile(p)
	// Both times old: under relatime a plain read would now move atime.
	old := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
	rs, _ := ruleset.Load()
	rep, err := Run(context.Background(), Options{Root: dir, Rules: rs})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Files {
		if f.Path == "d1/f01.txt" && f.Status == finding.Scanned && len(f.Findings) == 2 {
			found = true
		}
	}
	if !found {
		t.Fatal("d1/f01.txt was not scanned with its 2 findings")
	}
	fi, _ := os.Stat(p)
	st := fi.Sys().(*syscall.Stat_t)
	if atime := time.Unix(st.Atim.Sec, st.Atim.Nsec); !atime.Equal(old) {
		t.Errorf("scan moved the access time of a file we own: %v, want %v", atime, old)
	}
	if !fi.ModTime().Equal(old) {
		t.Error("scan changed the mtime")
	}
	if after, _ := os.ReadFile(p); string(before) != string(after) {
		t.Error("scan changed the content")
	}
}

func TestRootErrors(t *testing.T) {
	rs, _ := ruleset.Load()
	if _, err := Run(context.Background(), Options{Root: filepath.Join(t.TempDir(), "missing"), Rules: rs}); err == nil {
		t.Error("missing root should fail")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Root: tree(t), Rules: rs}); err == nil {
		t.Error("cancelled scan should fail")
	}
}
