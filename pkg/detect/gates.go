package detect

import "github.com/datahygiene/datahygiene/pkg/ruleset"

// byteSet is a set of bytes, one bit each. A line's set is built in the
// pass that counts its digits; the gates below are subset tests against
// it, a few instructions where bytes.IndexByte per byte cost a call each.
type byteSet [4]uint64

func bytesOf(s []byte) byteSet {
	var set byteSet
	for _, c := range s {
		set[c>>6] |= 1 << (c & 63)
	}
	return set
}

// hasAll reports whether every byte of t is in s.
func (s *byteSet) hasAll(t *byteSet) bool {
	return t[0]&^s[0]|t[1]&^s[1]|t[2]&^s[2]|t[3]&^s[3] == 0
}

// hasAny reports whether a byte of t is in s.
func (s *byteSet) hasAny(t *byteSet) bool {
	return t[0]&s[0]|t[1]&s[1]|t[2]&s[2]|t[3]&s[3] != 0
}

func (s *byteSet) nonEmpty() bool { return s[0]|s[1]|s[2]|s[3] != 0 }

func (s *byteSet) has(c byte) bool { return s[c>>6]&(1<<(c&63)) != 0 }

// ruleGates are a rule's prefilters in the form scanUnit tests them: what
// a line must hold for each pattern to match, and the bytes of each
// keyword and word, which a line must hold for the word to occur in it.
type ruleGates struct {
	patterns []patternGate
	keywords wordList
	context  wordList
	exclude  wordList
}

// wordList is a rule's keywords, context words or exclusion words with
// the bytes of each, which a line must hold for the word to occur in it.
type wordList struct {
	words   []string
	sets    []byteSet
	letters bool // every word holds an ASCII letter
}

func newWordList(words []string) wordList {
	l := wordList{words: words, sets: make([]byteSet, len(words)), letters: len(words) > 0}
	for i, w := range words {
		l.sets[i] = bytesOf([]byte(w))
		l.letters = l.letters && l.sets[i].hasAny(&asciiLetters)
	}
	return l
}

type patternGate struct {
	minDigits  int
	minLetters int     // ASCII letters in every value (Window.MinLetters)
	required   byteSet // every byte must be in the line (Pattern.Required)
	anyOf      byteSet // one byte must be, when not empty (Pattern.AnyOf)
}

// pass reports whether a line with these digits, letters and bytes can
// hold a match.
func (g *patternGate) pass(digits, letters int, bytes *byteSet) bool {
	return digits >= g.minDigits && letters >= g.minLetters && bytes.hasAll(&g.required) &&
		(!g.anyOf.nonEmpty() || bytes.hasAny(&g.anyOf))
}

func newRuleGates(r *ruleset.Rule) ruleGates {
	g := ruleGates{keywords: newWordList(r.Keywords), context: newWordList(r.ContextWords), exclude: newWordList(r.ExcludeWords)}
	for _, p := range r.Patterns {
		pg := patternGate{minDigits: p.MinDigits, required: bytesOf(p.Required), anyOf: bytesOf(p.AnyOf)}
		if p.Window != nil {
			pg.minLetters = p.Window.MinLetters
		}
		g.patterns = append(g.patterns, pg)
	}
	return g
}

// asciiLetters are the bytes profile counts as letters, in lower case as
// words are kept: a word holding one cannot occur in a line without
// letters.
var asciiLetters = bytesOf([]byte("abcdefghijklmnopqrstuvwxyz"))

// gateTable evaluates every pattern's gates on a line at once, a bit per
// pattern in rule order, with a few word operations per byte that some
// gate names instead of a test per pattern: the dense scan of issue 5
// spent a fifth of its time on those tests. patternGate.pass is the
// reference it is tested against.
type gateTable struct {
	words   int       // uint64s per answer
	pattern []flatRef // by bit: the rule and pattern
	// digits[min(n, len-1)] has the bits of the patterns that n digits
	// satisfy; letters likewise.
	digits, letters [][]uint64
	// For each byte that some pattern requires or names in AnyOf: the
	// patterns that require it and those that would be satisfied by it.
	named          []byte
	requires, onOf [][]uint64
	hasAnyOf       []uint64
}

type flatRef struct{ rule, pattern int }

func newGateTable(gates []ruleGates) *gateTable {
	t := &gateTable{}
	var all []*patternGate
	for ri := range gates {
		for pi := range gates[ri].patterns {
			t.pattern = append(t.pattern, flatRef{ri, pi})
			all = append(all, &gates[ri].patterns[pi])
		}
	}
	t.words = (len(all) + 63) / 64
	set := func(m []uint64, i int) { m[i/64] |= 1 << (i % 64) }
	maxD, maxL := 0, 0
	var named byteSet
	for _, g := range all {
		maxD, maxL = max(maxD, g.minDigits), max(maxL, g.minLetters)
		for w := range named {
			named[w] |= g.required[w] | g.anyOf[w]
		}
	}
	t.hasAnyOf = make([]uint64, t.words)
	for n := 0; n <= maxD; n++ {
		m := make([]uint64, t.words)
		for i, g := range all {
			if n >= g.minDigits {
				set(m, i)
			}
		}
		t.digits = append(t.digits, m)
	}
	for n := 0; n <= maxL; n++ {
		m := make([]uint64, t.words)
		for i, g := range all {
			if n >= g.minLetters {
				set(m, i)
			}
		}
		t.letters = append(t.letters, m)
	}
	for c := 0; c < 256; c++ {
		if !named.has(byte(c)) {
			continue
		}
		req, on := make([]uint64, t.words), make([]uint64, t.words)
		for i, g := range all {
			if g.required.has(byte(c)) {
				set(req, i)
			}
			if g.anyOf.has(byte(c)) {
				set(on, i)
			}
		}
		t.named = append(t.named, byte(c))
		t.requires, t.onOf = append(t.requires, req), append(t.onOf, on)
	}
	for i, g := range all {
		if g.anyOf.nonEmpty() {
			set(t.hasAnyOf, i)
		}
	}
	return t
}

// pass sets out (t.words long) to the patterns whose gates a line with
// these digits, letters and bytes passes; hit is scratch of the same size.
func (t *gateTable) pass(out, hit []uint64, digits, letters int, bytes *byteSet) {
	d, l := t.digits[min(digits, len(t.digits)-1)], t.letters[min(letters, len(t.letters)-1)]
	for w := range out {
		out[w], hit[w] = d[w]&l[w], 0
	}
	for j, c := range t.named {
		if bytes.has(c) {
			for w, m := range t.onOf[j] {
				hit[w] |= m
			}
		} else {
			for w, m := range t.requires[j] {
				out[w] &^= m
			}
		}
	}
	for w := range out {
		out[w] &^= t.hasAnyOf[w] &^ hit[w]
	}
}
