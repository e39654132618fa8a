package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestJSONGolden(t *testing.T) {
	t.Parallel()
	golden(t, "report.json", render(t, "json", Options{}, sampleReport()))
	golden(t, "empty.json", render(t, "json", Options{}, &Report{}))
}

// TestJSONKeys pins the public field names: renaming one breaks every
// script that reads reports, so it must show up here.
func TestJSONKeys(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := json.Unmarshal(render(t, "json", Options{}, sampleReport()), &doc); err != nil {
		t.Fatal(err)
	}
	requireKeys(t, "report", doc, "schema", "tool", "root", "started_at", "finished_at", "summary", "files")
	requireKeys(t, "tool", doc["tool"], "name", "version")
	requireKeys(t, "summary", doc["summary"], "files_seen", "files_scanned", "files_with_findings", "findings",
		"bytes_scanned", "errors", "skipped", "encrypted", "by_detector", "by_issue", "by_risk")

	files := doc["files"].([]any)
	byPath := map[string]map[string]any{}
	for _, f := range files {
		m := f.(map[string]any)
		requireKeys(t, "file", m, "path", "type", "size", "modified", "mode", "status")
		byPath[m["path"].(string)] = m
	}
	requireKeys(t, "skipped file", byPath["backups/2019.tar.gz"], "reason")

	cards := byPath["finance/cards.csv"]
	requireKeys(t, "file with findings", cards, "risk", "findings", "issues")
	var fd any
	for _, f := range cards["findings"].([]any) {
		if f.(map[string]any)["detector"] == "credit_card" {
			fd = f
		}
	}
	requireKeys(t, "finding", fd, "detector", "severity", "count", "locations", "samples")
	requireKeys(t, "csv location", fd.(map[string]any)["locations"].([]any)[0], "line", "row", "column")
	requireKeys(t, "issue", cards["issues"].([]any)[0], "kind", "severity", "reason")

	xlsx := byPath["hr/staff.xlsx"]["findings"].([]any)[0].(map[string]any)
	requireKeys(t, "xlsx location", xlsx["locations"].([]any)[0], "sheet", "cell")
	text := byPath["notes/todo.txt"]["findings"].([]any)[0].(map[string]any)
	requireKeys(t, "text location", text["locations"].([]any)[0], "line")

	if doc["schema"] != Schema {
		t.Errorf("schema = %v, want %q", doc["schema"], Schema)
	}
	if got := cards["mode"]; got != "0644" {
		t.Errorf("mode = %v, want \"0644\"", got)
	}
	if got := fd.(map[string]any)["severity"]; got != "critical" {
		t.Errorf("severity = %v, want \"critical\"", got)
	}
	for _, ts := range []any{doc["started_at"], doc["finished_at"], cards["modified"]} {
		s, _ := ts.(string)
		if _, err := time.Parse(time.RFC3339, s); err != nil || strings.Contains(s, ".") || !strings.HasSuffix(s, "Z") {
			t.Errorf("time %q: want RFC 3339 in UTC at whole seconds (%v)", s, err)
		}
	}
}

func requireKeys(t *testing.T, what string, v any, keys ...string) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Errorf("%s: %T, want an object", what, v)
		return
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s: no %q key in %v", what, k, m)
		}
	}
}

// TestJSONRoundTrip decodes a report back into the Go types and encodes it
// again: the document must survive unchanged, so that other tools (a
// future baseline or diff) can read what we write.
func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	first := render(t, "json", Options{}, sampleReport())
	var r Report
	if err := json.Unmarshal(first, &r); err != nil {
		t.Fatal(err)
	}
	if second := render(t, "json", Options{}, &r); !bytes.Equal(first, second) {
		t.Errorf("round trip changed the document:\n%s\n---\n%s", first, second)
	}
}

func TestJSONNeverNull(t *testing.T) {
	t.Parallel()
	r := &Report{Files: []finding.FileResult{{
		Path: "a.txt", Status: finding.Scanned,
		Findings: []finding.Finding{{Detector: "email", Severity: finding.Low, Count: 1}}, // nil locations and samples
	}}}
	out := string(render(t, "json", Options{}, r))
	if strings.Contains(out, "null") {
		t.Errorf("output holds null:\n%s", out)
	}
	for _, want := range []string{`"locations": []`, `"samples": []`, `"by_detector": {}`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(out, "}\n") {
		t.Errorf("output does not end in a newline")
	}
}

// TestJSONLeavesReportAlone checks that normalising for output (sorting,
// truncating times, filling nil slices) happens on a copy.
func TestJSONLeavesReportAlone(t *testing.T) {
	t.Parallel()
	r := &Report{
		StartedAt: started,
		Files: []finding.FileResult{
			{Path: "b.txt", Status: finding.Error, Modified: mtime},
			{Path: "a.txt", Status: finding.Scanned, Findings: []finding.Finding{{Detector: "email", Severity: finding.Low, Count: 1}}},
		},
	}
	out := string(render(t, "json", Options{}, r))
	if strings.Index(out, `"a.txt"`) > strings.Index(out, `"b.txt"`) {
		t.Errorf("files not sorted by path:\n%s", out)
	}
	if r.Files[0].Path != "b.txt" || !r.StartedAt.Equal(started) || !r.Files[0].Modified.Equal(mtime) ||
		r.Files[1].Findings[0].Locations != nil {
		t.Errorf("Write changed its input: %+v", r)
	}
}

// TestJSONStreamedEqualsWhole holds the streaming writer to the bytes that
// encoding the whole document at once gives, so that a field added after
// files, or any change of indentation, shows up here.
func TestJSONStreamedEqualsWhole(t *testing.T) {
	t.Parallel()
	// Many files, out of order and some with the same path, span several
	// encoding blocks.
	many := sampleReport()
	base := many.Files
	for i := 0; len(many.Files) < 10*blockFiles+7; i++ {
		f := base[i%len(base)]
		f.Path = fmt.Sprintf("d/%04d/%s", (i*7919)%(5*blockFiles), f.Path)
		many.Files = append(many.Files, f)
	}
	for name, r := range map[string]*Report{"sample": sampleReport(), "empty": {}, "many": many} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(jsonDocument(r)); err != nil {
			t.Fatal(err)
		}
		if got := render(t, "json", Options{}, r); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s: streamed JSON differs from the whole document:\n%s\nwant:\n%s", name, got, want.Bytes())
		}
	}
}

// jsonDocument is the whole document the JSON writer streams: what
// encoding the report at once gives, for TestJSONStreamedEqualsWhole.
func jsonDocument(r *Report) *Report {
	doc := jsonHeader(r)
	doc.Files = make([]finding.FileResult, 0, len(r.Files))
	for _, f := range sortedFiles(r) {
		doc.Files = append(doc.Files, jsonFile(*f))
	}
	return doc
}
