// Package pathmatch compiles gitignore-style path patterns and matches
// slash-separated paths relative to a base folder against them. It is the
// one matcher behind --exclude and the ignore files (pkg/walk), `allow:`
// paths (pkg/allow) and policy locations and exceptions (pkg/policy), so
// that a pattern means the same thing wherever a user writes it.
//
// The syntax is git's (gitignore(5)); see Matcher for the rules and the two
// places where we deliberately differ. Two ways in, because the callers
// want different things from a bad pattern: Parse reads an ignore file as
// git does, skipping comments, blank lines and malformed lines in silence,
// while Compile is for patterns a user listed one by one in a config file,
// where a pattern that can never match is a mistake, so it is an error
// (*PatternError) naming the pattern, within bounds on the pattern's size.
//
// Two questions can be asked. Match looks at one path alone: the walk asks
// it about each entry and prunes an ignored folder itself. Covers also
// looks at the folders above the path, the shallowest first, as git does
// when it stops at an ignored folder: allow and policy ask whether a file
// lies in a matched place, and want to know which pattern said so. Covers
// steps one small automaton per pattern through the path's elements, so a
// pattern full of ** against a deep path costs pattern × path elements,
// never more.
package pathmatch
