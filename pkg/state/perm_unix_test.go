//go:build unix

package state

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// TestPermissions checks that everything the state creates is private
// even under a permissive umask. Not parallel: the umask is per process.
func TestPermissions(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "a", "state")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	release, err := s.Lock("/srv")
	if err != nil {
		t.Fatal(err)
	}
	record(t, s, "/srv", "r1", []file{dirtyFile("a.txt", 1, fnd("email", finding.Medium, loc(1, "fp1")))})
	want := map[string]fs.FileMode{
		"":              0o700,
		dbName:          0o600,
		dbName + "-wal": 0o600,
		dbName + "-shm": 0o600,
		secretName:      0o600,
		lockName:        0o600,
	}
	for name, mode := range want {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("%q mode = %04o, want %04o", name, got, mode)
		}
	}
	release()
	s.Close()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		fi, _ := e.Info()
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s mode %04o: group or other access", e.Name(), fi.Mode().Perm())
		}
	}
}
