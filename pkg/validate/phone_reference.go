package validate

import (
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// phoneReference is Phone as it was before phoneplan (issue 5): every
// candidate that survives the cheap checks goes through libphonenumber's
// Parse and IsValidNumber. It stays as the definition Phone is tested
// against (TestPhoneMatchesReference, FuzzPhone), and as the fallback for
// metadata that phoneplan cannot compile.
func phoneReference(value string) bool {
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
