package state

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// cacheBoth loads root's cache through the snapshot and through the
// table, and says whether there was a snapshot to load.
func cacheBoth(t *testing.T, s *Store, root, rules string) (snap, table map[string]cacheEntry, had bool) {
	t.Helper()
	c, err := s.Cache(root, rules)
	if err != nil {
		t.Fatal(err)
	}
	had = count(t, s, `SELECT count(*) FROM cache_snapshots`) > 0
	tc := &Cache{root: c.root, rulesHash: rules}
	tc.reset(0)
	if err := loadTable(t.Context(), s.db, tc); err != nil {
		t.Fatal(err)
	}
	return entriesByPath(c), entriesByPath(tc), had
}

// entriesByPath is a cache's entries by path (their order is not part
// of it), checked against its index.
func entriesByPath(c *Cache) map[string]cacheEntry {
	m := make(map[string]cacheEntry, len(c.entries))
	for i, e := range c.entries {
		if j, ok := c.index[e.path]; !ok || int(j) != i {
			panic("cache index out of step with its entries")
		}
		m[e.path] = e
	}
	if len(m) != len(c.index) {
		panic("cache index out of step with its entries")
	}
	return m
}

// TestSnapshotEqualsTable holds the snapshot to the files table after each
// kind of run: the cache must be the same whichever it is loaded from.
func TestSnapshotEqualsTable(t *testing.T) {
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	email := func(fp string) finding.Finding { return fnd("email", finding.Medium, loc(1, fp)) }
	var files []file
	for i := range 30 {
		if i%3 == 0 {
			files = append(files, dirtyFile(fmt.Sprintf("f%02d.csv", i), i, email(fmt.Sprint("fp", i))))
		} else {
			files = append(files, cleanFile(fmt.Sprintf("f%02d.txt", i), i))
		}
	}
	hashed := cleanFile("hashed.txt", 50)
	hashed.m.ContentHash = "h50"
	files = append(files, hashed)

	check := func(step string, wantSnapshot bool) {
		t.Helper()
		snap, table, had := cacheBoth(t, s, "/srv", "r1")
		if had != wantSnapshot {
			t.Fatalf("%s: snapshot present = %v, want %v", step, had, wantSnapshot)
		}
		if len(table) == 0 || !reflect.DeepEqual(snap, table) {
			t.Fatalf("%s: cache from snapshot (%d entries) differs from the table (%d entries)", step, len(snap), len(table))
		}
	}
	record(t, s, "/srv", "r1", files)
	check("first run", true)

	// Unchanged (the snapshot is not rewritten), then changed, deleted,
	// added and touched files.
	before := snapshotToken(t, s)
	record(t, s, "/srv", "r1", files)
	check("unchanged run", true)
	if !bytes.Equal(snapshotToken(t, s), before) {
		t.Error("an unchanged run rewrote the snapshot")
	}
	next := append([]file{}, files[2:]...)
	next[0] = dirtyFile("f02.txt", 77, email("new"))
	next = append(next, cleanFile("added.txt", 60))
	touched := hashed
	touched.m.MtimeNs += 10
	next[len(next)-2] = touched
	record(t, s, "/srv", "r1", next)
	check("changed run", true)

	// Another rule set: every row rewritten, some with the old hash left.
	record(t, s, "/srv", "r2", next[:10])
	check("other rules", true)

	// A run that writes more rows than it keeps reads the table back.
	old := maxRowsInMemory
	maxRowsInMemory = 3
	defer func() { maxRowsInMemory = old }()
	record(t, s, "/srv", "r3", next)
	check("table read back", true)
	maxRowsInMemory = old

	// A run that writes rows and then fails leaves no snapshot.
	c, err := s.Cache("/srv", "r4")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.StartRun(RunInfo{Root: "/srv", RulesHash: "r4"}, c)
	if err != nil {
		t.Fatal(err)
	}
	f := cleanFile("late.txt", 90)
	if err := rec.File(f.res.Path, f.m, []finding.FileResult{f.res}, Miss); err != nil {
		t.Fatal(err)
	}
	if err := rec.Abort(); err != nil {
		t.Fatal(err)
	}
	check("aborted run", false)

	// A corrupt snapshot is ignored.
	record(t, s, "/srv", "r1", files)
	snaps, _ := filepath.Glob(filepath.Join(s.dir, "cache-*.snap"))
	if len(snaps) != 1 {
		t.Fatalf("snapshot files: %v", snaps)
	}
	data, err := os.ReadFile(snaps[0])
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(snaps[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot file mode: %v %v", fi.Mode(), err)
	}
	if err := os.WriteFile(snaps[0], append(data[:tokenLen+3], 0xff, 0xff), 0o600); err != nil {
		t.Fatal(err)
	}
	snap, table, _ := cacheBoth(t, s, "/srv", "r1")
	if !reflect.DeepEqual(snap, table) {
		t.Fatal("a corrupt snapshot was used")
	}
}

func FuzzDecodeSnapshot(f *testing.F) {
	f.Add(encodeSnapshot(nil, entrySeq([]cacheEntry{
		{path: "a.csv", m: meta(1), rules: "r1", row: fileRow{status: "scanned", typ: "csv", results: []byte(`[]`)}},
		{path: "b.txt", m: meta(2), rules: "r1", row: fileRow{status: "scanned", typ: "text"}},
	})))
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		c := &Cache{rulesHash: "r1"}
		if decodeSnapshot(b, c) == nil {
			again := encodeSnapshot(nil, entrySeq(c.entries))
			c2 := &Cache{rulesHash: "r1"}
			if err := decodeSnapshot(again, c2); err != nil || !reflect.DeepEqual(entriesByPath(c), entriesByPath(c2)) {
				t.Fatalf("re-encoded snapshot does not decode to the same entries: %v", err)
			}
		}
	})
}

func snapshotToken(t *testing.T, s *Store) []byte {
	t.Helper()
	var token []byte
	if err := s.db.QueryRow(`SELECT token FROM cache_snapshots`).Scan(&token); err != nil {
		t.Fatal(err)
	}
	return token
}

// BenchmarkSnapshot100k decodes the snapshot of an unchanged nightly
// tree: 100k files, one in five with a 1 KB result.
func BenchmarkSnapshot100k(b *testing.B) {
	var entries []cacheEntry
	res := bytes.Repeat([]byte("x"), 1000)
	for i := range 100000 {
		e := cacheEntry{path: fmt.Sprintf("d%03d/f%06d.txt", i/1000, i), m: meta(i), rules: "r1", row: fileRow{status: "scanned", typ: "text"}}
		if i%5 == 0 {
			e.row.results = res
		}
		entries = append(entries, e)
	}
	data := encodeSnapshot(nil, entrySeq(entries))
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		c := &Cache{rulesHash: "r1"}
		if err := decodeSnapshot(data, c); err != nil {
			b.Fatal(err)
		}
	}
}
