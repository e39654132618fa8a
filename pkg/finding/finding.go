package finding

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Severity orders how bad a finding or issue is. The zero value means "none".
type Severity int

const (
	SeverityNone Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"none", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity accepts the lower-case names used in rule files and flags.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if i > 0 && strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return SeverityNone, fmt.Errorf("unknown severity %q (want critical, high, medium or low)", s)
}

func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Severity) UnmarshalText(b []byte) error {
	if string(b) == "none" {
		*s = SeverityNone
		return nil
	}
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Category is a detector's data class family.
type Category string

const (
	Contact      Category = "contact"
	Financial    Category = "financial"
	GovernmentID Category = "government_id"
	Credential   Category = "credential"
	Network      Category = "network"
)

// Categories lists the valid categories in display order.
var Categories = []Category{Contact, Financial, GovernmentID, Credential, Network}

// Location says where in a file a value was found. Which fields are set
// depends on the reader: Line for text, Row and Column (and Line) for
// CSV/TSV, Sheet and Cell for spreadsheets, Part and Line for documents
// (Part "page 3" or "slide 2", Line counting lines of text within it).
// Paths inside archives are part of the file's path (OUTER!INNER), not of
// the location.
type Location struct {
	Part   string `json:"part,omitempty"`
	Line   int    `json:"line,omitempty"`
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
	Sheet  string `json:"sheet,omitempty"`
	Cell   string `json:"cell,omitempty"`
	// Fingerprint identifies the value found here without revealing it:
	// a keyed hash (HMAC-SHA-256, truncated) of the detector and the
	// normalised value. Set only when the scan has a fingerprint key, so
	// that baselines and history survive line moves.
	Fingerprint string `json:"fingerprint,omitempty"`
}

// String renders a location compactly for tables and messages.
func (l Location) String() string {
	var parts []string
	if l.Part != "" {
		parts = append(parts, l.Part)
	}
	if l.Sheet != "" {
		parts = append(parts, l.Sheet+"!"+l.Cell)
	}
	if l.Row > 0 {
		p := "row " + strconv.Itoa(l.Row)
		if l.Column != "" {
			p += " " + l.Column
		}
		parts = append(parts, p)
	} else if l.Line > 0 {
		parts = append(parts, "line "+strconv.Itoa(l.Line))
	}
	return strings.Join(parts, ", ")
}

// Suppression counts occurrences of a detector's data that an allowlist
// entry, an inline marker or a baseline accepted, and says why: the report
// shows what it leaves out.
type Suppression struct {
	Detector string `json:"detector"`
	Count    int    `json:"count"`
	Reason   string `json:"reason"`
}

// Match is one occurrence of a detector's value. It is created masked:
// Raw is set only when the user asked for raw values (--show-values).
type Match struct {
	Detector   string
	Location   Location
	Masked     string
	Raw        string
	Contextual bool // the match was confirmed by context (header, keyword)
}

// Finding aggregates the matches of one detector in one file.
type Finding struct {
	Detector string   `json:"detector"`
	Name     string   `json:"name,omitempty"`
	Category Category `json:"category,omitempty"`
	Severity Severity `json:"severity"`
	// Confidence is "high" when at least one occurrence was confirmed by
	// context (a context word on its line or a matching column header),
	// "medium" when every occurrence rests on its pattern and validator.
	Confidence string     `json:"confidence,omitempty"`
	Count      int        `json:"count"`
	Locations  []Location `json:"locations"`
	// LocationsOmitted counts locations beyond the cap kept per finding.
	LocationsOmitted int      `json:"locations_omitted,omitempty"`
	Samples          []string `json:"samples"`
	// Values holds raw values, only when --show-values is given.
	Values []string `json:"values,omitempty"`
	// ValueIDs are the keyed fingerprints of every distinct value found,
	// sorted, when the scan keeps a value index (find, affected). They
	// never appear in reports.
	ValueIDs []ValueID `json:"-"`
	// ValueIDsCapped says ValueIDs stopped at the engine's cap: the file
	// holds more distinct values than the index keeps.
	ValueIDsCapped bool `json:"-"`
}

// ValueID is a value's keyed fingerprint: the first 16 bytes of
// HMAC-SHA-256 over the detector id and the value's normal form.
type ValueID [16]byte

// IssueKind names what is wrong with how a file keeps its data.
type IssueKind string

const (
	Unencrypted IssueKind = "unencrypted"
	Unprotected IssueKind = "unprotected"
	Stale       IssueKind = "stale"
	// Prohibited: the file holds a data class or detector's data that
	// the policy says the business must not hold at all.
	Prohibited IssueKind = "prohibited"
)

// IssueKinds lists the issue kinds in display order. It is the one place
// that order is written: reports and inventories sort with
// CompareIssueKinds.
var IssueKinds = []IssueKind{Unencrypted, Unprotected, Stale, Prohibited}

// CompareIssueKinds orders issue kinds as IssueKinds lists them, then any
// other kind (one a newer assess or an old report carries) by name.
func CompareIssueKinds(a, b IssueKind) int {
	return cmp.Or(cmp.Compare(issueKindRank(a), issueKindRank(b)), strings.Compare(string(a), string(b)))
}

func issueKindRank(k IssueKind) int {
	if i := slices.Index(IssueKinds, k); i >= 0 {
		return i
	}
	return len(IssueKinds)
}

// Issue is one judgement about a file that holds findings.
type Issue struct {
	Kind     IssueKind `json:"kind"`
	Severity Severity  `json:"severity"`
	Reason   string    `json:"reason"`
}

// Accepted is an issue that a policy exception accepts: listed in the
// report with the exception's reason, but not counted in the file's risk.
type Accepted struct {
	Kind     IssueKind `json:"kind"`
	Severity Severity  `json:"severity"`
	// Issue is the issue's own reason (what is wrong).
	Issue string `json:"issue"`
	// Reason is the exception's reason and where it is written (file:line).
	Reason string `json:"reason"`
}

// Status is what the scan could do with a file.
type Status string

const (
	Scanned   Status = "scanned"
	Encrypted Status = "encrypted"
	Skipped   Status = "skipped"
	Error     Status = "error"
)

// Mode is a permission mode that marshals as an octal string ("0644").
type Mode fs.FileMode

func (m Mode) String() string { return fmt.Sprintf("%04o", uint32(fs.FileMode(m).Perm())) }

func (m Mode) MarshalJSON() ([]byte, error) { return json.Marshal(m.String()) }

func (m *Mode) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil {
		return fmt.Errorf("mode %q: %w", s, err)
	}
	*m = Mode(v)
	return nil
}

// FileResult is everything the scan learnt about one file.
type FileResult struct {
	Path string `json:"path"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	// ContentID identifies the file's content: the hex HMAC-SHA-256 of its
	// bytes under the scan's key (the state's, or one made for the run),
	// for files the scan read whole or that hold findings (not for archive
	// members). The same customer file kept in several places has the
	// same ID: copies are grouped by it, and the state recognises a
	// touched file by it. It is not in reports: even keyed, it would say
	// which reports saw the same file, and a plain hash of a small file
	// holding one phone number could be found by hashing guesses.
	ContentID string    `json:"-"`
	Modified  time.Time `json:"modified"`
	Mode      Mode      `json:"mode"`
	Status    Status    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	Risk      Severity  `json:"risk,omitempty"`
	Findings  []Finding `json:"findings"`
	Issues    []Issue   `json:"issues"`
	// Accepted lists the issues a policy exception accepts; they are left
	// out of Issues and Risk.
	Accepted []Accepted `json:"accepted,omitempty"`
	// Warnings are problems that did not stop the file's scan, e.g. a
	// rule's pattern that hit its match timeout on some line.
	Warnings []string `json:"warnings,omitempty"`
	// Suppressed lists what allowlists, inline markers and baselines
	// left out of Findings, with the reason each gave.
	Suppressed []Suppression `json:"suppressed,omitempty"`
	// Bytes is how many bytes of content were read (for throughput).
	Bytes int64 `json:"-"`
}

// Occurrences is the total number of matches in the file.
func (r *FileResult) Occurrences() int {
	n := 0
	for _, f := range r.Findings {
		n += f.Count
	}
	return n
}

// WorstSeverity is the highest severity among the file's findings.
func (r *FileResult) WorstSeverity() Severity {
	w := SeverityNone
	for _, f := range r.Findings {
		if f.Severity > w {
			w = f.Severity
		}
	}
	return w
}
