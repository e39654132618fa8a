package state

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// Hit says how Cache.Lookup matched a file; Recorder.File takes it back
// to know what to write.
type Hit uint8

const (
	// Miss: no usable stored result; the file must be read.
	Miss Hit = iota
	// SameMeta: size, mtime, ctime, inode and device are unchanged. The
	// stored row is current and Recorder.File writes nothing for it.
	SameMeta
	// SameContent: the metadata changed but the content hash did not
	// (a touched or copied file). Recorder.File updates the row's metadata.
	SameContent
)

func (h Hit) String() string {
	switch h {
	case SameMeta:
		return "same-meta"
	case SameContent:
		return "same-content"
	}
	return "miss"
}

// Cache is the stored state of one root's files, loaded in one query so
// that a re-scan of an unchanged tree costs a map lookup per file and no
// database round trip. It is read-only and safe for concurrent use by the
// scan's workers.
type Cache struct {
	root      string // absolute
	rulesHash string
	// index maps a path to its entry. Entries sit in one slice rather
	// than in the map's values: a map of 100k small values builds several
	// times faster than one of 100k entries, and the Recorder keeps one
	// seen flag per entry by the same index.
	index   map[string]int32
	entries []cacheEntry
	// ready is closed once entries are loaded (LoadCache); err says why
	// they could not be, and the cache is then empty.
	ready chan struct{}
	err   error
}

// wait blocks until the cache is loaded.
func (c *Cache) wait() {
	if c.ready != nil {
		<-c.ready
	}
}

// Err waits for the cache to be loaded and returns what stopped it, if
// anything: the cache is then empty and every file is read.
func (c *Cache) Err() error {
	c.wait()
	return c.err
}

// reset empties the cache, sized for n entries.
func (c *Cache) reset(n int) {
	c.index = make(map[string]int32, n)
	c.entries = make([]cacheEntry, 0, n)
}

// add stores e under path; a path stored twice keeps its last entry.
func (c *Cache) add(path string, e cacheEntry) {
	e.path = path
	if i, ok := c.index[path]; ok {
		c.entries[i] = e
		return
	}
	c.index[path] = int32(len(c.entries))
	c.entries = append(c.entries, e)
}

// entry returns the entry of path and its index, or nil.
func (c *Cache) entry(path string) (*cacheEntry, int) {
	i, ok := c.index[path]
	if !ok {
		return nil, -1
	}
	return &c.entries[i], int(i)
}

type cacheEntry struct {
	path    string
	m       Meta
	rules   string // the rules hash the row was stored with
	rulesOK bool   // rules is the hash the cache was opened for
	row     fileRow
}

// usable tells whether the entry may answer at all: made by the same
// rules, and not an error (read errors can be transient, so they are
// always retried).
func (e *cacheEntry) usable() bool {
	return e.rulesOK && e.row.status != string(finding.Error)
}

// Cache loads the stored results of root's files. rulesHash identifies
// everything besides a file's bytes that shapes its result (see
// RunInfo.RulesHash); rows stored under another hash never hit, so a
// changed rule set re-reads every file once.
func (s *Store) Cache(root, rulesHash string) (*Cache, error) {
	c, err := s.LoadCache(root, rulesHash)
	if err != nil {
		return nil, err
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadCache is Cache without waiting: it returns at once and loads the
// cache in the background, so that the walk of a large tree starts while
// its cache is read (Lookup, WantsHash and Len wait for it). Check Err
// after the scan.
func (s *Store) LoadCache(root, rulesHash string) (*Cache, error) {
	abs, err := normRoot(root)
	if err != nil {
		return nil, err
	}
	c := &Cache{root: abs, rulesHash: rulesHash, ready: make(chan struct{})}
	c.reset(0)
	go func() {
		defer close(c.ready)
		ctx := context.Background()
		if ok, err := s.loadSnapshot(ctx, c); ok || err != nil {
			c.err = err
			return
		}
		if err := loadTable(ctx, s.db, c); err != nil {
			c.reset(0)
			c.err = fmt.Errorf("state: loading cache: %w", err)
		}
	}()
	return c, nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadTable fills c from the files table.
func loadTable(ctx context.Context, q querier, c *Cache) error {
	// Seven columns, not one per field: with the pure-Go driver each
	// column of each row costs about as much as the row itself, and this
	// query reads every file of the tree.
	rows, err := q.QueryContext(ctx, `
		SELECT f.path, f.stat, f.rules_hash, f.content_hash, f.status, f.type, f.results
		FROM files f JOIN roots r ON r.id = f.root_id
		WHERE r.path = ?`, c.root)
	if err != nil {
		return err
	}
	defer rows.Close()
	// Hashes, types and statuses take a handful of values: intern them
	// rather than hold 100k copies.
	intern := map[string]string{}
	in := func(b []byte) string {
		if s, ok := intern[string(b)]; ok {
			return s
		}
		s := string(b)
		intern[s] = s
		return s
	}
	for rows.Next() {
		var (
			path string
			e    cacheEntry
			// RawBytes: no copy; what is kept is copied below.
			stat, rules, contentHash sql.RawBytes
			status, typ              sql.RawBytes
		)
		if err := rows.Scan(&path, &stat, &rules, &contentHash, &status, &typ, &e.row.results); err != nil {
			return err
		}
		if !decodeStat(stat, &e.m, &e.row) {
			continue // not ours to trust; the file is read again
		}
		if len(contentHash) > 0 {
			e.m.ContentHash = string(contentHash)
		}
		e.rules = in(rules)
		e.rulesOK = e.rules == c.rulesHash
		e.row.status, e.row.typ = in(status), in(typ)
		c.add(path, e)
	}
	return rows.Err()
}

// Len is the number of files the cache knows.
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	c.wait()
	return len(c.entries)
}

// Lookup returns the stored results of the walked file path (relative to
// the root, as in reports) when it is unchanged: same size, mtime, ctime,
// inode and device, or else the same content hash when m carries one.
// The results are as the scan recorded them, without raw values; Size and
// Modified are refreshed from m. The caller must refresh the rest of what
// the walk knows (Mode) and assess the file again: issues depend on the
// clock and on permissions, which the cache does not cover.
//
// A nil *Cache (a --full run) always misses.
func (c *Cache) Lookup(path string, m Meta) ([]finding.FileResult, Hit) {
	return c.AppendLookup(nil, path, m)
}

// AppendLookup is Lookup appending the results to dst, so that a worker
// can reuse one slice for every file (on a hit; dst is returned as it
// was on a miss).
func (c *Cache) AppendLookup(dst []finding.FileResult, path string, m Meta) ([]finding.FileResult, Hit) {
	if c == nil {
		return dst, Miss
	}
	c.wait()
	e, _ := c.entry(path)
	if e == nil || !e.usable() {
		return dst, Miss
	}
	hit := Miss
	switch {
	case e.m.sameFile(m):
		hit = SameMeta
	case m.ContentHash != "" && m.ContentHash == e.m.ContentHash && m.Size == e.m.Size:
		hit = SameContent
	default:
		return dst, Miss
	}
	res, err := decodeRow(dst, path, m, e.row)
	if err != nil {
		// A row we cannot decode is a miss: the file is read again and
		// the row rewritten.
		return dst, Miss
	}
	return res, hit
}

// WantsHash tells whether hashing the file could turn a metadata miss
// into a SameContent hit: a usable stored row of the same size with a
// content hash exists. Reading a file to hash it is far cheaper than
// running the detectors over it.
func (c *Cache) WantsHash(path string, m Meta) bool {
	if c == nil {
		return false
	}
	c.wait()
	e, _ := c.entry(path)
	return e != nil && e.usable() && e.m.ContentHash != "" && e.m.Size == m.Size && !e.m.sameFile(m)
}
