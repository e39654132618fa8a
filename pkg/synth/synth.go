package synth

import (
	"math/rand/v2"
	"strings"
)

// Gen generates synthetic values from a seeded PCG source. It is not safe
// for concurrent use; give each goroutine its own Gen.
type Gen struct {
	r *rand.Rand
}

// New returns a generator whose output depends only on seed.
func New(seed uint64) *Gen {
	// The second PCG word only has to differ from the first; the constant
	// is the 64-bit golden ratio, as in SplitMix64.
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// pick returns a random element of xs.
func pick[T any](g *Gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// intIn returns a random int in [lo, hi].
func (g *Gen) intIn(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// digits returns n random decimal digits.
func (g *Gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// letters returns n random upper-case letters taken from set.
func (g *Gen) letters(n int, set string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.r.IntN(len(set))]
	}
	return string(b)
}

const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// group inserts sep between the groups of s whose lengths are sizes.
func group(s, sep string, sizes ...int) string {
	var b strings.Builder
	for i, n := range sizes {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[:n])
		s = s[n:]
	}
	return b.String()
}

// allSame reports whether s is one character repeated.
func allSame(s string) bool { return strings.Count(s, s[:1]) == len(s) }

// IntN returns a number in [0, n) from the generator's stream, for callers
// that build their own synthetic layouts (benchmark corpora).
func (g *Gen) IntN(n int) int { return g.r.IntN(n) }
