package walk

import "testing"

// The matcher itself, and its agreement with git check-ignore, is tested
// in pkg/pathmatch; TestWalkAgreesWithGit checks how the walk uses it.

func TestMatcherNilAndLen(t *testing.T) {
	t.Parallel()
	var m *Matcher
	if ign, matched := m.Match("a", false); ign || matched {
		t.Errorf("nil Matcher matched")
	}
	if n := m.Len(); n != 0 {
		t.Errorf("nil Matcher Len = %d", n)
	}
	if n := ParsePatterns([]string{"# c", "", "a", "[bad", "!b/"}, "").Len(); n != 2 {
		t.Errorf("Len = %d, want 2", n)
	}
}

func TestParsePatternsBase(t *testing.T) {
	t.Parallel()
	m := ParsePatterns([]string{"/x", "!y"}, "./sub/")
	for _, tc := range []struct {
		rel              string
		ignored, matched bool
	}{
		{"sub/x", true, true},
		{"x", false, false},
		{"sub/a/x", false, false},
		{"sub/a/y", false, true},
	} {
		if ign, matched := m.Match(tc.rel, false); ign != tc.ignored || matched != tc.matched {
			t.Errorf("Match(%q) = %v, %v; want %v, %v", tc.rel, ign, matched, tc.ignored, tc.matched)
		}
	}
}
