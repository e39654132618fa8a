package validate

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nyaruka/phonenumbers"

	"github.com/datahygiene/datahygiene/pkg/validate/internal/phoneplan"
)

// PhoneRegions are the regions whose national formats Phone accepts when a
// number has no international prefix. Phone looks them up once, on its
// first call, so change the list only before then (the package's tests do
// it through SetPhoneRegions in phone_export_test.go).
var PhoneRegions = []string{"US", "GB", "DE", "FR", "NL", "ES", "IT", "IE", "BE", "IN", "CA", "AU", "BR"}

// writtenWithoutTrunk are regions whose national numbers are written
// without a trunk prefix: NANP numbers drop the optional 1, Spain has no
// trunk prefix and Italy's leading 0 is part of the number itself. In
// every other region a national number is written with its 0, and
// demanding it keeps bare digit runs (epoch seconds, IDs, 2024-01-15) from
// passing as, say, Belgian or German numbers.
var writtenWithoutTrunk = []string{"US", "CA", "ES", "IT"}

// mobileWithoutTrunk are regions where mobile numbers are routinely
// written without the trunk 0 (98765 43210, 11 91234-5678) while fixed
// lines keep it. Brazil also writes any number as "(11) 2345-6789".
var mobileWithoutTrunk = []string{"IN", "BR"}

// Phone reports whether value is a valid phone number per libphonenumber's
// numbering plans (valid, not merely possible: the area code and number
// range must exist). A value starting with + or 00 is parsed as
// international; any other must be a valid national number in one of
// PhoneRegions, written as that region writes it (see writtenWithoutTrunk).
//
// Values that cannot be numbers are rejected first: letters (vanity
// numbers and extensions are out of scope), any character besides digits,
// spaces and - . ( ) /, a + anywhere but first, fewer than 7 or more than
// 15 digits (E.164's limit), and dates: Italian and German numbers vary in
// length so much that 04.11.2018 is a valid Venice number.
//
// The rest is what phoneReference asks libphonenumber, answered by
// phoneplan from the same metadata in about a microsecond instead of
// 20-50 µs (issue 5): for these shapes only the digits matter, and
// phoneplan ports libphonenumber's parsing and replaces its regular
// expressions with one automaton per region. TestPhoneMatchesReference and
// FuzzPhone hold the two to the same answers.
func Phone(value string) bool {
	ok, err := phoneFast(value)
	if err != nil {
		// Metadata phoneplan cannot compile (none today, see phoneplan's
		// TestAutomataSize): ask libphonenumber.
		return phoneReference(value)
	}
	return ok
}

// maxPhoneInput is libphonenumber's MAX_INPUT_STRING_LENGTH: Parse
// rejects longer strings, whatever they hold.
const maxPhoneInput = 250

// phoneFast is phoneReference with phoneplan in place of libphonenumber.
func phoneFast(value string) (bool, error) {
	// At most 15 digits pass, 17 with a leading 00.
	var buf [17]byte
	digits, first := 0, byte(0)
	for i := 0; i < len(value); i++ {
		switch c := value[i]; {
		case isDigit(c):
			if digits == 0 {
				first = c
			}
			if digits < len(buf) {
				buf[digits] = c
			}
			digits++
		case c == '+' && i == 0:
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/':
		default:
			return false, nil
		}
	}
	d := buf[:min(digits, len(buf))]
	intl, size := strings.HasPrefix(value, "+"), len(value)
	if strings.HasPrefix(value, "00") {
		// phoneReference parses "+" + value[2:].
		intl, d, digits, size = true, d[2:], digits-2, size-1
	}
	// looksLikeDate is false for anything with a +, as the international
	// values phoneReference passes it are.
	if digits < 7 || digits > 15 || (!intl && looksLikeDateFast(value)) || size > maxPhoneInput {
		return false, nil
	}
	ds := string(d)
	if intl {
		num, ok, err := phoneplan.ParseInternational(ds)
		if !ok || err != nil {
			return false, err
		}
		return phoneplan.Valid(num)
	}
	// A lone leading digit is how trunk prefixes are written (1 (202)
	// 555-0123, 0 800 …); otherwise it starts a version number such as
	// 6.14.13.15293 rather than a phone number.
	if len(value) > 1 && isDigit(value[0]) && !isDigit(value[1]) && value[0] != '0' && value[0] != '1' {
		return false, nil
	}
	trunk := first == '0'
	paren := strings.HasPrefix(value, "(")
	var seenBuf [16]int32
	seen := seenBuf[:0]
	regions := phoneRegionList()
	for i := range regions {
		r := &regions[i]
		if !r.known || (!trunk && !r.noTrunk && !r.mobileOK) || !r.mayFit(digits, first) {
			continue
		}
		// Regions sharing a calling code (US and CA) validate the same
		// way, whichever of them the number is parsed for.
		if slices.Contains(seen, r.cc) {
			continue
		}
		seen = append(seen, r.cc)
		if r.plan == nil {
			continue // libphonenumber has no such region: Parse fails
		}
		num, ok, err := r.plan.ParseNational(ds)
		if err != nil {
			return false, err
		}
		if !ok {
			continue
		}
		if trunk || r.noTrunk || (r.id == "BR" && paren) {
			valid, err := phoneplan.Valid(num)
			if valid || err != nil {
				return valid, err
			}
			continue
		}
		// Only a mobile may go without its 0; see phoneReference for the
		// Brazilian and Indian exceptions.
		nsn := num.NSN()
		if (r.id == "BR" && len(nsn) != 11) || (r.id == "IN" && (nsn == "" || nsn[0] < '6')) {
			continue
		}
		t, err := phoneplan.Type(num)
		if err != nil {
			return false, err
		}
		if t == phonenumbers.MOBILE || t == phonenumbers.FIXED_LINE_OR_MOBILE {
			return true, nil
		}
	}
	return false, nil
}

// phoneRegion is what phoneFast needs to know about one of PhoneRegions,
// looked up once rather than on every call (writtenWithoutTrunk and
// mobileWithoutTrunk are read then too; they never change).
type phoneRegion struct {
	id                string
	known             bool            // phonePlans has the region
	phonePlan                         // the region's entry in phonePlans
	noTrunk, mobileOK bool            // in writtenWithoutTrunk, mobileWithoutTrunk
	plan              *phoneplan.Plan // nil when libphonenumber does not support the region
}

// phoneRegions holds PhoneRegions looked up; nil until Phone first runs.
// An atomic pointer rather than a sync.Once so that tests can reset it.
var phoneRegions atomic.Pointer[[]phoneRegion]

// phoneRegionList returns PhoneRegions looked up. Two first calls at once
// may both look them up; they store the same answer.
func phoneRegionList() []phoneRegion {
	if rs := phoneRegions.Load(); rs != nil {
		return *rs
	}
	plans := phonePlans()
	rs := make([]phoneRegion, 0, len(PhoneRegions))
	for _, id := range PhoneRegions {
		p, known := plans[id]
		rs = append(rs, phoneRegion{
			id:        id,
			known:     known,
			phonePlan: p,
			noTrunk:   slices.Contains(writtenWithoutTrunk, id),
			mobileOK:  slices.Contains(mobileWithoutTrunk, id),
			plan:      phoneplan.Region(id),
		})
	}
	phoneRegions.Store(&rs)
	return rs
}

// phonePlan is what Phone needs to know about a region to skip parsing
// numbers that cannot belong to it.
type phonePlan struct {
	cc      int32
	prefix  string  // national (trunk) prefix: "0", "1" or ""
	lengths []int32 // possible lengths of a national significant number
}

// mayFit reports whether a national number of n digits, starting with
// first, could have one of the region's lengths once its trunk prefix is
// gone. Brazil may also carry a two-digit carrier code after the 0.
func (p phonePlan) mayFit(n int, first byte) bool {
	fits := func(l int) bool { return slices.Contains(p.lengths, int32(l)) }
	if fits(n) {
		return true
	}
	if p.prefix == "" || p.prefix[0] != first {
		return false
	}
	return fits(n-len(p.prefix)) || (p.cc == 55 && fits(n-3))
}

// phonePlans reads every region's plan once from the metadata
// libphonenumber has already loaded, so that PhoneRegions may name any
// region.
var phonePlans = sync.OnceValue(func() map[string]phonePlan {
	plans := make(map[string]phonePlan)
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return plans // no plans: Phone then rejects every national number
	}
	for _, m := range coll.GetMetadata() {
		plans[m.GetId()] = phonePlan{
			cc:      m.GetCountryCode(),
			prefix:  m.GetNationalPrefix(),
			lengths: m.GetGeneralDesc().GetPossibleLength(),
		}
	}
	return plans
})

// looksLikeDate reports whether value is three digit groups joined by one
// of . / - that read as a calendar date with a 19xx or 20xx year: day and
// month (in either order) then the year, or the year first.
func looksLikeDate(value string) bool {
	parts := strings.FieldsFunc(value, func(r rune) bool { return r == '.' || r == '/' || r == '-' })
	if len(parts) != 3 || strings.ContainsAny(value, " ()+") {
		return false
	}
	n := make([]int, 3)
	for i, p := range parts {
		if !allDigits(p) || len(p) > 4 {
			return false
		}
		for j := 0; j < len(p); j++ {
			n[i] = n[i]*10 + int(p[j]-'0')
		}
	}
	year := func(i int) bool { return len(parts[i]) == 4 && (parts[i][:2] == "19" || parts[i][:2] == "20") }
	small := func(i int) bool { return len(parts[i]) <= 2 && 1 <= n[i] && n[i] <= 31 }
	return (small(0) && small(1) && year(2)) || (year(0) && small(1) && small(2))
}

// looksLikeDateFast is looksLikeDate without allocating: one pass that
// reads at most three digit fields of at most four digits. It gives the
// same answer for every string (TestLooksLikeDateFast).
func looksLikeDateFast(value string) bool {
	var n, l [3]int
	fields, inField := 0, false
	for i := 0; i < len(value); i++ {
		switch c := value[i]; c {
		case '.', '/', '-':
			inField = false
		case ' ', '(', ')', '+':
			return false
		default:
			if !inField {
				if fields == 3 {
					return false
				}
				fields, inField = fields+1, true
			}
			f := fields - 1
			if !isDigit(c) || l[f] == 4 {
				return false
			}
			n[f], l[f] = n[f]*10+int(c-'0'), l[f]+1
		}
	}
	if fields != 3 {
		return false
	}
	year := func(i int) bool { return l[i] == 4 && (n[i]/100 == 19 || n[i]/100 == 20) }
	small := func(i int) bool { return l[i] <= 2 && 1 <= n[i] && n[i] <= 31 }
	return (small(0) && small(1) && year(2)) || (year(0) && small(1) && small(2))
}
