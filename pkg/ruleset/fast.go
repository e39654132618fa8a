package ruleset

import (
	"unicode/utf8"

	"github.com/dlclark/regexp2/syntax"
)

// A matcher is a hand-written equivalent of one built-in pattern: it
// appends the span (start, end) of each match's value to dst, left to
// right, exactly as Pattern.AppendMatches does with the expression. On the
// short windows and cells the engine hands it, an expression costs
// 0.3-1 µs a run, mostly setup; a matcher costs a few nanoseconds a byte
// and allocates nothing (issue 5).
//
// Each matcher emulates the expression's leftmost-first search: values are
// tried from left to right, and at each one the expression's alternatives
// and repetition counts in the order its backtracking would try them, so
// that greedy choices and \b land where the expression's do. A search
// resumes where the previous match ended, which matters for the prefix
// "(?:^|[^...])": its one-byte prefix may not reach back into a match.
// TestFastEqualsRegex and FuzzFast compare every matcher with its
// expression on generated and adversarial input.
type matcher func(dst []int, b []byte) []int

// fastMatchers maps a built-in pattern's source, as the YAML spells it, to
// its matcher. A user rule with the same source gets the matcher too; any
// other source runs its regular expression. TestBuiltinFast fails when an
// edit to a built-in pattern loses its matcher.
var fastMatchers = map[string]matcher{
	// contact.yaml
	`(?:^|[^\w.%+-])(?P<value>[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]+)\b`: findEmail,
	`(?:^|[^\w+])(?P<value>\+[1-9][\d \-.()]{5,20}\d)\b`:    findPhoneIntl,
	`(?:^|[^\w+.,/:-])(?P<value>\(?\d[\d \-.()]{5,18}\d)\b`: findPhoneNational,
	// financial.yaml
	`(?:^|[^\w.,+-])(?P<value>\d{13,19})\b`:                                                           findCardCompact,
	`(?:^|[^\w.,+-])(?P<value>\d{4}(?: \d{4}){2,3}(?: \d{1,4})?|\d{4}(?:-\d{4}){2,3}(?:-\d{1,4})?)\b`: findCardGrouped,
	`(?:^|[^\w.,+-])(?P<value>\d{4}[ -]\d{6}[ -]\d{4,5})\b`:                                           findCard465,
	// government_id.yaml
	`(?:^|[^\w.-])(?P<value>\d{3}-\d{2}-\d{4})\b`:                   findSSNDashed,
	`(?<!\d )(?<![\w-])(?P<value>[2-9]\d{3} \d{4} \d{4})\b(?! ?\d)`: findAadhaarSpaced,
	`(?<![\w-])(?P<value>[2-9]\d{3}-\d{4}-\d{4})(?![\w-])`:          findAadhaarDashed,
	`(?<![\d-])\b(?P<value>[2-9]\d{11})\b(?![ -]?\d)`:               findAadhaarCompact,
	`(?<![\d-])\b(?P<value>\d{3} \d{2} \d{4}|\d{9})\b(?![ -]?\d)`:   findSSNContext,
	`(?<![\d-])\b(?P<value>\d{3}[ -]?\d{3}[ -]?\d{3})\b(?![ -]?\d)`: findSIN,
	`(?<![\d.-])\b(?P<value>\d{11})\b(?![.-]?\d)`:                   findCPFCompact,
	`(?:^|[^\w.-])(?P<value>\d{3}\.\d{3}\.\d{3}-\d{2})\b`:           findCPFFormatted,
}

// newByteSet returns the set of the bytes of chars. The sets here are of
// ASCII characters: bytes from 0x80 up are out, which is what a negated
// class needs for non-ASCII runes (and the U+FFFD of an invalid byte).
func newByteSet(chars string) *[256]bool {
	var s [256]bool
	for i := 0; i < len(chars); i++ {
		s[chars[i]] = true
	}
	return &s
}

const (
	wordChars  = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
	alnumChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

var (
	// The bytes each pattern's "[^...]" prefix class excludes.
	notCardPrefix    = newByteSet(wordChars + ".,+-")
	notPhoneIntl     = newByteSet(wordChars + "+")
	notPhoneNational = newByteSet(wordChars + "+.,/:-")
	notSSNPrefix     = newByteSet(wordChars + ".-")
	emailLocal       = newByteSet(alnumChars + "._%+-") // also [^\w.%+-]'s complement
	emailFirst       = newByteSet(alnumChars + "_%+-")
	emailDomainByte  = newByteSet(alnumChars + "-")
	phoneBody        = newByteSet("0123456789 -.()")
	wordByte         = newByteSet(wordChars)
	wordOrDash       = newByteSet(wordChars + "-")
	letterByte       = newByteSet(alnumChars[10:])
	alnumByte        = newByteSet(alnumChars)
	digitByte        = newByteSet("0123456789")
	digitOrDash      = newByteSet("0123456789-")
	digitDashDot     = newByteSet("0123456789.-")
)

func isDigit(c byte) bool { return c-'0' < 10 }

// prefixed reports whether a value may start at v under "(?:^|[^...])",
// the class excluding the bytes in not, when the search resumed at pos:
// either v is the start of the text, or the rune before v is outside the
// class and lies after pos. Every value starts with an ASCII byte, which
// is always a rune boundary, and a search resumes just after an ASCII
// byte, so the rune before v starts at or after pos exactly when v > pos.
func prefixed(b []byte, pos, v int, not *[256]bool) bool {
	if v == 0 {
		return pos == 0
	}
	return v > pos && !not[b[v-1]]
}

// digitsAt reports whether b[i:i+n] holds n ASCII digits.
func digitsAt(b []byte, i, n int) bool {
	if i < 0 || i+n > len(b) {
		return false
	}
	for _, c := range b[i : i+n] {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// endsWord reports whether Go's \b holds at e after a word byte: e is the
// end of the text or b[e] is not an ASCII word byte.
func endsWord(b []byte, e int) bool { return e == len(b) || !wordByte[b[e]] }

// endsWord2 is endsWord for regexp2, whose \b treats every Unicode letter,
// digit, mark and connector (and ZWJ/ZWNJ) as a word character even in
// RE2 mode.
func endsWord2(b []byte, e int) bool {
	if e == len(b) {
		return true
	}
	if c := b[e]; c < utf8.RuneSelf {
		return !wordByte[c]
	}
	r, _ := utf8.DecodeRune(b[e:])
	return !syntax.IsWordChar(r)
}

// startsWord2 is regexp2's \b before a word byte at v: v is the start of
// the text or the rune before v is not a word character.
func startsWord2(b []byte, v int) bool {
	if v == 0 {
		return true
	}
	if c := b[v-1]; c < utf8.RuneSelf {
		return !wordByte[c]
	}
	r, _ := utf8.DecodeLastRune(b[:v])
	return !syntax.IsWordChar(r)
}

// at reports whether b[i] exists and is in set.
func at(b []byte, i int, set *[256]bool) bool { return i >= 0 && i < len(b) && set[b[i]] }

// runEnd returns the end of the run of set bytes starting at i.
func runEnd(b []byte, i int, set *[256]bool) int {
	for i < len(b) && set[b[i]] {
		i++
	}
	return i
}

// findDigitValues drives the matchers whose values start with a digit
// after a "(?:^|[^\w...])" prefix: such a value starts a digit run, so
// only run starts are tried. valueAt returns the end of the value at v, or
// -1.
func findDigitValues(dst []int, b []byte, not *[256]bool, valueAt func(b []byte, v int) int) []int {
	pos := 0
	for v := 0; v < len(b); v++ {
		if !isDigit(b[v]) {
			continue
		}
		if prefixed(b, pos, v, not) {
			if e := valueAt(b, v); e >= 0 {
				dst = append(dst, v, e)
				pos = e
				v = e - 1 // b[e] is no word byte (\b), so it starts nothing
				continue
			}
		}
		// Inside the run, the byte before is a digit, which the prefix
		// class excludes.
		v = runEnd(b, v, digitByte) - 1
	}
	return dst
}

// findCardCompact: (?:^|[^\w.,+-])(?P<value>\d{13,19})\b
// \d{13,19} backtracks only to shorter runs, after which a digit follows
// and \b fails: the value is the whole digit run, 13 to 19 long.
func findCardCompact(dst []int, b []byte) []int {
	return findDigitValues(dst, b, notCardPrefix, func(b []byte, v int) int {
		e := runEnd(b, v, digitByte)
		if n := e - v; n < 13 || n > 19 || !endsWord(b, e) {
			return -1
		}
		return e
	})
}

// findCardGrouped: (?:^|[^\w.,+-])(?P<value>\d{4}(?: \d{4}){2,3}(?: \d{1,4})?|\d{4}(?:-\d{4}){2,3}(?:-\d{1,4})?)\b
// The byte after the first four digits picks the alternative; then three
// groups before two, a last group of 4, 3, 2, 1 digits before none.
func findCardGrouped(dst []int, b []byte) []int {
	return findDigitValues(dst, b, notCardPrefix, cardGroupedAt)
}

func cardGroupedAt(b []byte, v int) int {
	if !digitsAt(b, v, 4) || v+4 >= len(b) {
		return -1
	}
	sep := b[v+4]
	if sep != ' ' && sep != '-' {
		return -1
	}
	for k := 3; k >= 2; k-- {
		p, ok := v+4, true
		for j := 0; j < k && ok; j++ {
			ok = p < len(b) && b[p] == sep && digitsAt(b, p+1, 4)
			p += 5
		}
		if !ok {
			continue
		}
		if p < len(b) && b[p] == sep {
			for l := 4; l >= 1; l-- {
				if digitsAt(b, p+1, l) && endsWord(b, p+1+l) {
					return p + 1 + l
				}
			}
		}
		if endsWord(b, p) {
			return p
		}
	}
	return -1
}

// findCard465: (?:^|[^\w.,+-])(?P<value>\d{4}[ -]\d{6}[ -]\d{4,5})\b
func findCard465(dst []int, b []byte) []int {
	return findDigitValues(dst, b, notCardPrefix, func(b []byte, v int) int {
		if !digitsAt(b, v, 4) || !isSep(b, v+4) || !digitsAt(b, v+5, 6) || !isSep(b, v+11) {
			return -1
		}
		for l := 5; l >= 4; l-- {
			if digitsAt(b, v+12, l) && endsWord(b, v+12+l) {
				return v + 12 + l
			}
		}
		return -1
	})
}

func isSep(b []byte, i int) bool { return i < len(b) && (b[i] == ' ' || b[i] == '-') }

// findSSNDashed: (?:^|[^\w.-])(?P<value>\d{3}-\d{2}-\d{4})\b
func findSSNDashed(dst []int, b []byte) []int {
	return findDigitValues(dst, b, notSSNPrefix, func(b []byte, v int) int {
		if digitsAt(b, v, 3) && at(b, v+3, dashByte) && digitsAt(b, v+4, 2) && at(b, v+6, dashByte) &&
			digitsAt(b, v+7, 4) && endsWord(b, v+11) {
			return v + 11
		}
		return -1
	})
}

var (
	dashByte = newByteSet("-")
	dotByte  = newByteSet(".")
)

// findCPFFormatted: (?:^|[^\w.-])(?P<value>\d{3}\.\d{3}\.\d{3}-\d{2})\b
func findCPFFormatted(dst []int, b []byte) []int {
	return findDigitValues(dst, b, notSSNPrefix, func(b []byte, v int) int {
		if digitsAt(b, v, 3) && at(b, v+3, dotByte) && digitsAt(b, v+4, 3) && at(b, v+7, dotByte) &&
			digitsAt(b, v+8, 3) && at(b, v+11, dashByte) && digitsAt(b, v+12, 2) && endsWord(b, v+14) {
			return v + 14
		}
		return -1
	})
}

// phoneTail matches "[\d \-.()]{lo,hi}\d\b" at s: the class is taken as
// often as it can be, then given back one byte at a time until a digit
// with a word boundary after it follows. It returns the end, or -1.
func phoneTail(b []byte, s, lo, hi int) int {
	m := runEnd(b, s, phoneBody) - s
	for k := min(hi, m-1); k >= lo; k-- {
		if isDigit(b[s+k]) && endsWord(b, s+k+1) {
			return s + k + 1
		}
	}
	return -1
}

// findPhoneIntl: (?:^|[^\w+])(?P<value>\+[1-9][\d \-.()]{5,20}\d)\b
func findPhoneIntl(dst []int, b []byte) []int {
	pos := 0
	for v := 0; v+1 < len(b); v++ {
		if b[v] != '+' || b[v+1] < '1' || b[v+1] > '9' || !prefixed(b, pos, v, notPhoneIntl) {
			continue
		}
		if e := phoneTail(b, v+2, 5, 20); e >= 0 {
			dst = append(dst, v, e)
			pos = e
			v = e - 1
		}
	}
	return dst
}

// findPhoneNational: (?:^|[^\w+.,/:-])(?P<value>\(?\d[\d \-.()]{5,18}\d)\b
// \(? takes a '(' when there is one; without it, \d cannot match there.
func findPhoneNational(dst []int, b []byte) []int {
	pos := 0
	for v := 0; v < len(b); v++ {
		c := b[v]
		if c != '(' && !isDigit(c) || !prefixed(b, pos, v, notPhoneNational) {
			continue
		}
		d := v
		if c == '(' {
			d++
		}
		if d >= len(b) || !isDigit(b[d]) {
			continue
		}
		if e := phoneTail(b, d+1, 5, 18); e >= 0 {
			dst = append(dst, v, e)
			pos = e
			v = e - 1
		}
	}
	return dst
}

// findEmail: (?:^|[^\w.%+-])(?P<value>[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]+)\b
// The prefix class excludes exactly the local part's bytes, so a value
// starts a maximal run of them and, as '@' is not one, the local part is
// the whole run.
func findEmail(dst []int, b []byte) []int {
	pos := 0
	for v := 0; v < len(b); v++ {
		if !emailFirst[b[v]] || !prefixed(b, pos, v, emailLocal) {
			continue
		}
		at := runEnd(b, v+1, emailLocal)
		if at < len(b) && b[at] == '@' && b[at-1] != '.' {
			if e := emailDomain(b, at+1); e >= 0 {
				dst = append(dst, v, e)
				pos = e
				v = e - 1
				continue
			}
		}
		v = at - 1
	}
	return dst
}

// emailDomain matches "(?:label\.)+[A-Za-z][A-Za-z0-9-]+\b" at d. A label
// holds no dot, so each repetition runs to the next dot; (...)+ takes as
// many labels as it can and gives them back one at a time, and for each
// count the last part is tried from longest to shortest.
func emailDomain(b []byte, d int) int {
	q, last := d, -1
	for q < len(b) && alnumByte[b[q]] {
		t := runEnd(b, q+1, emailDomainByte)
		if t >= len(b) || b[t] != '.' || b[t-1] == '-' {
			break
		}
		last = t + 1
		q = t + 1
	}
	for g := last; g > d; {
		if e := emailTLD(b, g); e >= 0 {
			return e
		}
		p := g - 2
		for p >= d && b[p] != '.' {
			p--
		}
		if p < d {
			break
		}
		g = p + 1
	}
	return -1
}

// emailTLD matches "[A-Za-z][A-Za-z0-9-]+\b" at t. Its last byte may be a
// '-', after which \b needs a word byte.
func emailTLD(b []byte, t int) int {
	if !at(b, t, letterByte) {
		return -1
	}
	r := runEnd(b, t+1, emailDomainByte)
	for e := r; e >= t+2; e-- {
		if (b[e-1] != '-') != (e < len(b) && wordByte[b[e]]) {
			return e
		}
	}
	return -1
}

// The remaining matchers stand for regexp2 patterns (lookarounds): a
// lookbehind sees the text before where the search resumed, and \b uses
// Unicode word characters. Values are fixed-shape, so at most one value
// starts at each byte, and none overlaps the next (the lookbehinds refuse
// a start right after a digit).

// findLookaround calls fn for every v, left to right, at which valueAt
// finds a value, resuming after each.
func findLookaround(dst []int, b []byte, valueAt func(b []byte, v int) int) []int {
	for v := 0; v < len(b); v++ {
		if !isDigit(b[v]) {
			continue
		}
		if e := valueAt(b, v); e >= 0 {
			dst = append(dst, v, e)
			v = e - 1
		}
	}
	return dst
}

// findAadhaarSpaced: (?<!\d )(?<![\w-])(?P<value>[2-9]\d{3} \d{4} \d{4})\b(?! ?\d)
func findAadhaarSpaced(dst []int, b []byte) []int {
	return findLookaround(dst, b, func(b []byte, v int) int {
		if b[v] < '2' || at(b, v-1, wordOrDash) || at(b, v-1, spaceByte) && at(b, v-2, digitByte) {
			return -1
		}
		if !digitsAt(b, v+1, 3) || !at(b, v+4, spaceByte) || !digitsAt(b, v+5, 4) || !at(b, v+9, spaceByte) || !digitsAt(b, v+10, 4) {
			return -1
		}
		e := v + 14
		if !endsWord2(b, e) || notDigitAfter(b, e, spaceByte) {
			return -1
		}
		return e
	})
}

var spaceByte = newByteSet(" ")

// notDigitAfter reports whether "(?!sep?\d)" fails at e: a digit follows,
// directly or after one byte of sep.
func notDigitAfter(b []byte, e int, sep *[256]bool) bool {
	return at(b, e, digitByte) || at(b, e, sep) && at(b, e+1, digitByte)
}

// findAadhaarDashed: (?<![\w-])(?P<value>[2-9]\d{3}-\d{4}-\d{4})(?![\w-])
func findAadhaarDashed(dst []int, b []byte) []int {
	return findLookaround(dst, b, func(b []byte, v int) int {
		if b[v] < '2' || at(b, v-1, wordOrDash) {
			return -1
		}
		if !digitsAt(b, v+1, 3) || !at(b, v+4, dashByte) || !digitsAt(b, v+5, 4) || !at(b, v+9, dashByte) ||
			!digitsAt(b, v+10, 4) || at(b, v+14, wordOrDash) {
			return -1
		}
		return v + 14
	})
}

// compactAt checks the frame the context-only patterns share,
// "(?<![\d-])\b VALUE \b(?!sep?\d)" (behind is the lookbehind's class),
// around a value b[v:e] that starts and ends with a digit.
func compactAt(b []byte, v, e int, behind, sep *[256]bool) bool {
	return !at(b, v-1, behind) && startsWord2(b, v) && endsWord2(b, e) && !notDigitAfter(b, e, sep)
}

var (
	spaceOrDash = newByteSet(" -")
	dotOrDash   = newByteSet(".-")
)

// findAadhaarCompact: (?<![\d-])\b(?P<value>[2-9]\d{11})\b(?![ -]?\d)
func findAadhaarCompact(dst []int, b []byte) []int {
	return findLookaround(dst, b, func(b []byte, v int) int {
		if b[v] >= '2' && digitsAt(b, v+1, 11) && compactAt(b, v, v+12, digitOrDash, spaceOrDash) {
			return v + 12
		}
		return -1
	})
}

// findSSNContext: (?<![\d-])\b(?P<value>\d{3} \d{2} \d{4}|\d{9})\b(?![ -]?\d)
// The alternatives are tried in order at each start.
func findSSNContext(dst []int, b []byte) []int {
	return findLookaround(dst, b, func(b []byte, v int) int {
		if digitsAt(b, v, 3) && at(b, v+3, spaceByte) && digitsAt(b, v+4, 2) && at(b, v+6, spaceByte) &&
			digitsAt(b, v+7, 4) && compactAt(b, v, v+11, digitOrDash, spaceOrDash) {
			return v + 11
		}
		if digitsAt(b, v, 9) && compactAt(b, v, v+9, digitOrDash, spaceOrDash) {
			return v + 9
		}
		return -1
	})
}

// findSIN: (?<![\d-])\b(?P<value>\d{3}[ -]?\d{3}[ -]?\d{3})\b(?![ -]?\d)
// Each [ -]? is taken before it is skipped: four shapes, in that order.
func findSIN(dst []int, b []byte) []int {
	return findLookaround(dst, b, func(b []byte, v int) int {
		if !digitsAt(b, v, 3) {
			return -1
		}
		for _, s1 := range [2]int{1, 0} {
			if s1 == 1 && !at(b, v+3, spaceOrDash) {
				continue
			}
			p := v + 3 + s1
			if !digitsAt(b, p, 3) {
				continue
			}
			for _, s2 := range [2]int{1, 0} {
				if s2 == 1 && !at(b, p+3, spaceOrDash) {
					continue
				}
				q := p + 3 + s2
				if digitsAt(b, q, 3) && compactAt(b, v, q+3, digitOrDash, spaceOrDash) {
					return q + 3
				}
			}
		}
		return -1
	})
}

// findCPFCompact: (?<![\d.-])\b(?P<value>\d{11})\b(?![.-]?\d)
func findCPFCompact(dst []int, b []byte) []int {
	return findLookaround(dst, b, func(b []byte, v int) int {
		if digitsAt(b, v, 11) && compactAt(b, v, v+11, digitDashDot, dotOrDash) {
			return v + 11
		}
		return -1
	})
}
