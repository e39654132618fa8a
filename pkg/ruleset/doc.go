// Package ruleset reads detector rule files (YAML), merges user files over
// the built-in ones, and compiles the result once into an immutable Ruleset.
//
// The file format (ruleSpec) is kept apart from the compiled form (Rule):
// only compiled rules leave the package. Every problem is reported as an
// *Error naming the file and line, because a rule file is something users
// edit by hand.
//
// Patterns use regexp2 (.NET) syntax so that lookarounds work, but a pattern
// that is also valid RE2 is compiled with Go's regexp, which is several times
// faster; both engines get ASCII \d, \w and \b so a rule means the same
// whichever engine runs it. Each pattern is analysed once to derive cheap
// prefilters (how many digits every match holds, which bytes every match
// contains) so the detector can skip most lines without running a regex.
// The built-in patterns that match on nearly every row of a customer table
// (emails, phones, card numbers, national ids) also have hand-written
// matchers (fast.go) that find exactly what their expression finds, at a
// fraction of the cost; tests and fuzzing hold each to its expression.
package ruleset
