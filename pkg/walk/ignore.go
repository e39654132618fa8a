package walk

import "github.com/datahygiene/datahygiene/pkg/pathmatch"

// Matcher holds the patterns of one ignore file, or of the --exclude flags,
// compiled once, with git's gitignore rules: see pathmatch.Matcher. Walk
// asks Match about each entry and never descends into an ignored
// directory, which gives git's rule that nothing inside an excluded
// directory can be re-included.
type Matcher = pathmatch.Matcher

// ParsePatterns compiles lines of gitignore syntax, skipping blank lines,
// comments and malformed patterns as git does. base is the slash-separated
// directory the patterns are relative to (the directory holding the ignore
// file, relative to the walk root); "" or "." means the root.
func ParsePatterns(lines []string, base string) *Matcher {
	return pathmatch.Parse(lines, base)
}
