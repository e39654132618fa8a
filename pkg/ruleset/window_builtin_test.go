package ruleset

import "testing"

// TestBuiltinWindows lists which built-in patterns run windowed; a pattern
// falling back to whole lines is a performance regression worth seeing.
func TestBuiltinWindows(t *testing.T) {
	rs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	lineMode := map[string]bool{"password": true}
	for _, r := range rs.Rules() {
		for _, p := range r.Patterns {
			w := p.Window
			if w == nil {
				if !lineMode[r.ID] {
					t.Errorf("%s: pattern %s runs on whole lines", r.ID, p.Source)
				}
				continue
			}
			t.Logf("%-12s anchor %3d digits %2d before %d after %d  %s", r.ID, w.Anchor, w.MinDigits, w.Before, w.After, p.Source)
		}
	}
}
