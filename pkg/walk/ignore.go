package walk

import (
	"strings"
	"unicode/utf8"
)

// Matcher holds the patterns of one ignore file, or of the --exclude flags,
// compiled once. Patterns follow git's gitignore rules (gitignore(5)):
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
// A Matcher only looks at the path it is given: a file under an ignored
// directory is not ignored by Match. Walk gets git's "a file cannot be
// re-included if a parent directory is excluded" rule for free, because it
// never descends into an ignored directory.
//
// A Matcher is immutable and safe for concurrent use. A nil *Matcher matches
// nothing.
type Matcher struct {
	base     string // slash-separated directory, relative to the walk root; "" for the root
	patterns []pattern
}

// ParsePatterns compiles lines of gitignore syntax. base is the slash-separated
// directory the patterns are relative to (the directory holding the ignore
// file, relative to the walk root); "" or "." means the root.
func ParsePatterns(lines []string, base string) *Matcher {
	base = strings.Trim(strings.TrimPrefix(base, "./"), "/")
	if base == "." {
		base = ""
	}
	m := &Matcher{base: base}
	for _, l := range lines {
		if p, ok := parsePattern(l); ok {
			m.patterns = append(m.patterns, p)
		}
	}
	return m
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
// the walk root, as in Entry.Rel; isDir says whether it names a directory,
// for patterns ending in /. Paths outside the matcher's base never match.
func (m *Matcher) Match(rel string, isDir bool) (ignored, matched bool) {
	if m == nil || len(m.patterns) == 0 {
		return false, false
	}
	if m.base != "" {
		if len(rel) <= len(m.base) || rel[len(m.base)] != '/' || rel[:len(m.base)] != m.base {
			return false, false
		}
		rel = rel[len(m.base)+1:]
	}
	if rel == "" {
		return false, false
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
			return !p.negate, true
		}
	}
	return false, false
}

// pattern is one compiled line.
type pattern struct {
	negate   bool
	dirOnly  bool
	basename bool   // no slash in the pattern: elems holds one element, matched against the path's last element
	elems    []elem // one per slash-separated element of the pattern
	text     string // the line as written, for debugging
}

// elem matches one path element (a name without slashes), or, when
// doubleStar is set, any run of whole elements.
type elem struct {
	kind       elemKind
	lit        string // elemLiteral: the name; elemSuffix/elemPrefix: the fixed part
	toks       []token
	doubleStar bool
}

type elemKind uint8

const (
	elemGlob    elemKind = iota // general case: run toks
	elemLiteral                 // no wildcards: compare with lit
	elemSuffix                  // "*lit": the common *.ext
	elemPrefix                  // "lit*"
	elemAny                     // "*": any one element
)

type tokKind uint8

const (
	tokLit   tokKind = iota // a fixed string
	tokOne                  // ?
	tokStar                 // * (or a ** that is not a whole element)
	tokClass                // [...]
)

type token struct {
	kind  tokKind
	lit   string
	class *charClass
	stars int // tokStar: how many * were written in a row
}

// parsePattern compiles one line; ok is false for blank lines, comments and
// patterns that can never match.
func parsePattern(line string) (p pattern, ok bool) {
	line = strings.TrimSuffix(line, "\r")
	if line == "" || line[0] == '#' {
		return p, false
	}
	p.text = line
	line = trimTrailingSpaces(line)
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dirOnly = true
		line = line[:len(line)-1]
	}
	// git decides anchoring on the raw text: any slash left (even an
	// escaped one, or one inside [...]) anchors the pattern.
	p.basename = !strings.Contains(line, "/")
	if !p.basename {
		line = strings.TrimPrefix(line, "/") // only one, as git does; "//x" matches nothing
	}
	if line == "" {
		return p, false
	}
	elems, ok := compileElems(line)
	if !ok {
		return p, false
	}
	if p.basename {
		// ** inside a basename pattern is a plain *.
		if elems[0].doubleStar {
			elems[0] = elem{kind: elemAny}
		}
	} else if n := len(elems); elems[n-1].doubleStar {
		// A trailing /** matches everything inside, but not the directory
		// itself: it needs at least one more element.
		elems = append(elems[:n-1], elem{kind: elemAny}, elem{doubleStar: true})
	}
	p.elems = elems
	return p, true
}

// trimTrailingSpaces drops trailing spaces that are not escaped with a
// backslash (git trims spaces only, not tabs).
func trimTrailingSpaces(s string) string {
	run := -1 // start of the current run of unescaped spaces
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			if run < 0 {
				run = i
			}
		case '\\':
			i++
			if i >= len(s) {
				return s // trailing lone backslash: malformed, left for compileElems to reject
			}
			run = -1
		default:
			run = -1
		}
	}
	if run >= 0 {
		return s[:run]
	}
	return s
}

// compileElems splits a pattern into elements at unescaped slashes outside
// [...] and tokenizes each element.
func compileElems(s string) ([]elem, bool) {
	var (
		elems []elem
		toks  []token
		lit   strings.Builder
	)
	flushLit := func() {
		if lit.Len() > 0 {
			toks = append(toks, token{kind: tokLit, lit: lit.String()})
			lit.Reset()
		}
	}
	endElem := func() {
		flushLit()
		elems = append(elems, makeElem(toks))
		toks = nil
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '/':
			endElem()
			i++
		case '\\':
			if i+1 >= len(s) {
				return nil, false // trailing backslash: git never matches such a pattern
			}
			if s[i+1] == '/' {
				endElem()
				i += 2
				continue
			}
			_, w := utf8.DecodeRuneInString(s[i+1:])
			lit.WriteString(s[i+1 : i+1+w])
			i += 1 + w
		case '*':
			flushLit()
			n := 0
			for i < len(s) && s[i] == '*' {
				n++
				i++
			}
			toks = append(toks, token{kind: tokStar, stars: n})
		case '?':
			flushLit()
			toks = append(toks, token{kind: tokOne})
			i++
		case '[':
			cl, next, ok := parseClass(s, i+1)
			if !ok {
				return nil, false
			}
			flushLit()
			toks = append(toks, token{kind: tokClass, class: cl})
			i = next
		default:
			_, w := utf8.DecodeRuneInString(s[i:])
			lit.WriteString(s[i : i+w])
			i += w
		}
	}
	endElem()
	return elems, true
}

// makeElem classifies an element's tokens so that the common shapes match
// without running the general matcher.
func makeElem(toks []token) elem {
	switch {
	case len(toks) == 0:
		// An empty element (from "a//b" or a leading "/" left after the
		// anchor was stripped) can never match: path elements are never
		// empty. A glob with no tokens matches only "", so it is safe.
		return elem{kind: elemGlob}
	case len(toks) == 1 && toks[0].kind == tokStar:
		if toks[0].stars >= 2 {
			return elem{doubleStar: true}
		}
		return elem{kind: elemAny}
	case len(toks) == 1 && toks[0].kind == tokLit:
		return elem{kind: elemLiteral, lit: toks[0].lit}
	case len(toks) == 2 && toks[0].kind == tokStar && toks[1].kind == tokLit:
		return elem{kind: elemSuffix, lit: toks[1].lit}
	case len(toks) == 2 && toks[0].kind == tokLit && toks[1].kind == tokStar:
		return elem{kind: elemPrefix, lit: toks[0].lit}
	}
	return elem{kind: elemGlob, toks: toks}
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

// charClass is a compiled [...] expression.
type charClass struct {
	negate bool
	ranges []runeRange
	named  uint16 // bit set of POSIX classes
}

type runeRange struct{ lo, hi rune }

// POSIX classes, with ASCII meanings as in git (which uses the C locale).
var posixClasses = []struct {
	name string
	in   func(r rune) bool
}{
	{"alnum", func(r rune) bool { return isAlpha(r) || isDigit(r) }},
	{"alpha", isAlpha},
	{"blank", func(r rune) bool { return r == ' ' || r == '\t' }},
	{"cntrl", func(r rune) bool { return r < 0x20 || r == 0x7f }},
	{"digit", isDigit},
	{"graph", func(r rune) bool { return r > 0x20 && r < 0x7f }},
	{"lower", func(r rune) bool { return r >= 'a' && r <= 'z' }},
	{"print", func(r rune) bool { return r >= 0x20 && r < 0x7f }},
	{"punct", func(r rune) bool { return r > 0x20 && r < 0x7f && !isAlpha(r) && !isDigit(r) }},
	{"space", func(r rune) bool { return r == ' ' || (r >= '\t' && r <= '\r') }},
	{"upper", func(r rune) bool { return r >= 'A' && r <= 'Z' }},
	{"xdigit", func(r rune) bool { return isDigit(r) || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F') }},
}

func isAlpha(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func (c *charClass) match(r rune) bool {
	in := false
	for _, rg := range c.ranges {
		if r >= rg.lo && r <= rg.hi {
			in = true
			break
		}
	}
	if !in && c.named != 0 {
		for i, pc := range posixClasses {
			if c.named&(1<<i) != 0 && pc.in(r) {
				in = true
				break
			}
		}
	}
	return in != c.negate
}

// parseClass parses a [...] expression whose body starts at s[i] (just after
// the [). It returns the index after the closing ]. ok is false when the
// class is unterminated or names an unknown [:class:]; git then matches
// nothing.
func parseClass(s string, i int) (c *charClass, next int, ok bool) {
	c = &charClass{}
	if i < len(s) && (s[i] == '!' || s[i] == '^') {
		c.negate = true
		i++
	}
	for first := true; ; first = false {
		if i >= len(s) {
			return nil, 0, false
		}
		if s[i] == ']' && !first {
			return c, i + 1, true
		}
		var lo rune
		switch {
		case s[i] == '\\':
			i++
			if i >= len(s) {
				return nil, 0, false
			}
			r, w := utf8.DecodeRuneInString(s[i:])
			lo = r
			i += w
		case s[i] == '[' && i+1 < len(s) && s[i+1] == ':':
			j := strings.IndexByte(s[i+2:], ']')
			if j < 0 {
				return nil, 0, false
			}
			body := s[i+2 : i+2+j]
			if name, isNamed := strings.CutSuffix(body, ":"); isNamed {
				k := classIndex(name)
				if k < 0 {
					return nil, 0, false // unknown class: git treats the pattern as malformed
				}
				c.named |= 1 << k
				i += 2 + j + 1
				continue // a class cannot start a range
			}
			// No ":]": the [ is an ordinary member.
			lo = '['
			i++
		default:
			r, w := utf8.DecodeRuneInString(s[i:])
			lo = r
			i += w
		}
		hi := lo
		if i+1 < len(s) && s[i] == '-' && s[i+1] != ']' {
			i++
			if s[i] == '\\' {
				i++
				if i >= len(s) {
					return nil, 0, false
				}
			}
			r, w := utf8.DecodeRuneInString(s[i:])
			hi = r
			i += w
		}
		if hi < lo {
			// A reversed range is empty, but git tests its first
			// character on its own before it sees the "-".
			hi = lo
		}
		c.ranges = append(c.ranges, runeRange{lo, hi})
	}
}

func classIndex(name string) int {
	for i, pc := range posixClasses {
		if pc.name == name {
			return i
		}
	}
	return -1
}
