package state

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"unsafe"
)

// A cache snapshot is a root's files rows packed into one file, written
// when a complete run changed them. Loading 100k rows through the SQL
// driver costs about 0.3 s, a large share of an unchanged nightly
// re-scan; reading one file and decoding it costs a few tens of
// milliseconds. The files table stays the truth: every write to a root's
// files rows forgets its snapshot in the same transaction, so a snapshot
// that is recorded is current, and without one the cache loads from the
// table.

// snapshotVersion starts every snapshot; another value is ignored.
const snapshotVersion = 1

// maxRowsInMemory is how many written rows a run keeps to build the
// snapshot at its end from the cache and what it wrote. A run that wrote
// more (a first scan) reads the table back instead, which costs little
// next to reading that many files.
var maxRowsInMemory = 10000 // a variable so that a test can lower it

var errSnapshot = errors.New("malformed cache snapshot")

// encodeSnapshot appends entries to b, packed: the version, a table of
// the distinct short strings (rules hashes, statuses, types), then each
// entry as its path, stat, content hash, string indexes and results,
// lengths as uvarints. b is grown once, to the packed size: growing a
// slice of tens of megabytes by doubling cost more than half a second,
// mostly in page faults on the fresh copies.
func encodeSnapshot(b []byte, entries iter.Seq[*cacheEntry]) []byte {
	index := map[string]uint64{}
	var table []string
	ref := func(s string) uint64 {
		i, ok := index[s]
		if !ok {
			i = uint64(len(table))
			index[s] = i
			table = append(table, s)
		}
		return i
	}
	// One pass for the string table, the count and the size, one to
	// encode.
	n, size := 0, 1+2*binary.MaxVarintLen64
	for e := range entries {
		n++
		ref(e.rules)
		ref(e.row.status)
		ref(e.row.typ)
		size += len(e.path) + statLen + len(e.m.ContentHash) + len(e.row.results) + 6*binary.MaxVarintLen64
	}
	for _, s := range table {
		size += binary.MaxVarintLen64 + len(s)
	}
	b = slices.Grow(b, size)
	b = append(b, snapshotVersion)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(table)))
	for _, s := range table {
		str(s)
	}
	b = binary.AppendUvarint(b, uint64(n))
	for e := range entries {
		str(e.path)
		b = appendStat(b, e.m, &e.row)
		str(e.m.ContentHash)
		b = binary.AppendUvarint(b, index[e.rules])
		b = binary.AppendUvarint(b, index[e.row.status])
		b = binary.AppendUvarint(b, index[e.row.typ])
		// Results are nil for a clean file, never empty: +1 keeps the two
		// apart.
		if e.row.results == nil {
			b = binary.AppendUvarint(b, 0)
		} else {
			b = binary.AppendUvarint(b, uint64(len(e.row.results))+1)
			b = append(b, e.row.results...)
		}
	}
	return b
}

// entrySeq yields every entry of es.
func entrySeq(es []cacheEntry) iter.Seq[*cacheEntry] {
	return func(yield func(*cacheEntry) bool) {
		for i := range es {
			if !yield(&es[i]) {
				return
			}
		}
	}
}

// decodeSnapshot fills c.entries from b, judging each entry's rules hash
// against c.rulesHash as the table query does.
func decodeSnapshot(b []byte, c *Cache) error {
	d := snapDecoder{b: b}
	// Paths and hashes are substrings of b seen as a string, and results
	// slices of it: 100k entries cost a few allocations, not 300k, and no
	// copy of tens of megabytes (whose page faults alone cost more than
	// the decoding). b must not change afterwards: the caller hands over
	// a buffer it does not reuse. p must be the bytes d has just consumed.
	whole := unsafe.String(unsafe.SliceData(b), len(b))
	str := func(p []byte) string {
		off := len(b) - len(d.b) - len(p)
		return whole[off : off+len(p)]
	}
	if d.byte() != snapshotVersion {
		return errSnapshot
	}
	n := d.uvarint()
	if n > uint64(len(b)) {
		return errSnapshot
	}
	table := make([]string, n)
	for i := range table {
		table[i] = string(d.bytes())
	}
	at := func(i uint64) string {
		if i >= uint64(len(table)) {
			d.err = errSnapshot
			return ""
		}
		return table[i]
	}
	n = d.uvarint()
	if n > uint64(len(b)) {
		return errSnapshot
	}
	c.reset(int(n))
	for range n {
		path := str(d.bytes())
		var e cacheEntry
		if !decodeStat(d.take(statLen), &e.m, &e.row) {
			return errSnapshot
		}
		if h := d.bytes(); len(h) > 0 {
			e.m.ContentHash = str(h)
		}
		e.rules = at(d.uvarint())
		e.rulesOK = e.rules == c.rulesHash
		e.row.status, e.row.typ = at(d.uvarint()), at(d.uvarint())
		if k := d.uvarint(); k > 0 {
			if k-1 > uint64(len(d.b)) {
				return errSnapshot
			}
			e.row.results = d.take(int(k - 1))
			if e.row.results == nil {
				e.row.results = []byte{} // empty, not a clean file
			}
		}
		if d.err != nil {
			return d.err
		}
		c.add(path, e)
	}
	if d.err != nil || len(d.b) != 0 {
		return errSnapshot
	}
	return nil
}

type snapDecoder struct {
	b   []byte
	err error
}

func (d *snapDecoder) take(n int) []byte {
	if d.err != nil || n < 0 || n > len(d.b) {
		d.err = errSnapshot
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *snapDecoder) byte() byte {
	if b := d.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (d *snapDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errSnapshot
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *snapDecoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errSnapshot
		return nil
	}
	return d.take(int(n))
}

// The snapshot lives in a file beside the database, cache-ROOTID.snap:
// the SQL driver reads and writes a blob of tens of megabytes slower than
// it reads the rows. Its first 16 bytes are a random token, and the
// database row (cache_snapshots) holds the token of the current file: a
// file whose token is not in the database (left by a crash, or dropped) is
// never read.
const tokenLen = 16

func (s *Store) snapshotPath(rootID int64) string {
	return filepath.Join(s.dir, fmt.Sprintf("cache-%d.snap", rootID))
}

// loadSnapshot fills c from the root's snapshot; ok is false when there
// is none that is current (or it cannot be read), and the caller reads
// the table.
func (s *Store) loadSnapshot(ctx context.Context, c *Cache) (ok bool, err error) {
	var rootID int64
	var token []byte
	err = s.db.QueryRowContext(ctx, `SELECT s.root_id, s.token FROM cache_snapshots s JOIN roots r ON r.id = s.root_id
		WHERE r.path = ?`, c.root).Scan(&rootID, &token)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("state: loading cache: %w", err)
	}
	data, mapped, err := readSnapshot(s.snapshotPath(rootID))
	if err != nil || len(data) < tokenLen || !bytes.Equal(data[:tokenLen], token) ||
		decodeSnapshot(data[tokenLen:], c) != nil {
		c.reset(0)
		if mapped {
			unmapFile(data) // nothing refers to it any more
		}
		return false, nil
	}
	return true, nil
}

// readSnapshot reads a snapshot file, which must be a regular file. It
// maps the file where it can (mapped is then set) rather than read it
// into the heap: fresh memory costs a page fault per page on first touch,
// 15 µs each on the VMs we measure on, and the pages of a file just
// written are in the page cache already. Mapping the 21 MB snapshot of a
// 100k-file tree cut an unchanged re-scan by about 0.1 s.
//
// A mapping is never unmapped once decoded, because the cache's strings
// alias it: a Cache is loaded once per command, and its pages are the
// page cache's, not the heap's. Mapped bytes are safe to keep because a
// snapshot file is never changed in place: putSnapshot writes a new file
// and renames it over the old one, whose inode lives on while mapped (a
// file truncated under a mapping would fault on access).
func readSnapshot(path string) (data []byte, mapped bool, err error) {
	if err := checkPrivateFile(path); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	if data, err := mapFile(f, fi.Size()); err == nil {
		return data, true, nil
	}
	// One read into a buffer of the right size: io.ReadAll's doubling
	// costs as much as the decoding for a snapshot of tens of megabytes.
	data = make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, false, err
	}
	return data, false, nil
}

// dropSnapshot forgets a root's snapshot; every write of its files rows
// calls it in the same transaction.
func dropSnapshot(ctx context.Context, tx *sql.Tx, rootID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM cache_snapshots WHERE root_id = ?`, rootID)
	return err
}

// hasSnapshot tells whether the root has a current snapshot.
func hasSnapshot(ctx context.Context, tx *sql.Tx, rootID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cache_snapshots WHERE root_id = ?`, rootID).Scan(&n)
	return n > 0, err
}

// putSnapshot writes the root's files rows as they are at the end of a
// run to a new file, renamed into place, and records its token in tx: the
// snapshot is current once tx commits.
func (s *Store) putSnapshot(ctx context.Context, tx *sql.Tx, rootID int64, entries iter.Seq[*cacheEntry]) error {
	token := make([]byte, tokenLen)
	if _, err := rand.Read(token); err != nil {
		return err
	}
	path := s.snapshotPath(rootID)
	tmp, err := os.CreateTemp(s.dir, ".snap-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(encodeSnapshot(token, entries))
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("cache snapshot: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO cache_snapshots(root_id, token) VALUES (?, ?)
		ON CONFLICT(root_id) DO UPDATE SET token = excluded.token`, rootID, token)
	return err
}
