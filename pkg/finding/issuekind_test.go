package finding

import (
	"slices"
	"testing"
)

func TestCompareIssueKinds(t *testing.T) {
	t.Parallel()
	got := []IssueKind{"zzz", Prohibited, "aaa", Stale, Unprotected, Unencrypted, Stale}
	slices.SortFunc(got, CompareIssueKinds)
	want := []IssueKind{Unencrypted, Unprotected, Stale, Stale, Prohibited, "aaa", "zzz"}
	if !slices.Equal(got, want) {
		t.Errorf("sorted = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		a, b IssueKind
		want int
	}{
		{Unencrypted, Prohibited, -1},
		{Prohibited, Unencrypted, 1},
		{Stale, Stale, 0},
		{"other", Prohibited, 1},
		{"other", "other", 0},
	} {
		if got := CompareIssueKinds(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareIssueKinds(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
