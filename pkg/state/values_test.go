package state

import (
	"reflect"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// TestValueIndex: a file's value IDs are stored when it is read, kept
// while it is unchanged (cached results carry none), replaced when it
// changes and deleted with it.
func TestValueIndex(t *testing.T) {
	t.Parallel()
	s := openT(t, mustDir(t))
	lockT(t, s, "/srv")
	ids := []finding.ValueID{{1}, {2}}
	withIDs := func(f file, ids []finding.ValueID) file {
		f.res.Findings = append([]finding.Finding(nil), f.res.Findings...)
		f.res.Findings[0].ValueIDs = ids
		return f
	}
	a := withIDs(dirtyFile("a.csv", 1, fnd("email", finding.Medium, loc(1, "fp"))), ids)
	b := withIDs(dirtyFile("b.csv", 2, fnd("phone", finding.Medium, loc(1, "fp2"))), []finding.ValueID{{3}})
	index := func() map[string][]finding.ValueID {
		got := map[string][]finding.ValueID{}
		if err := s.Values("/srv", func(v IndexedValues) error {
			got[v.Path+" "+v.Detector] = v.IDs
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	record(t, s, "/srv", "r1", []file{a, b})
	want := map[string][]finding.ValueID{"a.csv email": ids, "b.csv phone": {{3}}}
	if got := index(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the first run: %v", got)
	}
	// Unchanged: served from the cache, whose results hold no IDs.
	record(t, s, "/srv", "r1", []file{a, b})
	if got := index(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after an unchanged run: %v", got)
	}
	// a changed and now clean; b gone.
	a2 := cleanFile("a.csv", 9)
	record(t, s, "/srv", "r1", []file{a2})
	if got := index(); len(got) != 0 {
		t.Fatalf("after a changed and b deleted: %v", got)
	}
}

func TestValuesRoundTrip(t *testing.T) {
	results := []finding.FileResult{{Path: "a.zip!x.csv", Findings: []finding.Finding{
		{Detector: "email", ValueIDs: []finding.ValueID{{1}, {2}}, ValueIDsCapped: true},
		{Detector: "phone"},
		{Detector: "iban", ValueIDs: []finding.ValueID{{3}}},
	}}}
	var got []IndexedValues
	if err := decodeValues(encodeValues(results), func(v IndexedValues) error { got = append(got, v); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []IndexedValues{
		{Path: "a.zip!x.csv", Detector: "email", IDs: []finding.ValueID{{1}, {2}}, Capped: true},
		{Path: "a.zip!x.csv", Detector: "iban", IDs: []finding.ValueID{{3}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if err := decodeValues([]byte{3, 'a'}, func(IndexedValues) error { return nil }); err == nil {
		t.Fatal("truncated row decoded")
	}
}
