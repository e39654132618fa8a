package report

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// jsonWriter writes the report as one indented JSON object and a newline.
type jsonWriter struct{}

func (jsonWriter) Write(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("json report: no report")
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Paths and reasons are read by people too; "a&b.csv" beats "a\u0026b.csv".
	enc.SetEscapeHTML(false)
	return enc.Encode(jsonDocument(r))
}

// jsonDocument returns a copy of r normalised for the JSON contract, so
// that writing never changes the caller's report: times in UTC at whole
// seconds (RFC 3339 without fractions), arrays and maps that are empty
// rather than null, files sorted by path.
func jsonDocument(r *Report) *Report {
	doc := *r
	doc.Schema = Schema
	doc.StartedAt = jsonTime(r.StartedAt)
	doc.FinishedAt = jsonTime(r.FinishedAt)
	doc.Summary.ByDetector = nonNilMap(r.Summary.ByDetector)
	doc.Summary.ByIssue = nonNilMap(r.Summary.ByIssue)
	doc.Summary.ByRisk = nonNilMap(r.Summary.ByRisk)

	doc.Files = make([]finding.FileResult, len(r.Files))
	for i, f := range r.Files {
		f.Modified = jsonTime(f.Modified)
		fs := make([]finding.Finding, len(f.Findings))
		for j, fd := range f.Findings {
			fd.Locations = nonNilSlice(fd.Locations)
			fd.Samples = nonNilSlice(fd.Samples)
			fs[j] = fd
		}
		f.Findings = fs
		f.Issues = nonNilSlice(f.Issues)
		doc.Files[i] = f
	}
	slices.SortStableFunc(doc.Files, func(a, b finding.FileResult) int {
		return strings.Compare(a.Path, b.Path)
	})
	return &doc
}

// jsonTime drops the monotonic reading, the zone and the sub-second part:
// encoding/json then prints plain RFC 3339 ("2025-03-01T08:00:00Z").
func jsonTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Second)
}

func nonNilMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
