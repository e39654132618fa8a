package config

import (
	"strings"

	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
)

// suggest returns the candidate closest to a misspelt key, or "" when none
// is close enough to be a likely meaning. Snake case and capitals are
// forgiven first (fail_on, Fail-On), since rule files use snake case and
// people carry the habit over; long flag names may be up to a third off.
func suggest(key string, candidates []string) string {
	return yamlfile.Suggest(key, candidates, yamlfile.SuggestOptions{Fold: flagCase, Long: true})
}

func flagCase(key string) string { return strings.ToLower(strings.ReplaceAll(key, "_", "-")) }
