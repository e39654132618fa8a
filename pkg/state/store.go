package state

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/adrg/xdg"

	// The pure-Go SQLite driver keeps the binary static (CGO_ENABLED=0).
	_ "modernc.org/sqlite"
)

// File names inside the state directory.
const (
	dbName     = "state.db"
	secretName = "secret"
	lockName   = "lock"
)

// KeySize is the length of the fingerprint secret in bytes.
const KeySize = 32

// busyTimeoutMs bounds how long a statement waits for another connection's
// write transaction (a `history` reading while a scan writes, a migration
// racing another process). Writers hold transactions for one batch at most,
// so ten seconds is generous; it is not the run lock, which never waits.
const busyTimeoutMs = 10000

// Store is an open state directory: the database, the fingerprint secret
// and the run lock. Its methods are safe for concurrent use; a Recorder
// and a Cache obtained from it must not outlive Close.
type Store struct {
	dir string
	db  *sql.DB
	key []byte

	mu   sync.Mutex
	lock *heldLock // non-nil while this Store holds the run lock

	flushEvery time.Duration // flushInterval; tests shorten it
}

// DefaultDir is the state directory used when the user names none:
// datahygiene under the XDG state home ($XDG_STATE_HOME, else
// ~/.local/state on Linux; the platform's equivalent elsewhere).
func DefaultDir() (string, error) {
	if xdg.StateHome == "" {
		return "", errors.New("no state directory: set XDG_STATE_HOME or HOME, or pass --state")
	}
	return filepath.Join(xdg.StateHome, "datahygiene"), nil
}

// Open opens the state directory dir, creating it (0700) and its files
// (0600) on first use, and brings the database schema up to date. Open
// takes no lock: history and diff read while a scan runs. A scan calls
// Lock before StartRun.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("state: no directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("state directory %s: %w", dir, err)
	}
	if err := ensureDir(abs); err != nil {
		return nil, err
	}
	key, err := loadOrCreateSecret(filepath.Join(abs, secretName))
	if err != nil {
		return nil, err
	}
	dbPath := filepath.Join(abs, dbName)
	if err := ensurePrivateFile(dbPath); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(dbPath))
	if err != nil {
		return nil, fmt.Errorf("state database %s: %w", dbPath, err)
	}
	// One connection: SQLite serialises writers anyway, and a single
	// connection means our own goroutines never see SQLITE_BUSY from each
	// other. Other processes are handled by busy_timeout and WAL.
	db.SetMaxOpenConns(1)
	s := &Store{dir: abs, db: db, key: key, flushEvery: flushInterval}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("state database %s: %w", dbPath, err)
	}
	return s, nil
}

// dsn builds a file: URI so that any character in the path (?, #, %)
// survives; SQLite decodes the escapes.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMs))
	q.Add("_pragma", "journal_mode(WAL)")
	// NORMAL in WAL mode: a killed process loses nothing committed and
	// never corrupts; a power cut may lose the last transactions, which an
	// incremental cache can afford.
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// Write transactions take the write lock up front, so two processes
	// never deadlock upgrading a read lock.
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

func (s *Store) init() error {
	ctx := context.Background()
	if err := migrate(ctx, s.db); err != nil {
		return err
	}
	// SQLite creates -wal and -shm with the database file's mode; chmod
	// them anyway, in case they predate us or came from another tool.
	for _, suffix := range []string{"-wal", "-shm"} {
		p := filepath.Join(s.dir, dbName+suffix)
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, 0o600); err != nil {
				return err
			}
		}
	}
	return s.checkKey(ctx)
}

// checkKey drops the incremental cache when the secret changed (deleted
// and recreated): cached results carry fingerprints made with the old key,
// which would no longer match anything.
func (s *Store) checkKey(ctx context.Context) error {
	id := keyID(s.key)
	var stored string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'key_id'`).Scan(&stored)
	switch {
	case err == nil && stored == id:
		return nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if stored != "" {
		if _, err := tx.ExecContext(ctx, `DELETE FROM files`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM cache_snapshots`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM file_values`); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES('key_id', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, id); err != nil {
		return err
	}
	return tx.Commit()
}

// keyID names a key without revealing it, so that the database can tell
// the secret was replaced.
func keyID(key []byte) string {
	m := hmac.New(sha256.New, key)
	io.WriteString(m, "datahygiene state key id")
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// Dir is the absolute path of the state directory.
func (s *Store) Dir() string { return s.dir }

// Key is the per-state secret (KeySize bytes) that keys value
// fingerprints. Pass it to the detector; never print or store it.
func (s *Store) Key() []byte { return append([]byte(nil), s.key...) }

// Close releases the run lock if this Store holds it and closes the
// database.
func (s *Store) Close() error {
	s.mu.Lock()
	l := s.lock
	s.lock = nil
	s.mu.Unlock()
	var errs []error
	if l != nil {
		errs = append(errs, l.release())
	}
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}

// ensureDir creates dir 0700 when it does not exist. An existing
// directory is left as it is: --state may name a directory the user chose
// to share, and we never chmod what we did not create. The files inside
// are 0600 whatever the directory's mode.
func ensureDir(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case err == nil:
		if !fi.IsDir() {
			return fmt.Errorf("state directory %s: not a directory", dir)
		}
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("state directory: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	// MkdirAll's mode is filtered by the umask, which can only remove
	// bits; chmod makes it exactly 0700 whatever the umask.
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	return nil
}

// ensurePrivateFile creates path empty with mode 0600 if it does not
// exist, so that SQLite (which would create it 0644 minus umask) opens a
// file that was private from its first byte. An existing file must be a
// regular file, not a symlink that could redirect our writes; its mode is
// tightened to 0600.
func ensurePrivateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	if err == nil {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return fmt.Errorf("state file: %w", err)
		}
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("state file: %w", err)
	}
	return checkPrivateFile(path)
}

// checkPrivateFile refuses a symlink or special file where the state keeps
// a file, and makes a regular one 0600.
func checkPrivateFile(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("state file %s: not a regular file (%s)", path, fi.Mode().Type())
	}
	if fi.Mode().Perm() != 0o600 {
		if err := os.Chmod(path, 0o600); err != nil {
			return fmt.Errorf("state file: %w", err)
		}
	}
	return nil
}

// loadOrCreateSecret reads the KeySize-byte secret, creating it on first
// use. Two processes opening a fresh directory at once must agree on one
// secret: each writes a private temporary file and links it into place;
// link fails if the name exists, and the loser reads the winner's.
func loadOrCreateSecret(path string) ([]byte, error) {
	key, err := readSecret(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".secret-*")
	if err != nil {
		return nil, fmt.Errorf("state secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("state secret: %w", err)
	}
	// CreateTemp makes the file 0600; Chmod is belt and braces against a
	// platform that does otherwise.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("state secret: %w", err)
	}
	if _, err := tmp.Write(key); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("state secret: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("state secret: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("state secret: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("state secret: %w", err)
	}
	return readSecret(path)
}

func readSecret(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("state secret: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("state secret %s: not a regular file", path)
	}
	if fi.Size() != KeySize {
		return nil, fmt.Errorf("state secret %s: %d bytes, want %d (delete it to start a new state, which forgets fingerprints)", path, fi.Size(), KeySize)
	}
	if err := checkPrivateFile(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, fmt.Errorf("state secret: %w", err)
	}
	defer f.Close()
	key := make([]byte, KeySize)
	if _, err := io.ReadFull(f, key); err != nil {
		return nil, fmt.Errorf("state secret %s: %w", path, err)
	}
	return key, nil
}
