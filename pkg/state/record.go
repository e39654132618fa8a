package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
)

// RunStatus is where a run stands.
type RunStatus string

const (
	Running     RunStatus = "running"
	Complete    RunStatus = "complete"
	Interrupted RunStatus = "interrupted" // its process died (found by the next Lock)
	Failed      RunStatus = "failed"      // Recorder.Abort: an error or a cancelled scan
)

// RunInfo describes one run: what StartRun is given, and what history
// reads back.
type RunInfo struct {
	ID         int64
	Root       string // absolute
	StartedAt  time.Time
	FinishedAt time.Time // zero unless complete or failed
	Status     RunStatus
	PID        int
	// ToolVersion is the version of the program that ran.
	ToolVersion string
	// RulesHash identifies everything besides a file's own bytes that
	// shapes its result: the compiled rules, the detector options, the
	// reader limits, the fingerprint key, the tool version. The caller
	// computes it (HashParts helps); a cache row made under another
	// hash is never reused. Policy (assess) is not part of it: the scan
	// assesses cached results again.
	RulesHash string
	// Full is set when the run ignored the cache (--full).
	Full bool
	// Partial is set when the run covered only part of the root
	// (explicit paths, as a pre-commit hook passes): Finish then keeps
	// the cache rows of files it did not see, and LastRuns skips it.
	Partial bool
	// Options are the settings worth showing in history (excludes,
	// limits, rule files); not interpreted.
	Options map[string]string
	// Summary is the run's report summary; zero until complete.
	Summary report.Summary
	// FilesReused counts files answered by the cache, FilesRead files
	// read; both are zero until the run ends.
	FilesReused, FilesRead int
}

// Flushing policy: a batch is written every batchSize files or every
// flushInterval, whichever comes first, each in one transaction. A killed
// run loses at most the last batch (those files are read again next
// time) and never leaves half a batch.
const (
	batchSize     = 1000
	flushInterval = time.Second
)

// Recorder records one run. File is safe for concurrent use by the scan's
// workers; Finish or Abort ends the run (both are idempotent, so
// `defer rec.Abort()` after StartRun is the usual pattern).
type Recorder struct {
	s      *Store
	id     int64
	rootID int64
	rules  string
	cache  *Cache // may be nil
	// partial runs do not forget the files they did not see.
	partial bool

	mu     sync.RWMutex // guards ch against File after the end
	ended  bool
	ch     chan item
	done   chan struct{}
	errMu  sync.Mutex
	err    error
	result error // what Finish or Abort returned

	// What the run saw. The files the cache knows are marked by the
	// workers in seenCached (one flag per cache entry, allocated once the
	// cache is loaded), so that an unchanged file with nothing to write
	// never reaches the writer; seenNew, owned by the writer, holds the
	// others.
	seenOnce     sync.Once
	seenCached   []atomic.Bool
	seenNew      map[string]struct{}
	reused, read atomic.Int64

	// Carrying results forward: prev is the last complete run of the
	// root, prevHash its results (path -> blob hash), loaded by the
	// writer before its first item. A result whose blob is the one prev
	// reported for its path is carried (copied in one statement at the
	// end) rather than written row by row; written lists the paths whose
	// results were written.
	prev     int64
	prevHash map[string]string
	carried  map[string]struct{}
	written  map[string]struct{}

	// rows holds the files rows this run wrote, to build the cache
	// snapshot at its end, until there are more than maxRowsInMemory;
	// then it is nil and the end reads the table back.
	root      string
	rows      map[string]cacheEntry
	wroteRows bool
}

type item struct {
	path  string
	m     Meta
	hit   Hit
	known bool     // the cache knows path (and File marked it seen)
	row   *fileRow // nil when the stored row is current (SameMeta)
	blobs []blob   // the reportable results
	// values is the file's value index row (encodeValues), for a file
	// read now (Miss); a cached result carries no value IDs, and its row
	// stays as it is.
	values []byte
}

// ErrNotLocked is returned by StartRun and Prune when the Store does not
// hold the run lock: two writers on one state would undo each other's
// cache and history.
var ErrNotLocked = errors.New("state: the run lock is not held (call Lock first)")

// StartRun records the start of a run over info.Root and returns its
// recorder. It needs the run lock. Of info it reads Root, StartedAt
// (default now), ToolVersion, RulesHash, Full, Partial and Options. cache is the
// Cache the scan looks files up in, nil when it reads every file
// (--full): Finish compares it with the files seen to find the rows of
// deleted files, instead of reading every path again.
func (s *Store) StartRun(info RunInfo, cache *Cache) (*Recorder, error) {
	if !s.locked() {
		return nil, ErrNotLocked
	}
	abs, err := normRoot(info.Root)
	if err != nil {
		return nil, err
	}
	if cache != nil && cache.root != abs {
		return nil, fmt.Errorf("state: cache of %s given for a run over %s", cache.root, abs)
	}
	if info.StartedAt.IsZero() {
		info.StartedAt = time.Now()
	}
	opts := info.Options
	if opts == nil {
		opts = map[string]string{}
	}
	optsJSON, err := json.Marshal(opts)
	if err != nil {
		return nil, fmt.Errorf("state: run options: %w", err)
	}
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("state: starting run: %w", err)
	}
	defer tx.Rollback()
	rootID, err := rootID(ctx, tx, abs)
	if err != nil {
		return nil, fmt.Errorf("state: starting run: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO runs
		(root_id, started_at, status, pid, tool_version, rules_hash, full, partial, options)
		VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
		rootID, formatTime(info.StartedAt), os.Getpid(), info.ToolVersion, info.RulesHash, info.Full, info.Partial, string(optsJSON))
	if err != nil {
		return nil, fmt.Errorf("state: starting run: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("state: starting run: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("state: starting run: %w", err)
	}
	r := &Recorder{
		s: s, id: id, rootID: rootID, rules: info.RulesHash, cache: cache, partial: info.Partial,
		ch:      make(chan item, 256),
		done:    make(chan struct{}),
		seenNew: map[string]struct{}{},
		carried: map[string]struct{}{},
		written: map[string]struct{}{},
		root:    abs,
		rows:    map[string]cacheEntry{},
	}
	go r.loop()
	return r, nil
}

func rootID(ctx context.Context, tx *sql.Tx, abs string) (int64, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO roots(path) VALUES (?) ON CONFLICT(path) DO NOTHING`, abs); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM roots WHERE path = ?`, abs).Scan(&id)
	return id, err
}

// normRoot makes a root absolute and clean, so that "." and /srv/share
// name the same tree's history.
func normRoot(root string) (string, error) {
	if root == "" {
		return "", errors.New("state: no root given")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("state: root %s: %w", root, err)
	}
	return abs, nil
}

// ID is the run's id, as history lists it.
func (r *Recorder) ID() int64 { return r.id }

// File records the results of one walked file: path is its path relative
// to the root (as in reports), m its metadata, results what the scan
// produced for it (one result; an archive adds its members), and hit what
// Cache.Lookup answered (Miss when the file was read). Raw values are
// dropped from the stored copy; results itself is not modified. Writes
// happen in the background; an error is returned by a later File or by
// Finish.
func (r *Recorder) File(path string, m Meta, results []finding.FileResult, hit Hit) error {
	if len(results) == 0 {
		return fmt.Errorf("state: no result for %s", path)
	}
	if err := r.writeErr(); err != nil {
		return err
	}
	it := item{path: path, m: m, hit: hit, known: r.markSeen(path)}
	if hit == Miss {
		it.values = encodeValues(results)
	}
	if hit != SameMeta {
		row, err := encodeRow(path, results)
		if err != nil {
			return err
		}
		it.row = &row
	}
	for i := range results {
		if report.Reportable(&results[i]) {
			b, err := encodeBlob(&results[i])
			if err != nil {
				return err
			}
			it.blobs = append(it.blobs, b)
		}
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.ended {
		return errors.New("state: File after the run ended")
	}
	if hit == Miss {
		r.read.Add(1)
	} else {
		r.reused.Add(1)
	}
	if it.known && it.row == nil && it.blobs == nil && it.values == nil {
		// Unchanged, clean, already marked seen: nothing to write.
		return nil
	}
	r.ch <- it
	return nil
}

// markSeen marks path seen if the cache knows it, and tells whether it
// did.
func (r *Recorder) markSeen(path string) bool {
	if r.cache == nil {
		return false
	}
	r.seenOnce.Do(r.initSeen)
	if _, i := r.cache.entry(path); i >= 0 {
		r.seenCached[i].Store(true)
		return true
	}
	return false
}

// initSeen allocates the seen flags once the cache is loaded.
func (r *Recorder) initSeen() {
	if r.cache != nil {
		r.cache.wait()
		r.seenCached = make([]atomic.Bool, len(r.cache.entries))
	}
}

func (r *Recorder) writeErr() error {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	return r.err
}

func (r *Recorder) setErr(err error) {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

// loop is the single writer: it batches items into transactions. The
// previous run's results are copied to this run while the scan starts;
// items wait in pending meanwhile (on an unchanged tree most of them are
// dropped as soon as they can be compared with it).
func (r *Recorder) loop() {
	defer close(r.done)
	prevDone := make(chan error, 1)
	go func() { prevDone <- r.loadPrev() }()
	var pending []item
	ready := false
	tick := time.NewTicker(r.s.flushEvery)
	defer tick.Stop()
	var batch []item
	flush := func() {
		if len(batch) > 0 {
			if r.writeErr() == nil {
				if err := r.flush(batch); err != nil {
					r.setErr(fmt.Errorf("state: recording results: %w", err))
				}
			}
			batch = batch[:0]
		}
	}
	handle := func(it item) {
		if !it.known {
			r.seenNew[it.path] = struct{}{}
		}
		it.blobs = r.carry(it.blobs)
		r.keepRow(it)
		if it.row != nil || len(it.blobs) > 0 {
			batch = append(batch, it)
			if len(batch) >= batchSize {
				flush()
			}
		}
	}
	becomeReady := func(err error) {
		if err != nil {
			r.setErr(fmt.Errorf("state: copying the previous run's results: %w", err))
		}
		// Sized once rather than grown file by file: a nightly run
		// carries about what the last run reported.
		r.carried = make(map[string]struct{}, len(r.prevHash))
		ready, prevDone = true, nil
		for _, it := range pending {
			handle(it)
		}
		pending = nil
	}
	for {
		select {
		case err := <-prevDone:
			becomeReady(err)
		case it, ok := <-r.ch:
			if !ok {
				if !ready {
					becomeReady(<-prevDone)
				}
				flush()
				return
			}
			if !ready {
				pending = append(pending, it)
				continue
			}
			handle(it)
		case <-tick.C:
			flush()
		}
	}
}

func (r *Recorder) flush(batch []item) error {
	ctx := context.Background()
	tx, err := r.s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	upsert, err := tx.PrepareContext(ctx, `INSERT INTO files
		(root_id, path, stat, content_hash, rules_hash, status, type, results, run_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(root_id, path) DO UPDATE SET
		 stat = excluded.stat, content_hash = excluded.content_hash,
		 rules_hash = excluded.rules_hash, status = excluded.status, type = excluded.type,
		 results = excluded.results, run_id = excluded.run_id`)
	if err != nil {
		return err
	}
	defer upsert.Close()
	putBlob, err := tx.PrepareContext(ctx, `INSERT INTO blobs(hash, data) VALUES (?, ?) ON CONFLICT(hash) DO NOTHING`)
	if err != nil {
		return err
	}
	defer putBlob.Close()
	putResult, err := tx.PrepareContext(ctx, `INSERT INTO run_results(run_id, path, hash) VALUES (?, ?, ?)
		ON CONFLICT(run_id, path) DO UPDATE SET hash = excluded.hash`)
	if err != nil {
		return err
	}
	defer putResult.Close()
	dropped := false
	for _, it := range batch {
		if it.row != nil && !dropped {
			if err := dropSnapshot(ctx, tx, r.rootID); err != nil {
				return err
			}
			dropped, r.wroteRows = true, true
		}
		if it.hit == Miss {
			if err := putValues(ctx, tx, r.rootID, it.path, it.values); err != nil {
				return err
			}
		}
		if it.row != nil {
			m, row := it.m, it.row
			if _, err := upsert.ExecContext(ctx, r.rootID, it.path, encodeStat(m, row), m.ContentHash, r.rules,
				row.status, row.typ, row.results, r.id); err != nil {
				return err
			}
		}
		for _, b := range it.blobs {
			if _, err := putBlob.ExecContext(ctx, b.hash, b.data); err != nil {
				return err
			}
			if _, err := putResult.ExecContext(ctx, r.id, b.path, b.hash); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// stop ends the writer after it has flushed what it holds. It reports
// whether this call ended the run (false: already ended).
func (r *Recorder) stop() bool {
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		return false
	}
	r.ended = true
	close(r.ch)
	r.mu.Unlock()
	<-r.done
	return true
}

// Finish completes the run: it writes what is pending, forgets the cached
// files this run did not see (deleted, or now excluded; not for a partial
// run), and stores the summary. Call it only after every File call has returned. If recording
// failed, the run is marked failed and the error returned.
func (r *Recorder) Finish(summary report.Summary) error {
	if !r.stop() {
		return r.result
	}
	if err := r.writeErr(); err != nil {
		r.result = errors.Join(err, r.end(Failed, nil))
		return r.result
	}
	r.result = r.end(Complete, &summary)
	return r.result
}

// Abort ends the run as failed, keeping the cache rows it wrote (they
// describe files as they are). It does nothing after Finish or another
// Abort, so it can be deferred.
func (r *Recorder) Abort() error {
	if !r.stop() {
		return nil
	}
	r.result = errors.Join(r.writeErr(), r.end(Failed, nil))
	return r.result
}

func (r *Recorder) end(status RunStatus, summary *report.Summary) error {
	ctx := context.Background()
	tx, err := r.s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("state: ending run: %w", err)
	}
	defer tx.Rollback()
	if r.cache != nil && r.cache.Err() != nil {
		// The cache could not be loaded: this run read every file (each
		// one in seenNew, the cache being empty), and its end must not
		// rely on the cache's view of the rows.
		r.cache = nil
	}
	if err := r.shareResults(ctx, tx); err != nil {
		return fmt.Errorf("state: ending run: %w", err)
	}
	var sumJSON any // NULL unless complete
	if status == Complete {
		forgot := 0
		if !r.partial {
			if forgot, err = r.forgetUnseen(ctx, tx); err != nil {
				return fmt.Errorf("state: ending run: %w", err)
			}
		}
		if err := r.snapshot(ctx, tx, r.wroteRows || forgot > 0); err != nil {
			return fmt.Errorf("state: ending run: %w", err)
		}
		b, err := json.Marshal(summary)
		if err != nil {
			return fmt.Errorf("state: ending run: %w", err)
		}
		sumJSON = string(b)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET status = ?, finished_at = ?, summary = ?,
		files_reused = ?, files_read = ? WHERE id = ?`,
		string(status), formatTime(time.Now()), sumJSON, r.reused.Load(), r.read.Load(), r.id); err != nil {
		return fmt.Errorf("state: ending run: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("state: ending run: %w", err)
	}
	return nil
}

// forgetUnseen deletes the cache rows of files this run did not record.
// Only a complete run knows what the tree holds; an aborted one keeps
// them.
func (r *Recorder) forgetUnseen(ctx context.Context, tx *sql.Tx) (int, error) {
	var gone []string
	if r.cache != nil {
		// The cache holds every row of the root as of StartRun, and only
		// this run (holding the lock) has written since.
		r.seenOnce.Do(r.initSeen)
		for i := range r.cache.entries {
			if !r.seenCached[i].Load() {
				gone = append(gone, r.cache.entries[i].path)
			}
		}
	} else {
		rows, err := tx.QueryContext(ctx, `SELECT path FROM files WHERE root_id = ?`, r.rootID)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return 0, err
			}
			// Without a cache every path the run recorded is in seenNew.
			if _, ok := r.seenNew[p]; !ok {
				gone = append(gone, p)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	if len(gone) == 0 {
		return 0, nil
	}
	del, err := tx.PrepareContext(ctx, `DELETE FROM files WHERE root_id = ? AND path = ?`)
	if err != nil {
		return 0, err
	}
	defer del.Close()
	delValues, err := tx.PrepareContext(ctx, `DELETE FROM file_values WHERE root_id = ? AND path = ?`)
	if err != nil {
		return 0, err
	}
	defer delValues.Close()
	for _, p := range gone {
		if _, err := del.ExecContext(ctx, r.rootID, p); err != nil {
			return 0, err
		}
		if _, err := delValues.ExecContext(ctx, r.rootID, p); err != nil {
			return 0, err
		}
	}
	return len(gone), nil
}

// loadPrev loads the results of the root's last complete run, to compare
// with what this run reports: a nightly run over an unchanged tree reports
// the same results, which then cost nothing to record (see shareResults).
// prev is the run that holds the rows (a run sharing another's results
// points to the holder, so there is never more than one hop).
func (r *Recorder) loadPrev() error {
	ctx := context.Background()
	err := r.s.db.QueryRowContext(ctx, `SELECT COALESCE(results_from, id) FROM runs
		WHERE root_id = ? AND status = 'complete' AND id < ? ORDER BY id DESC LIMIT 1`, r.rootID, r.id).Scan(&r.prev)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	rows, err := r.s.db.QueryContext(ctx, `SELECT path, hash FROM run_results WHERE run_id = ?`, r.prev)
	if err != nil {
		return err
	}
	defer rows.Close()
	prev := map[string]string{}
	for rows.Next() {
		var path string
		var hash sql.RawBytes
		if err := rows.Scan(&path, &hash); err != nil {
			return err
		}
		prev[path] = string(hash)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	r.prevHash = prev
	return nil
}

// carry keeps, of an item's blobs, those that must be written: the others
// are what the previous run reported for the same path.
func (r *Recorder) carry(blobs []blob) []blob {
	keep := blobs[:0]
	for _, b := range blobs {
		if h, ok := r.prevHash[b.path]; ok && h == string(b.hash) {
			r.carried[b.path] = struct{}{}
			delete(r.written, b.path)
			continue
		}
		delete(r.carried, b.path)
		r.written[b.path] = struct{}{}
		keep = append(keep, b)
	}
	return keep
}

// shareResults completes the run's results with those it carried from
// the previous run. When it carried every one and wrote none (an unchanged
// tree), it records no rows at all and points to the run that holds them
// (runs.results_from): a night without changes costs one UPDATE, not 20k
// INSERTs. Otherwise it copies the carried rows, either all of the
// previous run's in one statement less those not carried, or, when that
// would delete more than it keeps, one by one.
func (r *Recorder) shareResults(ctx context.Context, tx *sql.Tx) error {
	if len(r.carried) == 0 {
		return nil
	}
	if len(r.written) == 0 && len(r.carried) == len(r.prevHash) {
		_, err := tx.ExecContext(ctx, `UPDATE runs SET results_from = ? WHERE id = ?`, r.prev, r.id)
		return err
	}
	var drop []string
	for p := range r.prevHash {
		_, c := r.carried[p]
		_, w := r.written[p]
		if !c && !w {
			drop = append(drop, p)
		}
	}
	if len(drop) > len(r.carried) {
		put, err := tx.PrepareContext(ctx, `INSERT INTO run_results(run_id, path, hash) VALUES (?, ?, ?)
			ON CONFLICT(run_id, path) DO NOTHING`)
		if err != nil {
			return err
		}
		defer put.Close()
		for p := range r.carried {
			if _, err := put.ExecContext(ctx, r.id, p, []byte(r.prevHash[p])); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO run_results(run_id, path, hash)
		SELECT ?, path, hash FROM run_results WHERE run_id = ?
		ON CONFLICT(run_id, path) DO NOTHING`, r.id, r.prev); err != nil {
		return err
	}
	if len(drop) == 0 {
		return nil
	}
	del, err := tx.PrepareContext(ctx, `DELETE FROM run_results WHERE run_id = ? AND path = ?`)
	if err != nil {
		return err
	}
	defer del.Close()
	for _, p := range drop {
		if _, err := del.ExecContext(ctx, r.id, p); err != nil {
			return err
		}
	}
	return nil
}

// keepRow remembers a written files row for the snapshot.
func (r *Recorder) keepRow(it item) {
	if it.row == nil || r.rows == nil {
		return
	}
	if len(r.rows) >= maxRowsInMemory {
		r.rows = nil
		return
	}
	r.rows[it.path] = cacheEntry{path: it.path, m: it.m, rules: r.rules, row: *it.row}
}

// snapshot stores the root's files rows as a complete run leaves them:
// the cache it started from, less the rows forgetUnseen deleted, plus the
// rows it wrote; or, when it wrote too many to keep, read back from the
// table. A partial run without a cache cannot know the other rows, and
// leaves no snapshot (its writes dropped the old one).
func (r *Recorder) snapshot(ctx context.Context, tx *sql.Tx, changed bool) error {
	if r.cache == nil && r.partial {
		return dropSnapshot(ctx, tx, r.rootID)
	}
	if !changed {
		// Nothing written or forgotten: a recorded snapshot is current.
		if ok, err := hasSnapshot(ctx, tx, r.rootID); ok || err != nil {
			return err
		}
	}
	if r.rows == nil {
		c := &Cache{root: r.root, rulesHash: r.rules}
		c.reset(0)
		if err := loadTable(ctx, tx, c); err != nil {
			return err
		}
		return r.s.putSnapshot(ctx, tx, r.rootID, entrySeq(c.entries))
	}
	if r.cache != nil {
		r.seenOnce.Do(r.initSeen)
	}
	entries := func(yield func(*cacheEntry) bool) {
		if r.cache != nil {
			for i := range r.cache.entries {
				e := &r.cache.entries[i]
				if _, written := r.rows[e.path]; !written && (r.partial || r.seenCached[i].Load()) && !yield(e) {
					return
				}
			}
		}
		for _, e := range r.rows {
			if !yield(&e) {
				return
			}
		}
	}
	return r.s.putSnapshot(ctx, tx, r.rootID, entries)
}
