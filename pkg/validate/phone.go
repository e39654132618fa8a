package validate

import (
	"slices"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// PhoneRegions are the regions whose national formats Phone accepts when a
// number has no international prefix. Read on every call.
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
// Parsing costs about as much as a thousand cheap checks, so values that
// cannot be numbers are rejected first: letters (vanity numbers and
// extensions are out of scope), any character besides digits, spaces and
// - . ( ) /, a + anywhere but first, fewer than 7 or more than 15 digits
// (E.164's limit), and dates: Italian and German numbers vary in length so
// much that 04.11.2018 is a valid Venice number.
func Phone(value string) bool {
	digits, first := 0, byte(0)
	for i := 0; i < len(value); i++ {
		switch c := value[i]; {
		case isDigit(c):
			if digits == 0 {
				first = c
			}
			digits++
		case c == '+' && i == 0:
		case strings.IndexByte(" -.()/", c) >= 0:
		default:
			return false
		}
	}
	intl := strings.HasPrefix(value, "+")
	if strings.HasPrefix(value, "00") {
		intl, value, digits = true, "+"+value[2:], digits-2
	}
	if digits < 7 || digits > 15 || looksLikeDate(value) {
		return false
	}
	if intl {
		num, err := phonenumbers.Parse(value, "ZZ")
		return err == nil && phonenumbers.IsValidNumber(num)
	}
	// A lone leading digit is how trunk prefixes are written (1 (202)
	// 555-0123, 0 800 …); otherwise it starts a version number such as
	// 6.14.13.15293 rather than a phone number.
	if len(value) > 1 && isDigit(value[0]) && !isDigit(value[1]) && value[0] != '0' && value[0] != '1' {
		return false
	}
	trunk := first == '0'
	paren := strings.HasPrefix(value, "(")
	plans := phonePlans()
	var seen []int32
	for _, r := range PhoneRegions {
		noTrunk := slices.Contains(writtenWithoutTrunk, r)
		mobileOK := slices.Contains(mobileWithoutTrunk, r)
		p, known := plans[r]
		if !known || (!trunk && !noTrunk && !mobileOK) || !p.mayFit(digits, first) {
			continue
		}
		// Regions sharing a calling code (US and CA) validate the same
		// way, whichever of them the number is parsed for.
		if slices.Contains(seen, p.cc) {
			continue
		}
		seen = append(seen, p.cc)
		num, err := phonenumbers.Parse(value, r)
		if err != nil {
			continue
		}
		if trunk || noTrunk || (r == "BR" && paren) {
			if phonenumbers.IsValidNumber(num) {
				return true
			}
			continue
		}
		// Only a mobile may go without its 0. GetNumberType is UNKNOWN for
		// invalid numbers, so it validates too, at the cost of one lookup.
		// Unix timestamps (1.6e9, 1.7e9) are the usual 10-digit strings
		// that reach this point, and the plans accept some: Brazil still
		// holds eight-digit mobiles after the area code (1674986827 reads
		// as (16) 7498-6827) although personal ones have had nine since
		// 2016, and India's 1600 series (bank and insurer service lines)
		// counts as mobile although personal mobiles start with 6-9.
		nsn := phonenumbers.GetNationalSignificantNumber(num)
		if (r == "BR" && len(nsn) != 11) || (r == "IN" && (nsn == "" || nsn[0] < '6')) {
			continue
		}
		if t := phonenumbers.GetNumberType(num); t == phonenumbers.MOBILE || t == phonenumbers.FIXED_LINE_OR_MOBILE {
			return true
		}
	}
	return false
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
