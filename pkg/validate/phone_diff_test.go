package validate_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/datahygiene/datahygiene/pkg/synth"
	"github.com/datahygiene/datahygiene/pkg/validate"
)

// Issue 5: Phone answers from phoneplan's automata, and must answer
// exactly as phoneReference (libphonenumber itself) does, for every input.
// These tests compare the two on generated inputs and fail on the first
// disagreements, printing the inputs.

// phoneTypes are the number types libphonenumber has example numbers for.
var phoneTypes = []phonenumbers.PhoneNumberType{
	phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE,
	phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER,
	phonenumbers.UAN, phonenumbers.VOICEMAIL,
}

// phoneExamples returns libphonenumber's example number of every type of
// every region and non-geographical code, written the ways people write
// them: E.164, international, national, with 00, with "(0)", without the
// trunk prefix.
var phoneExamples = sync.OnceValue(func() []string {
	var nums []*phonenumbers.PhoneNumber
	var regions []string
	for r := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	for _, r := range regions {
		for _, typ := range phoneTypes {
			if ex := phonenumbers.GetExampleNumberForType(r, typ); ex != nil {
				nums = append(nums, ex)
			}
		}
	}
	var codes []int
	for cc := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		codes = append(codes, cc)
	}
	slices.Sort(codes)
	for _, cc := range codes {
		if ex := phonenumbers.GetExampleNumberForNonGeoEntity(cc); ex != nil {
			nums = append(nums, ex)
		}
	}
	var out []string
	for _, n := range nums {
		e164 := phonenumbers.Format(n, phonenumbers.E164)
		intl := phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
		national := phonenumbers.Format(n, phonenumbers.NATIONAL)
		nsn := phonenumbers.GetNationalSignificantNumber(n)
		cc := strconv.Itoa(int(n.GetCountryCode()))
		out = append(out, e164, intl, national, nsn, "00"+e164[1:], "00 "+intl[1:],
			"+"+cc+" (0)"+nsn, "+"+cc+" 0"+nsn, cc+" "+nsn, "0"+nsn, "1 "+nsn, "("+nsn[:min(3, len(nsn))]+") "+nsn[min(3, len(nsn)):])
		if strings.HasPrefix(national, "0") {
			out = append(out, national[1:], strings.TrimLeft(national[1:], " "))
		}
	}
	return out
})

const phoneSeps = " -./()"

// mutatePhone changes a written number in one to three ways: a digit
// changed, dropped or added, separators changed, a prefix added, changed
// or removed, the end cut off or extended.
func mutatePhone(rng *rand.Rand, s string) string {
	for range 1 + rng.IntN(3) {
		if s == "" {
			return s
		}
		i := rng.IntN(len(s))
		digit := string(rune('0' + rng.IntN(10)))
		switch rng.IntN(12) {
		case 0, 1:
			if s[i] >= '0' && s[i] <= '9' {
				s = s[:i] + digit + s[i+1:]
			}
		case 2:
			s = s[:i] + s[i+1:]
		case 3:
			s = s[:i] + digit + s[i:]
		case 4: // change every separator
			sep := string(phoneSeps[rng.IntN(len(phoneSeps))])
			s = strings.Map(func(r rune) rune {
				if strings.ContainsRune(phoneSeps, r) {
					return rune(sep[0])
				}
				return r
			}, s)
		case 5: // drop the separators
			s = strings.Map(func(r rune) rune {
				if strings.ContainsRune(phoneSeps, r) {
					return -1
				}
				return r
			}, s)
		case 6: // add a separator
			s = s[:i] + string(phoneSeps[rng.IntN(len(phoneSeps))]) + s[i:]
		case 7:
			switch {
			case strings.HasPrefix(s, "+"):
				s = []string{"00", "", "0", "+0", "011 "}[rng.IntN(5)] + s[1:]
			case strings.HasPrefix(s, "00"):
				s = "+" + s[2:]
			default:
				s = []string{"+", "00", "0", "1 ", "(0)", "0 ", "+1 "}[rng.IntN(7)] + s
			}
		case 8:
			s = strings.TrimLeft(s, "+0")
		case 9:
			s = s[:i]
		case 10:
			s += digit + digit
		case 11: // the cc written twice or a carrier code
			s = []string{"0 15 ", "021 ", "90 ", "8 ", "180020"}[rng.IntN(5)] + s
		}
	}
	return s
}

// randomDigitRun returns 5-18 digits in groups, with separators and
// sometimes a prefix.
func randomDigitRun(rng *rand.Rand) string {
	n := 5 + rng.IntN(14)
	var b strings.Builder
	b.WriteString([]string{"", "", "", "+", "00", "0", "(", "1 "}[rng.IntN(8)])
	sep := phoneSeps[rng.IntN(len(phoneSeps))]
	for i := range n {
		if i > 0 && rng.IntN(4) == 0 {
			if rng.IntN(8) == 0 {
				sep = phoneSeps[rng.IntN(len(phoneSeps))]
			}
			b.WriteByte(sep)
		}
		b.WriteByte(byte('0' + rng.IntN(10)))
	}
	return b.String()
}

// lookalike returns something that is not a phone number but has its
// digits and separators: dates, times, versions, IPs, cards, identifiers.
func lookalike(rng *rand.Rand, g *synth.Gen) string {
	d, m, y := 1+rng.IntN(31), 1+rng.IntN(12), 1900+rng.IntN(200)
	switch rng.IntN(20) {
	case 0:
		return fmt.Sprintf("%02d.%02d.%d", d, m, y)
	case 1:
		return fmt.Sprintf("%d-%02d-%02d", y, m, d)
	case 2:
		return fmt.Sprintf("%d/%d/%d", m, d, y)
	case 3:
		return fmt.Sprintf("%02d.%02d.%02d", d, m, y%100)
	case 4:
		return fmt.Sprintf("%02d.%02d.%02d %02d.%02d", d, m, y%100, rng.IntN(24), rng.IntN(60))
	case 5:
		return g.Version()
	case 6:
		return fmt.Sprintf("%d.%d.%d.%d", rng.IntN(30), rng.IntN(30), rng.IntN(99999), rng.IntN(9999))
	case 7:
		return g.IPv4()
	case 8:
		return g.Card(synth.CardFormat(rng.IntN(3)))
	case 9:
		return g.Timestamp()
	case 10:
		return g.Date()
	case 11:
		return g.ISBN13()
	case 12:
		return g.EAN13()
	case 13:
		return g.SSN()
	case 14:
		return g.Aadhaar(rng.IntN(2) == 0)
	case 15:
		return g.SIN(rng.IntN(2) == 0)
	case 16:
		return g.BSN()
	case 17:
		return g.CPF(rng.IntN(2) == 0)
	case 18:
		return g.Price()
	default:
		return g.Coordinates()
	}
}

// phoneCorpus returns n inputs (at least all the example forms): examples,
// their mutations, random digit runs, look-alikes and synth's numbers.
func phoneCorpus(seed uint64, n int) []string {
	rng := rand.New(rand.NewPCG(seed, 42))
	g := synth.New(seed)
	examples := phoneExamples()
	out := slices.Clone(examples)
	for len(out) < n {
		switch k := rng.IntN(20); {
		case k < 8:
			out = append(out, mutatePhone(rng, examples[rng.IntN(len(examples))]))
		case k < 12:
			out = append(out, randomDigitRun(rng))
		case k < 15:
			out = append(out, lookalike(rng, g))
		case k < 17:
			out = append(out, g.Phone(), mutatePhone(rng, g.Phone()))
		default:
			r := validate.PhoneRegions[rng.IntN(len(validate.PhoneRegions))]
			out = append(out, g.PhoneNational(r), mutatePhone(rng, g.PhoneNational(r)))
		}
	}
	return out
}

// comparePhone runs Phone and phoneReference over inputs on every CPU and
// fails with the first disagreements. It returns how many inputs are
// valid numbers, to show the corpus is not all rejects.
func comparePhone(t *testing.T, inputs []string) (valid int) {
	t.Helper()
	const shards = 4
	var (
		mu    sync.Mutex
		bad   []string
		wg    sync.WaitGroup
		count [shards]int
	)
	for s := range shards {
		wg.Go(func() {
			for i := s; i < len(inputs); i += shards {
				v := inputs[i]
				got, want := validate.Phone(v), validate.PhoneReference(v)
				if got != want {
					mu.Lock()
					bad = append(bad, fmt.Sprintf("Phone(%q) = %v, reference %v", v, got, want))
					mu.Unlock()
				}
				if want {
					count[s]++
				}
			}
		})
	}
	wg.Wait()
	for i, b := range bad {
		if i == 20 {
			t.Errorf("… and %d more", len(bad)-20)
			break
		}
		t.Error(b)
	}
	for _, c := range count {
		valid += c
	}
	return valid
}

// TestPhoneMatchesReference is the always-on differential test: every
// example form of every region and type, plus mutations and look-alikes.
func TestPhoneMatchesReference(t *testing.T) {
	t.Parallel()
	inputs := phoneCorpus(1, 40_000)
	valid := comparePhone(t, inputs)
	t.Logf("%d inputs, %d valid", len(inputs), valid)
	// A corpus of rejects would agree with anything.
	if valid < len(inputs)/5 {
		t.Errorf("only %d of %d inputs are valid numbers: the corpus no longer tests acceptance", valid, len(inputs))
	}
}

// phoneCorpusSize sets the size of the large differential corpus. The
// reference costs ~40 µs a number, so the default keeps the test to a few
// seconds on two cores; run with -phone-corpus 2000000 for a deeper check.
var phoneCorpusSize = flag.Int("phone-corpus", 60_000, "inputs in TestPhoneMatchesReferenceLarge")

// TestPhoneMatchesReferenceLarge compares a few hundred thousand inputs
// (with the always-on tests), with a different seed.
func TestPhoneMatchesReferenceLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large differential corpus")
	}
	t.Parallel()
	inputs := phoneCorpus(2, *phoneCorpusSize)
	valid := comparePhone(t, inputs)
	t.Logf("%d inputs, %d valid", len(inputs), valid)
	// A corpus of rejects would agree with anything.
	if valid < len(inputs)/5 {
		t.Errorf("only %d of %d inputs are valid numbers: the corpus no longer tests acceptance", valid, len(inputs))
	}
}

// TestPhoneOtherRegions checks that Phone follows a change to
// PhoneRegions made through SetPhoneRegions, and compares it with the reference for regions whose
// national prefixes are the most intricate (carrier codes, transform
// rules, prefixes that are whole numbers): AR, MX, CO, RU, KZ, JP, CN,
// plus an unknown region and the non-geographical "001". It does not run
// in parallel, because it changes a global the other tests read.
func TestPhoneOtherRegions(t *testing.T) {
	// Look the default regions up first: Phone must then follow the change.
	validate.Phone("020 7946 0958")
	validate.SetPhoneRegions(t, []string{"AR", "MX", "CO", "RU", "KZ", "JP", "CN", "XX", "001", "US", "BR", "GB", "AU", "SE", "VA", "IM", "AG"})
	var inputs []string
	rng := rand.New(rand.NewPCG(7, 8))
	g := synth.New(7)
	for _, r := range []string{"AR", "MX", "CO", "RU", "KZ", "JP", "CN", "SE", "VA", "IM", "AG"} {
		for _, typ := range phoneTypes {
			ex := phonenumbers.GetExampleNumberForType(r, typ)
			if ex == nil {
				continue
			}
			national := phonenumbers.Format(ex, phonenumbers.NATIONAL)
			inputs = append(inputs, national, phonenumbers.GetNationalSignificantNumber(ex))
			for range 100 {
				inputs = append(inputs, mutatePhone(rng, national))
			}
		}
	}
	inputs = append(inputs, phoneCorpus(3, 10_000)...)
	for range 2000 {
		inputs = append(inputs, g.Phone())
	}
	valid := comparePhone(t, inputs)
	t.Logf("%d inputs, %d valid", len(inputs), valid)
	// A corpus of rejects would agree with anything.
	if valid < len(inputs)/5 {
		t.Errorf("only %d of %d inputs are valid numbers: the corpus no longer tests acceptance", valid, len(inputs))
	}
}

// FuzzPhone compares Phone with the reference on arbitrary strings.
func FuzzPhone(f *testing.F) {
	for _, s := range []string{
		"+44 20 7946 0958", "020 7946 0958", "0044 20 7946 0123", "(202) 555-0123", "1 (202) 555-0123",
		"(11) 96123-4567", "11 96123-4567", "81234 56789", "+39 06 6982 1234", "0800-FLOWERS", "04.11.2018",
		"+800 1234 5678", "011 44 20 7946 0958", "44 20 7946 0958", "0 15 11 2345 6789", "+7 700 123 4567",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 64 {
			t.Skip("the reference is slow on long inputs")
		}
		if got, want := validate.Phone(s), validate.PhoneReference(s); got != want {
			t.Errorf("Phone(%q) = %v, reference %v", s, got, want)
		}
	})
}

var mixSink bool

// BenchmarkPhoneMix validates the differential corpus (example numbers of
// every region, their mutations, look-alikes and synth's numbers), as a
// scan of mixed data would: about half are valid numbers.
func BenchmarkPhoneMix(b *testing.B) {
	inputs := phoneCorpus(4, 10_000)
	for _, bench := range []struct {
		name string
		f    func(string) bool
	}{{"fast", validate.Phone}, {"reference", validate.PhoneReference}} {
		for _, v := range inputs { // compile the plans outside the timings
			bench.f(v)
		}
		b.Run(bench.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				mixSink = bench.f(inputs[i%len(inputs)])
				i++
			}
		})
	}
}
