package state

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations[i] brings the schema from version i to version i+1. Append
// only: a released migration is never edited, because databases in the
// field have already run it. docs/state.md documents the resulting schema.
var migrations = []string{
	// 1: runs, their reportable results, and the incremental cache.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE roots (
	id   INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE
);

CREATE TABLE runs (
	id           INTEGER PRIMARY KEY,
	root_id      INTEGER NOT NULL REFERENCES roots(id),
	started_at   TEXT NOT NULL,
	finished_at  TEXT,
	status       TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
	pid          INTEGER NOT NULL,
	tool_version TEXT NOT NULL,
	rules_hash   TEXT NOT NULL,
	full         INTEGER NOT NULL,
	partial      INTEGER NOT NULL,
	options      TEXT NOT NULL,
	summary      TEXT,
	files_reused INTEGER NOT NULL DEFAULT 0,
	files_read   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_root ON runs(root_id, id);

CREATE TABLE blobs (
	hash BLOB PRIMARY KEY,
	data BLOB NOT NULL
);

CREATE TABLE run_results (
	run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	path   TEXT NOT NULL,
	hash   BLOB NOT NULL REFERENCES blobs(hash),
	PRIMARY KEY (run_id, path)
) WITHOUT ROWID;
CREATE INDEX run_results_by_hash ON run_results(hash);

CREATE TABLE files (
	root_id      INTEGER NOT NULL REFERENCES roots(id),
	path         TEXT NOT NULL,
	stat         BLOB NOT NULL,
	content_hash TEXT NOT NULL,
	rules_hash   TEXT NOT NULL,
	status       TEXT NOT NULL,
	type         TEXT NOT NULL,
	results      BLOB,
	run_id       INTEGER NOT NULL,
	PRIMARY KEY (root_id, path)
) WITHOUT ROWID;
`,
	// 2: the token of each root's current cache snapshot (snapshot.go).
	`
CREATE TABLE cache_snapshots (
	root_id INTEGER PRIMARY KEY REFERENCES roots(id),
	token   BLOB NOT NULL
);
`,
	// 3: the value index of each walked file (values.go).
	`
CREATE TABLE file_values (
	root_id INTEGER NOT NULL REFERENCES roots(id),
	path    TEXT NOT NULL,
	data    BLOB NOT NULL,
	PRIMARY KEY (root_id, path)
) WITHOUT ROWID;
`,
	// 4: a run whose results are another's (record.go, shareResults).
	`ALTER TABLE runs ADD COLUMN results_from INTEGER;`,
}

// SchemaVersion is the schema version this package reads and writes:
// len(migrations), which a test checks.
const SchemaVersion = 4

// migrate applies the missing migrations, each in its own transaction
// together with the version bump, so a process killed mid-migration
// leaves the previous version intact. A database from a newer release is
// refused rather than misread.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	for {
		done, err := migrateOne(ctx, db)
		if err != nil || done {
			return err
		}
	}
}

func migrateOne(ctx context.Context, db *sql.DB) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("schema: %w", err)
	}
	defer tx.Rollback()
	// Read the version inside the (immediate) transaction: another process
	// may have migrated since we looked.
	var v int
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	switch {
	case err == sql.ErrNoRows:
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version(version) VALUES (0)`); err != nil {
			return false, fmt.Errorf("schema: %w", err)
		}
		v = 0
	case err != nil:
		return false, fmt.Errorf("schema: %w", err)
	}
	switch {
	case v > len(migrations):
		return false, fmt.Errorf("schema version %d is newer than this program understands (%d): use a newer datahygiene, or another --state", v, len(migrations))
	case v == len(migrations):
		return true, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("schema migration %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, v+1); err != nil {
		return false, fmt.Errorf("schema migration %d: %w", v+1, err)
	}
	return false, tx.Commit()
}
