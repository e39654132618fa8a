package ruleset

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/synth"
)

// TestBuiltinFast lists the built-in patterns that have a hand-written
// matcher: editing one of them in YAML without updating fastMatchers would
// silently send it back to the regular expression (issue 5's dense scan
// depends on these).
func TestBuiltinFast(t *testing.T) {
	rs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"email": 1, "phone": 2, "credit_card": 3, "us_ssn": 2, "in_aadhaar": 3, "ca_sin": 1, "br_cpf": 2}
	got := map[string]int{}
	for _, r := range rs.All() {
		for _, p := range r.Patterns {
			if p.Fast() {
				got[r.ID]++
			}
		}
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("%s: %d patterns with a matcher, want %d", id, got[id], n)
		}
	}
	used := 0
	for _, n := range got {
		used += n
	}
	if used != len(fastMatchers) {
		t.Errorf("%d built-in patterns use the %d matchers: a matcher's source matches no built-in pattern", used, len(fastMatchers))
	}
}

// regexOnly compiles src without its matcher.
func regexOnly(t testing.TB, src string) *Pattern {
	t.Helper()
	p, err := compilePattern(src, false)
	if err != nil {
		t.Fatal(err)
	}
	p.fast = nil
	return p
}

func spans(t testing.TB, find func([]int, []byte) ([]int, error), b []byte) []int {
	out, err := find(nil, b)
	if err != nil {
		t.Fatalf("%q: %v", b, err)
	}
	return out
}

// checkFast compares every matcher with its expression on one input.
func checkFast(t testing.TB, srcs []string, regex []*Pattern, b []byte, found map[string]int) {
	t.Helper()
	for i, src := range srcs {
		fast := fastMatchers[src]
		want := spans(t, regex[i].AppendMatchesRegex, b)
		got := spans(t, func(dst []int, b []byte) ([]int, error) { return fast(dst, b), nil }, b)
		if !slices.Equal(got, want) {
			t.Fatalf("%s\non %q\nmatcher found %v, expression %v", src, b, got, want)
		}
		if found != nil && len(want) > 0 {
			found[src]++
		}
	}
}

func fastSources() []string {
	var srcs []string
	for s := range fastMatchers {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	return srcs
}

// fastCorpus mixes what the patterns look for with what sits at their
// edges: synthetic values, whole and cut, glued with separators, letters,
// non-ASCII letters and digits (Unicode word characters for regexp2's \b,
// not for Go's), ZWJ, invalid UTF-8 and newlines; runs of digit groups
// and of address-like text to work the greedy repetitions.
func fastCorpus(seed uint64, n int) [][]byte {
	g := synth.New(seed)
	r := rand.New(rand.NewPCG(seed, 7))
	values := []func() string{
		func() string { f, l := g.Name(); return g.Email(f, l) },
		g.Phone,
		func() string { return g.PhoneNational("US") },
		func() string { return g.PhoneNational("GB") },
		func() string { return g.Card(synth.CardFormat(r.IntN(3))) },
		g.LuhnFailing16, g.SSN, g.InvalidSSN,
		func() string { return g.CardOf(synth.Amex, synth.CardFormat(1+r.IntN(2))) },
		func() string { return g.Aadhaar(r.IntN(2) == 0) },
		func() string { return strings.ReplaceAll(g.Aadhaar(true), " ", "-") },
		func() string { return g.SIN(r.IntN(2) == 0) },
		func() string { return g.CPF(r.IntN(2) == 0) },
		g.BSN, g.IPv4, g.UUID, g.Timestamp, g.Date, g.EAN13, g.Price, g.OrderNumber,
	}
	bits := []string{"0", "1", "2", "5", "9", "00", "4111", "123456", " ", " ", "-", ".", ",", "+", "(", ")", "@", "_", "%", "/", ":",
		"a", "Z", "x.", "é", "\u200d", "٣", "€", "\xff", "\xe2\x82", "\n", "\t", "=", "--", "..", "@@", "+4"}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	digits := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		return b.String()
	}
	word := func() string {
		const chars = "abcxyzABZ019-_%+."
		var b strings.Builder
		for range 1 + r.IntN(6) {
			b.WriteByte(chars[r.IntN(len(chars))])
		}
		return b.String()
	}
	out := make([][]byte, 0, n)
	for len(out) < n {
		var b strings.Builder
		switch r.IntN(4) {
		case 0: // values and noise
			for k := 1 + r.IntN(4); k > 0; k-- {
				v := values[r.IntN(len(values))]()
				if r.IntN(4) == 0 && len(v) > 1 {
					v = v[:1+r.IntN(len(v)-1)]
				}
				if r.IntN(4) == 0 && len(v) > 1 {
					i := r.IntN(len(v))
					v = v[:i] + pick(bits) + v[i+1:]
				}
				b.WriteString(pick(bits))
				b.WriteString(v)
			}
			b.WriteString(pick(bits))
		case 1: // digit groups
			for k := 1 + r.IntN(7); k > 0; k-- {
				b.WriteString(digits(1 + r.IntN(r.IntN(20)+1)))
				b.WriteString(pick([]string{" ", "-", " ", "-", ".", "", "(", ")", "+", ",", "a", "é", "\u200d", "  ", " -"}))
			}
		case 2: // address-like text
			for k := 1 + r.IntN(6); k > 0; k-- {
				b.WriteString(word())
				b.WriteString(pick([]string{"@", ".", "@", ".", "-", " ", ",", "@@", ".-", "-.", "é", "1", "_"}))
			}
		default: // bytes
			for k := r.IntN(40); k > 0; k-- {
				b.WriteString(pick(bits))
			}
		}
		out = append(out, []byte(b.String()))
	}
	return out
}

// TestFastEqualsRegex holds every matcher to its expression's answers.
func TestFastEqualsRegex(t *testing.T) {
	srcs := fastSources()
	regex := make([]*Pattern, len(srcs))
	for i, s := range srcs {
		regex[i] = regexOnly(t, s)
	}
	n := 40000
	if testing.Short() {
		n = 5000
	}
	found := map[string]int{}
	for _, b := range fastCorpus(1, n) {
		checkFast(t, srcs, regex, b, found)
	}
	// Hand-picked edges: greedy give-backs, \b before a trailing '-',
	// prefixes that reach into the previous match, Unicode word bytes.
	for _, s := range fastEdges {
		checkFast(t, srcs, regex, []byte(s), nil)
	}
	for _, s := range srcs {
		if found[s] < n/400 {
			t.Errorf("%s matched only %d inputs: the corpus does not exercise it", s, found[s])
		}
		t.Logf("%5d  %s", found[s], s)
	}
}

var fastEdges = []string{
	"", "a@b.cd", "a@b.cd-", "a@b.cd-x", "a@b.c.d", "a@b.cd.e", "a@b-.cd", "a@-b.cd", "a.@b.cd", ".a@b.cd", "a@b.cd_",
	"a@b.c1", "a@b.1c", "a@b@c.com", "x.y@a.b.c-", "a@b.cd-é", "a@b.cd-\xff", "a@b.cd@e.fg", "a@b.cdé", "%@a.bc", "-@a.b-",
	"+44 20 7946 0958", "+44 20 7946 0958-", "+44 (20) 7946 0958)", "++44 20 7946 0958", "a+44 20 7946 0958", "+1 234567",
	"+123456789012345678901234", "+12345678901234567890123", "+0 20 7946 0958", "(020) 7946 0958", "((020) 7946 0958",
	"020 7946 0958 020 7946 0958", "1(020) 7946 0958", "/020 7946 0958", "020.7946.0958.",
	"4111111111111111", "41111111111111111111", "4111 1111 1111 1111 1", "4111 1111 1111 1111 12345", "4111-1111-1111-1111-1",
	"4111 1111 1111-1111", "4111 1111 1111 1111 1111 1111", "3782 822463 10005", "3782-822463-100051", "3782 822463-1000",
	"4111111111111111,4242424242424242", "4111111111111111 4242424242424242", "4111111111111111é", "é4111111111111111",
	"\xff4111111111111111", "4111111111111111\u200d", "536-90-4399", "536-90-4399-", "a536-90-4399", "536-90-43990",
	"2345 6789 0124", "2345 6789 0124 5", "1 2345 6789 0124", "-2345 6789 0124", "2345 6789 0124é", "2345 6789 0124\u200d",
	"2345 6789 0124٣", "٣2345 6789 0124", "2345-6789-0124", "2345-6789-0124-", "2345-6789-0124a", "234567890124",
	"234567890124 5", "é234567890124", "\u200d234567890124", "536 90 4399", "536904399", "536 90 43991", "271 543 878",
	"271-543-878", "271 543878", "271543 878", "271 543 878 9", "529.982.247-25", ".529.982.247-25", "52998224725",
	"52998224725.1", "52998224725-", "1.52998224725", "271 543 878 271 543 878",
}

// FuzzFast compares every matcher with its expression on arbitrary input.
func FuzzFast(f *testing.F) {
	for _, s := range fastEdges {
		f.Add([]byte(s))
	}
	for _, b := range fastCorpus(2, 50) {
		f.Add(b)
	}
	srcs := fastSources()
	regex := make([]*Pattern, len(srcs))
	for i, s := range srcs {
		regex[i] = regexOnly(f, s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 4<<10 {
			return
		}
		checkFast(t, srcs, regex, b, nil)
	})
}

func ExamplePattern_Fast() {
	p, _ := compilePattern(`(?:^|[^\w.,+-])(?P<value>\d{13,19})\b`, true)
	_ = p.FindAll([]byte("card 4539148803436467, ref 12"), func(s, e int) { fmt.Println(s, e) })
	fmt.Println(p.Fast())
	// Output:
	// 5 21
	// true
}

// BenchmarkFast runs every matcher and its expression over the cells of
// a customer table, for the ratio between the two in one run.
func BenchmarkFast(b *testing.B) {
	cells := [][]byte{[]byte("4068 4643 8860 2061"), []byte("4218076273440235"), []byte("pedro.nowak@mail.example"),
		[]byte("+39 02 1234 5767"), []byte("2019-05-27"), []byte("2345 6789 0124")}
	srcs := fastSources()
	for _, engine := range []string{"matcher", "regex"} {
		b.Run(engine, func(b *testing.B) {
			pats := make([]*Pattern, len(srcs))
			for i, s := range srcs {
				if pats[i] = regexOnly(b, s); engine == "matcher" {
					pats[i].fast = fastMatchers[s]
				}
			}
			var dst []int
			for b.Loop() {
				for _, p := range pats {
					for _, c := range cells {
						dst, _ = p.AppendMatches(dst[:0], c)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pats)*len(cells)), "ns/run")
		})
	}
}
