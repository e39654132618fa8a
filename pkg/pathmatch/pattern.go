package pathmatch

import (
	"strings"
	"unicode/utf8"
)

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

// Limits on patterns that Compile enforces: real ones are a few elements
// long. Matching is linear in the pattern's elements times the path's, but
// a bound keeps a hostile config file cheap. Paths deeper than maxPathSegs
// cannot exist (PATH_MAX is 4096 bytes), so Covers says no to them rather
// than spend time on them.
const (
	maxPatternLen  = 1024
	maxPatternSegs = 64
	maxPathSegs    = 4096
)

// Reasons a pattern can never match, which Compile reports. Parse skips such
// lines, as git does.
const (
	reasonEmpty     = "empty path pattern"
	reasonComment   = `a pattern starting with # is a comment in gitignore syntax (write \# for a literal #)`
	reasonRoot      = "pattern matches nothing but the root"
	reasonMalformed = `malformed path pattern (check [ ] and \)`
	reasonEmptySeg  = "empty segment (//) in path pattern"
	reasonLong      = "path pattern too long"
	reasonSegs      = "path pattern has too many segments"
)

// parsePattern compiles one line. reason is not empty for blank lines,
// comments and patterns that can never match. strict adds the checks only
// Compile makes: the size bounds, and empty segments (a//b), which git
// accepts and never matches.
func parsePattern(line string, strict bool) (p pattern, reason string) {
	if strict && len(line) > maxPatternLen {
		return p, reasonLong
	}
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return p, reasonEmpty
	}
	if line[0] == '#' {
		return p, reasonComment
	}
	p.text = line
	line = trimTrailingSpaces(line)
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	}
	if line == "/" {
		return p, reasonRoot
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
		return p, reasonEmpty
	}
	elems, ok := compileElems(line)
	if !ok {
		return p, reasonMalformed
	}
	if strict {
		if len(elems) > maxPatternSegs {
			return p, reasonSegs
		}
		for i := range elems {
			if elems[i].never() {
				return p, reasonEmptySeg
			}
		}
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
	return p, ""
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

// never reports an empty element (from "a//b"), which no path element
// matches.
func (e *elem) never() bool {
	return e.kind == elemGlob && len(e.toks) == 0 && !e.doubleStar
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
