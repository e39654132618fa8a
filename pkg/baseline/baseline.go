package baseline

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
)

// Version is the file format version this package reads and writes.
const Version = 1

// MaxFileSize bounds what Load reads. A baseline of a large share with
// the default 100 locations per finding stays far below it; anything
// bigger is not a baseline.
const MaxFileSize = 64 << 20

// Baseline is a set of accepted findings. Its zero value suppresses
// nothing.
type Baseline struct {
	Version int `json:"version"`
	// KeyID names the fingerprint key the entries were made with (never
	// the key itself), so that a scan with another key is refused
	// instead of reporting everything as new. Empty when no entry has
	// fingerprints.
	KeyID   string  `json:"key_id,omitempty"`
	Entries []Entry `json:"entries"`

	name string // the file Load read, for messages
}

// Entry accepts one detector's findings in one file.
type Entry struct {
	Path     string `json:"path"`
	Detector string `json:"detector"`
	// Count is how many occurrences the finding had. Occurrences
	// without a fingerprint (beyond the report's per-finding location
	// cap, or from a scan without a key) are accepted up to it.
	Count int `json:"count"`
	// Fingerprints are the keyed hashes of the values found at the
	// listed locations, sorted and distinct. An occurrence whose
	// fingerprint is here is accepted wherever it moved in the file.
	Fingerprints []string `json:"fingerprints,omitempty"`
}

// ErrKeyMismatch matches (errors.Is) the error Apply returns when the
// scan's fingerprint key is not the baseline's.
var ErrKeyMismatch = errors.New("baseline made with another fingerprint key")

// KeyID names a fingerprint key without revealing it; "" for no key.
func KeyID(key []byte) string {
	if len(key) == 0 {
		return ""
	}
	m := hmac.New(sha256.New, key)
	io.WriteString(m, "datahygiene baseline key id")
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// Create makes a baseline accepting every finding of rep. key is the
// fingerprint key the scan used (nil if it had none); only its KeyID is
// kept.
func Create(rep *report.Report, key []byte) *Baseline {
	b := &Baseline{Version: Version, Entries: []Entry{}}
	byKey := map[[2]string]int{}
	hasFP := false
	for _, f := range rep.Files {
		for _, fd := range f.Findings {
			k := [2]string{f.Path, fd.Detector}
			i, ok := byKey[k]
			if !ok {
				i = len(b.Entries)
				byKey[k] = i
				b.Entries = append(b.Entries, Entry{Path: f.Path, Detector: fd.Detector})
			}
			e := &b.Entries[i]
			e.Count += fd.Count
			for _, l := range fd.Locations {
				if l.Fingerprint != "" {
					e.Fingerprints = append(e.Fingerprints, l.Fingerprint)
					hasFP = true
				}
			}
		}
	}
	for i := range b.Entries {
		b.Entries[i].Fingerprints = sortedUnique(b.Entries[i].Fingerprints)
	}
	sortEntries(b.Entries)
	if hasFP {
		b.KeyID = KeyID(key)
	}
	return b
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	sort.Strings(s)
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

func sortEntries(es []Entry) {
	sort.Slice(es, func(i, j int) bool {
		if es[i].Path != es[j].Path {
			return es[i].Path < es[j].Path
		}
		return es[i].Detector < es[j].Detector
	})
}

// Write renders the baseline as indented JSON, entries sorted, so that a
// baseline kept in version control diffs cleanly.
func (b *Baseline) Write(w io.Writer) error {
	out := *b
	out.Version = Version
	if out.Entries == nil {
		out.Entries = []Entry{}
	}
	data, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return fmt.Errorf("writing baseline: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// WriteFile writes the baseline to name, readable by its owner only
// (0600), replacing it atomically: a reader never sees half a baseline.
func (b *Baseline) WriteFile(name string) error {
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".baseline-*")
	if err != nil {
		return fmt.Errorf("writing baseline %s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(buf.Bytes())
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		return fmt.Errorf("writing baseline %s: %w", name, err)
	}
	return nil
}

// Load reads a baseline file. Errors name the file, and the line for a
// JSON syntax error.
func Load(name string) (*Baseline, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("baseline %s: larger than %d MiB", name, MaxFileSize>>20)
	}
	b, err := parse(data, name)
	if err != nil {
		return nil, err
	}
	b.name = name
	return b, nil
}

// Parse reads a baseline from its JSON form.
func Parse(data []byte) (*Baseline, error) { return parse(data, "") }

func parse(data []byte, name string) (*Baseline, error) {
	where := "baseline"
	if name != "" {
		where = "baseline " + name
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s:%d: %v", where, lineOf(data, se.Offset), err)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s:%d: %s must be %s, not %s", where, lineOf(data, te.Offset), fieldName(te), te.Type, te.Value)
		}
		return nil, fmt.Errorf("%s: %v", where, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: version %d, want %d (made by another datahygiene release?)", where, b.Version, Version)
	}
	seen := make(map[[2]string]bool, len(b.Entries))
	for i := range b.Entries {
		e := &b.Entries[i]
		switch {
		case e.Path == "":
			return nil, fmt.Errorf("%s: entry %d: no path", where, i+1)
		case e.Detector == "":
			return nil, fmt.Errorf("%s: entry %d (%s): no detector", where, i+1, e.Path)
		case e.Count < 0:
			return nil, fmt.Errorf("%s: entry %d (%s): negative count", where, i+1, e.Path)
		case seen[[2]string{e.Path, e.Detector}]:
			return nil, fmt.Errorf("%s: entry %d: %s %s listed twice", where, i+1, e.Path, e.Detector)
		}
		seen[[2]string{e.Path, e.Detector}] = true
		for _, fp := range e.Fingerprints {
			if fp == "" {
				return nil, fmt.Errorf("%s: entry %d (%s): empty fingerprint", where, i+1, e.Path)
			}
		}
		e.Fingerprints = sortedUnique(e.Fingerprints)
	}
	if b.Entries == nil {
		b.Entries = []Entry{}
	}
	return &b, nil
}

func fieldName(te *json.UnmarshalTypeError) string {
	if te.Field == "" {
		return "the baseline"
	}
	return fmt.Sprintf("%q", te.Field)
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

// Options tune Apply.
type Options struct {
	// Key is the fingerprint key of the scan that made the report; it
	// must be the baseline's when the baseline holds fingerprints.
	Key []byte
	// Reassess, when set, is called on each file that keeps findings
	// after some were suppressed, to recompute its issues and risk from
	// what is left (the scan passes assess.Assess with its options).
	// Without it such a file keeps the issues and risk it had.
	Reassess func(*finding.FileResult)
}

// Apply removes the occurrences rep's findings share with the baseline
// and returns how many it removed:
//
//   - an occurrence whose fingerprint the entry lists is accepted, on any
//     line (a value that moved is not new);
//   - occurrences without a fingerprint (beyond the location cap, or from
//     a scan without a key) are accepted up to the entry's count, less
//     the occurrences accepted by fingerprint; the earliest listed ones
//     go first;
//   - a finding left with no occurrence is dropped; a file left with no
//     finding loses its issues and risk (they were about that data) and,
//     if nothing else makes it reportable, leaves the report.
//
// Count and LocationsOmitted are recomputed and each file's Suppressed
// says how many occurrences the baseline accepted; samples are kept as
// they were (masked, so harmless, but they may show accepted values). The
// summary is tallied again. Apply fails, changing nothing, when the
// baseline's fingerprints were made with another key.
func (b *Baseline) Apply(rep *report.Report, opts Options) (suppressed int, err error) {
	if b.KeyID != "" && KeyID(opts.Key) != b.KeyID {
		where := "baseline"
		if b.name != "" {
			where = "baseline " + b.name
		}
		return 0, fmt.Errorf("%s: %w: fingerprints differ from this scan's (use the same --state, or create the baseline again)", where, ErrKeyMismatch)
	}
	index := make(map[[2]string]*acceptance, len(b.Entries))
	for i := range b.Entries {
		e := &b.Entries[i]
		a := &acceptance{count: e.Count, fps: make(map[string]bool, len(e.Fingerprints))}
		for _, fp := range e.Fingerprints {
			a.fps[fp] = true
		}
		index[[2]string{e.Path, e.Detector}] = a
	}
	kept := rep.Files[:0]
	for _, f := range rep.Files {
		n, changed := applyFile(&f, index)
		suppressed += n
		if changed {
			if len(f.Findings) == 0 {
				f.Issues, f.Risk = []finding.Issue{}, finding.SeverityNone
			} else if opts.Reassess != nil {
				opts.Reassess(&f)
			}
		}
		if report.Reportable(&f) {
			kept = append(kept, f)
		}
	}
	// Clear the tail so dropped results are not kept alive by the array.
	for i := len(kept); i < len(rep.Files); i++ {
		rep.Files[i] = finding.FileResult{}
	}
	rep.Files = kept
	rep.Tally()
	return suppressed, nil
}

type acceptance struct {
	count int
	fps   map[string]bool
}

// applyFile suppresses the accepted occurrences of one file's findings.
// The findings slice is rebuilt rather than edited in place: the caller's
// report may share it with other holders (the scan's recorder).
func applyFile(f *finding.FileResult, index map[[2]string]*acceptance) (suppressed int, changed bool) {
	var out []finding.Finding
	for _, fd := range f.Findings {
		a := index[[2]string{f.Path, fd.Detector}]
		if a == nil {
			out = append(out, fd)
			continue
		}
		n, rest := suppress(fd, a)
		suppressed += n
		if n > 0 {
			changed = true
			f.Suppressed = addSuppression(f.Suppressed, fd.Detector, n)
		}
		if rest.Count > 0 {
			out = append(out, rest)
		}
	}
	if changed {
		if out == nil {
			out = []finding.Finding{}
		}
		f.Findings = out
	}
	return suppressed, changed
}

// SuppressionReason is the reason Apply gives in FileResult.Suppressed.
const SuppressionReason = "accepted in baseline"

// addSuppression counts n occurrences of detector as accepted by the
// baseline, into a new slice (the old one may be shared).
func addSuppression(ss []finding.Suppression, detector string, n int) []finding.Suppression {
	out := make([]finding.Suppression, len(ss), len(ss)+1)
	copy(out, ss)
	for i := range out {
		if out[i].Detector == detector && out[i].Reason == SuppressionReason {
			out[i].Count += n
			return out
		}
	}
	return append(out, finding.Suppression{Detector: detector, Count: n, Reason: SuppressionReason})
}

func suppress(fd finding.Finding, a *acceptance) (int, finding.Finding) {
	var (
		byFP      int
		anonymous []int // indexes of listed locations without fingerprint
		keep      = make([]bool, len(fd.Locations))
	)
	for i, l := range fd.Locations {
		switch {
		case l.Fingerprint == "":
			anonymous = append(anonymous, i)
			keep[i] = true
		case a.fps[l.Fingerprint]:
			byFP++
		default:
			keep[i] = true
		}
	}
	allowance := max(0, a.count-byFP)
	// Listed occurrences without a fingerprint first, earliest first.
	dropListed := min(allowance, len(anonymous))
	for _, i := range anonymous[:dropListed] {
		keep[i] = false
	}
	allowance -= dropListed
	dropOmitted := min(allowance, fd.LocationsOmitted)

	locs := make([]finding.Location, 0, len(fd.Locations))
	for i, l := range fd.Locations {
		if keep[i] {
			locs = append(locs, l)
		}
	}
	// Count may exceed listed + omitted if a producer counted more than
	// it listed; keep that difference as it is.
	unlisted := fd.Count - len(fd.Locations) - fd.LocationsOmitted
	fd.Locations = locs
	fd.LocationsOmitted -= dropOmitted
	n := byFP + dropListed + dropOmitted
	fd.Count = len(locs) + fd.LocationsOmitted + max(0, unlisted)
	if fd.Count <= 0 {
		fd.Count = 0
	}
	return n, fd
}
