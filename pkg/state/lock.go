package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// ErrLocked matches (errors.Is) the *LockedError Lock returns when another
// run holds the state.
var ErrLocked = errors.New("state directory is in use by another run")

// LockedError says who holds the run lock. The holder's details come from
// the lock file and may be missing if it is still writing them.
type LockedError struct {
	Dir   string    // the state directory
	PID   int       // the holder's process id; 0 if unknown
	Host  string    // the holder's host name (a state on a shared mount)
	Root  string    // what the holder is scanning
	Since time.Time // when it took the lock
}

func (e *LockedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "state directory %s is in use by another run", e.Dir)
	var who []string
	if e.PID > 0 {
		p := fmt.Sprintf("pid %d", e.PID)
		if e.Host != "" {
			p += " on " + e.Host
		}
		who = append(who, p)
	}
	if e.Root != "" {
		who = append(who, "scanning "+e.Root)
	}
	if !e.Since.IsZero() {
		who = append(who, "since "+e.Since.Local().Format(time.DateTime))
	}
	if len(who) > 0 {
		b.WriteString(" (" + strings.Join(who, ", ") + ")")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// lockInfo is the lock file's content, for the next run's message.
type lockInfo struct {
	PID   int       `json:"pid"`
	Host  string    `json:"host,omitempty"`
	Root  string    `json:"root,omitempty"`
	Since time.Time `json:"since"`
}

// maxLockInfo bounds how much of the lock file we read: it holds one
// small JSON object, and anything bigger is not ours.
const maxLockInfo = 4 << 10

type heldLock struct {
	fl   *flock.Flock
	path string
}

func (l *heldLock) release() error {
	// Empty the file first so a stale description never outlives the
	// lock; the lock itself is the flock, which the kernel also drops
	// when the process dies (that is what makes SIGKILL safe).
	err := os.Truncate(l.path, 0)
	return errors.Join(err, l.fl.Unlock())
}

// Lock takes the run lock of the state directory without waiting: when
// another process (or another Store) holds it, Lock returns a
// *LockedError at once. root is recorded in the lock file for that
// message. Runs left "running" by a process that died are marked
// "interrupted". release is idempotent; Close also releases.
func (s *Store) Lock(root string) (release func() error, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock != nil {
		return nil, errors.New("state: run lock already held by this process")
	}
	path := filepath.Join(s.dir, lockName)
	if _, err := os.Lstat(path); err == nil {
		if err := checkPrivateFile(path); err != nil {
			return nil, err
		}
	}
	fl := flock.New(path, flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("state lock %s: %w", path, err)
	}
	if !ok {
		return nil, lockedError(s.dir, path)
	}
	held := &heldLock{fl: fl, path: path}
	if err := writeLockInfo(path, root); err != nil {
		held.release()
		return nil, err
	}
	// Holding the lock, no other process can be running: any "running"
	// row belongs to a process that was killed.
	if err := s.markInterrupted(); err != nil {
		held.release()
		return nil, fmt.Errorf("state: marking interrupted runs: %w", err)
	}
	s.lock = held
	return func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.lock != held {
			return nil
		}
		s.lock = nil
		return held.release()
	}, nil
}

// locked tells whether this Store holds the run lock.
func (s *Store) locked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lock != nil
}

func writeLockInfo(path, root string) error {
	host, _ := os.Hostname()
	b, err := json.Marshal(lockInfo{PID: os.Getpid(), Host: host, Root: root, Since: time.Now().UTC()})
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC|noFollow, 0)
	if err != nil {
		return fmt.Errorf("state lock: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	return errors.Join(err, f.Close())
}

func lockedError(dir, path string) error {
	e := &LockedError{Dir: dir}
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return e // the details are a courtesy; the lock is what matters
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, maxLockInfo))
	var info lockInfo
	if json.Unmarshal(b, &info) == nil {
		e.PID, e.Host, e.Root, e.Since = info.PID, info.Host, info.Root, info.Since
	}
	return e
}

// markInterrupted ends the runs whose process died. Their results are
// deleted: a run records the results it carried from the previous run
// only as it ends (Recorder.shareResults), so a killed run's are
// incomplete. What it had read stays in the cache.
func (s *Store) markInterrupted() error {
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM run_results
		WHERE run_id IN (SELECT id FROM runs WHERE status = 'running')`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET status = 'interrupted' WHERE status = 'running'`); err != nil {
		return err
	}
	return tx.Commit()
}
