package ruleset

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func normalCorpus(n int) []string {
	r := rand.New(rand.NewPCG(9, 9))
	bits := []string{"a", "B", "4111", " ", "-", ".", "\t", "\n", "\r", "\v", "\f", "é", "É", "\u212A", "\u00a0", "\u0085", "\xff", "x@Example.COM"}
	out := []string{"", " ", "-", " - ", "4111 1111 1111 1111", "\n-\nA", "\u00a0a-b\u00a0", "A.B"}
	for len(out) < n {
		var b strings.Builder
		for k := r.IntN(8); k > 0; k-- {
			b.WriteString(bits[r.IntN(len(bits))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestAppendNormalValue holds the allocation-free form to NormalizeValue.
func TestAppendNormalValue(t *testing.T) {
	ascii := 0
	for _, v := range normalCorpus(100000) {
		got, ok := AppendNormalValue([]byte("prefix"), []byte(v))
		if !ok {
			if string(got) != "prefix" {
				t.Fatalf("%q: dst changed to %q on a non-ASCII value", v, got)
			}
			continue
		}
		ascii++
		if want := "prefix" + NormalizeValue(v); string(got) != want {
			t.Fatalf("AppendNormalValue(%q) = %q, NormalizeValue %q", v, got[6:], want[6:])
		}
	}
	if ascii < 10000 {
		t.Fatalf("only %d ASCII values", ascii)
	}
}

func FuzzAppendNormalValue(f *testing.F) {
	for _, v := range normalCorpus(20) {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if got, ok := AppendNormalValue(nil, []byte(v)); ok && string(got) != NormalizeValue(v) {
			t.Fatalf("AppendNormalValue(%q) = %q, NormalizeValue %q", v, got, NormalizeValue(v))
		}
	})
}

// TestMatchLengthGate checks that skipping values too short or too long
// for an anchored pattern never changes its answer.
func TestMatchLengthGate(t *testing.T) {
	srcs := []string{`^\d{4}[-./]\d{1,2}[-./]\d{1,2}$`, `^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$`, `^\*+$`, `^x+$`, `^[<{\[(%$]`, `^\.\.\.$`,
		`^(?i)k$`, `^é{2}$`, `^.{3}$`, `^a|b$`, `^(?:ab|c)$`}
	vals := append(normalCorpus(20000), "2024-01-15", "15/01/2024", "***", "k", "\u212A", "éé", "abc", "\xff\xff\xff", "€", "ab", "c")
	for _, src := range srcs {
		p, err := compilePattern(src, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			want := p.re.MatchString(v)
			if got := p.Match([]byte(v)); got != want {
				t.Errorf("%s: Match(%q) = %v, regexp %v", src, v, got, want)
			}
			if got := p.MatchString(v); got != want {
				t.Errorf("%s: MatchString(%q) = %v, regexp %v", src, v, got, want)
			}
		}
	}
}
