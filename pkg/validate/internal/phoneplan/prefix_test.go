package phoneplan

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestPrefixRules checks the fixed-string form of international and
// national prefixes against the regexp package: for every region's
// prefixes and a few hand-made patterns (alternatives whose order
// matters, optional parts, groups), the match at the start of a digit
// string must end in the same place.
func TestPrefixRules(t *testing.T) {
	t.Parallel()
	patterns := []string{
		"0|80?", "80?|0", "0??8", "(0)|08", "08|0", "0|08", "(?:0|90)(1[245])?", "[08]", "", "a|0", "0(1\\d)?",
		"1(?:0|00)", "(?:1|10)0", "0(?:(?:1|12)|123)", "\\d\\d?",
	}
	for _, p := range allPlans() {
		patterns = append(patterns, p.md.GetInternationalPrefix())
		if npp := p.md.GetNationalPrefixForParsing(); npp != "" {
			patterns = append(patterns, npp)
		}
	}
	rng := rand.New(rand.NewPCG(9, 10))
	fixed := 0
	for _, pat := range patterns {
		r, err := newPrefixRule(pat, "^(?:"+pat+")")
		if err != nil {
			t.Fatal(err)
		}
		if !r.fixed {
			continue
		}
		fixed++
		re := regexp.MustCompile("^(?:" + pat + ")")
		var inputs []string
		for _, alt := range r.alts {
			// each alternative spelt out with random digits from its sets,
			// then continued, cut short and changed
			b := make([]byte, 0, len(alt)+4)
			for _, m := range alt {
				var in []byte
				for d := range 10 {
					if m&(1<<d) != 0 {
						in = append(in, byte('0'+d))
					}
				}
				if len(in) == 0 {
					in = []byte{'5'} // a set without digits (a letter): no digit string matches
				}
				b = append(b, in[rng.IntN(len(in))])
			}
			s := string(b)
			inputs = append(inputs, s, s+randomDigits(rng, 3))
			if len(s) > 0 {
				inputs = append(inputs, s[:len(s)-1], s[1:]+"5")
			}
		}
		for range 300 {
			inputs = append(inputs, randomDigits(rng, rng.IntN(9)))
		}
		for _, s := range inputs {
			end, ok := r.fixedMatch(s)
			loc := re.FindStringIndex(s)
			if ok != (loc != nil) || (ok && end != loc[1]) {
				t.Fatalf("prefix %q on %q: fixed (%d, %v), regexp %v", pat, s, end, ok, loc)
			}
		}
	}
	if fixed < 10 {
		t.Errorf("only %d fixed prefix rules: the fast path is not being tested", fixed)
	}
}
