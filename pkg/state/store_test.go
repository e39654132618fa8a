package state

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// TestExistingDirNotChmodded: --state may name a directory the user
// chose; we only create private files in it.
func TestExistingDirNotChmodded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	openT(t, dir)
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o755 {
		t.Errorf("existing dir mode changed to %04o", fi.Mode().Perm())
	}
}

func TestKeyStable(t *testing.T) {
	t.Parallel()
	dir := mustDir(t)
	s := openT(t, dir)
	k1 := s.Key()
	if len(k1) != KeySize || bytes.Equal(k1, make([]byte, KeySize)) {
		t.Fatalf("key = %x", k1)
	}
	s.Close()
	k2 := openT(t, dir).Key()
	if !bytes.Equal(k1, k2) {
		t.Error("key changed on reopen")
	}
	if k3 := openT(t, mustDir(t)).Key(); bytes.Equal(k1, k3) {
		t.Error("two states share a key")
	}
}

// TestConcurrentFirstOpen: two processes (here, goroutines) opening a
// fresh state at once must end up with one secret and one schema.
func TestConcurrentFirstOpen(t *testing.T) {
	t.Parallel()
	dir := mustDir(t)
	const n = 4
	keys := make(chan []byte, n)
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			s, err := Open(dir)
			if err != nil {
				errs <- err
				return
			}
			keys <- s.Key()
			errs <- s.Close()
		}()
	}
	var first []byte
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		k := <-keys
		if first == nil {
			first = k
		} else if !bytes.Equal(first, k) {
			t.Fatal("concurrent opens created different secrets")
		}
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		wantErr string
	}{
		{"dir is a file", func(t *testing.T, dir string) {
			os.WriteFile(dir, nil, 0o600)
		}, "not a directory"},
		{"db is a symlink", func(t *testing.T, dir string) {
			os.MkdirAll(dir, 0o700)
			os.Symlink(filepath.Join(t.TempDir(), "elsewhere.db"), filepath.Join(dir, dbName))
		}, "state file"},
		{"secret is a symlink", func(t *testing.T, dir string) {
			os.MkdirAll(dir, 0o700)
			other := filepath.Join(t.TempDir(), "key")
			os.WriteFile(other, make([]byte, KeySize), 0o600)
			os.Symlink(other, filepath.Join(dir, secretName))
		}, "not a regular file"},
		{"secret truncated", func(t *testing.T, dir string) {
			os.MkdirAll(dir, 0o700)
			os.WriteFile(filepath.Join(dir, secretName), []byte("short"), 0o600)
		}, "5 bytes, want 32"},
		{"newer schema", func(t *testing.T, dir string) {
			s, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			s.db.Exec(`UPDATE schema_version SET version = 99`)
			s.Close()
		}, "schema version 99 is newer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := mustDir(t)
			tt.setup(t, dir)
			s, err := Open(dir)
			if err == nil {
				s.Close()
				t.Fatalf("Open succeeded, want error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestSecretModeTightened(t *testing.T) {
	t.Parallel()
	dir := mustDir(t)
	openT(t, dir).Close()
	p := filepath.Join(dir, secretName)
	os.Chmod(p, 0o644)
	openT(t, dir)
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("secret mode = %04o, want 0600", fi.Mode().Perm())
	}
}

func TestSchema(t *testing.T) {
	t.Parallel()
	if len(migrations) != SchemaVersion {
		t.Fatalf("SchemaVersion = %d, but there are %d migrations", SchemaVersion, len(migrations))
	}
	dir := mustDir(t)
	s := openT(t, dir)
	if v := count(t, s, `SELECT version FROM schema_version`); v != SchemaVersion {
		t.Errorf("version = %d", v)
	}
	s.Close()
	// Reopening runs no migration twice (it would fail: CREATE TABLE).
	s = openT(t, dir)
	if n := count(t, s, `SELECT count(*) FROM schema_version`); n != 1 {
		t.Errorf("schema_version rows = %d", n)
	}
	var mode string
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	if fk := count(t, s, `PRAGMA foreign_keys`); fk != 1 {
		t.Errorf("foreign_keys = %d", fk)
	}
}

// TestOddDirName: the database is opened through a URI, so ?, # and %
// in the path must be escaped, not taken for URI syntax.
func TestOddDirName(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "we?ird #dir%20x")
	s := openT(t, dir)
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, dbName)); err != nil {
		t.Fatalf("database not where asked: %v", err)
	}
}

// TestKeyChangeDropsCache: cached results carry fingerprints made with
// the old secret; a new secret must not reuse them.
func TestKeyChangeDropsCache(t *testing.T) {
	t.Parallel()
	dir := mustDir(t)
	s := openT(t, dir)
	lockT(t, s, "/srv")
	record(t, s, "/srv", "r1", []file{cleanFile("a.txt", 1)})
	s.Close()
	os.Remove(filepath.Join(dir, secretName))
	s = openT(t, dir)
	if n := count(t, s, `SELECT count(*) FROM files`); n != 0 {
		t.Errorf("cache rows after key change = %d, want 0", n)
	}
	if n := count(t, s, `SELECT count(*) FROM runs`); n != 1 {
		t.Errorf("history lost on key change: %d runs", n)
	}
}

func TestDefaultDir(t *testing.T) {
	d, err := DefaultDir()
	if err != nil {
		t.Skip(err)
	}
	if !filepath.IsAbs(d) || filepath.Base(d) != "datahygiene" {
		t.Errorf("DefaultDir = %q", d)
	}
}

func TestIntegrityAfterUse(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	record(t, s, "/srv", "r1", []file{cleanFile("a", 1), dirtyFile("b", 2, fnd("email", finding.Low, loc(1, "x")))})
	checkIntegrity(t, s.db)
}

func checkIntegrity(t *testing.T, db *sql.DB) {
	t.Helper()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil {
		t.Fatal(err)
	}
	if res != "ok" {
		t.Fatalf("integrity_check: %s", res)
	}
	rows, err := db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("foreign_key_check reports violations")
	}
}
