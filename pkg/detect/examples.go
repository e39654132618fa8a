package detect

import (
	"fmt"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

// ExampleFailure is a rule example that did not behave as its rule says.
type ExampleFailure struct {
	Rule    string
	Example ruleset.Example
}

func (f ExampleFailure) Error() string {
	want := "should match"
	if !f.Example.Match {
		want = "should not match"
	}
	where := ""
	if f.Example.Header != "" {
		where = fmt.Sprintf(" (in column %q)", f.Example.Header)
	}
	return fmt.Sprintf("%s:%d: rule %q: example %q%s %s", f.Example.File, f.Example.Line, f.Rule, f.Example.Text, where, want)
}

// CheckExamples runs the examples of the given rules with the whole ruleset
// active (so overlap resolution behaves as in a scan) and returns those
// that failed. A rule with no examples passes, and so does a disabled one:
// it cannot match by design.
func CheckExamples(rs *ruleset.Ruleset, rules []*ruleset.Rule) []ExampleFailure {
	e := New(rs, Options{})
	var fails []ExampleFailure
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		for _, ex := range r.Examples {
			if Matches(e, r.ID, ex.Text, ex.Header) != ex.Match {
				fails = append(fails, ExampleFailure{Rule: r.ID, Example: ex})
			}
		}
	}
	return fails
}

// Matches reports whether rule id finds something in text, scanned as a
// line of a text file, or as a table cell when header is not empty.
func Matches(e *Engine, id, text, header string) bool {
	f := e.NewFile()
	c := &extract.Chunk{Kind: extract.Lines, Data: []byte(text), Loc: finding.Location{Line: 1}}
	if header != "" {
		c = &extract.Chunk{Kind: extract.Cell, Data: []byte(text), Header: header, Loc: finding.Location{Row: 2, Column: header}}
	}
	_ = f.Add(c)
	for _, fd := range f.Findings() {
		if fd.Detector == id {
			return true
		}
	}
	return false
}
