package ruleset

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// AnchorDigit is Window.Anchor for patterns whose every value holds an
// ASCII digit.
const AnchorDigit = -1

// Window says where in a line a pattern's matches can lie, so that the
// engine can run the pattern on small windows instead of whole lines.
//
// Every value the pattern can match contains the anchor byte and consists
// only of bytes in Value, so it lies inside one maximal run of Value bytes
// that holds an anchor (a "run"), with at least MinDigits digits and every
// byte of Required. A match extends at most Before bytes left of its value
// and After bytes right of it, lookarounds and \b included. Running the
// pattern on [run start-Before, run end+After] (clipped to the line, and
// merged with overlapping windows) therefore finds exactly the matches it
// finds on the whole line: no match depends on a byte outside its window,
// and no byte a window cuts off can be part of a value. The engine's
// equivalence test checks this on a generated corpus.
type Window struct {
	Anchor    int // AnchorDigit, or a byte
	Value     [256]bool
	AllDigits bool // every digit is in Value
	// A run that can hold a value has at least MinLen bytes, MinDigits
	// ASCII digits, MinLetters ASCII letters, and Required[i] at least
	// RequiredCount[i] times.
	MinLen, MinDigits, MinLetters int
	Required                      []byte
	RequiredCount                 []int
	Before, After                 int
}

// unbounded marks a length without an upper bound.
const unbounded = 1 << 30

// analyseWindow derives the Window of a pattern, or nil when the pattern
// must run on whole lines: its value may sit in an alternative or a
// repetition, its context is unbounded (.*, \w+ outside the value, a
// lookaround without a length bound), or its values share no anchor.
func analyseWindow(src string) *Window {
	bodies, ok := lookaroundBodies(src)
	if !ok {
		return nil
	}
	look := 0
	for _, b := range bodies {
		re, err := syntax.Parse(b, syntax.Perl)
		if err != nil {
			return nil
		}
		n := maxLen(re.Simplify())
		if n >= unbounded {
			return nil
		}
		look = max(look, n)
	}
	re, err := syntax.Parse(stripLookarounds(src), syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	value, before, after, ok := locateValue(re)
	if !ok {
		return nil
	}
	w := &Window{
		MinLen:     minLen(value),
		MinDigits:  minDigitCount(value),
		MinLetters: minLetterCount(value),
		// A zero-width assertion (\b, ^, $, a lookaround) reads one byte
		// beyond the position it is evaluated at, hence the extra byte.
		Before: before + look + 1,
		After:  after + look + 1,
	}
	req := requiredBytes(value)
	counts := requiredCounts(value)
	for c := 0; c < 256; c++ {
		if req[c] {
			w.Required = append(w.Required, byte(c))
			w.RequiredCount = append(w.RequiredCount, max(1, counts[c]))
		}
	}
	// Prefer the byte rarest in ordinary text: a window is opened at each
	// anchor, and digits are everywhere in logs.
	switch {
	case req['@']:
		w.Anchor = '@'
	case req['+']:
		w.Anchor = '+'
	case w.MinDigits > 0:
		w.Anchor = AnchorDigit
	case len(w.Required) > 0:
		w.Anchor = int(w.Required[0])
	default:
		return nil
	}
	valueBytes(value, &w.Value)
	// Lines never contain a newline; keeping it out of Value keeps runs
	// (and so windows) inside one line whatever the pattern says.
	w.Value['\n'] = false
	w.AllDigits = true
	for c := '0'; c <= '9'; c++ {
		w.AllDigits = w.AllDigits && w.Value[c]
	}
	return w
}

// locateValue finds the group named "value" (or takes the whole pattern)
// and bounds the bytes a match can have before and after it. The group must
// be on every path through the pattern: inside an alternation, an optional
// part or a repetition, a match could lack it and still consume text.
func locateValue(re *syntax.Regexp) (value *syntax.Regexp, before, after int, ok bool) {
	if !hasValueGroup(re) {
		return re, 0, 0, true
	}
	var walk func(re *syntax.Regexp) (*syntax.Regexp, int, int, bool)
	walk = func(re *syntax.Regexp) (*syntax.Regexp, int, int, bool) {
		switch re.Op {
		case syntax.OpCapture:
			if re.Name == "value" {
				return re.Sub[0], 0, 0, true
			}
			return walk(re.Sub[0])
		case syntax.OpConcat:
			for i, sub := range re.Sub {
				if !hasValueGroup(sub) {
					continue
				}
				v, b, a, ok := walk(sub)
				if !ok {
					return nil, 0, 0, false
				}
				for _, s := range re.Sub[:i] {
					b += maxLen(s)
				}
				for _, s := range re.Sub[i+1:] {
					a += maxLen(s)
				}
				if b >= unbounded || a >= unbounded {
					return nil, 0, 0, false
				}
				return v, b, a, true
			}
		}
		return nil, 0, 0, false
	}
	return walk(re)
}

func hasValueGroup(re *syntax.Regexp) bool {
	if re.Op == syntax.OpCapture && re.Name == "value" {
		return true
	}
	for _, s := range re.Sub {
		if hasValueGroup(s) {
			return true
		}
	}
	return false
}

// maxLen is the most bytes re can match, or unbounded.
func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if isLetter(r) {
				// Case folding can turn k into the 3-byte Kelvin sign.
				n += 3
			} else {
				n += utf8.RuneLen(r)
			}
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		hi := re.Rune[len(re.Rune)-1]
		if hi > utf8.MaxRune {
			hi = utf8.MaxRune
		}
		return utf8.RuneLen(hi)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return unbounded
	case syntax.OpRepeat:
		if re.Max < 0 {
			return unbounded
		}
		return min(unbounded, re.Max*maxLen(re.Sub[0]))
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n = min(unbounded, n+maxLen(s))
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			n = max(n, maxLen(s))
		}
		return n
	}
	return 0 // empty matches and zero-width assertions
}

// minCount is the fewest units a match of re holds, where leaf counts
// them in a literal, a character class or a dot (every other operator is
// combined here: sums, minimums over alternatives, repetition counts).
func minCount(re *syntax.Regexp, leaf func(*syntax.Regexp) int) int {
	switch re.Op {
	case syntax.OpLiteral, syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return leaf(re)
	case syntax.OpCapture, syntax.OpPlus:
		return minCount(re.Sub[0], leaf)
	case syntax.OpRepeat:
		return re.Min * minCount(re.Sub[0], leaf)
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += minCount(s, leaf)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if m := minCount(s, leaf); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0 // star, quest, empty matches and assertions
}

// minLen is the fewest bytes re can match.
func minLen(re *syntax.Regexp) int {
	return minCount(re, func(re *syntax.Regexp) int {
		if re.Op != syntax.OpLiteral {
			return 1
		}
		n := 0
		for _, r := range re.Rune {
			if isLetter(r) {
				n++ // folds to a one-byte ASCII letter at least
			} else {
				n += utf8.RuneLen(r)
			}
		}
		return n
	})
}

// minLetterCount is the fewest ASCII letters a match of re contains,
// counting only parts that can match nothing but ASCII letters.
func minLetterCount(re *syntax.Regexp) int {
	return minCount(re, func(re *syntax.Regexp) int {
		switch re.Op {
		case syntax.OpLiteral:
			if re.Flags&syntax.FoldCase != 0 {
				return 0 // k and s fold to non-ASCII letters
			}
			n := 0
			for _, r := range re.Rune {
				if isLetter(r) {
					n++
				}
			}
			return n
		case syntax.OpCharClass:
			if len(re.Rune) == 0 {
				return 0
			}
			for i := 0; i+1 < len(re.Rune); i += 2 {
				if !isLetter(re.Rune[i]) || !isLetter(re.Rune[i+1]) || (re.Rune[i] <= 'Z') != (re.Rune[i+1] <= 'Z') {
					return 0
				}
			}
			return 1
		}
		return 0
	})
}

// requiredCounts is, per ASCII byte, the fewest times a match of re
// contains it (case-folded letters left out, as in requiredBytes).
func requiredCounts(re *syntax.Regexp) (n [256]int) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r < utf8.RuneSelf && (re.Flags&syntax.FoldCase == 0 || !isLetter(r)) {
				n[r]++
			}
		}
	case syntax.OpCharClass:
		if len(re.Rune) == 2 && re.Rune[0] == re.Rune[1] && re.Rune[0] < utf8.RuneSelf {
			n[re.Rune[0]] = 1
		}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredCounts(re.Sub[0])
	case syntax.OpRepeat:
		sub := requiredCounts(re.Sub[0])
		for c := range sub {
			n[c] = re.Min * sub[c]
		}
	case syntax.OpConcat:
		for _, s := range re.Sub {
			sub := requiredCounts(s)
			for c := range sub {
				n[c] += sub[c]
			}
		}
	case syntax.OpAlternate:
		for i, s := range re.Sub {
			sub := requiredCounts(s)
			for c := range sub {
				if i == 0 || sub[c] < n[c] {
					n[c] = sub[c]
				}
			}
		}
	}
	return n
}

// valueBytes marks every byte a match of re can contain. Non-ASCII runes
// mark all bytes from 0x80 up, which is what their UTF-8 encoding uses.
func valueBytes(re *syntax.Regexp, set *[256]bool) {
	high := func() {
		for c := 0x80; c < 256; c++ {
			set[c] = true
		}
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				high()
				continue
			}
			set[r] = true
			if re.Flags&syntax.FoldCase != 0 && isLetter(r) {
				set[r^0x20] = true
				high() // k and s fold to non-ASCII runes too
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			for c := lo; c <= hi && c < utf8.RuneSelf; c++ {
				set[c] = true
			}
			if hi >= utf8.RuneSelf {
				high()
			}
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		for c := range set {
			set[c] = true
		}
	default:
		for _, s := range re.Sub {
			valueBytes(s, set)
		}
	}
}

// lookaroundBodies returns the inner patterns of the pattern's lookaround
// groups. ok is false when a group cannot be delimited or nests another
// lookaround.
func lookaroundBodies(src string) (bodies []string, ok bool) {
	for i := 0; i < len(src); {
		switch {
		case lookaroundLen(src[i:]) > 0:
			end := groupEnd(src, i)
			if end < 0 {
				return nil, false
			}
			body := src[i+lookaroundLen(src[i:]) : end-1]
			if strings.Contains(body, "(?<") || strings.Contains(body, "(?=") || strings.Contains(body, "(?!") {
				return nil, false
			}
			bodies = append(bodies, body)
			i = end
		case src[i] == '\\':
			i += 2
		case src[i] == '[':
			end := classEnd(src, i)
			if end < 0 {
				return nil, false
			}
			i = end
		default:
			i++
		}
	}
	return bodies, true
}
