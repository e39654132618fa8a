package detect

import (
	"slices"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

// TestValueIndex: with IndexValues, every distinct value of a finding is
// fingerprinted in its normal form (beyond the listed locations), and
// QueryID finds it from an identifier written another way.
func TestValueIndex(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	rs := builtin(t)
	e := New(rs, Options{FingerprintKey: key, IndexValues: true, MaxLocations: 1})
	f := scanLines(t, e, "mail Ana.Lopez@Mail.Example.org\nmail ana.lopez@mail.example.org\nmail bo.chen@mail.example.org\n"+
		"phone +44 20 7946 0958\nphone 020 7946 0958\ncard 4539-1488-0343-6467\n")
	byDet := map[string]finding.Finding{}
	for _, fd := range f.Findings() {
		byDet[fd.Detector] = fd
	}
	if n := len(byDet["email"].ValueIDs); n != 2 {
		t.Errorf("email: %d distinct values indexed, want 2 (case folded; beyond the one listed location)", n)
	}
	rule := func(id string) *ruleset.Rule {
		for _, r := range rs.Rules() {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("no rule %s", id)
		return nil
	}
	holds := func(det, query string) bool {
		_, ok := slices.BinarySearchFunc(byDet[det].ValueIDs, QueryID(key, rule(det), query), cmpID)
		return ok
	}
	for _, tt := range []struct {
		det, query string
		want       bool
	}{
		{"email", "ANA.LOPEZ@mail.example.org", true},
		{"email", "carla@mail.example.org", false},
		{"phone", "+44 (0)20 7946 0958", true},
		{"phone", "0044 2079460958", true},
		{"phone", "020-7946-0958", true},
		{"phone", "+44 20 7946 0959", false},
		{"credit_card", "4539 1488 0343 6467", true},
		{"credit_card", "4539148803436467", true},
	} {
		if got := holds(tt.det, tt.query); got != tt.want {
			t.Errorf("%s %q found = %v, want %v", tt.det, tt.query, got, tt.want)
		}
	}
	// Without IndexValues nothing is kept.
	plain := scanLines(t, New(rs, Options{FingerprintKey: key}), "mail ana.lopez@mail.example.org\n")
	if ids := plain.Findings()[0].ValueIDs; ids != nil {
		t.Errorf("ValueIDs without IndexValues: %d", len(ids))
	}
}

func cmpID(a, b finding.ValueID) int {
	return slices.Compare(a[:], b[:])
}

// TestValueIndexCap: past MaxIndexValues distinct values, a finding's
// index stops growing and says it is capped; a repeated value does not
// count as one too many.
func TestValueIndexCap(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	e := New(builtin(t), Options{FingerprintKey: key, IndexValues: true, MaxIndexValues: 2})
	f := scanLines(t, e, "a.one@mail.example.org\nb.two@mail.example.org\nA.ONE@mail.example.org\n")
	if fd := f.Findings()[0]; len(fd.ValueIDs) != 2 || fd.ValueIDsCapped {
		t.Fatalf("two distinct values under a cap of 2: %d ids, capped %v", len(fd.ValueIDs), fd.ValueIDsCapped)
	}
	f = scanLines(t, e, "a.one@mail.example.org\nb.two@mail.example.org\nc.three@mail.example.org\n")
	if fd := f.Findings()[0]; len(fd.ValueIDs) != 2 || !fd.ValueIDsCapped {
		t.Fatalf("three distinct values under a cap of 2: %d ids, capped %v", len(fd.ValueIDs), fd.ValueIDsCapped)
	}
}
