package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestNDJSONGolden(t *testing.T) {
	t.Parallel()
	golden(t, "report.ndjson", render(t, "ndjson", Options{}, sampleReport()))
	golden(t, "edge.ndjson", render(t, "ndjson", Options{}, edgeReport()))
	golden(t, "empty.ndjson", render(t, "ndjson", Options{}, &Report{}))
}

// checkNDJSON checks that out is one JSON object per line, each with a
// type, the last the only summary, and returns the lines' types.
func checkNDJSON(t *testing.T, out []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\n")) {
		t.Fatalf("output does not end in a newline")
	}
	var types []string
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("line %d is not a JSON object: %v: %q", i+1, err, line)
		}
		typ, _ := obj["type"].(string)
		if typ == "" {
			t.Errorf("line %d has no type: %q", i+1, line)
		}
		types = append(types, typ)
	}
	if types[len(types)-1] != "summary" || slices.Index(types, "summary") != len(types)-1 {
		t.Errorf("want one summary line, last; types: %v", types)
	}
	return types
}

func TestNDJSONLines(t *testing.T) {
	t.Parallel()
	types := checkNDJSON(t, render(t, "ndjson", Options{}, sampleReport()))
	count := map[string]int{}
	for _, typ := range types {
		count[typ]++
	}
	if want := map[string]int{"file": 7, "finding": 20, "issue": 7, "summary": 1}; !mapsEqual(count, want) {
		t.Errorf("lines = %v, want %v", count, want)
	}
	checkNDJSON(t, render(t, "ndjson", Options{}, edgeReport()))
}

// TestNDJSONStreamMatchesBatch: streaming the files in any order gives the
// batch output's lines, each file's lines together, in the order the
// files came.
func TestNDJSONStreamMatchesBatch(t *testing.T) {
	t.Parallel()
	for _, mk := range []func() *Report{sampleReport, edgeReport} {
		batch := render(t, "ndjson", Options{}, mk())

		r := mk()
		var b bytes.Buffer
		s, err := NewStreamer("ndjson", &b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, f := range slices.Backward(r.Files) {
			if err := s.File(f); err != nil {
				t.Fatal(err)
			}
			order = append(order, f.Path)
		}
		// A clean file, as the scan may pass every file: left out.
		if err := s.File(finding.FileResult{Path: "clean.txt", Status: finding.Scanned}); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(r); err != nil {
			t.Fatal(err)
		}
		checkNDJSON(t, b.Bytes())

		got, want := strings.Split(b.String(), "\n"), strings.Split(string(batch), "\n")
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("streamed lines differ from the batch lines:\n%s\n---\n%s", b.String(), batch)
		}

		var files []string
		for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
			var obj struct{ Type, Path string }
			if err := json.Unmarshal([]byte(line), &obj); err != nil {
				t.Fatal(err)
			}
			if obj.Type == "file" {
				files = append(files, obj.Path)
			} else if obj.Type != "summary" && obj.Path != files[len(files)-1] {
				t.Errorf("%s line for %q follows file %q", obj.Type, obj.Path, files[len(files)-1])
			}
		}
		if !slices.Equal(files, order) {
			t.Errorf("files streamed as %q, want %q", files, order)
		}
	}
}

// TestNDJSONStreamConcurrent: scan workers may call File at once; every
// file's lines must still come out whole and together.
func TestNDJSONStreamConcurrent(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	var b bytes.Buffer
	s, _ := NewStreamer("ndjson", &b, Options{})
	var wg sync.WaitGroup
	for _, f := range r.Files {
		wg.Go(func() {
			if err := s.File(f); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := s.Close(r); err != nil {
		t.Fatal(err)
	}
	if types := checkNDJSON(t, b.Bytes()); len(types) != 35 {
		t.Errorf("%d lines, want 35", len(types))
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return len(p), nil
}

// TestNDJSONStreamStopsAfterWriteError: once output broke, every later
// call says so rather than writing after a gap.
func TestNDJSONStreamStopsAfterWriteError(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	s, _ := NewStreamer("ndjson", &failWriter{n: 1}, Options{})
	if err := s.File(r.Files[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.File(r.Files[1]); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("File after a failed write: %v", err)
	}
	if err := s.File(r.Files[2]); err == nil {
		t.Errorf("File after a failed write succeeded")
	}
	if err := s.Close(r); err == nil {
		t.Errorf("Close after a failed write succeeded")
	}
}

func TestNDJSONSummaryLine(t *testing.T) {
	t.Parallel()
	out := render(t, "ndjson", Options{}, sampleReport())
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var sum map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
		t.Fatal(err)
	}
	requireKeys(t, "summary line", sum, "type", "schema", "tool", "root", "started_at", "finished_at", "summary")
	requireKeys(t, "summary", sum["summary"], "files_seen", "findings", "by_detector", "by_issue", "by_risk")
	if sum["started_at"] != "2025-03-01T08:00:00Z" {
		t.Errorf("started_at = %v", sum["started_at"])
	}
}
