package state

import (
	"sort"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// Comparing two runs works on their reportable results, so a file missing
// from one side was either clean, excluded or absent: for a diff, all
// three mean "nothing to report". Findings are matched by path and
// detector, and within a finding by value fingerprint when both sides
// carry fingerprints, so that a value that only moved (another line,
// another row) is not new. Without fingerprints, only counts can be
// compared.

// ChangeKind says how something differs between two runs.
type ChangeKind string

const (
	New      ChangeKind = "new"
	Resolved ChangeKind = "resolved"
	Changed  ChangeKind = "changed"
)

// FindingChange is one detector's findings in one file that differ.
type FindingChange struct {
	Kind     ChangeKind
	Path     string
	Detector string
	Name     string
	// Severity is the current one (the earlier one for Resolved);
	// SeverityBefore is the earlier one (zero for New).
	Severity, SeverityBefore finding.Severity
	// Before and After are the occurrence counts in each run.
	Before, After int
	// Added and Removed count occurrences whose value appeared or
	// disappeared. With fingerprints on both sides they count values
	// (a moved value is neither); without, they are the change in count.
	// Locations beyond the per-finding cap carry no fingerprint, so when
	// a side's list was capped, Added (Removed) is at most the growth
	// (shrinkage) of the count.
	Added, Removed int
	// Samples are masked examples from the current run (the earlier one
	// for Resolved).
	Samples []string
}

// IssueChange is one issue of one file that differs.
type IssueChange struct {
	Kind                     ChangeKind
	Path                     string
	Issue                    finding.IssueKind
	Severity, SeverityBefore finding.Severity
	Reason                   string // current (earlier for Resolved)
}

// FileChange is a file whose scan status differs, when either side is not
// "scanned" (it became unreadable, encrypted, skipped, or readable again).
type FileChange struct {
	Kind                 ChangeKind
	Path                 string
	Status, StatusBefore finding.Status // "" when the file is absent on that side
	Reason               string
}

// Changes is what differs between two runs, each list sorted by path,
// then detector or issue kind.
type Changes struct {
	Findings []FindingChange
	Issues   []IssueChange
	Files    []FileChange
}

// Empty tells whether nothing changed.
func (c Changes) Empty() bool { return len(c.Findings)+len(c.Issues)+len(c.Files) == 0 }

func byPath(rs []finding.FileResult) map[string]*finding.FileResult {
	m := make(map[string]*finding.FileResult, len(rs))
	for i := range rs {
		m[rs[i].Path] = &rs[i]
	}
	return m
}

func findingOf(r *finding.FileResult, detector string) *finding.Finding {
	if r == nil {
		return nil
	}
	for i := range r.Findings {
		if r.Findings[i].Detector == detector {
			return &r.Findings[i]
		}
	}
	return nil
}

func issueOf(r *finding.FileResult, kind finding.IssueKind) *finding.Issue {
	if r == nil {
		return nil
	}
	for i := range r.Issues {
		if r.Issues[i].Kind == kind {
			return &r.Issues[i]
		}
	}
	return nil
}

// unknown tells whether a file's findings are unknown in a run: it could
// not be read, so the absence of findings means nothing.
func unknown(r *finding.FileResult) bool { return r != nil && r.Status == finding.Error }

func status(r *finding.FileResult) finding.Status {
	if r == nil {
		return ""
	}
	return r.Status
}

// valueDelta compares one detector's occurrences in one file. It returns
// how many occurrences are new and how many went, and the locations of
// the new ones when fingerprints tell them.
func valueDelta(before, after *finding.Finding) (added, removed int, newLocs []finding.Location, exact bool) {
	oldFP, oldHas := fingerprints(before)
	newFP, newHas := fingerprints(after)
	growth := max(0, after.Count-before.Count)
	shrink := max(0, before.Count-after.Count)
	if !oldHas || !newHas {
		return growth, shrink, nil, false
	}
	for _, l := range after.Locations {
		if l.Fingerprint == "" {
			continue
		}
		if _, ok := oldFP[l.Fingerprint]; !ok {
			newLocs = append(newLocs, l)
		}
	}
	for _, l := range before.Locations {
		if l.Fingerprint == "" {
			continue
		}
		if _, ok := newFP[l.Fingerprint]; !ok {
			removed++
		}
	}
	added = len(newLocs)
	// A capped list hides values: one that seems new may have been
	// among the earlier run's unlisted occurrences (and one that seems
	// gone among the current run's).
	if before.LocationsOmitted > 0 && added > growth {
		added = growth
		newLocs = newLocs[:added]
	}
	if after.LocationsOmitted > 0 && removed > shrink {
		removed = shrink
	}
	return added, removed, newLocs, true
}

func fingerprints(f *finding.Finding) (map[string]struct{}, bool) {
	set := map[string]struct{}{}
	for _, l := range f.Locations {
		if l.Fingerprint != "" {
			set[l.Fingerprint] = struct{}{}
		}
	}
	return set, len(set) > 0
}

// Diff compares the results of an earlier run with a later one.
func Diff(old, cur []finding.FileResult) Changes {
	var c Changes
	oldBy, curBy := byPath(old), byPath(cur)
	paths := unionPaths(old, cur)
	for _, p := range paths {
		o, n := oldBy[p], curBy[p]
		c.Files = append(c.Files, fileChanges(p, o, n)...)
		if unknown(o) || unknown(n) {
			// One side could not read the file: its findings and issues
			// are not known, and the status change says so.
			continue
		}
		for _, det := range detectors(o, n) {
			fo, fn := findingOf(o, det), findingOf(n, det)
			switch {
			case fo == nil:
				c.Findings = append(c.Findings, FindingChange{Kind: New, Path: p, Detector: det, Name: fn.Name,
					Severity: fn.Severity, After: fn.Count, Added: fn.Count, Samples: fn.Samples})
			case fn == nil:
				c.Findings = append(c.Findings, FindingChange{Kind: Resolved, Path: p, Detector: det, Name: fo.Name,
					Severity: fo.Severity, SeverityBefore: fo.Severity, Before: fo.Count, Removed: fo.Count, Samples: fo.Samples})
			default:
				added, removed, _, _ := valueDelta(fo, fn)
				if added == 0 && removed == 0 && fo.Count == fn.Count && fo.Severity == fn.Severity {
					continue
				}
				c.Findings = append(c.Findings, FindingChange{Kind: Changed, Path: p, Detector: det, Name: fn.Name,
					Severity: fn.Severity, SeverityBefore: fo.Severity, Before: fo.Count, After: fn.Count,
					Added: added, Removed: removed, Samples: fn.Samples})
			}
		}
		for _, kind := range issueKinds(o, n) {
			was, now := issueOf(o, kind), issueOf(n, kind)
			switch {
			case was == nil:
				c.Issues = append(c.Issues, IssueChange{Kind: New, Path: p, Issue: kind, Severity: now.Severity, Reason: now.Reason})
			case now == nil:
				c.Issues = append(c.Issues, IssueChange{Kind: Resolved, Path: p, Issue: kind, Severity: was.Severity,
					SeverityBefore: was.Severity, Reason: was.Reason})
			case was.Severity != now.Severity:
				// Reasons alone change every day ("not modified for N
				// days"); only a change of severity is news.
				c.Issues = append(c.Issues, IssueChange{Kind: Changed, Path: p, Issue: kind, Severity: now.Severity,
					SeverityBefore: was.Severity, Reason: now.Reason})
			}
		}
	}
	return c
}

func fileChanges(p string, o, n *finding.FileResult) []FileChange {
	so, sn := status(o), status(n)
	notScanned := func(s finding.Status) bool { return s != "" && s != finding.Scanned }
	switch {
	case so == sn || (!notScanned(so) && !notScanned(sn)):
		return nil
	case !notScanned(so):
		return []FileChange{{Kind: New, Path: p, Status: sn, StatusBefore: so, Reason: n.Reason}}
	case !notScanned(sn):
		return []FileChange{{Kind: Resolved, Path: p, Status: sn, StatusBefore: so, Reason: o.Reason}}
	}
	return []FileChange{{Kind: Changed, Path: p, Status: sn, StatusBefore: so, Reason: n.Reason}}
}

func unionPaths(a, b []finding.FileResult) []string {
	seen := map[string]bool{}
	var out []string
	for _, rs := range [][]finding.FileResult{a, b} {
		for i := range rs {
			if !seen[rs[i].Path] {
				seen[rs[i].Path] = true
				out = append(out, rs[i].Path)
			}
		}
	}
	sort.Strings(out)
	return out
}

func detectors(rs ...*finding.FileResult) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rs {
		if r == nil {
			continue
		}
		for _, f := range r.Findings {
			if !seen[f.Detector] {
				seen[f.Detector] = true
				out = append(out, f.Detector)
			}
		}
	}
	sort.Strings(out)
	return out
}

func issueKinds(rs ...*finding.FileResult) []finding.IssueKind {
	seen := map[finding.IssueKind]bool{}
	var out []finding.IssueKind
	for _, r := range rs {
		if r == nil {
			continue
		}
		for _, is := range r.Issues {
			if !seen[is.Kind] {
				seen[is.Kind] = true
				out = append(out, is.Kind)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// NewOnly reduces the results of the current run (cur) to what is new
// since an earlier run (old), for `scan --new-only`. A file is kept when
// it has a new finding, a new issue, or a new status other than scanned:
//
//   - a finding of a detector the file did not have is kept whole;
//   - a finding the file had keeps only the occurrences whose fingerprint
//     is new, with Count and LocationsOmitted recomputed; without
//     fingerprints it keeps its growth in count, as LocationsOmitted
//     (which occurrences are new is unknown);
//   - with new findings, the file keeps all its current issues (they are
//     about the new data too); otherwise only its new issues;
//   - Risk is the file's current risk; samples and warnings are kept.
//
// The caller recomputes the summary (report.Tally). cur is not modified.
func NewOnly(old, cur []finding.FileResult) []finding.FileResult {
	oldBy := byPath(old)
	out := []finding.FileResult{}
	for i := range cur {
		n := cur[i]
		prev := oldBy[n.Path]
		o := prev
		if unknown(o) {
			o = nil // nothing was known about the file: all is new
		}
		var fs []finding.Finding
		for _, fn := range n.Findings {
			fo := findingOf(o, fn.Detector)
			if fo == nil {
				fs = append(fs, fn)
				continue
			}
			added, _, locs, exact := valueDelta(fo, &fn)
			if added == 0 {
				continue
			}
			kept := fn
			kept.Count = added
			if exact {
				kept.Locations = locs
				kept.LocationsOmitted = added - len(locs)
			} else {
				kept.Locations = []finding.Location{}
				kept.LocationsOmitted = added
			}
			fs = append(fs, kept)
		}
		var issues []finding.Issue
		if len(fs) > 0 {
			issues = n.Issues
		} else {
			for _, is := range n.Issues {
				if issueOf(o, is.Kind) == nil {
					issues = append(issues, is)
				}
			}
		}
		newStatus := n.Status != finding.Scanned && status(prev) != n.Status
		if len(fs) == 0 && len(issues) == 0 && !newStatus {
			continue
		}
		n.Findings, n.Issues = fs, issues
		if n.Findings == nil {
			n.Findings = []finding.Finding{}
		}
		if n.Issues == nil {
			n.Issues = []finding.Issue{}
		}
		out = append(out, n)
	}
	return out
}
