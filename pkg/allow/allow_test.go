package allow

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

var known = []string{"email", "credit_card", "us_ssn"}

func load(t *testing.T, yml string) *List {
	t.Helper()
	l, err := Load(known, ruleset.Source{Name: "cfg.yaml", Data: []byte(yml)})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func result(path string) finding.FileResult {
	return finding.FileResult{Path: path, Findings: []finding.Finding{
		{Detector: "email", Count: 3, Locations: []finding.Location{{Line: 1, Fingerprint: "aa"}, {Line: 2, Fingerprint: "bb"}, {Line: 3, Fingerprint: "aa"}}},
		{Detector: "credit_card", Count: 1, Locations: []finding.Location{{Line: 4, Fingerprint: "cc"}}},
	}}
}

func TestApply(t *testing.T) {
	tests := []struct {
		name, yml, path string
		left            map[string]int // detector -> count left
		suppressed      int
	}{
		{"path glob", "allow:\n  - paths: [Archive/]\n    reason: old exports, deletion planned\n", "Archive/2019/a.csv", map[string]int{}, 4},
		{"path elsewhere", "allow:\n  - paths: [Archive/]\n    reason: r\n", "HR/a.csv", map[string]int{"email": 3, "credit_card": 1}, 0},
		{"basename", "allow:\n  - paths: ['*.csv']\n    detectors: [email]\n    reason: r\n", "x/y/a.csv", map[string]int{"credit_card": 1}, 3},
		{"archive member by outer path", "allow:\n  - paths: [backup.zip]\n    reason: r\n", "backup.zip!inner/a.csv", map[string]int{}, 4},
		{"detector only", "allow:\n  - detectors: [credit_card]\n    reason: test cards\n", "a.txt", map[string]int{"email": 3}, 1},
		{"fingerprint", "allow:\n  - fingerprints: [AA]\n    reason: shared inbox\n", "a.txt", map[string]int{"email": 1, "credit_card": 1}, 2},
		{"folder by name", "allow:\n  - paths: [exports]\n    reason: r\n", "HR/exports/2019/a.csv", map[string]int{}, 4},
		{"negation", "allow:\n  - paths: ['*.csv', '!keep.csv']\n    reason: r\n", "x/keep.csv", map[string]int{"email": 3, "credit_card": 1}, 0},
		{"negation under an allowed folder", "allow:\n  - paths: [Archive/, '!keep.csv']\n    reason: r\n", "Archive/keep.csv", map[string]int{}, 4},
		{"fingerprint and wrong detector", "allow:\n  - fingerprints: [aa]\n    detectors: [credit_card]\n    reason: r\n", "a.txt", map[string]int{"email": 3, "credit_card": 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := result(tt.path)
			load(t, tt.yml).Apply(&r)
			left := map[string]int{}
			for _, f := range r.Findings {
				left[f.Detector] = f.Count
				if f.Count != len(f.Locations)+f.LocationsOmitted {
					t.Errorf("%s: count %d, %d locations", f.Detector, f.Count, len(f.Locations))
				}
			}
			if !reflect.DeepEqual(left, tt.left) {
				t.Errorf("left %v, want %v", left, tt.left)
			}
			n := 0
			for _, s := range r.Suppressed {
				n += s.Count
				if !strings.Contains(s.Reason, "(cfg.yaml:2)") {
					t.Errorf("reason %q does not name its entry", s.Reason)
				}
			}
			if n != tt.suppressed {
				t.Errorf("suppressed %d, want %d (%+v)", n, tt.suppressed, r.Suppressed)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct{ yml, want string }{
		{"allow:\n  - paths: [a]\n", "cfg.yaml:2: allow entry: a reason is required"},
		{"allow:\n  - reason: because\n", "cfg.yaml:2: allow entry: set paths, detectors or fingerprints"},
		{"allow:\n  - detectors: [iban_x]\n    reason: r\n", `cfg.yaml:2: allow entry: unknown detector "iban_x"`},
		{"allow:\n  - path: [a]\n    reason: r\n", `cfg.yaml:2: allow entry: unknown field "path"`},
		{"allow: yes\n", "cfg.yaml:1: allow: want a list"},
		{"allow:\n  - paths:\n      - a\n      - 'www/[ab'\n    reason: r\n", `cfg.yaml:4: allow entry: paths: "www/[ab": malformed path pattern`},
		{"allow:\n  - paths: [a//b]\n    reason: r\n", `cfg.yaml:2: allow entry: paths: "a//b": empty segment`},
		{"allow:\n  - paths: ['#old']\n    reason: r\n", `cfg.yaml:2: allow entry: paths: "#old": a pattern starting with # is a comment`},
	}
	for _, tt := range tests {
		_, err := Load(known, ruleset.Source{Name: "cfg.yaml", Data: []byte(tt.yml)})
		var re *ruleset.Error
		if !errors.As(err, &re) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.yml, err, tt.want)
		}
	}
}

func TestNeedsFingerprints(t *testing.T) {
	if load(t, "allow:\n  - paths: [a]\n    reason: r\n").NeedsFingerprints() {
		t.Error("paths only")
	}
	if !load(t, "allow:\n  - fingerprints: [ab]\n    reason: r\n").NeedsFingerprints() {
		t.Error("fingerprints")
	}
	var nilList *List
	r := result("a")
	nilList.Apply(&r)
	if len(r.Findings) != 2 {
		t.Error("nil list changed findings")
	}
}
