package detect

import (
	"testing"
)

// TestGateTableEqualsGates: the gate table's bits for a line equal
// testing every pattern's gates on the line one by one, on the
// equivalence corpus and on lines built around every threshold.
func TestGateTableEqualsGates(t *testing.T) {
	e := New(builtin(t), Options{})
	f := e.NewFile()
	lines := equivCorpus(7, 20000)
	for d := 0; d < 25; d++ {
		for _, tail := range []string{"", "@", "+", "-", ".", ":", "=", "=>", "AB", "abcdefgh", "X-", "@.", " ", "Ab Cd:"} {
			b := make([]byte, 0, d+len(tail))
			for i := 0; i < d; i++ {
				b = append(b, byte('0'+i%10))
			}
			lines = append(lines, string(b)+tail)
		}
	}
	out, hit := make([]uint64, e.table.words), make([]uint64, e.table.words)
	passed := 0
	for _, l := range lines {
		b := []byte(l)
		digits, letters := f.profile(b)
		e.table.pass(out, hit, digits, letters, &f.bytes)
		for bit, ref := range e.table.pattern {
			want := e.gates[ref.rule].patterns[ref.pattern].pass(digits, letters, &f.bytes)
			if got := out[bit/64]&(1<<(bit%64)) != 0; got != want {
				t.Fatalf("%q: rule %s pattern %d: table says %v, gates %v", l, e.rules[ref.rule].ID, ref.pattern, got, want)
			}
			if want {
				passed++
			}
		}
	}
	if passed < len(lines) {
		t.Errorf("only %d gates passed on %d lines: the corpus does not exercise the table", passed, len(lines))
	}
}
