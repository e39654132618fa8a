package phoneplan

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// allTypes are the number types libphonenumber has example numbers for.
var allTypes = []phonenumbers.PhoneNumberType{
	phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE,
	phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER,
	phonenumbers.UAN, phonenumbers.VOICEMAIL,
}

// examples returns, per region (and "001/cc" for non-geographical codes),
// the national significant numbers of libphonenumber's example numbers,
// with their calling codes.
func examples() map[string][]Number {
	out := map[string][]Number{}
	for _, r := range sortedRegions() {
		for _, typ := range allTypes {
			if ex := phonenumbers.GetExampleNumberForType(r, typ); ex != nil {
				out[r] = append(out[r], Number{int(ex.GetCountryCode()), phonenumbers.GetNationalSignificantNumber(ex)})
			}
		}
	}
	for cc := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		if ex := phonenumbers.GetExampleNumberForNonGeoEntity(cc); ex != nil {
			k := fmt.Sprintf("001/%d", cc)
			out[k] = append(out[k], Number{cc, phonenumbers.GetNationalSignificantNumber(ex)})
		}
	}
	return out
}

func sortedRegions() []string {
	var rs []string
	for r := range phonenumbers.GetSupportedRegions() {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	return rs
}

// mutate returns variants of a digit string that probe the edges of a
// numbering plan: each digit changed, one dropped, one added, the end cut.
func mutate(rng *rand.Rand, s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		d := byte('0' + rng.IntN(10))
		out = append(out, s[:i]+string(d)+s[i+1:])
	}
	if len(s) > 1 {
		i := rng.IntN(len(s))
		out = append(out, s[:i]+s[i+1:], s[:len(s)-1])
	}
	i := rng.IntN(len(s) + 1)
	out = append(out, s[:i]+strconv.Itoa(rng.IntN(10))+s[i:], s+strconv.Itoa(rng.IntN(10)))
	return out
}

func randomDigits(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rng.IntN(10))
	}
	return string(b)
}

// digitCorpus returns digit strings written as a number could be: with and
// without calling code, national prefix and international prefixes, and
// mutated, plus random digit runs.
func digitCorpus(rng *rand.Rand, randoms int) []string {
	var out []string
	seen := map[string]bool{}
	add := func(ss ...string) {
		for _, s := range ss {
			if s != "" && len(s) <= 20 && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	ex := examples()
	keys := make([]string, 0, len(ex))
	for k := range ex {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, n := range ex[k] {
			cc := strconv.Itoa(n.cc)
			np := ""
			if p := Region(k); p != nil {
				np = p.md.GetNationalPrefix()
			}
			forms := []string{cc + n.nsn, n.nsn, np + n.nsn, "0" + n.nsn, "1" + n.nsn, "00" + cc + n.nsn, "011" + cc + n.nsn, cc + "0" + n.nsn}
			add(forms...)
			for _, f := range forms[:3] {
				add(mutate(rng, f)...)
			}
		}
	}
	for range randoms {
		add(randomDigits(rng, 3+rng.IntN(16)))
	}
	return out
}

// compare checks one parse against libphonenumber: success, calling code,
// national significant number, validity and type.
func compare(t *testing.T, what string, n Number, ok bool, err error, ref *phonenumbers.PhoneNumber, refErr error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if ok != (refErr == nil) {
		t.Fatalf("%s: parsed = %v, libphonenumber: %v", what, ok, refErr)
	}
	if !ok {
		return
	}
	if n.cc != int(ref.GetCountryCode()) || n.nsn != phonenumbers.GetNationalSignificantNumber(ref) {
		t.Fatalf("%s: +%d %s, libphonenumber +%d %s", what, n.cc, n.nsn, ref.GetCountryCode(), phonenumbers.GetNationalSignificantNumber(ref))
	}
	valid, err := Valid(n)
	if err != nil {
		t.Fatalf("%s: Valid: %v", what, err)
	}
	if want := phonenumbers.IsValidNumber(ref); valid != want {
		t.Fatalf("%s (+%d %s): Valid = %v, libphonenumber %v", what, n.cc, n.nsn, valid, want)
	}
	typ, err := Type(n)
	if err != nil {
		t.Fatalf("%s: Type: %v", what, err)
	}
	if want := phonenumbers.GetNumberType(ref); typ != want {
		t.Fatalf("%s (+%d %s): Type = %v, libphonenumber %v", what, n.cc, n.nsn, typ, want)
	}
}

// TestParseInternational compares ParseInternational, Valid and Type with
// libphonenumber for numbers written with a +, every region's examples and
// their variants among them.
func TestParseInternational(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	randoms := 20000
	if testing.Short() {
		randoms = 2000
	}
	for _, d := range digitCorpus(rng, randoms) {
		ref, refErr := phonenumbers.Parse("+"+d, "ZZ")
		n, ok, err := ParseInternational(d)
		compare(t, "+"+d, n, ok, err, ref, refErr)
	}
}

// TestParseNational does the same for numbers written without a +, parsed
// for a default region: a large sample of the corpus for the regions
// validate.Phone reads national numbers for by default, a small one for
// every other region. (validate's differential test adds formatted
// numbers for the former.)
func TestParseNational(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	randoms := 5000
	if testing.Short() {
		randoms = 500
	}
	corpus := digitCorpus(rng, randoms)
	full := []string{"US", "GB", "DE", "FR", "NL", "ES", "IT", "IE", "BE", "IN", "CA", "AU", "BR"}
	for _, r := range sortedRegions() {
		p := Region(r)
		if p == nil {
			t.Fatalf("no plan for supported region %s", r)
		}
		n := 300
		if slices.Contains(full, r) {
			n = 6000
		}
		if testing.Short() {
			n /= 10
		}
		var sample []string
		for range n {
			sample = append(sample, corpus[rng.IntN(len(corpus))])
		}
		for _, d := range sample {
			ref, refErr := phonenumbers.Parse(d, r)
			n, ok, err := p.ParseNational(d)
			compare(t, r+" "+d, n, ok, err, ref, refErr)
		}
	}
}

// TestAutomaton checks each plan's automaton against the regular
// expressions libphonenumber matches, pattern by pattern, on the region's
// example numbers, their variants and random digit strings.
func TestAutomaton(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	ex := examples()
	for _, p := range allPlans() {
		c, err := p.compiled()
		if err != nil {
			t.Fatal(err)
		}
		md := p.md
		descs := []*phonenumbers.PhoneNumberDesc{
			md.GetGeneralDesc(), md.GetPremiumRate(), md.GetTollFree(), md.GetSharedCost(), md.GetVoip(),
			md.GetPersonalNumber(), md.GetPager(), md.GetUan(), md.GetVoicemail(), md.GetFixedLine(), md.GetMobile(),
		}
		var full []*regexp.Regexp
		for _, d := range descs {
			full = append(full, regexp.MustCompile("^(?:"+d.GetNationalNumberPattern()+")$"))
		}
		var leading *regexp.Regexp
		if md.GetLeadingDigits() != "" {
			leading = regexp.MustCompile("^(?:" + md.GetLeadingDigits() + ")")
		}
		key := p.region
		if key == nonGeoRegion {
			key = fmt.Sprintf("001/%d", p.cc)
		}
		var inputs []string
		for _, n := range ex[key] {
			inputs = append(inputs, n.nsn)
			inputs = append(inputs, mutate(rng, n.nsn)...)
		}
		for range 200 {
			inputs = append(inputs, randomDigits(rng, rng.IntN(maxNSN+1)))
		}
		for _, s := range inputs {
			acc := c.auto.run(s)
			for k, m := range full {
				if got, want := acc&(1<<k) != 0, m.MatchString(s); got != want {
					t.Fatalf("%s pattern %d on %q: automaton %v, regexp %v", p.region, k, s, got, want)
				}
			}
			if leading != nil {
				if got, want := acc&bitLeadingDigits != 0, leading.MatchString(s); got != want {
					t.Fatalf("%s leading digits on %q: automaton %v, regexp %v", p.region, s, got, want)
				}
			}
		}
	}
	// The automata of shared calling codes, which tell whose leading
	// digits start a number.
	for _, e := range load().byCC {
		if e == nil || len(e.plans) < 2 {
			continue
		}
		a, err := e.leading()
		if err != nil {
			t.Fatal(err)
		}
		res := make([]*regexp.Regexp, len(e.plans))
		for i, p := range e.plans {
			ld := p.md.GetLeadingDigits()
			if (ld == "") != (e.lead[i] == 0) {
				t.Fatalf("%s: leading digits %q but bit %x", p.region, ld, e.lead[i])
			}
			if ld != "" {
				res[i] = regexp.MustCompile("^(?:" + ld + ")")
			}
		}
		for range 1000 {
			s := randomDigits(rng, rng.IntN(8))
			acc := a.run(s)
			for i, p := range e.plans {
				if res[i] == nil {
					continue
				}
				if got, want := acc&e.lead[i] != 0, res[i].MatchString(s); got != want {
					t.Fatalf("%s leading digits on %q: shared automaton %v, regexp %v", p.region, s, got, want)
				}
			}
		}
	}
}

// FuzzParse compares parsing, validity and type with libphonenumber for
// arbitrary digit strings, international and national for one of the
// regions validate.Phone reads national numbers for.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"442079460958", "02079460958", "0114420794609", "5511961234567", "17250000000", "0012025550123", "80012345678"} {
		f.Add(s, uint8(0))
	}
	regions := []string{"US", "GB", "DE", "FR", "NL", "ES", "IT", "IE", "BE", "IN", "CA", "AU", "BR", "AR", "MX", "RU"}
	f.Fuzz(func(t *testing.T, s string, region uint8) {
		var d []byte
		for i := 0; i < len(s) && len(d) < 20; i++ {
			if '0' <= s[i] && s[i] <= '9' {
				d = append(d, s[i])
			}
		}
		digits := string(d)
		ref, refErr := phonenumbers.Parse("+"+digits, "ZZ")
		n, ok, err := ParseInternational(digits)
		compare(t, "+"+digits, n, ok, err, ref, refErr)

		r := regions[int(region)%len(regions)]
		if digits == "" {
			return // Parse fails without looking at the region
		}
		ref, refErr = phonenumbers.Parse(digits, r)
		n, ok, err = Region(r).ParseNational(digits)
		compare(t, r+" "+digits, n, ok, err, ref, refErr)
	})
}
