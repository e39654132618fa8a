package assess

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/policy"
)

// Options are the judgement's inputs besides the file itself.
type Options struct {
	// Policy is the data policy; nil means the built-in one.
	Policy *policy.Policy
	// Now is the reference time (injected for reproducible tests). Zero
	// skips the age checks, but not a retention of 0 days.
	Now time.Time
	// RuleSeverity returns a detector's own severity (its rule's). The
	// policy's override then applies to that, not to the severity a
	// cached result carries from an earlier policy. nil keeps the
	// findings' severities as the starting point.
	RuleSeverity func(detector string) (finding.Severity, bool)
}

// Assess sets r's findings' severities (policy overrides), r.Issues,
// r.Accepted and r.Risk. A file without findings has none of them:
// permissions and age only matter where there is customer data.
func Assess(r *finding.FileResult, f Facts, opts Options) {
	r.Issues, r.Accepted, r.Risk = nil, nil, finding.SeverityNone
	if len(r.Findings) == 0 {
		return
	}
	p := opts.Policy
	if p == nil {
		p = policy.Builtin()
	}
	for i := range r.Findings {
		fd := &r.Findings[i]
		if opts.RuleSeverity != nil {
			if s, ok := opts.RuleSeverity(fd.Detector); ok {
				fd.Severity = s
			}
		}
		if s, ok := p.SeverityFor(fd.Detector, fd.Category); ok {
			fd.Severity = s
		}
	}
	worst := r.WorstSeverity()
	if worst == finding.SeverityNone {
		return
	}
	path := f.RelPath
	if path == "" {
		path = r.Path
	}
	issues := []candidate{{
		Issue: finding.Issue{Kind: finding.Unencrypted, Severity: worst, Reason: clearText(r)},
		about: r.Findings,
	}}
	if reason := unprotected(p, f, path); reason != "" {
		issues = append(issues, candidate{finding.Issue{Kind: finding.Unprotected, Severity: worst, Reason: reason}, r.Findings})
	}
	if c, ok := stale(p, f, r.Findings, worst, opts.Now); ok {
		issues = append(issues, c)
	}
	if c, ok := prohibited(p, r.Findings); ok {
		issues = append(issues, c)
	}
	for _, c := range issues {
		if e := accepting(p, path, c); e != nil {
			r.Accepted = append(r.Accepted, finding.Accepted{Kind: c.Kind, Severity: c.Severity, Issue: c.Reason, Reason: e.Reason + " (" + e.Origin + ")"})
			continue
		}
		r.Issues = append(r.Issues, c.Issue)
	}
	if r.Issues == nil {
		r.Issues = []finding.Issue{}
	}
	r.Risk = risk(p, r.Issues)
}

// candidate is an issue and the findings it is about, which an exception
// naming detectors or classes must cover.
type candidate struct {
	finding.Issue
	about []finding.Finding
}

func accepting(p *policy.Policy, path string, c candidate) *policy.Exception {
	for i := range p.Exceptions {
		if e := &p.Exceptions[i]; e.Accepts(path, c.Kind, c.about) {
			return e
		}
	}
	return nil
}

// risk is the worst issue's severity raised by the weight of each kind of
// issue besides unencrypted, capped at critical.
func risk(p *policy.Policy, issues []finding.Issue) finding.Severity {
	base := finding.SeverityNone
	var kinds []finding.IssueKind
	for _, is := range issues {
		base = max(base, is.Severity)
		if is.Kind != finding.Unencrypted && !slices.Contains(kinds, is.Kind) {
			kinds = append(kinds, is.Kind)
		}
	}
	if base == finding.SeverityNone {
		return base
	}
	for _, k := range kinds {
		base += finding.Severity(p.Weight(k))
	}
	return min(base, finding.Critical)
}

// unprotected says who besides the owner may read or change the file, or
// where it lies, as far as the policy counts it; "" when nothing counts.
func unprotected(p *policy.Policy, f Facts, path string) string {
	u := &p.Unprotected
	var parts []string
	if s := modeReason(f.Mode, u.ModeBits.Value); s != "" {
		parts = append(parts, s)
	}
	if u.ACLReaders.Value && len(f.ACLReaders) > 0 {
		parts = append(parts, "its ACL lets "+listed(f.ACLReaders, 5)+" read it")
	}
	if s := ownerReason(u, f); s != "" {
		parts = append(parts, s)
	}
	if u.WorldWritableDir.Value && f.DirWorldWritable && !f.DirSticky {
		parts = append(parts, "in a folder anyone can write to, so anyone can replace or delete it")
	}
	// Where an archive member lies is where its archive lies.
	outer, _, _ := strings.Cut(path, "!")
	if pat, ok := u.Locations.Value.Match(outer); ok {
		parts = append(parts, "in a location the policy counts as shared ("+pat+")")
	}
	return strings.Join(parts, "; ")
}

func modeReason(m fs.FileMode, bits []policy.ModeBit) string {
	has := func(b policy.ModeBit) bool { return m&b.Mask() != 0 && slices.Contains(bits, b) }
	var who []string
	switch {
	case has(policy.OtherRead):
		who = append(who, "readable by all users")
	case has(policy.GroupRead):
		who = append(who, "readable by its group")
	}
	switch {
	case has(policy.OtherWrite):
		who = append(who, "writable by all users")
	case has(policy.GroupWrite):
		who = append(who, "writable by its group")
	}
	if len(who) == 0 {
		return ""
	}
	return fmt.Sprintf("%s (mode %04o)", strings.Join(who, ", "), uint32(m.Perm()))
}

func ownerReason(u *policy.Unprotected, f Facts) string {
	if !f.OwnerKnown && f.Owner == "" {
		return ""
	}
	is := func(o policy.Owner) bool {
		return (o.UID >= 0 && f.OwnerKnown && o.UID == f.UID) || (o.Name != "" && o.Name == f.Owner)
	}
	for _, o := range u.DenyOwners.Value {
		if is(o) {
			return "owned by " + ownerName(f, o.Name) + ", which the policy does not allow"
		}
	}
	if allow := u.AllowOwners.Value; len(allow) > 0 && !slices.ContainsFunc(allow, is) {
		names := make([]string, len(allow))
		for i, o := range allow {
			names[i] = o.String()
		}
		return "owned by " + ownerName(f, "") + ", not one of the owners the policy allows (" + listed(names, 5) + ")"
	}
	return ""
}

// ownerName names the file's owner: "alice (uid 1001)", or the uid alone.
func ownerName(f Facts, name string) string {
	if f.Owner != "" {
		name = f.Owner
	}
	switch {
	case name != "" && f.OwnerKnown:
		return fmt.Sprintf("%s (uid %d)", name, f.UID)
	case name != "":
		return name
	}
	return "uid " + strconv.Itoa(f.UID)
}

// stale judges the file's age against the strictest retention among its
// findings' data.
func stale(p *policy.Policy, f Facts, fds []finding.Finding, worst finding.Severity, now time.Time) (candidate, bool) {
	var strict policy.Period
	subject, found := "", false
	for _, fd := range fds {
		per, subj := p.RetentionFor(fd.Detector, fd.Category)
		if !per.Unlimited && (!found || per.D < strict.D) {
			strict, subject, found = per, subj, true
		}
	}
	if !found {
		return candidate{}, false
	}
	// Old data that is also sensitive is worth a closer look.
	sev := finding.Low
	if worst >= finding.High {
		sev = finding.Medium
	}
	if strict.D == 0 {
		var about []finding.Finding
		var subjects []string
		for _, fd := range fds {
			if per, subj := p.RetentionFor(fd.Detector, fd.Category); !per.Unlimited && per.D == 0 {
				about = append(about, fd)
				if subj == "" {
					subj = "customer"
				}
				if !slices.Contains(subjects, subj) {
					subjects = append(subjects, subj)
				}
			}
		}
		reason := fmt.Sprintf("holds %s data, which policy says must not be kept (retention 0 days)", joinAnd(subjects))
		return candidate{finding.Issue{Kind: finding.Stale, Severity: sev, Reason: reason}, about}, true
	}
	since, verb, note := clock(p, f)
	if since.IsZero() || now.IsZero() {
		return candidate{}, false
	}
	age := now.Sub(since)
	if age <= strict.D {
		return candidate{}, false
	}
	var about []finding.Finding
	for _, fd := range fds {
		if per, _ := p.RetentionFor(fd.Detector, fd.Category); !per.Unlimited && age > per.D {
			about = append(about, fd)
		}
	}
	reason := fmt.Sprintf("not %s for %d days (retention %d days)", verb, days(age), strict.Days())
	if subject != "" {
		reason = fmt.Sprintf("not %s for %d days; %s retention is %d days", verb, days(age), subject, strict.Days())
	}
	return candidate{finding.Issue{Kind: finding.Stale, Severity: sev, Reason: reason + note}, about}, true
}

// clock returns the time a file's age counts from, the verb that names
// it, and a note when the policy's atime clock could not be used.
//
// With the atime clock, a file was last used when it was last read or
// written, whichever is later: an atime before the mtime only means "not
// read since written" (relatime updates atime on the first read after a
// write, so it never lags behind a read by more than a day). On a noatime
// mount atime never moves after creation, and an unknown atime says
// nothing: both fall back to the mtime, and the reason says so.
func clock(p *policy.Policy, f Facts) (since time.Time, verb, note string) {
	if p.Retention.Clock.Value != policy.ATime {
		return f.Modified, "modified", ""
	}
	switch {
	case f.NoAtime:
		return f.Modified, "modified", " (its file system does not record access times, so the modification time was used)"
	case f.Atime.IsZero():
		return f.Modified, "modified", " (its access time is unknown, so the modification time was used)"
	case f.Atime.After(f.Modified):
		return f.Atime, "opened", ""
	}
	return f.Modified, "opened", ""
}

// prohibited finds the data the policy says must not be held at all.
func prohibited(p *policy.Policy, fds []finding.Finding) (candidate, bool) {
	var about []finding.Finding
	var labels []string
	byLabel := map[string][]string{}
	for _, fd := range fds {
		if !p.Prohibits(fd.Detector, fd.Category) {
			continue
		}
		about = append(about, fd)
		label := fd.Detector
		if fd.Category != "" && slices.Contains(p.Prohibited.Classes.Value, fd.Category) {
			label = string(fd.Category)
		}
		if _, ok := byLabel[label]; !ok {
			labels = append(labels, label)
		}
		byLabel[label] = append(byLabel[label], fd.Detector)
	}
	if len(about) == 0 {
		return candidate{}, false
	}
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = l + " data"
		if ids := byLabel[l]; len(ids) > 1 || ids[0] != l {
			parts[i] += " (" + strings.Join(ids, ", ") + ")"
		}
	}
	reason := "holds " + joinAnd(parts) + ", which policy says the business must not hold at all"
	return candidate{finding.Issue{Kind: finding.Prohibited, Severity: p.Prohibited.Severity.Value, Reason: reason}, about}, true
}

func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// listed joins at most n names, then says how many more there are.
func listed(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}

// workbookTypes are the spreadsheet types the scan reads. A workbook that
// opens without a password is the classic leak (a customer list mailed or
// left on a share); sheet protection only stops editing, not reading.
var workbookTypes = map[string]bool{"xlsx": true, "xls": true, "ods": true}

// clearText explains the unencrypted issue.
func clearText(r *finding.FileResult) string {
	n := plural(r.Occurrences(), "value")
	if workbookTypes[r.Type] {
		return "workbook opens without a password: " + n + " readable by anyone who opens it (sheet protection, if any, does not hide them)"
	}
	return n + " readable in clear text"
}
