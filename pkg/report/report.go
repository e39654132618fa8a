package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/datahygiene/datahygiene/pkg/exposure"
	"github.com/datahygiene/datahygiene/pkg/finding"
)

// Schema names the document version this package writes. Within one
// version, fields may be added but never renamed or removed.
const Schema = "datahygiene/report/v1"

// Tool identifies the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary holds the run's totals. Tally fills the fields derivable from the
// report's files; the scan fills FilesSeen, FilesScanned and BytesScanned,
// because files without findings are not kept in the report.
type Summary struct {
	FilesSeen    int `json:"files_seen"`
	FilesScanned int `json:"files_scanned"`
	// FilesCached counts the scanned files answered from the state
	// cache, unchanged since the last run and not read again.
	FilesCached       int   `json:"files_cached"`
	FilesWithFindings int   `json:"files_with_findings"`
	Findings          int   `json:"findings"` // occurrences, summed over all files
	BytesScanned      int64 `json:"bytes_scanned"`
	Errors            int   `json:"errors"`
	Skipped           int   `json:"skipped"`
	Encrypted         int   `json:"encrypted"`
	// Suppressed counts occurrences left out by allowlists, inline
	// markers and baselines (each file lists them with their reasons).
	Suppressed int `json:"suppressed"`
	// Copies counts files with findings that repeat another's content:
	// in each group of identical files, all but one.
	Copies int `json:"copies"`
	// ByDetector counts occurrences per detector.
	ByDetector map[string]int `json:"by_detector"`
	// ByIssue counts files per issue kind (a file counts once per kind).
	ByIssue map[string]int `json:"by_issue"`
	// ByRisk counts files per risk level; files without a risk are left out.
	ByRisk map[string]int `json:"by_risk"`
}

// Report is the document every writer renders.
type Report struct {
	Schema     string    `json:"schema"`
	Tool       Tool      `json:"tool"`
	Root       string    `json:"root"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Summary    Summary   `json:"summary"`
	// Mounts describes the filesystems the scanned tree is on: encryption
	// at rest and, for network shares, of the transport, as far as the
	// operating system shows it.
	Mounts []exposure.Mount `json:"mounts,omitempty"`
	// Copies groups the files with findings whose content is identical:
	// the same customer file kept in several places. Set by Tally.
	Copies []Copies `json:"copies,omitempty"`
	// Files holds every file for which Reportable is true, sorted by path.
	// Paths are relative to Root; archive members are OUTER!INNER.
	Files []finding.FileResult `json:"files"`
}

// Reportable tells whether a file belongs in Report.Files: it has a
// finding or an issue, or the scan could not read it as usual (skipped,
// error, encrypted). Clean scanned files only count in the summary, so
// that a report over a large share stays small.
func Reportable(f *finding.FileResult) bool {
	return len(f.Findings) > 0 || len(f.Issues) > 0 || len(f.Warnings) > 0 || len(f.Suppressed) > 0 || f.Status != finding.Scanned
}

// Tally recomputes the summary fields derivable from Files:
// FilesWithFindings, Findings, Errors, Skipped, Encrypted, ByDetector,
// ByIssue and ByRisk. It leaves the fields only the scan knows alone, and
// can be called again after Files changes.
func (r *Report) Tally() {
	s := &r.Summary
	s.FilesWithFindings, s.Findings = 0, 0
	s.Errors, s.Skipped, s.Encrypted, s.Suppressed = 0, 0, 0, 0
	s.ByDetector = map[string]int{}
	s.ByIssue = map[string]int{}
	s.ByRisk = map[string]int{}
	for i := range r.Files {
		f := &r.Files[i]
		switch f.Status {
		case finding.Error:
			s.Errors++
		case finding.Skipped:
			s.Skipped++
		case finding.Encrypted:
			s.Encrypted++
		}
		if len(f.Findings) > 0 {
			s.FilesWithFindings++
		}
		for _, fd := range f.Findings {
			s.Findings += fd.Count
			s.ByDetector[fd.Detector] += fd.Count
		}
		for _, sp := range f.Suppressed {
			s.Suppressed += sp.Count
		}
		for j, is := range f.Issues {
			if !hasIssueBefore(f.Issues[:j], is.Kind) {
				s.ByIssue[string(is.Kind)]++
			}
		}
		if f.Risk > finding.SeverityNone {
			s.ByRisk[f.Risk.String()]++
		}
	}
	r.Copies = copiesOf(r.Files)
	s.Copies = 0
	for _, c := range r.Copies {
		s.Copies += len(c.Paths) - 1
	}
}

func hasIssueBefore(issues []finding.Issue, kind finding.IssueKind) bool {
	for _, is := range issues {
		if is.Kind == kind {
			return true
		}
	}
	return false
}

// Writer renders a report in one format.
type Writer interface {
	Write(w io.Writer, r *Report) error
}

// Options tune the human-oriented writers; machine formats ignore them.
type Options struct {
	// Color allows ANSI colours. The caller decides (terminal, NO_COLOR);
	// without it the output holds no escape sequences at all.
	Color bool
	// Verbose lists every finding's locations and samples (and raw
	// values, when the scan kept them) under each file.
	Verbose bool
}

// DefaultFormat is the format used when the user names none.
const DefaultFormat = "table"

// formats lists the writers in the order Formats reports them.
var formats = []struct {
	name string
	new  func(Options) Writer
}{
	{"table", func(o Options) Writer { return tableWriter{opts: o} }},
	{"json", func(Options) Writer { return jsonWriter{} }},
	{"sarif", func(Options) Writer { return sarifWriter{maxResults: sarifMaxResults} }},
	{"csv", func(Options) Writer { return csvWriter{} }},
	{"markdown", func(Options) Writer { return markdownWriter{} }},
	{"ndjson", func(Options) Writer { return ndjsonWriter{} }},
	{"html", func(o Options) Writer { return HTMLWriter{Verbose: o.Verbose} }},
}

// Formats lists the valid format names, the default first.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// NewWriter returns the writer for format, or an error naming the valid
// formats.
func NewWriter(format string, opts Options) (Writer, error) {
	for _, f := range formats {
		if f.name == format {
			return f.new(opts), nil
		}
	}
	return nil, fmt.Errorf("unknown report format %q (want %s)", format, orList(Formats()))
}

// acceptedIssue is an issue a policy exception accepted, with its file.
type acceptedIssue struct {
	Path string
	finding.Accepted
}

// acceptedIssues lists the accepted issues of files (sortedFiles), by
// path and then issue kind: every human-readable format shows them apart from the
// issues, so that an exception never hides a problem silently.
func acceptedIssues(files []*finding.FileResult) []acceptedIssue {
	var out []acceptedIssue
	for _, f := range files {
		for _, a := range sortedAccepted(f.Accepted) {
			out = append(out, acceptedIssue{Path: f.Path, Accepted: a})
		}
	}
	return out
}

// sortedFiles returns pointers to r's files ordered by path, leaving r
// alone: writers must not reorder the caller's report.
func sortedFiles(r *Report) []*finding.FileResult {
	files := make([]*finding.FileResult, len(r.Files))
	for i := range r.Files {
		files[i] = &r.Files[i]
	}
	slices.SortStableFunc(files, func(a, b *finding.FileResult) int {
		return strings.Compare(a.Path, b.Path)
	})
	return files
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
