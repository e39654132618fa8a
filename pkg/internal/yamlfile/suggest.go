package yamlfile

// SuggestOptions say how close a candidate must be to a misspelt key to be
// offered as "did you mean". The zero value accepts up to two edits.
type SuggestOptions struct {
	// Fold maps the key before it is compared (nil compares it as
	// written). pkg/config forgives snake case and capitals this way,
	// since rule files use snake case and people carry the habit over.
	Fold func(string) string
	// Long also accepts up to a third of a long candidate's length in
	// edits, and never a candidate every rune of which would change
	// (which a short one would be within two edits). pkg/config sets it;
	// pkg/policy keeps the plain two-edit rule.
	Long bool
}

// maxSuggestLen bounds the keys and candidates compared, which keeps the
// quadratic distance cheap: nothing that long is a misspelt key.
const maxSuggestLen = 64

// Suggest returns the candidate closest to key, the first of equals, or ""
// when none is close enough to be a likely meaning.
func Suggest(key string, candidates []string, opts SuggestOptions) string {
	if len(key) > maxSuggestLen {
		return ""
	}
	if opts.Fold != nil {
		key = opts.Fold(key)
	}
	best, bestD := "", -1
	for _, c := range candidates {
		if len(c) > maxSuggestLen {
			continue
		}
		if d := distance(key, c); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	switch {
	case bestD < 0:
		return ""
	case !opts.Long && bestD <= 2:
		return best
	case opts.Long && (bestD <= 2 || bestD*3 <= len(best)) && bestD < len(best):
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
