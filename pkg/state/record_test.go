package state

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	clean := cleanFile("clean.txt", 1)
	dirty := dirtyFile("dirty.csv", 2, fnd("email", finding.Medium, loc(3, "fpA"), loc(9, "fpB")))
	broken := cleanFile("broken.txt", 3)
	broken.res.Status, broken.res.Reason = finding.Error, "open: permission denied"
	skipped := cleanFile("logo.png", 4)
	skipped.res.Status, skipped.res.Reason = finding.Skipped, "binary file"
	hashed := cleanFile("hashed.txt", 5)
	hashed.m.ContentHash = "h5"
	record(t, s, "/srv", "r1", []file{clean, dirty, broken, skipped, hashed})

	c, err := s.Cache("/srv", "r1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 5 {
		t.Errorf("Len = %d", c.Len())
	}
	with := func(m Meta, f func(*Meta)) Meta { f(&m); return m }
	tests := []struct {
		name string
		path string
		m    Meta
		want Hit
	}{
		{"unchanged", "clean.txt", clean.m, SameMeta},
		{"unchanged with findings", "dirty.csv", dirty.m, SameMeta},
		{"skipped is cached", "logo.png", skipped.m, SameMeta},
		{"errors are retried", "broken.txt", broken.m, Miss},
		{"unknown path", "new.txt", clean.m, Miss},
		{"size changed", "clean.txt", with(clean.m, func(m *Meta) { m.Size++ }), Miss},
		{"mtime changed", "clean.txt", with(clean.m, func(m *Meta) { m.MtimeNs++ }), Miss},
		{"ctime changed", "clean.txt", with(clean.m, func(m *Meta) { m.CtimeNs++ }), Miss},
		{"inode changed", "clean.txt", with(clean.m, func(m *Meta) { m.Inode++ }), Miss},
		{"device changed", "clean.txt", with(clean.m, func(m *Meta) { m.Dev++ }), Miss},
		{"touched, same content", "hashed.txt", with(hashed.m, func(m *Meta) { m.MtimeNs += 5 }), SameContent},
		{"touched, other content", "hashed.txt", with(hashed.m, func(m *Meta) { m.MtimeNs += 5; m.ContentHash = "h6" }), Miss},
		{"touched, not hashed", "hashed.txt", with(hashed.m, func(m *Meta) { m.MtimeNs += 5; m.ContentHash = "" }), Miss},
	}
	for _, tt := range tests {
		if _, got := c.Lookup(tt.path, tt.m); got != tt.want {
			t.Errorf("%s: Lookup = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !c.WantsHash("hashed.txt", with(hashed.m, func(m *Meta) { m.MtimeNs += 5 })) {
		t.Error("WantsHash false for a touched file with a stored hash")
	}
	if c.WantsHash("hashed.txt", hashed.m) || c.WantsHash("clean.txt", with(clean.m, func(m *Meta) { m.MtimeNs++ })) {
		t.Error("WantsHash true for an unchanged file or one without a stored hash")
	}

	// A hit gives back what was recorded.
	for _, f := range []file{clean, dirty, skipped} {
		got, _ := c.Lookup(f.res.Path, f.m)
		want := f.res
		if len(got) != 1 || !reflect.DeepEqual(normalise(got[0]), normalise(want)) {
			t.Errorf("%s: Lookup = %+v\nwant %+v", f.res.Path, got, want)
		}
	}

	// Another rule set reuses nothing.
	c2, _ := s.Cache("/srv", "r2")
	if _, hit := c2.Lookup("clean.txt", clean.m); hit != Miss {
		t.Errorf("changed rules: %v, want miss", hit)
	}
	// Another root shares nothing.
	c3, _ := s.Cache("/srv/other", "r1")
	if c3.Len() != 0 {
		t.Errorf("other root sees %d files", c3.Len())
	}
}

// normalise makes two results comparable: times compared as instants.
func normalise(r finding.FileResult) finding.FileResult {
	r.Modified = r.Modified.UTC()
	return r
}

// TestIncrementalRun: a re-scan of an unchanged tree writes no file row,
// a changed file's row is rewritten, a deleted file's row goes.
func TestIncrementalRun(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	var files []file
	for i := 0; i < 50; i++ {
		files = append(files, cleanFile(fmt.Sprintf("f%02d.txt", i), i))
	}
	files = append(files, dirtyFile("cards.csv", 60, fnd("credit_card", finding.High, loc(2, "c1"))))
	first, hits := record(t, s, "/srv", "r1", files)
	for p, h := range hits {
		if h != Miss {
			t.Fatalf("first run: %s %v", p, h)
		}
	}
	if first.FilesRead != 51 || first.FilesReused != 0 {
		t.Errorf("first run counts: read %d reused %d", first.FilesRead, first.FilesReused)
	}

	second, hits := record(t, s, "/srv", "r1", files)
	for p, h := range hits {
		if h != SameMeta {
			t.Errorf("second run: %s %v, want same-meta", p, h)
		}
	}
	if n := count(t, s, `SELECT count(*) FROM files WHERE run_id = ?`, second.ID); n != 0 {
		t.Errorf("unchanged re-scan rewrote %d file rows", n)
	}
	if second.FilesReused != 51 || second.FilesRead != 0 {
		t.Errorf("second run counts: read %d reused %d", second.FilesRead, second.FilesReused)
	}
	rs, err := s.Results(second.ID)
	if err != nil || !reflect.DeepEqual(paths(rs), []string{"cards.csv"}) {
		t.Errorf("second run results = %v, %v", paths(rs), err)
	}
	if n := count(t, s, `SELECT count(*) FROM blobs`); n != 1 {
		t.Errorf("blobs = %d: an unchanged result must be stored once", n)
	}

	// Change f00.txt, delete f02.txt, add new.txt.
	next := []file{cleanFile("new.txt", 70)}
	for _, f := range files {
		switch f.res.Path {
		case "f00.txt":
			f.m.MtimeNs += 1e9
		case "f02.txt":
			continue
		}
		next = append(next, f)
	}
	files = next
	third, hits := record(t, s, "/srv", "r1", files)
	if hits["f00.txt"] != Miss {
		t.Errorf("changed file: %v", hits["f00.txt"])
	}
	if hits["new.txt"] != Miss {
		t.Errorf("new file: %v", hits["new.txt"])
	}
	if n := count(t, s, `SELECT count(*) FROM files WHERE run_id = ?`, third.ID); n != 2 {
		t.Errorf("third run wrote %d rows, want 2 (the changed file and the new one)", n)
	}
	if n := count(t, s, `SELECT count(*) FROM files WHERE path = 'f02.txt'`); n != 0 {
		t.Error("row of a deleted file kept")
	}
	if n := count(t, s, `SELECT count(*) FROM files`); n != len(files) {
		t.Errorf("files rows = %d, want %d", n, len(files))
	}
	// The next run finds every file, the new one included, in the cache
	// (its snapshot merges the rows the third run wrote with those it
	// kept), and forgets none.
	fourth, hits := record(t, s, "/srv", "r1", files)
	for p, h := range hits {
		if h != SameMeta {
			t.Errorf("fourth run: %s %v, want same-meta", p, h)
		}
	}
	if fourth.FilesReused != len(files) || fourth.FilesRead != 0 {
		t.Errorf("fourth run counts: read %d reused %d", fourth.FilesRead, fourth.FilesReused)
	}
	if n := count(t, s, `SELECT count(*) FROM files`); n != len(files) {
		t.Errorf("files rows after the fourth run = %d, want %d", n, len(files))
	}
}

// TestNoRawValues: --show-values puts raw values in findings; none may
// reach the state's files, in the database or in its WAL.
func TestNoRawValues(t *testing.T) {
	t.Parallel()
	dir := mustDir(t)
	s := openT(t, dir)
	lockT(t, s, "/srv")
	const raw = "4539-RAW-VALUE-6467" // synthetic, and distinctive
	f := dirtyFile("cards.csv", 1, fnd("credit_card", finding.High, loc(2, "c1")))
	f.res.Findings[0].Values = []string{raw}
	// Two files: one recorded as a single result, one with archive
	// members, so both encodings are covered.
	g := dirtyFile("a.zip", 2)
	member := dirtyFile("a.zip!inner.txt", 3, fnd("credit_card", finding.High, loc(1, "c1")))
	member.res.Findings[0].Values = []string{raw}

	rec, err := s.StartRun(RunInfo{Root: "/srv", RulesHash: "r1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	in := []finding.FileResult{f.res}
	if err := rec.File("cards.csv", f.m, in, Miss); err != nil {
		t.Fatal(err)
	}
	if err := rec.File("a.zip", g.m, []finding.FileResult{g.res, member.res}, Miss); err != nil {
		t.Fatal(err)
	}
	if err := rec.Finish(report.Summary{}); err != nil {
		t.Fatal(err)
	}
	if in[0].Findings[0].Values[0] != raw {
		t.Error("File modified the caller's result")
	}
	grep := func(when string) {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(raw)) {
				t.Errorf("%s: raw value found in %s", when, e.Name())
			}
		}
	}
	grep("while open")
	c, _ := s.Cache("/srv", "r1")
	res, hit := c.Lookup("a.zip", g.m)
	if hit != SameMeta || len(res) != 2 || res[1].Path != "a.zip!inner.txt" || len(res[1].Findings[0].Values) != 0 {
		t.Errorf("archive lookup = %v %+v", hit, res)
	}
	s.Close()
	grep("after close")
}

// TestConcurrentFile: the scan's workers call File at once.
func TestConcurrentFile(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	rec, err := s.StartRun(RunInfo{Root: "/srv", RulesHash: "r1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const workers, per = 4, 600
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				n := w*per + i
				f := dirtyFile(fmt.Sprintf("w%d/%d.txt", w, i), n, fnd("email", finding.Low, loc(1, fmt.Sprint(n))))
				if err := rec.File(f.res.Path, f.m, []finding.FileResult{f.res}, Miss); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := rec.Finish(report.Summary{FilesSeen: workers * per}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM files`); n != workers*per {
		t.Errorf("files = %d", n)
	}
	if n := count(t, s, `SELECT count(*) FROM run_results WHERE run_id = ?`, rec.ID()); n != workers*per {
		t.Errorf("run_results = %d", n)
	}
	ri, _ := s.Run(rec.ID())
	if ri.Summary.FilesSeen != workers*per || ri.Status != Complete {
		t.Errorf("run = %+v", ri)
	}
}

func TestRecorderEnd(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	f := cleanFile("a.txt", 1)

	rec, _ := s.StartRun(RunInfo{Root: "/srv", RulesHash: "r1"}, nil)
	if err := rec.File("a.txt", f.m, nil, Miss); err == nil {
		t.Error("File with no result succeeded")
	}
	rec.File("a.txt", f.m, []finding.FileResult{f.res}, Miss)
	if err := rec.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := rec.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if err := rec.File("a.txt", f.m, []finding.FileResult{f.res}, Miss); err == nil {
		t.Error("File after Abort succeeded")
	}
	ri, _ := s.Run(rec.ID())
	if ri.Status != Failed || ri.FinishedAt.IsZero() {
		t.Errorf("aborted run = %+v", ri)
	}
	// An aborted run keeps the cache rows it wrote, and forgets nothing.
	if n := count(t, s, `SELECT count(*) FROM files`); n != 1 {
		t.Errorf("files after abort = %d", n)
	}

	rec, _ = s.StartRun(RunInfo{Root: "/srv", RulesHash: "r1"}, nil)
	if err := rec.Finish(report.Summary{FilesSeen: 7}); err != nil {
		t.Fatal(err)
	}
	if err := rec.Abort(); err != nil {
		t.Errorf("Abort after Finish: %v", err)
	}
	ri, _ = s.Run(rec.ID())
	if ri.Status != Complete || ri.Summary.FilesSeen != 7 {
		t.Errorf("run = %+v", ri)
	}
}

// TestTimeFlush: a slow scan still commits its results regularly, so a
// kill loses little. The test waits for the commit instead of timing it.
func TestTimeFlush(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	s.flushEvery = 10 * time.Millisecond
	lockT(t, s, "/srv")
	rec, _ := s.StartRun(RunInfo{Root: "/srv", RulesHash: "r1"}, nil)
	defer rec.Abort()
	f := cleanFile("a.txt", 1)
	rec.File("a.txt", f.m, []finding.FileResult{f.res}, Miss)
	for count(t, s, `SELECT count(*) FROM files`) == 0 {
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRootNormalised(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	cwd, _ := os.Getwd()
	record(t, s, ".", "r1", []file{cleanFile("a.txt", 1)})
	runs, err := s.Runs(cwd, 0)
	if err != nil || len(runs) != 1 || runs[0].Root != cwd {
		t.Errorf("runs of %s = %+v, %v", cwd, runs, err)
	}
	c, _ := s.Cache(cwd+"/", "r1")
	if c.Len() != 1 {
		t.Errorf("cache of %s/ has %d files", cwd, c.Len())
	}
}

// TestFullRunForgetsDeleted: a run without a cache (--full) finds the
// rows of deleted files by reading the stored paths.
func TestFullRunForgetsDeleted(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	a, b := cleanFile("a.txt", 1), cleanFile("b.txt", 2)
	record(t, s, "/srv", "r1", []file{a, b})
	rec, err := s.StartRun(RunInfo{Root: "/srv", RulesHash: "r1", Full: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec.File("a.txt", a.m, []finding.FileResult{a.res}, Miss)
	if err := rec.Finish(report.Summary{}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM files WHERE path = 'b.txt'`); n != 0 {
		t.Error("full run kept the row of a deleted file")
	}
	if n := count(t, s, `SELECT count(*) FROM files WHERE path = 'a.txt' AND run_id = ?`, rec.ID()); n != 1 {
		t.Error("full run did not rewrite the row it read")
	}
	c, _ := s.Cache("/srv", "r1")
	if _, err := s.StartRun(RunInfo{Root: "/elsewhere", RulesHash: "r1"}, c); err == nil {
		t.Error("StartRun accepted the cache of another root")
	}
}

func TestNilCacheAndMeta(t *testing.T) {
	t.Parallel()
	var c *Cache
	if _, hit := c.Lookup("a", Meta{}); hit != Miss || c.WantsHash("a", Meta{}) || c.Len() != 0 {
		t.Error("nil cache does not miss")
	}
	if MetaOf(nil) != (Meta{}) {
		t.Error("MetaOf(nil)")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("hello"), 0o600)
	fi, _ := os.Lstat(p)
	m := MetaOf(fi)
	if m.Size != 5 || m.MtimeNs != fi.ModTime().UnixNano() || m.Inode == 0 || m.CtimeNs == 0 {
		t.Errorf("MetaOf = %+v", m)
	}
	// Rewriting the file with the same size and mtime still changes
	// ctime, which is what catches an mtime set back by touch -d.
	os.WriteFile(p, []byte("jello"), 0o600)
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
	fi2, _ := os.Lstat(p)
	m2 := MetaOf(fi2)
	if m2.sameFile(m) && m2.CtimeNs == m.CtimeNs {
		t.Skip("filesystem ctime granularity too coarse to tell the rewrite")
	}
	if m2.sameFile(m) {
		t.Error("a rewrite with mtime restored looks unchanged")
	}
	h, err := HashContent(nil, bytes.NewReader([]byte("hello")))
	if err != nil || h != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" {
		t.Errorf("HashContent = %s, %v", h, err)
	}
}

// TestPartialRun: a run over explicit paths (a pre-commit hook) must not
// take the files it did not see for deleted, nor stand as the last run.
func TestPartialRun(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	a, b := cleanFile("a.txt", 1), cleanFile("b.txt", 2)
	full, _ := record(t, s, "/srv", "r1", []file{a, b})
	c, _ := s.Cache("/srv", "r1")
	rec, err := s.StartRun(RunInfo{Root: "/srv", RulesHash: "r1", Partial: true}, c)
	if err != nil {
		t.Fatal(err)
	}
	rec.File("a.txt", a.m, []finding.FileResult{a.res}, SameMeta)
	if err := rec.Finish(report.Summary{}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM files`); n != 2 {
		t.Errorf("partial run left %d cache rows, want 2", n)
	}
	last, _ := s.LastRuns("/srv", 1)
	if len(last) != 1 || last[0].ID != full.ID {
		t.Errorf("LastRuns = %v, want the full run %d", ids(last), full.ID)
	}
	if ri, _ := s.Run(rec.ID()); !ri.Partial || ri.Status != Complete {
		t.Errorf("partial run = %+v", ri)
	}
}

// TestCarryForward checks that a run's results are what it reported,
// whether each was carried from the previous run or written: unchanged,
// changed, now clean, deleted and new files, in both ways of carrying
// (copy then delete, or insert one by one).
func TestCarryForward(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	email := func(fp string) finding.Finding { return fnd("email", finding.Medium, loc(1, fp)) }
	var many []file
	for i := range 20 {
		many = append(many, dirtyFile(fmt.Sprintf("d%02d.csv", i), 10+i, email(fmt.Sprint("fp", i))))
	}
	record(t, s, "/srv", "r1", many)

	// Run 2: 18 unchanged, one changed, one cleaned, one new.
	run2 := append([]file{}, many[:18]...)
	changed := dirtyFile("d18.csv", 99, email("other"))
	cleaned := cleanFile("d19.csv", 98)
	added := dirtyFile("new.csv", 97, email("new"))
	run2 = append(run2, changed, cleaned, added)
	ri, hits := record(t, s, "/srv", "r1", run2)
	if hits["d00.csv"] != SameMeta || hits["d18.csv"] != Miss {
		t.Fatalf("hits = %v", hits)
	}
	want := append(paths(filesRes(many[:18])), "d18.csv", "new.csv")
	got, err := s.Results(ri.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(paths(got), want) {
		t.Errorf("run 2 results = %v\nwant %v", paths(got), want)
	}
	for _, r := range got {
		if r.Path == "d18.csv" && r.Findings[0].Locations[0].Fingerprint != "other" {
			t.Errorf("d18.csv carried the old result instead of the new one")
		}
	}
	if rows := resultRows(t, s, ri.ID); !reflect.DeepEqual(rows, want) {
		t.Errorf("run 2 result rows = %v\nwant %v", rows, want)
	}

	// Run 3: most files gone, two unchanged: carried one by one.
	ri, _ = record(t, s, "/srv", "r1", []file{many[0], many[1]})
	got, err = s.Results(ri.ID)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"d00.csv", "d01.csv"}
	if !reflect.DeepEqual(paths(got), want) || !reflect.DeepEqual(resultRows(t, s, ri.ID), want) {
		t.Errorf("run 3 results = %v, rows %v", paths(got), resultRows(t, s, ri.ID))
	}
}

// resultRows lists a run's result rows by their own path column.
func resultRows(t *testing.T, s *Store, run int64) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT path FROM run_results WHERE run_id = ? ORDER BY path`, run)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func filesRes(fs []file) []finding.FileResult {
	out := make([]finding.FileResult, len(fs))
	for i, f := range fs {
		out[i] = f.res
	}
	return out
}

// TestSharedResults: a run that finds exactly what the previous one found
// records no result rows and points to the run that holds them, one hop
// away however many unchanged nights follow; pruning the holder gives the
// runs kept their own copy first.
func TestSharedResults(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	files := []file{
		dirtyFile("a.csv", 1, fnd("email", finding.Medium, loc(1, "fa"))),
		dirtyFile("b.csv", 2, fnd("email", finding.Medium, loc(1, "fb"))),
		cleanFile("c.txt", 3),
	}
	r1, _ := record(t, s, "/srv", "r1", files)
	r2, _ := record(t, s, "/srv", "r1", files)
	r3, _ := record(t, s, "/srv", "r1", files)
	from := func(id int64) int64 {
		var f sql.NullInt64
		if err := s.db.QueryRow(`SELECT results_from FROM runs WHERE id = ?`, id).Scan(&f); err != nil {
			t.Fatal(err)
		}
		return f.Int64
	}
	if n := len(resultRows(t, s, r2.ID)) + len(resultRows(t, s, r3.ID)); n != 0 || from(r2.ID) != r1.ID || from(r3.ID) != r1.ID {
		t.Fatalf("unchanged runs: %d rows, results_from %d and %d, want none and %d", n, from(r2.ID), from(r3.ID), r1.ID)
	}
	want, err := s.Results(r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{r2.ID, r3.ID} {
		got, err := s.Results(id)
		if err != nil || !reflect.DeepEqual(paths(got), paths(want)) || len(got) != 2 {
			t.Fatalf("run %d results = %v, %v; want %v", id, paths(got), err, paths(want))
		}
	}
	// Keep only the newest run: it gets its own rows, and the same results.
	if n, err := s.Prune("/srv", 1); err != nil || n != 2 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	if rows := resultRows(t, s, r3.ID); !reflect.DeepEqual(rows, []string{"a.csv", "b.csv"}) || from(r3.ID) != 0 {
		t.Fatalf("after pruning, run 3 rows %v, results_from %d", rows, from(r3.ID))
	}
	got, err := s.Results(r3.ID)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after pruning, run 3 results differ: %v", err)
	}
	checkIntegrity(t, s.db)
}
