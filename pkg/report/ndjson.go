package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// The ndjson format writes one JSON object per line, each with a "type":
// for every reported file a "file" line, then a "finding" line per
// finding location and an "issue" line per issue; a single "summary" line
// ends the output. A log shipper or SIEM can take each line as an event
// while the scan runs, and a stream without its summary line was cut short.
//
// The streamed output (NewStreamer) holds files in the order the scan
// finished them; the batch output (NewWriter) the same lines with files
// sorted by path. Field names follow the JSON report and are public API in
// the same way.

// ndFile is the line describing one reported file.
type ndFile struct {
	Type     string           `json:"type"` // "file"
	Path     string           `json:"path"`
	FileType string           `json:"file_type"`
	Size     int64            `json:"size"`
	Modified time.Time        `json:"modified"`
	Mode     finding.Mode     `json:"mode"`
	Status   finding.Status   `json:"status"`
	Reason   string           `json:"reason,omitempty"`
	Risk     finding.Severity `json:"risk,omitempty"`
	// Findings is the file's total number of occurrences.
	Findings int                 `json:"findings"`
	Issues   []finding.IssueKind `json:"issues"`
	Warnings []string            `json:"warnings,omitempty"`
}

// ndFinding is one location of one finding.
type ndFinding struct {
	Type       string           `json:"type"` // "finding"
	Path       string           `json:"path"`
	Detector   string           `json:"detector"`
	Name       string           `json:"name,omitempty"`
	Category   finding.Category `json:"category,omitempty"`
	Severity   finding.Severity `json:"severity"`
	Confidence string           `json:"confidence,omitempty"`
	// Count and LocationsOmitted describe the whole finding this location
	// belongs to, so that a consumer reading single lines still knows.
	Count            int              `json:"count"`
	LocationsOmitted int              `json:"locations_omitted,omitempty"`
	Location         finding.Location `json:"location"`
	Samples          []string         `json:"samples"`
	Values           []string         `json:"values,omitempty"`
}

type ndIssue struct {
	Type     string            `json:"type"` // "issue"
	Path     string            `json:"path"`
	Kind     finding.IssueKind `json:"kind"`
	Severity finding.Severity  `json:"severity"`
	Reason   string            `json:"reason"`
}

type ndSummary struct {
	Type       string    `json:"type"` // "summary"
	Schema     string    `json:"schema"`
	Tool       Tool      `json:"tool"`
	Root       string    `json:"root"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Summary    Summary   `json:"summary"`
}

// ndjsonWriter writes a finished report, files sorted by path.
type ndjsonWriter struct{}

func (ndjsonWriter) Write(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("ndjson report: no report")
	}
	// Render everything first, so that a failure leaves no half report.
	var b bytes.Buffer
	for _, f := range sortedFiles(r) {
		if err := writeNDFile(&b, f); err != nil {
			return err
		}
	}
	if err := writeNDSummary(&b, r); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ndjsonStreamer writes each file's lines as soon as File is called.
type ndjsonStreamer struct {
	mu     sync.Mutex
	w      *stickyWriter
	closed bool
}

func (s *ndjsonStreamer) File(f finding.FileResult) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errStreamClosed
	}
	if !Reportable(&f) {
		return nil
	}
	// One write per file: its lines stay together, and a reader never sees
	// a partial line unless the writer itself fails.
	var b bytes.Buffer
	if err := writeNDFile(&b, &f); err != nil {
		return err
	}
	_, err := s.w.Write(b.Bytes())
	return err
}

func (s *ndjsonStreamer) Close(r *Report) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errStreamClosed
	}
	s.closed = true
	if r == nil {
		return errors.New("ndjson report: no report")
	}
	var b bytes.Buffer
	if err := writeNDSummary(&b, r); err != nil {
		return err
	}
	_, err := s.w.Write(b.Bytes())
	return err
}

// writeNDFile appends the lines of one file: the file, its findings'
// locations (worst severity first), then its issues.
func writeNDFile(b *bytes.Buffer, f *finding.FileResult) error {
	enc := ndEncoder(b)
	issues := make([]finding.IssueKind, 0, len(f.Issues))
	for _, is := range sortedIssues(f.Issues) {
		issues = append(issues, is.Kind)
	}
	if err := enc.Encode(ndFile{
		Type: "file", Path: f.Path, FileType: f.Type, Size: f.Size, Modified: jsonTime(f.Modified),
		Mode: f.Mode, Status: f.Status, Reason: f.Reason, Risk: f.Risk,
		Findings: f.Occurrences(), Issues: issues, Warnings: f.Warnings,
	}); err != nil {
		return err
	}
	for _, fd := range sortedFindings(f.Findings) {
		line := ndFinding{
			Type: "finding", Path: f.Path, Detector: fd.Detector, Name: fd.Name, Category: fd.Category,
			Severity: fd.Severity, Confidence: fd.Confidence, Count: fd.Count,
			LocationsOmitted: fd.LocationsOmitted, Samples: nonNilSlice(fd.Samples), Values: fd.Values,
		}
		locs := fd.Locations
		if len(locs) == 0 {
			// Keep the finding visible even without a location.
			locs = []finding.Location{{}}
		}
		for _, loc := range locs {
			line.Location = loc
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
	}
	for _, is := range sortedIssues(f.Issues) {
		if err := enc.Encode(ndIssue{Type: "issue", Path: f.Path, Kind: is.Kind, Severity: is.Severity, Reason: is.Reason}); err != nil {
			return err
		}
	}
	return nil
}

func writeNDSummary(b *bytes.Buffer, r *Report) error {
	doc := jsonHeader(r)
	return ndEncoder(b).Encode(ndSummary{
		Type: "summary", Schema: Schema, Tool: doc.Tool, Root: doc.Root,
		StartedAt: doc.StartedAt, FinishedAt: doc.FinishedAt, Summary: doc.Summary,
	})
}

// ndEncoder writes compact JSON, one value per line. Encode escapes
// newlines and control characters inside strings, so a file name cannot
// break a line in two.
func ndEncoder(b *bytes.Buffer) *json.Encoder {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	return enc
}
