package state

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
)

// TestMain lets the test binary double as the helper process of the
// cross-process tests (lock contention, SIGKILL mid-write).
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helperMain(mode, os.Getenv(helperDirEnv)))
	}
	code := m.Run()
	if templateDir != "" {
		os.RemoveAll(templateDir) // the benchmarks' shared database
	}
	os.Exit(code)
}

func openT(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func lockT(t testing.TB, s *Store, root string) {
	t.Helper()
	release, err := s.Lock(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { release() })
}

// file is a walked file for tests: its metadata and its result.
type file struct {
	m   Meta
	res finding.FileResult
}

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func meta(i int) Meta {
	return Meta{Size: int64(100 + i), MtimeNs: t0.UnixNano() + int64(i), CtimeNs: t0.UnixNano() + int64(i),
		Inode: uint64(1000 + i), Dev: 42}
}

func cleanFile(path string, i int) file {
	m := meta(i)
	return file{m: m, res: finding.FileResult{Path: path, Type: "text", Size: m.Size,
		Modified: time.Unix(0, m.MtimeNs), Mode: 0o644, Status: finding.Scanned, Bytes: m.Size}}
}

func loc(line int, fp string) finding.Location { return finding.Location{Line: line, Fingerprint: fp} }

func fnd(det string, sev finding.Severity, locs ...finding.Location) finding.Finding {
	return finding.Finding{Detector: det, Name: det, Category: finding.Contact, Severity: sev,
		Confidence: "medium", Count: len(locs), Locations: locs, Samples: []string{"j***@example.com"}}
}

func dirtyFile(path string, i int, fs ...finding.Finding) file {
	f := cleanFile(path, i)
	f.res.Findings = fs
	f.res.Issues = []finding.Issue{{Kind: finding.Unencrypted, Severity: finding.Medium, Reason: "1 value readable in clear text"}}
	f.res.Risk = finding.Medium
	return f
}

// record runs one complete run over files, reusing cached results where
// the cache says so, as the scan would.
func record(t testing.TB, s *Store, root, rules string, files []file) (RunInfo, map[string]Hit) {
	t.Helper()
	c, err := s.Cache(root, rules)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.StartRun(RunInfo{Root: root, ToolVersion: "test", RulesHash: rules, Options: map[string]string{"workers": "2"}}, c)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Abort()
	hits := map[string]Hit{}
	var rep report.Report
	for _, f := range files {
		res, hit := c.Lookup(f.res.Path, f.m)
		if hit == Miss {
			res = []finding.FileResult{f.res}
		}
		hits[f.res.Path] = hit
		if err := rec.File(f.res.Path, f.m, res, hit); err != nil {
			t.Fatal(err)
		}
		for i := range res {
			if report.Reportable(&res[i]) {
				rep.Files = append(rep.Files, res[i])
			}
		}
	}
	rep.Tally()
	rep.Summary.FilesSeen = len(files)
	if err := rec.Finish(rep.Summary); err != nil {
		t.Fatal(err)
	}
	ri, err := s.Run(rec.ID())
	if err != nil {
		t.Fatal(err)
	}
	return ri, hits
}

func mustDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "state")
}

func count(t testing.TB, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func paths(rs []finding.FileResult) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Path)
	}
	return out
}
