package policy

import (
	"strings"

	"github.com/datahygiene/datahygiene/pkg/pathmatch"
)

// Globs is a list of gitignore-style path patterns, matched against paths
// relative to the scan root by pkg/pathmatch, as --exclude and allow:
// paths are, so a pattern means the same everywhere. A pattern that
// matches a folder matches everything under it. Negation (!) is not
// supported: an exception says what to accept, with a reason.
type Globs struct {
	pats []string
	m    *pathmatch.Matcher
}

// Patterns returns the patterns as written.
func (g Globs) Patterns() []string { return g.pats }

// Match reports whether p (slash-separated, relative to the root) or one of
// its folders matches a pattern, and which.
func (g Globs) Match(p string) (string, bool) {
	return g.m.Covers(strings.Trim(p, "/"), false)
}

// compileGlobs compiles patterns; an error is a *pathmatch.PatternError.
func compileGlobs(pats []string) (Globs, error) {
	for i, p := range pats {
		if strings.HasPrefix(p, "!") {
			return Globs{}, &pathmatch.PatternError{Pattern: p, Index: i, Reason: "negated patterns (!) are not supported; write an exception instead"}
		}
	}
	m, err := pathmatch.Compile(pats, "")
	if err != nil {
		return Globs{}, err
	}
	return Globs{pats: pats, m: m}, nil
}
