package state

import (
	"errors"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestLockInProcess(t *testing.T) {
	t.Parallel()
	dir := mustDir(t)
	a, b := openT(t, dir), openT(t, dir)
	release, err := a.Lock("/srv/share")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lock("/srv/share"); err == nil {
		t.Error("second Lock on the same Store succeeded")
	}
	_, err = b.Lock("/other")
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("Lock while held: %v, want *LockedError", err)
	}
	if le.Root != "/srv/share" || le.PID == 0 || le.Since.IsZero() {
		t.Errorf("LockedError = %+v", le)
	}
	if !strings.Contains(err.Error(), "is in use by another run") || !strings.Contains(err.Error(), "scanning /srv/share") {
		t.Errorf("message = %q", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if err := release(); err != nil {
		t.Errorf("second release: %v", err)
	}
	rb, err := b.Lock("/other")
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	rb()
}

func TestStartRunNeedsLock(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	if _, err := s.StartRun(RunInfo{Root: "/srv"}, nil); !errors.Is(err, ErrNotLocked) {
		t.Errorf("StartRun without lock: %v", err)
	}
	if _, err := s.Prune("", 1); !errors.Is(err, ErrNotLocked) {
		t.Errorf("Prune without lock: %v", err)
	}
}

// TestLockAcrossProcesses: the lock is what keeps two cron jobs apart, so
// test it between processes, and check that the second learns who holds it.
func TestLockAcrossProcesses(t *testing.T) {
	t.Parallel()
	dir := mustDir(t)
	openT(t, dir).Close() // create the state first
	cmd, stdin, line := startHelper(t, "hold", dir)
	if line != "locked" {
		t.Fatalf("helper said %q", line)
	}
	s := openT(t, dir)
	_, err := s.Lock("/mine")
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("Lock while another process holds it: %v", err)
	}
	if le.PID != cmd.Process.Pid || le.Root != "/helper/hold" {
		t.Errorf("LockedError = %+v, want pid %d", le, cmd.Process.Pid)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	release, err := s.Lock("/mine")
	if err != nil {
		t.Fatalf("Lock after the holder exited: %v", err)
	}
	release()
}

// TestKilledMidWrite kills a process while it records results in a loop:
// the database must stay consistent, the lock must be free, the dead run
// must show as interrupted and its committed rows must serve as cache.
func TestKilledMidWrite(t *testing.T) {
	t.Parallel()
	dir := mustDir(t)
	cmd, _, line := startHelper(t, "write", dir)
	if line != "ready" {
		t.Fatalf("helper said %q", line)
	}
	// Kill is SIGKILL on Unix: no handler, no deferred cleanup runs.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	s := openT(t, dir)
	checkIntegrity(t, s.db)
	runs, err := s.Runs("", 0)
	if err != nil || len(runs) != 1 || runs[0].Status != Running {
		t.Fatalf("runs before Lock = %+v, %v", runs, err)
	}
	lockT(t, s, "/helper/write")
	ri, err := s.Run(runs[0].ID)
	if err != nil || ri.Status != Interrupted {
		t.Fatalf("killed run = %+v, %v; want interrupted", ri, err)
	}
	c, err := s.Cache("/helper/write", "r1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() < 2*batchSize {
		t.Errorf("cache holds %d files, want the committed batches (>= %d)", c.Len(), 2*batchSize)
	}
	f := dirtyFile("dir000/file000000.txt", 0, fnd("email", finding.Medium, loc(1, "fp0")))
	if _, hit := c.Lookup(f.res.Path, f.m); hit != SameMeta {
		t.Errorf("first file of the killed run: %v, want a cache hit", hit)
	}
	// The killed run's results were incomplete, and are gone; what it
	// read serves as cache (above).
	if rs, err := s.Results(ri.ID); err != nil || len(rs) != 0 {
		t.Errorf("results of the killed run: %d, %v; want none", len(rs), err)
	}
	ri2, _ := record(t, s, "/helper/write", "r1", []file{f})
	if ri2.Status != Complete {
		t.Errorf("next run status = %s", ri2.Status)
	}
	checkIntegrity(t, s.db)
}
