package config

import (
	"strings"
	"unicode/utf8"
)

// suggest returns the candidate closest to a misspelt key, or "" when none
// is close enough to be a likely meaning. Snake case and capitals are
// forgiven first (fail_on, Fail-On), since rule files use snake case and
// people carry the habit over.
func suggest(key string, candidates []string) string {
	if len(key) > 64 {
		return "" // not a misspelling of a flag name
	}
	norm := strings.ToLower(strings.ReplaceAll(key, "_", "-"))
	best, bestD := "", -1
	for _, c := range candidates {
		if c == norm {
			return c
		}
		d := distance(norm, c)
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	// Up to 2 edits, or a third of the name for long ones.
	if bestD >= 0 && (bestD <= 2 || bestD*3 <= len(best)) && bestD < len(best) {
		return best
	}
	return ""
}

// distance is the Levenshtein edit distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// decodeRune is utf8.DecodeRune with -1 for an invalid byte.
func decodeRune(b []byte) (rune, int) {
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size <= 1 {
		return -1, 1
	}
	return r, size
}
