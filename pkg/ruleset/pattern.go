package ruleset

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// ErrTimeout is returned by FindAll and AppendMatches when a regexp2 match exceeded MatchTimeout.
var ErrTimeout = errors.New("pattern match timed out")

// Pattern is one compiled regular expression of a rule.
type Pattern struct {
	Source          string
	ContextRequired bool
	// MinDigits is the least number of ASCII digits any match contains;
	// text with fewer digits cannot match.
	MinDigits int
	// Required holds bytes every match contains ('@' for an email): text
	// lacking one of them cannot match.
	Required []byte
	// AnyOf, when set, holds a few bytes of which every match contains at
	// least one ('=' or ':' after "password"): text with none of them
	// cannot match.
	AnyOf []byte
	// Window, when set, lets the engine run the pattern on small windows
	// around anchor bytes instead of whole lines (see Window).
	Window *Window

	re  *regexp.Regexp
	re2 *regexp2.Regexp
	// pre is the regexp2 pattern with its lookarounds removed, compiled
	// with Go's regexp: it matches a superset of the pattern's matches, so
	// a line it does not match is skipped without running regexp2 (which
	// is several times slower).
	pre   *regexp.Regexp
	value int // submatch index of the group named "value"; 0 = whole match
	// fast, when set, is a hand-written matcher that finds exactly what
	// the expression finds (see fastMatchers).
	fast matcher
	// whole is set for a Go pattern anchored at both ends (^...$), such
	// as an exclusion: it can only match a value of wholeMin to wholeMax
	// bytes, which Match checks before running it.
	whole              bool
	wholeMin, wholeMax int
}

// Engine names the engine that runs the pattern: "re2" (Go's regexp) or
// "regexp2" (backtracking, for lookarounds and backreferences).
func (p *Pattern) Engine() string {
	if p.re != nil {
		return "re2"
	}
	return "regexp2"
}

func compilePattern(src string, prefilter bool) (*Pattern, error) {
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("empty pattern")
	}
	p := &Pattern{Source: src}
	if re, err := regexp.Compile(src); err == nil {
		p.re = re
		p.value = re.SubexpIndex("value")
		if p.value < 0 {
			p.value = 0
		}
		p.whole, p.wholeMin, p.wholeMax = wholeBounds(src)
	} else {
		// RE2 option: ASCII \d, \w, \s and \b, as in Go's regexp, so a
		// pattern means the same whichever engine runs it.
		re2, err2 := regexp2.Compile(src, regexp2.RE2)
		if err2 != nil {
			return nil, fmt.Errorf("invalid pattern %q: %v", src, err2)
		}
		re2.MatchTimeout = MatchTimeout
		p.re2 = re2
		if stripped := stripLookarounds(src); stripped != src {
			p.pre, _ = regexp.Compile(stripped)
		}
		p.value = re2.GroupNumberFromName("value")
		if p.value < 0 {
			p.value = 0
		}
	}
	p.fast = fastMatchers[src]
	if prefilter {
		p.MinDigits, p.Required = analyse(src)
		p.AnyOf = anyOf(src)
		p.Window = analyseWindow(src)
	}
	return p, nil
}

// FindAll calls fn with the byte span of each match's value (the group
// named "value", else the whole match), left to right, non-overlapping.
func (p *Pattern) FindAll(b []byte, fn func(start, end int)) error {
	m, err := p.AppendMatches(nil, b)
	for i := 0; i+1 < len(m); i += 2 {
		fn(m[i], m[i+1])
	}
	return err
}

// AppendMatches appends the spans FindAll finds to dst as start, end
// pairs. With a reused dst, a pattern with a hand-written matcher finds
// without allocating.
func (p *Pattern) AppendMatches(dst []int, b []byte) ([]int, error) {
	if p.fast != nil {
		return p.fast(dst, b), nil
	}
	return p.AppendMatchesRegex(dst, b)
}

// Fast reports whether a hand-written matcher stands in for the
// expression in FindAll.
func (p *Pattern) Fast() bool { return p.fast != nil }

// AppendMatchesRegex is AppendMatches run by the regular expression even
// where a hand-written matcher exists: the equivalence tests compare the
// two.
func (p *Pattern) AppendMatchesRegex(dst []int, b []byte) ([]int, error) {
	if p.re != nil {
		for _, m := range p.re.FindAllSubmatchIndex(b, -1) {
			if s, e := m[2*p.value], m[2*p.value+1]; s >= 0 {
				dst = append(dst, s, e)
			}
		}
		return dst, nil
	}
	return p.findAll2(dst, b)
}

// findAll2 runs regexp2, which works on runes: offsets are mapped back to
// bytes.
func (p *Pattern) findAll2(dst []int, b []byte) ([]int, error) {
	if p.pre != nil && !p.pre.Match(b) {
		return dst, nil
	}
	runes := []rune(string(b))
	var offs []int // rune index -> byte offset, built lazily
	byteOff := func(ri int) int {
		if offs == nil {
			// Decode again rather than summing RuneLen: an invalid byte
			// became U+FFFD, three bytes long, but took one byte of b.
			offs = make([]int, 0, len(runes)+1)
			for o := 0; o < len(b); {
				offs = append(offs, o)
				_, n := utf8.DecodeRune(b[o:])
				o += n
			}
			offs = append(offs, len(b))
		}
		return offs[ri]
	}
	// The timeout is wall-clock time, so a busy machine that deschedules
	// the scan can trip it on a harmless input. Matches are held back
	// until a run completes, and a timed-out run is tried once more: a
	// pathological pattern times out twice, a preempted one does not.
	var spans [][2]int
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		spans = spans[:0]
		var m *regexp2.Match
		m, err = p.re2.FindRunesMatch(runes)
		for err == nil && m != nil {
			g := m.GroupByNumber(p.value)
			if g != nil && len(g.Captures) > 0 {
				spans = append(spans, [2]int{g.Index, g.Index + g.Length})
			}
			m, err = p.re2.FindNextMatch(m)
		}
		if err == nil || !strings.Contains(err.Error(), "timeout") {
			break
		}
	}
	if err != nil {
		if strings.Contains(err.Error(), "timeout") {
			return dst, ErrTimeout
		}
		return dst, err
	}
	for _, sp := range spans {
		dst = append(dst, byteOff(sp[0]), byteOff(sp[1]))
	}
	return dst, nil
}

// MatchString reports whether the pattern matches anywhere in s.
func (p *Pattern) MatchString(s string) bool {
	if p.whole && (len(s) < p.wholeMin || len(s) > p.wholeMax) {
		return false
	}
	if p.re != nil {
		return p.re.MatchString(s)
	}
	ok, err := p.re2.MatchString(s)
	return err == nil && ok
}

// Match is MatchString for bytes.
func (p *Pattern) Match(b []byte) bool {
	if p.whole && (len(b) < p.wholeMin || len(b) > p.wholeMax) {
		return false
	}
	if p.re != nil {
		return p.re.Match(b)
	}
	ok, err := p.re2.MatchString(string(b))
	return err == nil && ok
}

// wholeBounds reports whether the Go pattern src is anchored at the start
// and the end of the text, and if so the fewest and most bytes a match
// spans.
func wholeBounds(src string) (whole bool, lo, hi int) {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return false, 0, 0
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText || re.Sub[len(re.Sub)-1].Op != syntax.OpEndText {
		return false, 0, 0
	}
	return true, minLen(re), maxLen(re)
}

// analyse derives prefilters from a pattern. Lookarounds are zero-width, so
// they are removed first; a pattern that still is not RE2 syntax gets no
// prefilter (it runs on every line), which is slow but never wrong.
func analyse(src string) (minDigits int, required []byte) {
	re, err := syntax.Parse(stripLookarounds(src), syntax.Perl)
	if err != nil {
		return 0, nil
	}
	re = re.Simplify()
	set := requiredBytes(re)
	for c := 0; c < 256; c++ {
		if set[c] {
			required = append(required, byte(c))
		}
	}
	return minDigitCount(re), required
}

// maxAnyOf bounds AnyOf: checking more bytes than this costs about as
// much as the work it saves.
const maxAnyOf = 4

// anyOf finds a small set of bytes of which every match contains one.
func anyOf(src string) []byte {
	re, err := syntax.Parse(stripLookarounds(src), syntax.Perl)
	if err != nil {
		return nil
	}
	set := mustOneOf(re.Simplify())
	var out []byte
	for c := 0; c < 256; c++ {
		if set != nil && set[c] {
			out = append(out, byte(c))
		}
	}
	if len(out) == 0 || len(out) > maxAnyOf {
		return nil
	}
	return out
}

// mustOneOf returns a set of ASCII bytes of which every match of re
// contains at least one, or nil when it finds no small one.
func mustOneOf(re *syntax.Regexp) *byteSet {
	size := func(s *byteSet) int {
		n := 0
		for _, b := range s {
			if b {
				n++
			}
		}
		return n
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r < utf8.RuneSelf && (re.Flags&syntax.FoldCase == 0 || !isLetter(r)) {
				var s byteSet
				s[r] = true
				return &s
			}
		}
	case syntax.OpCharClass:
		var s byteSet
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1] >= utf8.RuneSelf || re.Rune[i+1]-re.Rune[i] >= maxAnyOf {
				return nil
			}
			for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
				s[c] = true
			}
		}
		if n := size(&s); n > 0 && n <= maxAnyOf {
			return &s
		}
	case syntax.OpCapture, syntax.OpPlus:
		return mustOneOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return mustOneOf(re.Sub[0])
		}
	case syntax.OpConcat:
		var best *byteSet
		for _, sub := range re.Sub {
			if s := mustOneOf(sub); s != nil && (best == nil || size(s) < size(best)) {
				best = s
			}
		}
		return best
	case syntax.OpAlternate:
		var u byteSet
		for _, sub := range re.Sub {
			s := mustOneOf(sub)
			if s == nil {
				return nil
			}
			for c := range s {
				u[c] = u[c] || s[c]
			}
		}
		if n := size(&u); n > 0 && n <= maxAnyOf {
			return &u
		}
	}
	return nil
}

func isDigitClass(re *syntax.Regexp) bool {
	if re.Op != syntax.OpCharClass || len(re.Rune) == 0 {
		return false
	}
	for i := 0; i+1 < len(re.Rune); i += 2 {
		if re.Rune[i] < '0' || re.Rune[i+1] > '9' {
			return false
		}
	}
	return true
}

// minDigitCount is the fewest ASCII digits a match of re contains.
func minDigitCount(re *syntax.Regexp) int {
	return minCount(re, func(re *syntax.Regexp) int {
		switch re.Op {
		case syntax.OpLiteral:
			n := 0
			for _, r := range re.Rune {
				if r >= '0' && r <= '9' {
					n++
				}
			}
			return n
		case syntax.OpCharClass:
			if isDigitClass(re) {
				return 1
			}
		}
		return 0
	})
}

type byteSet [256]bool

// requiredBytes is the set of ASCII bytes that every match must contain.
// Case-folded letters are left out: they can appear in either case.
func requiredBytes(re *syntax.Regexp) byteSet {
	var s byteSet
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r < 128 && (re.Flags&syntax.FoldCase == 0 || !isLetter(r)) {
				s[r] = true
			}
		}
	case syntax.OpCharClass:
		if len(re.Rune) == 2 && re.Rune[0] == re.Rune[1] && re.Rune[0] < 128 {
			s[re.Rune[0]] = true
		}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredBytes(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return requiredBytes(re.Sub[0])
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			t := requiredBytes(sub)
			for c := range t {
				s[c] = s[c] || t[c]
			}
		}
	case syntax.OpAlternate:
		for i, sub := range re.Sub {
			t := requiredBytes(sub)
			if i == 0 {
				s = t
				continue
			}
			for c := range s {
				s[c] = s[c] && t[c]
			}
		}
	}
	return s
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// WithoutLookarounds is the pattern with its lookarounds removed: it
// matches a superset of the pattern's matches, in RE2 syntax when the
// pattern used lookarounds only. Benchmarks hand it to ripgrep.
func (p *Pattern) WithoutLookarounds() string { return stripLookarounds(p.Source) }

// stripLookarounds removes (?=...), (?!...), (?<=...) and (?<!...) groups.
func stripLookarounds(src string) string {
	var b strings.Builder
	for i := 0; i < len(src); {
		if la := lookaroundLen(src[i:]); la > 0 {
			end := groupEnd(src, i)
			if end < 0 {
				return src
			}
			i = end
			continue
		}
		c := src[i]
		if c == '\\' && i+1 < len(src) {
			b.WriteString(src[i : i+2])
			i += 2
			continue
		}
		if c == '[' {
			end := classEnd(src, i)
			if end < 0 {
				return src
			}
			b.WriteString(src[i:end])
			i = end
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func lookaroundLen(s string) int {
	for _, p := range []string{"(?<=", "(?<!", "(?=", "(?!"} {
		if strings.HasPrefix(s, p) {
			return len(p)
		}
	}
	return 0
}

// groupEnd returns the index just past the group opening at i.
func groupEnd(src string, i int) int {
	depth := 0
	for j := i; j < len(src); {
		switch src[j] {
		case '\\':
			j += 2
			continue
		case '[':
			k := classEnd(src, j)
			if k < 0 {
				return -1
			}
			j = k
			continue
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
		j++
	}
	return -1
}

// classEnd returns the index just past the character class opening at i.
func classEnd(src string, i int) int {
	j := i + 1
	if j < len(src) && src[j] == '^' {
		j++
	}
	if j < len(src) && src[j] == ']' {
		j++
	}
	for j < len(src) {
		switch src[j] {
		case '\\':
			j += 2
			continue
		case ']':
			return j + 1
		}
		j++
	}
	return -1
}
