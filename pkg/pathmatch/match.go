package pathmatch

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Matcher holds gitignore-style patterns compiled once. Patterns follow
// git's gitignore rules (gitignore(5)):
//
//   - a blank line matches nothing; a line starting with # is a comment;
//     \# and \! start a pattern with a literal # or !
//   - trailing spaces are dropped unless escaped with a backslash; a
//     trailing carriage return (CRLF files) is dropped too, as git does
//   - a leading ! negates: a path it matches is not ignored
//   - a trailing / makes the pattern match directories only
//   - a pattern with a / at the start or in the middle is anchored: it is
//     matched against the whole path relative to the base directory. A
//     pattern without one is matched against the last element of the path
//     at any depth
//   - * and ? match anything but /, [...] is a character class (ranges,
//     ! or ^ to negate, [:alpha:] and the other POSIX classes), a backslash
//     escapes the next character
//   - ** as a whole path element matches any number of directories:
//     **/x matches x anywhere, a/**/b matches a/b and a/x/y/b, and a
//     trailing /** matches everything inside. Elsewhere ** is a plain *
//   - the last pattern that matches a path decides
//
// Malformed patterns (an unterminated [, an unknown [:class:] or a trailing
// lone backslash) match nothing, as in git. Two deliberate differences from
// git's code, both where it departs from its manual: ? and [...] match one
// character (a UTF-8 code point) where git compares bytes, which matters
// only for non-ASCII names; and a ** next to other characters is always a
// plain *, where git lets it cross directories in an anchored pattern whose
// only earlier characters are literal (git matches x**/y against x/y).
//
// A Matcher is immutable and safe for concurrent use. A nil *Matcher matches
// nothing.
type Matcher struct {
	base     string // slash-separated directory the patterns are relative to; "" for the root
	patterns []pattern
	states   int // automaton states of all anchored patterns: the scratch space Covers needs
}

// PatternError says why Compile rejected a pattern.
type PatternError struct {
	Pattern string // as given
	Index   int    // its position in the list given to Compile
	Reason  string
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("path pattern %q: %s", e.Pattern, e.Reason)
}

// Parse compiles the lines of an ignore file, as git reads them: blank
// lines, comments and malformed patterns are skipped. base is the
// slash-separated directory the patterns are relative to (the directory
// holding the ignore file, relative to the walk root); "" or "." means the
// root.
func Parse(lines []string, base string) *Matcher {
	m := &Matcher{base: cleanBase(base)}
	for _, l := range lines {
		if p, reason := parsePattern(l, false); reason == "" {
			m.add(p)
		}
	}
	return m
}

// Compile compiles patterns a user listed one by one (a config file's
// paths), relative to base as in Parse. Every pattern must be able to
// match: a blank or comment line, a malformed pattern, an empty segment
// (a//b), or one over the bounds (1024 bytes, 64 segments) is a
// *PatternError.
func Compile(patterns []string, base string) (*Matcher, error) {
	m := &Matcher{base: cleanBase(base)}
	for i, s := range patterns {
		p, reason := parsePattern(s, true)
		if reason != "" {
			return nil, &PatternError{Pattern: s, Index: i, Reason: reason}
		}
		m.add(p)
	}
	return m, nil
}

func cleanBase(base string) string {
	base = strings.Trim(strings.TrimPrefix(base, "./"), "/")
	if base == "." {
		return ""
	}
	return base
}

func (m *Matcher) add(p pattern) {
	m.patterns = append(m.patterns, p)
	if !p.basename {
		m.states += len(p.elems) + 1
	}
}

// Len reports how many patterns can match (comments, blank lines and
// malformed patterns are not counted).
func (m *Matcher) Len() int {
	if m == nil {
		return 0
	}
	return len(m.patterns)
}

// Match reports whether the last pattern matching rel ignores it (ignored)
// and whether any pattern matched at all (matched). When matched is false
// the decision belongs to a matcher of lower precedence (an ignore file
// higher up the tree). rel is the clean, slash-separated path relative to
// the walk root; isDir says whether it names a directory, for patterns
// ending in /. Paths outside the matcher's base never match.
//
// Match only looks at the path it is given: a file under an ignored
// directory is not ignored by Match. The walk gets git's "a file cannot be
// re-included if a parent directory is excluded" rule for free, because it
// never descends into an ignored directory; Covers applies it by itself.
func (m *Matcher) Match(rel string, isDir bool) (ignored, matched bool) {
	i := m.decide(rel, isDir)
	if i < 0 {
		return false, false
	}
	return !m.patterns[i].negate, true
}

// decide returns the index of the last pattern matching rel, or -1.
func (m *Matcher) decide(rel string, isDir bool) int {
	rel, ok := m.relative(rel)
	if !ok {
		return -1
	}
	name := rel[strings.LastIndexByte(rel, '/')+1:]
	for i := len(m.patterns) - 1; i >= 0; i-- {
		p := &m.patterns[i]
		if p.dirOnly && !isDir {
			continue
		}
		var ok bool
		if p.basename {
			ok = p.elems[0].match(name)
		} else {
			ok = matchElems(p.elems, rel)
		}
		if ok {
			return i
		}
	}
	return -1
}

// relative strips the base from rel; ok is false when rel is not inside it
// or nothing could match.
func (m *Matcher) relative(rel string) (string, bool) {
	if m == nil || len(m.patterns) == 0 {
		return "", false
	}
	if m.base != "" {
		if len(rel) <= len(m.base) || rel[len(m.base)] != '/' || rel[:len(m.base)] != m.base {
			return "", false
		}
		rel = rel[len(m.base)+1:]
	}
	return rel, rel != ""
}

// Covers reports whether rel, or a folder above it (still inside the
// base), is ignored by the patterns, and the pattern that decided, as
// written. It is git's rule that everything inside an excluded folder is
// excluded: the folders are looked at from the shallowest down, each
// decided by its last matching pattern, so a negation can re-include a
// folder or file only if no folder above it is excluded. isDir says
// whether rel itself is a folder. Paths deeper than 4096 elements are
// never covered.
func (m *Matcher) Covers(rel string, isDir bool) (pattern string, ok bool) {
	rel, ok = m.relative(rel)
	if !ok || strings.Count(rel, "/") >= maxPathSegs {
		return "", false
	}
	// One automaton per anchored pattern, stepped element by element: its
	// states say which prefixes of the pattern the elements read so far
	// match. The scratch space stays on the stack for the usual few short
	// patterns.
	var buf [128]bool
	var states []bool
	if m.states <= len(buf) {
		states = buf[:m.states]
	} else {
		states = make([]bool, m.states)
	}
	off := 0
	for i := range m.patterns {
		p := &m.patterns[i]
		if !p.basename {
			start(p.elems, states[off:off+len(p.elems)+1])
			off += len(p.elems) + 1
		}
	}
	for pos := 0; ; {
		name, next := elemAt(rel, pos)
		last := next > len(rel)
		asDir := isDir || !last
		decided := -1
		off := 0
		for i := range m.patterns {
			p := &m.patterns[i]
			var hit bool
			if p.basename {
				hit = p.elems[0].match(name)
			} else {
				hit = step(p.elems, states[off:off+len(p.elems)+1], name)
				off += len(p.elems) + 1
			}
			if hit && (asDir || !p.dirOnly) {
				decided = i
			}
		}
		if decided >= 0 && !m.patterns[decided].negate {
			return m.patterns[decided].text, true
		}
		if last {
			return "", false
		}
		pos = next
	}
}

// start sets an anchored pattern's automaton to "nothing read": state i
// means elems[:i] match the elements read so far, and a ** may match none.
func start(elems []elem, st []bool) {
	clear(st)
	st[0] = true
	closeStars(elems, st)
}

// step reads one path element and reports whether the whole pattern now
// matches the elements read. It updates st in place from the last state
// down, so each state is computed from the ones before the element was read.
func step(elems []elem, st []bool, name string) bool {
	for j := len(elems); j >= 0; j-- {
		// Stay on a ** (it eats the element), or move past an element that
		// matches it.
		now := j < len(elems) && st[j] && elems[j].doubleStar
		if !now && j > 0 && st[j-1] && !elems[j-1].doubleStar {
			now = elems[j-1].match(name)
		}
		st[j] = now
	}
	closeStars(elems, st)
	return st[len(elems)]
}

// closeStars lets each reached ** match no element.
func closeStars(elems []elem, st []bool) {
	for j := range elems {
		if st[j] && elems[j].doubleStar {
			st[j+1] = true
		}
	}
}

func (e *elem) match(name string) bool {
	switch e.kind {
	case elemLiteral:
		return name == e.lit
	case elemSuffix:
		return strings.HasSuffix(name, e.lit)
	case elemPrefix:
		return strings.HasPrefix(name, e.lit)
	case elemAny:
		return true
	}
	return matchToks(e.toks, name)
}

// matchToks matches one path element against a glob. Every token but * has
// a fixed length, so remembering only the last * and retrying it one
// character longer on a mismatch is enough: the run time is
// O(len(toks)·len(name)), never exponential.
func matchToks(toks []token, s string) bool {
	ti, si := 0, 0
	starTi, starSi := -1, 0
	for {
		if ti < len(toks) {
			t := &toks[ti]
			switch t.kind {
			case tokStar:
				if ti == len(toks)-1 {
					return true
				}
				starTi, starSi = ti, si
				ti++
				continue
			case tokLit:
				if strings.HasPrefix(s[si:], t.lit) {
					ti++
					si += len(t.lit)
					continue
				}
			case tokOne:
				if si < len(s) {
					_, w := utf8.DecodeRuneInString(s[si:])
					ti++
					si += w
					continue
				}
			case tokClass:
				if si < len(s) {
					r, w := utf8.DecodeRuneInString(s[si:])
					if t.class.match(r) {
						ti++
						si += w
						continue
					}
				}
			}
		} else if si == len(s) {
			return true
		}
		if starTi < 0 || starSi >= len(s) {
			return false
		}
		_, w := utf8.DecodeRuneInString(s[starSi:])
		starSi += w
		ti, si = starTi+1, starSi
	}
}

// matchElems matches a slash-separated path against pattern elements, with
// ** standing for any run of elements. It is matchToks one level up: each
// other element matches exactly one path element, so the same last-star
// backtracking is enough. Positions are byte offsets of element starts;
// len(path)+1 means the whole path was consumed.
func matchElems(elems []elem, path string) bool {
	end := len(path) + 1
	ei, pi := 0, 0
	starEi, starPi := -1, 0
	for {
		if ei < len(elems) {
			e := &elems[ei]
			if e.doubleStar {
				if ei == len(elems)-1 {
					return true
				}
				starEi, starPi = ei, pi
				ei++
				continue
			}
			if pi < end {
				name, next := elemAt(path, pi)
				if e.match(name) {
					ei++
					pi = next
					continue
				}
			}
		} else if pi == end {
			return true
		}
		if starEi < 0 || starPi >= end {
			return false
		}
		_, starPi = elemAt(path, starPi)
		ei, pi = starEi+1, starPi
	}
}

// elemAt returns the path element starting at byte offset i and the offset
// of the next one (len(path)+1 after the last).
func elemAt(path string, i int) (name string, next int) {
	j := strings.IndexByte(path[i:], '/')
	if j < 0 {
		return path[i:], len(path) + 1
	}
	return path[i : i+j], i + j + 1
}
