package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// jsonWriter writes the report as one indented JSON object and a newline.
type jsonWriter struct{}

// filesTail is how the document ends when Files is nil: files is the last
// field, so the array can be spliced in there.
const filesTail = "null\n}\n"

// Write encodes the files one at a time into a buffered writer rather
// than the whole document into one buffer: a report of 20k files is 20 MB
// of JSON, and growing and re-indenting one buffer of that size cost more
// than the rest of an unchanged nightly re-scan. The bytes are the same as
// encoding the document at once (TestJSONStreamedEqualsWhole).
func (jsonWriter) Write(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("json report: no report")
	}
	doc := jsonDocument(r)
	files := doc.Files
	doc.Files = nil
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Paths and reasons are read by people too; "a&b.csv" beats "a\u0026b.csv".
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	head, ok := bytes.CutSuffix(buf.Bytes(), []byte(filesTail))
	if !ok {
		return fmt.Errorf("json report: files is not the last field")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head)
	if len(files) == 0 {
		bw.WriteString("[]\n}\n")
		return bw.Flush()
	}
	bw.WriteByte('[')
	enc.SetIndent("    ", "  ")
	for i := range files {
		buf.Reset()
		if err := enc.Encode(&files[i]); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}))
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
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
