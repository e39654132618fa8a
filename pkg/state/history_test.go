package state

import (
	"errors"
	"reflect"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestHistory(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	a := dirtyFile("a.csv", 1, fnd("email", finding.Medium, loc(1, "e1")))
	b := dirtyFile("b.txt", 2, fnd("iban", finding.High, loc(4, "i1")))
	r1, _ := record(t, s, "/srv", "r1", []file{a, cleanFile("c.txt", 3)})
	r2, _ := record(t, s, "/other", "r1", []file{b})
	r3, _ := record(t, s, "/srv", "r1", []file{a, b})
	rec, _ := s.StartRun(RunInfo{Root: "/srv", RulesHash: "r1"}, nil)
	rec.Abort()

	all, err := s.Runs("", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(all); !reflect.DeepEqual(got, []int64{rec.ID(), r3.ID, r2.ID, r1.ID}) {
		t.Errorf("Runs = %v", got)
	}
	if got, _ := s.Runs("/srv", 2); !reflect.DeepEqual(ids(got), []int64{rec.ID(), r3.ID}) {
		t.Errorf("Runs(/srv, 2) = %v", ids(got))
	}
	if got, _ := s.LastRuns("/srv", 2); !reflect.DeepEqual(ids(got), []int64{r3.ID, r1.ID}) {
		t.Errorf("LastRuns(/srv, 2) = %v (failed runs must not count)", ids(got))
	}
	if got, _ := s.LastRuns("", 1); !reflect.DeepEqual(ids(got), []int64{r3.ID}) {
		t.Errorf("LastRuns('', 1) = %v", ids(got))
	}

	if r1.Root != "/srv" || r1.ToolVersion != "test" || r1.RulesHash != "r1" || r1.Options["workers"] != "2" ||
		r1.Status != Complete || r1.FinishedAt.Before(r1.StartedAt) || r1.Summary.FilesSeen != 2 ||
		r1.Summary.ByDetector["email"] != 1 || r1.PID == 0 {
		t.Errorf("run 1 = %+v", r1)
	}

	rs, err := s.Results(r3.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(paths(rs), []string{"a.csv", "b.txt"}) {
		t.Errorf("Results = %v", paths(rs))
	}
	want := a.res
	want.Bytes = 0 // history keeps what reports show; Bytes is not in them
	if !reflect.DeepEqual(normalise(rs[0]), normalise(want)) {
		t.Errorf("stored result\n%+v\nwant\n%+v", rs[0], a.res)
	}

	if _, err := s.Run(999); !errors.Is(err, ErrNoRun) {
		t.Errorf("Run(999) = %v", err)
	}
	if _, err := s.Results(999); !errors.Is(err, ErrNoRun) {
		t.Errorf("Results(999) = %v", err)
	}
}

func TestPrune(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	var last RunInfo
	for i := 0; i < 4; i++ {
		// A new value each run, so each run stores a distinct result.
		f := dirtyFile("a.csv", i, fnd("email", finding.Medium, loc(1, string(rune('a'+i)))))
		last, _ = record(t, s, "/srv", "r1", []file{f})
	}
	record(t, s, "/other", "r1", []file{cleanFile("x", 1)})
	n, err := s.Prune("/srv", 1)
	if err != nil || n != 3 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	runs, _ := s.Runs("", 0)
	if len(runs) != 2 || runs[1].ID != last.ID {
		t.Errorf("runs after prune = %v", ids(runs))
	}
	if n := count(t, s, `SELECT count(*) FROM blobs`); n != 1 {
		t.Errorf("blobs after prune = %d, want 1", n)
	}
	if rs, err := s.Results(last.ID); err != nil || len(rs) != 1 {
		t.Errorf("kept run's results: %v, %v", rs, err)
	}
	if n := count(t, s, `SELECT count(*) FROM files`); n != 2 {
		t.Errorf("prune touched the cache: %d rows", n)
	}
	checkIntegrity(t, s.db)
}

func ids(rs []RunInfo) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
