package state

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// res builds a scanned result with findings; issues default to none.
func res(path string, fs ...finding.Finding) finding.FileResult {
	if fs == nil {
		fs = []finding.Finding{}
	}
	return finding.FileResult{Path: path, Status: finding.Scanned, Findings: fs, Issues: []finding.Issue{}}
}

func withIssues(r finding.FileResult, is ...finding.Issue) finding.FileResult {
	r.Issues = is
	return r
}

func withStatus(r finding.FileResult, st finding.Status) finding.FileResult {
	r.Status, r.Reason = st, "because"
	return r
}

func capped(f finding.Finding, omitted int) finding.Finding {
	f.LocationsOmitted = omitted
	f.Count += omitted
	return f
}

func counted(f finding.Finding, n int) finding.Finding {
	f.Count = n
	return f
}

func issue(k finding.IssueKind, sev finding.Severity, reason string) finding.Issue {
	return finding.Issue{Kind: k, Severity: sev, Reason: reason}
}

// summary renders changes one per line for readable comparisons.
func summary(c Changes) []string {
	var out []string
	for _, f := range c.Findings {
		out = append(out, fmt.Sprintf("%s %s %s %s %d->%d +%d -%d", f.Kind, f.Path, f.Detector, f.Severity, f.Before, f.After, f.Added, f.Removed))
	}
	for _, i := range c.Issues {
		out = append(out, fmt.Sprintf("%s %s issue %s %s", i.Kind, i.Path, i.Issue, i.Severity))
	}
	for _, f := range c.Files {
		out = append(out, fmt.Sprintf("%s %s status %s->%s", f.Kind, f.Path, f.StatusBefore, f.Status))
	}
	return out
}

func TestDiff(t *testing.T) {
	t.Parallel()
	email := func(locs ...finding.Location) finding.Finding { return fnd("email", finding.Medium, locs...) }
	tests := []struct {
		name     string
		old, cur []finding.FileResult
		want     []string
	}{
		{"nothing", nil, nil, nil},
		{"unchanged", []finding.FileResult{res("a", email(loc(1, "x")))}, []finding.FileResult{res("a", email(loc(1, "x")))}, nil},
		{"new file", nil, []finding.FileResult{res("a", email(loc(1, "x")))},
			[]string{"new a email medium 0->1 +1 -0"}},
		{"file cleaned", []finding.FileResult{res("a", email(loc(1, "x"), loc(2, "y")))}, nil,
			[]string{"resolved a email medium 2->0 +0 -2"}},
		{"new detector in a file", []finding.FileResult{res("a", email(loc(1, "x")))},
			[]finding.FileResult{res("a", email(loc(1, "x")), fnd("iban", finding.High, loc(3, "i")))},
			[]string{"new a iban high 0->1 +1 -0"}},
		{"line move is no change", []finding.FileResult{res("a", email(loc(1, "x"), loc(2, "y")))},
			[]finding.FileResult{res("a", email(loc(10, "y"), loc(11, "x")))}, nil},
		{"value replaced", []finding.FileResult{res("a", email(loc(1, "x"), loc(2, "y")))},
			[]finding.FileResult{res("a", email(loc(1, "x"), loc(2, "z")))},
			[]string{"changed a email medium 2->2 +1 -1"}},
		{"repeated value counts per occurrence", []finding.FileResult{res("a", email(loc(1, "x")))},
			[]finding.FileResult{res("a", email(loc(1, "x"), loc(5, "x")))},
			[]string{"changed a email medium 1->2 +0 -0"}},
		{"no fingerprints: counts", []finding.FileResult{res("a", email(loc(1, ""), loc(2, "")))},
			[]finding.FileResult{res("a", email(loc(1, ""), loc(2, ""), loc(3, "")))},
			[]string{"changed a email medium 2->3 +1 -0"}},
		{"no fingerprints, same count", []finding.FileResult{res("a", email(loc(1, "")))},
			[]finding.FileResult{res("a", email(loc(7, "")))}, nil},
		{"severity changed", []finding.FileResult{res("a", email(loc(1, "x")))},
			[]finding.FileResult{res("a", fnd("email", finding.High, loc(1, "x")))},
			[]string{"changed a email high 1->1 +0 -0"}},
		{"capped lists: a shifted value is not new", []finding.FileResult{res("a", capped(email(loc(1, "x"), loc(2, "y")), 5))},
			[]finding.FileResult{res("a", capped(email(loc(2, "y"), loc(3, "z")), 5))}, nil},
		{"capped lists: growth bounds what is new", []finding.FileResult{res("a", capped(email(loc(1, "x"), loc(2, "y")), 5))},
			[]finding.FileResult{res("a", capped(email(loc(1, "w"), loc(2, "v")), 6))},
			[]string{"changed a email medium 7->8 +1 -0"}},
		{"file now unreadable: findings unknown", []finding.FileResult{res("a", email(loc(1, "x")))},
			[]finding.FileResult{withStatus(res("a"), finding.Error)},
			[]string{"new a status scanned->error"}},
		{"file readable again", []finding.FileResult{withStatus(res("a"), finding.Error)},
			[]finding.FileResult{res("a", email(loc(1, "x")))},
			[]string{"resolved a status error->scanned"}},
		{"file encrypted: findings resolved", []finding.FileResult{res("a", email(loc(1, "x")))},
			[]finding.FileResult{withStatus(res("a"), finding.Encrypted)},
			[]string{"resolved a email medium 1->0 +0 -1", "new a status scanned->encrypted"}},
		{"status changed", []finding.FileResult{withStatus(res("a"), finding.Skipped)},
			[]finding.FileResult{withStatus(res("a"), finding.Encrypted)},
			[]string{"changed a status skipped->encrypted"}},
		{"issues", []finding.FileResult{
			withIssues(res("a"), issue(finding.Unencrypted, finding.Medium, "1 value"), issue(finding.Stale, finding.Low, "100 days")),
			withIssues(res("b"), issue(finding.Unprotected, finding.Medium, "o+r")),
		}, []finding.FileResult{
			withIssues(res("a"), issue(finding.Unencrypted, finding.High, "2 values"), issue(finding.Stale, finding.Low, "101 days")),
			withIssues(res("c"), issue(finding.Unprotected, finding.Low, "o+r")),
		}, []string{
			"changed a issue unencrypted high",
			"resolved b issue unprotected medium",
			"new c issue unprotected low",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Diff(tt.old, tt.cur)
			if got := summary(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
			if c.Empty() != (len(tt.want) == 0) {
				t.Errorf("Empty = %v", c.Empty())
			}
		})
	}
}

func TestDiffOrder(t *testing.T) {
	t.Parallel()
	cur := []finding.FileResult{
		res("b", fnd("phone", finding.Low, loc(1, "p")), fnd("email", finding.Low, loc(1, "e"))),
		res("a", fnd("iban", finding.High, loc(1, "i"))),
	}
	got := summary(Diff(nil, cur))
	want := []string{"new a iban high 0->1 +1 -0", "new b email low 0->1 +1 -0", "new b phone low 0->1 +1 -0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v", got)
	}
}

func TestNewOnly(t *testing.T) {
	t.Parallel()
	email := func(locs ...finding.Location) finding.Finding { return fnd("email", finding.Medium, locs...) }
	unenc := issue(finding.Unencrypted, finding.Medium, "values in clear")
	old := []finding.FileResult{
		withIssues(res("moved", email(loc(1, "x"), loc(2, "y"))), unenc),
		withIssues(res("grown", email(loc(1, "x"))), unenc),
		withIssues(res("nofp", email(loc(1, ""))), unenc),
		withIssues(res("exposed", email(loc(1, "x"))), unenc),
		withStatus(res("was-broken"), finding.Error),
		withStatus(res("still-skipped"), finding.Skipped),
	}
	cur := []finding.FileResult{
		withIssues(res("moved", email(loc(5, "y"), loc(6, "x"))), unenc),
		withIssues(res("grown", email(loc(1, "x"), loc(2, "z"))), unenc),
		withIssues(res("nofp", counted(email(loc(1, ""), loc(2, ""), loc(3, "")), 3)), unenc),
		withIssues(res("exposed", email(loc(1, "x"))), unenc, issue(finding.Unprotected, finding.Medium, "o+r")),
		withIssues(res("was-broken", email(loc(1, "x"))), unenc),
		withStatus(res("still-skipped"), finding.Skipped),
		withStatus(res("now-broken"), finding.Error),
		withIssues(res("brand-new", email(loc(3, "q"))), unenc),
	}
	before := fmt.Sprintf("%+v", cur)
	got := NewOnly(old, cur)
	if fmt.Sprintf("%+v", cur) != before {
		t.Fatal("NewOnly modified its input")
	}
	var lines []string
	for _, r := range got {
		l := r.Path + " " + string(r.Status)
		for _, f := range r.Findings {
			l += fmt.Sprintf(" %s:%d", f.Detector, f.Count)
			for _, lc := range f.Locations {
				l += fmt.Sprintf("@%d", lc.Line)
			}
			if f.LocationsOmitted > 0 {
				l += fmt.Sprintf("+%d", f.LocationsOmitted)
			}
		}
		for _, is := range r.Issues {
			l += " !" + string(is.Kind)
		}
		lines = append(lines, l)
	}
	want := []string{
		"grown scanned email:1@2 !unencrypted",
		"nofp scanned email:2+2 !unencrypted",
		"exposed scanned !unprotected",
		"was-broken scanned email:1@1 !unencrypted",
		"now-broken error",
		"brand-new scanned email:1@3 !unencrypted",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("NewOnly =\n  %s\nwant\n  %s", strings.Join(lines, "\n  "), strings.Join(want, "\n  "))
	}
	if len(NewOnly(cur, cur)) != 0 {
		t.Error("NewOnly of a run against itself is not empty")
	}
}
