package report

import (
	"slices"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// TestIssueKindWords checks that every issue kind finding declares has
// its words in each format, and that the formats show kinds in
// finding.IssueKinds order.
func TestIssueKindWords(t *testing.T) {
	t.Parallel()
	var html []finding.IssueKind
	for _, h := range htmlKinds {
		html = append(html, finding.IssueKind(h.Kind))
		if h.Title == "" || h.Explain == "" {
			t.Errorf("html: %s has no words", h.Kind)
		}
	}
	if !slices.Equal(html, finding.IssueKinds) {
		t.Errorf("html kinds = %q, want %q", html, finding.IssueKinds)
	}
	for _, k := range finding.IssueKinds {
		if explainIssue(k) == "" {
			t.Errorf("table: %s has no explanation", k)
		}
		if issueHelp[k] == "" {
			t.Errorf("sarif: %s has no help", k)
		}
	}
	got := sortedKinds([]string{"other", "prohibited", "stale", "unprotected", "unencrypted"})
	if want := []string{"unencrypted", "unprotected", "stale", "prohibited", "other"}; !slices.Equal(got, want) {
		t.Errorf("sortedKinds = %q, want %q", got, want)
	}
}
