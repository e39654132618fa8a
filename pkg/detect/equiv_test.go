package detect

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
	"github.com/datahygiene/datahygiene/pkg/synth"
)

// equivCorpus builds lines that crowd PII values, look-alikes and the
// bytes at window edges (separators, letters, digits, anchors) together,
// so that any match whose outcome depends on text outside its window shows
// up as a difference.
func equivCorpus(seed uint64, lines int) []string {
	g := synth.New(seed)
	values := []func() string{
		func() string { f, l := g.Name(); return g.Email(f, l) },
		g.Phone,
		func() string { return g.PhoneNational(pickStr(g, []string{"US", "GB", "DE", "FR", "IN", "BR"})) },
		func() string { return g.Card(synth.CardFormat(g.IntN(3))) },
		func() string { return g.IBAN(pickStr(g, synth.IBANCountries())) },
		func() string { return g.IBANGrouped(pickStr(g, synth.IBANCountries())) },
		g.SSN, g.NINO, func() string { return g.Aadhaar(g.IntN(2) == 0) }, g.PAN,
		func() string { return g.SIN(g.IntN(2) == 0) }, g.DNI, g.NIE, g.BSN,
		func() string { return g.CPF(g.IntN(2) == 0) }, g.IPv4, g.IPv6,
		g.UUID, g.Timestamp, g.Date, g.ISBN13, g.EAN13, g.Version, g.Price, g.Coordinates, g.OrderNumber,
		g.LuhnFailing16, g.InvalidIBAN, g.InvalidSSN,
		func() string { return fmt.Sprint(g.IntN(1 << 30)) },
		func() string { return strings.Repeat("9", 1+g.IntN(20)) },
	}
	seps := []string{" ", "", "-", ".", ",", ":", "/", "(", ")", "+", "@", "=", "\t", " - ", "; ", "x", "A", "GB", "0", "12", " 4"}
	words := []string{"phone", "tel", "ssn", "sin", "bsn", "cpf", "iban", "card", "version", "order", "password", "pin", "user", "ok", "Mobile:"}
	var out []string
	for i := 0; i < lines; i++ {
		var b strings.Builder
		for n := 1 + g.IntN(6); n > 0; n-- {
			switch g.IntN(4) {
			case 0:
				b.WriteString(pickStr(g, words))
			case 1:
				b.WriteString(pickStr(g, seps))
			default:
				v := values[g.IntN(len(values))]()
				if g.IntN(5) == 0 && len(v) > 2 { // cut a value to hit partial shapes
					v = v[:1+g.IntN(len(v)-1)]
				}
				b.WriteString(v)
			}
			b.WriteString(pickStr(g, seps))
		}
		out = append(out, b.String())
	}
	return out
}

func pickStr(g *synth.Gen, xs []string) string { return xs[g.IntN(len(xs))] }

// matches runs the engine and lists every recorded match with its span.
func matches(t *testing.T, rs *ruleset.Ruleset, opts Options, c *extract.Chunk) []string {
	t.Helper()
	var out []string
	opts.trace = func(rule string, loc finding.Location, s, e int) {
		out = append(out, fmt.Sprintf("%s %s %d-%d", rule, loc, s, e))
	}
	f := New(rs, opts).NewFile()
	if err := f.Add(c); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWindowedEqualsPlain proves on a generated corpus that the engine
// finds exactly what running every pattern's regular expression on whole
// lines finds, without prefilters: same rules, same lines, same byte
// spans. This covers the byte gates, windows, hand-written matchers and
// validation deferred to overlap resolution (issue 5).
func TestWindowedEqualsPlain(t *testing.T) {
	rs := builtin(t)
	n := 60000
	if testing.Short() {
		n = 10000
	}
	lines := equivCorpus(1, n)
	text := []byte(strings.Join(lines, "\n"))
	chunk := &extract.Chunk{Kind: extract.Lines, Data: text, Loc: finding.Location{Line: 1}}
	plain := matches(t, rs, Options{plain: true}, chunk)
	fast := matches(t, rs, Options{}, chunk)
	if len(plain) < n/4 {
		t.Fatalf("corpus too thin: %d matches in %d lines", len(plain), n)
	}
	compareMatches(t, plain, fast, lines)

	// Lines longer than fastWhole run hand-written matchers on windows.
	var long []string
	for i := 0; i+12 <= len(lines) && len(long) < 3000; i += 12 {
		long = append(long, strings.Join(lines[i:i+12], " | "))
	}
	text = []byte(strings.Join(long, "\n"))
	chunk = &extract.Chunk{Kind: extract.Lines, Data: text, Loc: finding.Location{Line: 1}}
	compareMatches(t, matches(t, rs, Options{plain: true}, chunk), matches(t, rs, Options{}, chunk), long)

	// Cells take the same path with a header as context.
	for _, h := range []string{"", "Phone", "SSN", "Notes"} {
		for i, l := range lines[:2000] {
			c := &extract.Chunk{Kind: extract.Cell, Data: []byte(l), Loc: finding.Location{Row: i + 2, Column: "B"}, Header: h}
			compareMatches(t, matches(t, rs, Options{plain: true}, c), matches(t, rs, Options{}, c), []string{l})
		}
	}
}

func compareMatches(t *testing.T, plain, fast, lines []string) {
	t.Helper()
	if slices.Equal(plain, fast) {
		return
	}
	missing, extra := diff(plain, fast), diff(fast, plain)
	for i, m := range missing {
		if i == 5 {
			break
		}
		t.Errorf("windowed engine missed %s (line %q)", m, lineOf(m, lines))
	}
	for i, m := range extra {
		if i == 5 {
			break
		}
		t.Errorf("windowed engine added %s (line %q)", m, lineOf(m, lines))
	}
	t.Errorf("%d missing, %d extra of %d", len(missing), len(extra), len(plain))
}

func diff(a, b []string) []string {
	in := map[string]int{}
	for _, x := range b {
		in[x]++
	}
	var out []string
	for _, x := range a {
		if in[x] > 0 {
			in[x]--
			continue
		}
		out = append(out, x)
	}
	return out
}

func lineOf(m string, lines []string) string {
	var n int
	if _, err := fmt.Sscanf(m[strings.Index(m, "line ")+5:], "%d", &n); err == nil && n >= 1 && n <= len(lines) {
		return lines[n-1]
	}
	if len(lines) == 1 {
		return lines[0]
	}
	return "?"
}

// FuzzWindowedEqualsPlain holds the engine to the plain one on arbitrary
// lines, and on cells under headers that give context.
func FuzzWindowedEqualsPlain(f *testing.F) {
	for _, l := range equivCorpus(3, 40) {
		f.Add(l, "")
	}
	f.Add("Call +44 20 7946 0321, card 4539 1488 0343 6467", "Phone")
	f.Add("536 90 4399", "SSN")
	f.Add("hunter2!", "Password")
	rs := builtin(f)
	f.Fuzz(func(t *testing.T, line, header string) {
		if len(line) > 4<<10 || len(header) > 64 {
			return
		}
		c := &extract.Chunk{Kind: extract.Lines, Data: []byte(line), Loc: finding.Location{Line: 1}}
		if header != "" {
			c = &extract.Chunk{Kind: extract.Cell, Data: []byte(line), Header: header, Loc: finding.Location{Row: 2, Column: "B"}}
		}
		compareMatches(t, matches(t, rs, Options{plain: true}, c), matches(t, rs, Options{}, c), strings.Split(line, "\n"))
	})
}
