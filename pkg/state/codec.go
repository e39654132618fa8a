package state

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
)

// Reported results (blobs) and a cache row's results are stored in the
// binary form of resultcodec.go: a re-scan encodes every reported result
// to compare it with the last run's, and JSON made that the largest cost
// after the walk. Neither is compressed, so that a test can grep the
// database bytes for a raw value and mean it.

// stripValues returns r without raw values. Finding.Values exists only
// with --show-values; the state keeps no raw value whatever the flags, so
// the copy drops them before anything is encoded. The caller's result (and
// so its report) keeps them.
func stripValues(r finding.FileResult) finding.FileResult {
	for i := range r.Findings {
		if len(r.Findings[i].Values) > 0 {
			fs := make([]finding.Finding, len(r.Findings))
			copy(fs, r.Findings)
			for j := range fs {
				fs[j].Values = nil
			}
			r.Findings = fs
			break
		}
	}
	return r
}

// storedResult adds what the report's JSON leaves out but a cached
// result must restore.
type storedResult struct {
	finding.FileResult
	BytesRead int64 `json:"bytes_read,omitempty"`
}

// fileRow is a cache row's payload besides its metadata.
type fileRow struct {
	status  string
	typ     string
	mode    uint32
	bytes   int64
	results []byte // nil: a single clean file, rebuilt from the columns
}

// encodeRow packs the results of one walked file. A single clean file,
// by far the most common row, stores no JSON at all: its status, type,
// mode and byte count are columns.
func encodeRow(path string, results []finding.FileResult) (fileRow, error) {
	var row fileRow
	if len(results) > 0 {
		r := &results[0]
		row.status, row.typ, row.mode = string(r.Status), r.Type, uint32(r.Mode)
	}
	for i := range results {
		row.bytes += results[i].Bytes
	}
	if len(results) == 1 && results[0].Path == path && !report.Reportable(&results[0]) {
		return row, nil
	}
	stored := make([]storedResult, len(results))
	for i := range results {
		stored[i] = storedResult{FileResult: stripValues(results[i]), BytesRead: results[i].Bytes}
	}
	row.results = encodeResults(stored)
	return row, nil
}

// decodeRow rebuilds the results of a cache row for a file whose current
// metadata is m, appending them to dst. Size and Modified come from m,
// being current.
func decodeRow(dst []finding.FileResult, path string, m Meta, row fileRow) ([]finding.FileResult, error) {
	modified := time.Unix(0, m.MtimeNs)
	if row.results == nil {
		return append(dst, finding.FileResult{
			Path: path, Type: row.typ, Size: m.Size, Modified: modified,
			Mode: finding.Mode(row.mode), Status: finding.Status(row.status), Bytes: row.bytes,
		}), nil
	}
	var stored []storedResult
	var err error
	if len(row.results) > 0 && row.results[0] == resultsBinary {
		stored, err = decodeResults(row.results)
	} else {
		err = json.Unmarshal(row.results, &stored) // written before the binary form
	}
	if err != nil {
		return dst, fmt.Errorf("decoding stored result of %s: %w", path, err)
	}
	for _, s := range stored {
		r := s.FileResult
		r.Bytes = s.BytesRead
		if r.Path == path {
			r.Size, r.Modified = m.Size, modified
		}
		dst = append(dst, r)
	}
	return dst, nil
}

// statLen is the size of a files.stat value: seven big-endian 64-bit
// integers (size, mtime_ns, ctime_ns, inode, dev, mode, bytes), packed
// into one column because loading the cache reads it for every file.
const statLen = 7 * 8

func encodeStat(m Meta, row *fileRow) []byte {
	return appendStat(make([]byte, 0, statLen), m, row)
}

func appendStat(b []byte, m Meta, row *fileRow) []byte {
	for _, v := range [...]uint64{uint64(m.Size), uint64(m.MtimeNs), uint64(m.CtimeNs), m.Inode, m.Dev,
		uint64(row.mode), uint64(row.bytes)} {
		b = binary.BigEndian.AppendUint64(b, v)
	}
	return b
}

func decodeStat(b []byte, m *Meta, row *fileRow) bool {
	if len(b) != statLen {
		return false
	}
	u := func(i int) uint64 { return binary.BigEndian.Uint64(b[8*i:]) }
	m.Size, m.MtimeNs, m.CtimeNs, m.Inode, m.Dev = int64(u(0)), int64(u(1)), int64(u(2)), u(3), u(4)
	row.mode, row.bytes = uint32(u(5)), int64(u(6))
	return true
}

// blob is one reportable result of a run, content-addressed so that a
// result unchanged from run to run is stored once.
type blob struct {
	path string
	hash []byte
	data []byte
}

// hashLen is the stored length of a blob's SHA-256: 128 bits is plenty
// to tell results apart, and halves the key size.
const hashLen = 16

func encodeBlob(r *finding.FileResult) (blob, error) {
	// The report's view of the result: no raw values, no content ID, no
	// byte count (neither is in the report's JSON).
	stored := storedResult{FileResult: stripValues(*r)}
	stored.ContentID, stored.Bytes = "", 0
	b := encodeResults([]storedResult{stored})
	sum := sha256.Sum256(b)
	return blob{path: r.Path, hash: sum[:hashLen], data: b}, nil
}

// decodeBlob reads a blob in the binary form, or in the JSON that
// versions before it wrote.
func decodeBlob(data []byte) (finding.FileResult, error) {
	var r finding.FileResult
	if len(data) > 0 && data[0] == resultsBinary {
		stored, err := decodeResults(data)
		if err != nil || len(stored) != 1 {
			return r, errors.New("malformed stored result")
		}
		return stored[0].FileResult, nil
	}
	err := json.Unmarshal(data, &r)
	return r, err
}

// Timestamps are stored as RFC 3339 text in UTC: sortable, and readable
// in the sqlite3 shell.
const timeLayout = time.RFC3339Nano

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }
