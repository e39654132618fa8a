package state

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// The value index: for each walked file, the keyed fingerprints of every
// distinct value its findings hold (finding.Finding.ValueIDs), so that
// find and affected answer from the state without reading the share and
// without the state holding any value. A row lives and dies with the
// file's cache row: written when the file is read, kept while it is
// unchanged, deleted when it is gone.

// encodeValues packs the value IDs of a walked file's results: for each
// finding with IDs, the result's path, the detector, whether the IDs were
// capped (1) or are complete (0), and the sorted IDs. nil when there are
// none.
func encodeValues(results []finding.FileResult) []byte {
	var b []byte
	for i := range results {
		for _, fd := range results[i].Findings {
			if len(fd.ValueIDs) == 0 {
				continue
			}
			b = binary.AppendUvarint(b, uint64(len(results[i].Path)))
			b = append(b, results[i].Path...)
			b = binary.AppendUvarint(b, uint64(len(fd.Detector)))
			b = append(b, fd.Detector...)
			capped := byte(0)
			if fd.ValueIDsCapped {
				capped = 1
			}
			b = append(b, capped)
			b = binary.AppendUvarint(b, uint64(len(fd.ValueIDs)))
			for _, id := range fd.ValueIDs {
				b = append(b, id[:]...)
			}
		}
	}
	return b
}

var errValues = errors.New("malformed value index row")

// decodeValues calls fn for each finding packed in b.
func decodeValues(b []byte, fn func(v IndexedValues) error) error {
	d := snapDecoder{b: b}
	for len(d.b) > 0 {
		path := string(d.bytes())
		det := string(d.bytes())
		capped := d.byte() == 1
		n := d.uvarint()
		if d.err != nil || n > uint64(len(d.b))/16 {
			return errValues
		}
		raw := d.take(int(n) * 16)
		ids := make([]finding.ValueID, n)
		for i := range ids {
			copy(ids[i][:], raw[16*i:])
		}
		if err := fn(IndexedValues{Path: path, Detector: det, IDs: ids, Capped: capped}); err != nil {
			return err
		}
	}
	return d.err
}

// putValues replaces the value index row of a walked file just read.
func putValues(ctx context.Context, tx *sql.Tx, rootID int64, path string, data []byte) error {
	if len(data) == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM file_values WHERE root_id = ? AND path = ?`, rootID, path)
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO file_values(root_id, path, data) VALUES (?, ?, ?)
		ON CONFLICT(root_id, path) DO UPDATE SET data = excluded.data`, rootID, path, data)
	return err
}

// IndexedValues is one finding in the value index.
type IndexedValues struct {
	Path     string // the result's path (OUTER!INNER for an archive member)
	Detector string
	IDs      []finding.ValueID // sorted fingerprints of its distinct values
	// Capped: the file held more distinct values than the scan indexes
	// (detect.Options.MaxIndexValues); values beyond are not in IDs.
	Capped bool
}

// Values calls fn for every finding in root's value index. The index
// covers the files the last runs read with a fingerprint key; a file read
// before the index existed, or without IndexValues, has no row until it
// is read again.
func (s *Store) Values(root string, fn func(IndexedValues) error) error {
	abs, err := normRoot(root)
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(context.Background(), `SELECT v.path, v.data FROM file_values v
		JOIN roots r ON r.id = v.root_id WHERE r.path = ?`, abs)
	if err != nil {
		return fmt.Errorf("state: reading the value index: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var path string
		var data []byte
		if err := rows.Scan(&path, &data); err != nil {
			return fmt.Errorf("state: reading the value index: %w", err)
		}
		if err := decodeValues(data, fn); err != nil {
			if errors.Is(err, errValues) {
				return fmt.Errorf("state: value index of %s: %w", path, err)
			}
			return err
		}
	}
	return rows.Err()
}
