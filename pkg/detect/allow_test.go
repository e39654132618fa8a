package detect

import (
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
)

func scanLines(t *testing.T, e *Engine, text string) *File {
	t.Helper()
	f := e.NewFile()
	if err := f.Add(&extract.Chunk{Kind: extract.Lines, Data: []byte(text), Loc: finding.Location{Line: 1}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestInlineAllowMarker(t *testing.T) {
	e := New(builtin(t), Options{})
	f := scanLines(t, e, "card 4539 1488 0343 6467 # datahygiene:allow\ncard 4539 1488 0343 6467\nmail a.b@mail.example.org datahygiene:allow\n")
	fs := f.Findings()
	if len(fs) != 1 || fs[0].Detector != "credit_card" || fs[0].Count != 1 || fs[0].Locations[0].Line != 2 {
		t.Fatalf("findings %+v", fs)
	}
	got := f.Suppressed()
	want := []finding.Suppression{
		{Detector: "email", Count: 1, Reason: "line marked datahygiene:allow"},
		{Detector: "credit_card", Count: 1, Reason: "line marked datahygiene:allow"},
	}
	if len(got) != 2 {
		t.Fatalf("suppressed %+v", got)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			t.Errorf("missing %+v in %+v", w, got)
		}
	}
}

func TestFingerprints(t *testing.T) {
	rs := builtin(t)
	text := "a 4539 1488 0343 6467\nb 4539-1488-0343-6467\nc Maria.Garcia@Mail.Example.org\nd maria.garcia@mail.example.org\ne 4556 7375 8689 9855\n"
	fp := func(key string) map[int]string {
		out := map[int]string{}
		for _, fd := range scanLines(t, New(rs, Options{FingerprintKey: []byte(key)}), text).Findings() {
			for _, l := range fd.Locations {
				out[l.Line] = l.Fingerprint
			}
		}
		return out
	}
	a, b := fp("key one"), fp("key two")
	if len(a) != 5 || len(a[1]) != 32 {
		t.Fatalf("fingerprints %v", a)
	}
	if a[1] != a[2] || a[3] != a[4] {
		t.Errorf("one value written two ways has two fingerprints: %v", a)
	}
	if a[1] == a[5] || a[1] == a[3] {
		t.Errorf("different values share a fingerprint: %v", a)
	}
	if a[1] == b[1] {
		t.Errorf("fingerprints do not depend on the key")
	}
	for _, fd := range scanLines(t, New(rs, Options{}), text).Findings() {
		for _, l := range fd.Locations {
			if l.Fingerprint != "" {
				t.Fatalf("fingerprint without a key: %+v", l)
			}
		}
	}
}
