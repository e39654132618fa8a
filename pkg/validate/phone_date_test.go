package validate

import (
	"math/rand/v2"
	"testing"
)

// TestLooksLikeDateFast holds the allocation-free date check Phone uses to
// the original one phoneReference uses, on dates, near-dates and random
// strings over the characters that matter.
func TestLooksLikeDateFast(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"2024-01-15", "15.01.2024", "04.11.2018", "05/18/2015", "1999-12-31", "31.12.1899", "2024-1-5",
		"15..01..2024", ".15.01.2024.", "15.01.2024 ", "+15.01.2024", "(15).01.2024", "15.01.20245",
		"32.01.2024", "00.01.2024", "15.01.2124", "15.01.24", "2024-01-15-1", "", "-", "é.01.2024",
		"15.0é.2024", "\xff.01.2024",
	}
	const alphabet = "0123456789012345678901234567890123456789./-./- ()+a\xe9"
	rng := rand.New(rand.NewPCG(11, 12))
	for range 200_000 {
		b := make([]byte, rng.IntN(15))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		inputs = append(inputs, string(b))
	}
	for range 50_000 { // shaped like dates, to reach the year and day checks
		sep := "./-"[rng.IntN(3)]
		s := itoa(rng.IntN(40)) + string(sep) + itoa(rng.IntN(40)) + string(sep) + itoa(1850+rng.IntN(250))
		if rng.IntN(2) == 0 {
			s = itoa(1850+rng.IntN(250)) + string(sep) + itoa(rng.IntN(40)) + string(sep) + itoa(rng.IntN(40))
		}
		inputs = append(inputs, s)
	}
	for _, s := range inputs {
		if got, want := looksLikeDateFast(s), looksLikeDate(s); got != want {
			t.Fatalf("looksLikeDateFast(%q) = %v, looksLikeDate %v", s, got, want)
		}
	}
}
