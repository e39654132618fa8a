package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// ErrNoRun is returned (wrapped) for a run id the state does not hold.
var ErrNoRun = errors.New("no such run")

const runColumns = `r.id, roots.path, r.started_at, r.finished_at, r.status, r.pid, r.tool_version,
	r.rules_hash, r.full, r.partial, r.options, r.summary, r.files_reused, r.files_read`

type scanner interface{ Scan(...any) error }

func scanRun(sc scanner) (RunInfo, error) {
	var (
		ri                RunInfo
		started           string
		finished, summary sql.NullString
		status, options   string
	)
	if err := sc.Scan(&ri.ID, &ri.Root, &started, &finished, &status, &ri.PID, &ri.ToolVersion,
		&ri.RulesHash, &ri.Full, &ri.Partial, &options, &summary, &ri.FilesReused, &ri.FilesRead); err != nil {
		return RunInfo{}, err
	}
	ri.Status = RunStatus(status)
	var err error
	if ri.StartedAt, err = parseTime(started); err != nil {
		return RunInfo{}, fmt.Errorf("run %d: started_at: %w", ri.ID, err)
	}
	if finished.Valid {
		if ri.FinishedAt, err = parseTime(finished.String); err != nil {
			return RunInfo{}, fmt.Errorf("run %d: finished_at: %w", ri.ID, err)
		}
	}
	if err := json.Unmarshal([]byte(options), &ri.Options); err != nil {
		return RunInfo{}, fmt.Errorf("run %d: options: %w", ri.ID, err)
	}
	if summary.Valid {
		if err := json.Unmarshal([]byte(summary.String), &ri.Summary); err != nil {
			return RunInfo{}, fmt.Errorf("run %d: summary: %w", ri.ID, err)
		}
	}
	return ri, nil
}

// Runs lists runs newest first: those of root ("" for every root), at
// most limit of them (0 for all), whatever their status.
func (s *Store) Runs(root string, limit int) ([]RunInfo, error) {
	return s.runs(root, limit, false)
}

// LastRuns returns the n newest complete runs of root ("" for any root)
// that covered the whole root (not Partial), newest first. `diff` with no arguments compares LastRuns(root, 2);
// `scan --new-only` compares against LastRuns(root, 1) read before its
// own run is finished (a running run is not complete, so it is not
// listed).
func (s *Store) LastRuns(root string, n int) ([]RunInfo, error) {
	if n <= 0 {
		return nil, nil
	}
	return s.runs(root, n, true)
}

func (s *Store) runs(root string, limit int, completeOnly bool) ([]RunInfo, error) {
	var (
		where []string
		args  []any
	)
	if root != "" {
		abs, err := normRoot(root)
		if err != nil {
			return nil, err
		}
		where, args = append(where, "roots.path = ?"), append(args, abs)
	}
	if completeOnly {
		where = append(where, "r.status = 'complete'", "r.partial = 0")
	}
	q := `SELECT ` + runColumns + ` FROM runs r JOIN roots ON roots.id = r.root_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY r.id DESC"
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := s.db.QueryContext(context.Background(), q, args...)
	if err != nil {
		return nil, fmt.Errorf("state: listing runs: %w", err)
	}
	defer rows.Close()
	var out []RunInfo
	for rows.Next() {
		ri, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("state: listing runs: %w", err)
		}
		out = append(out, ri)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("state: listing runs: %w", err)
	}
	return out, nil
}

// Run returns one run; an unknown id is an error wrapping ErrNoRun.
func (s *Store) Run(id int64) (RunInfo, error) {
	row := s.db.QueryRowContext(context.Background(),
		`SELECT `+runColumns+` FROM runs r JOIN roots ON roots.id = r.root_id WHERE r.id = ?`, id)
	ri, err := scanRun(row)
	if errors.Is(err, sql.ErrNoRows) {
		return RunInfo{}, fmt.Errorf("run %d: %w", id, ErrNoRun)
	}
	if err != nil {
		return RunInfo{}, fmt.Errorf("state: run %d: %w", id, err)
	}
	return ri, nil
}

// Results returns the reportable results of a run (what its report
// listed: files with findings, issues, warnings or a status other than
// scanned), sorted by path, without raw values. An interrupted run has
// none (see markInterrupted); a failed one those it recorded before it
// failed.
func (s *Store) Results(runID int64) ([]finding.FileResult, error) {
	if _, err := s.Run(runID); err != nil {
		return nil, err
	}
	// A run that found exactly what its predecessor found holds no rows
	// and names the run that does.
	holder := runID
	if err := s.db.QueryRowContext(context.Background(), `SELECT COALESCE(results_from, id) FROM runs WHERE id = ?`,
		runID).Scan(&holder); err != nil {
		return nil, fmt.Errorf("state: results of run %d: %w", runID, err)
	}
	rows, err := s.db.QueryContext(context.Background(), `SELECT rr.path, b.data
		FROM run_results rr JOIN blobs b ON b.hash = rr.hash
		WHERE rr.run_id = ? ORDER BY rr.path`, holder)
	if err != nil {
		return nil, fmt.Errorf("state: results of run %d: %w", runID, err)
	}
	defer rows.Close()
	out := []finding.FileResult{}
	for rows.Next() {
		var (
			path string
			data []byte
		)
		if err := rows.Scan(&path, &data); err != nil {
			return nil, fmt.Errorf("state: results of run %d: %w", runID, err)
		}
		r, err := decodeBlob(data)
		if err != nil {
			return nil, fmt.Errorf("state: results of run %d, %s: %w", runID, path, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("state: results of run %d: %w", runID, err)
	}
	// SQLite orders by byte value, as Go does; sort anyway so the
	// contract does not rest on a collation.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Prune deletes the runs of root ("" for every root) beyond the keep
// newest ones, with their results, and the stored results no run refers
// to any more. The incremental cache is not touched. It returns how many
// runs it deleted. It needs the run lock, like a scan.
func (s *Store) Prune(root string, keep int) (int, error) {
	if !s.locked() {
		return 0, ErrNotLocked
	}
	if keep < 0 {
		keep = 0
	}
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("state: pruning: %w", err)
	}
	defer tx.Rollback()
	q := `SELECT r.id FROM runs r JOIN roots ON roots.id = r.root_id`
	var args []any
	if root != "" {
		abs, err := normRoot(root)
		if err != nil {
			return 0, err
		}
		q += ` WHERE roots.path = ?`
		args = append(args, abs)
	}
	q += ` ORDER BY r.id DESC LIMIT -1 OFFSET ?`
	args = append(args, keep)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("state: pruning: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("state: pruning: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("state: pruning: %w", err)
	}
	for _, id := range ids {
		// Runs kept that share this one's results get their own copy
		// first, then run_results go with their run (ON DELETE CASCADE).
		if err := materialise(ctx, tx, id); err != nil {
			return 0, fmt.Errorf("state: pruning: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM runs WHERE id = ?`, id); err != nil {
			return 0, fmt.Errorf("state: pruning: %w", err)
		}
	}
	if len(ids) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM blobs WHERE NOT EXISTS
			(SELECT 1 FROM run_results rr WHERE rr.hash = blobs.hash)`); err != nil {
			return 0, fmt.Errorf("state: pruning: %w", err)
		}
	}
	return len(ids), tx.Commit()
}

// materialise gives every run that shares the results of run id a copy
// of them, before id is deleted. The first such run becomes the holder
// the others then point to.
func materialise(ctx context.Context, tx *sql.Tx, id int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM runs WHERE results_from = ? ORDER BY id`, id)
	if err != nil {
		return err
	}
	var sharers []int64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		sharers = append(sharers, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(sharers) == 0 {
		return err
	}
	holder := sharers[0]
	if _, err := tx.ExecContext(ctx, `INSERT INTO run_results(run_id, path, hash)
		SELECT ?, path, hash FROM run_results WHERE run_id = ?`, holder, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET results_from = NULL WHERE id = ?`, holder); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE runs SET results_from = ? WHERE results_from = ?`, holder, id)
	return err
}
