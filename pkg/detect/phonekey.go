package detect

import (
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// phoneKey is a phone number's normal form for fingerprints: its national
// significant number, the digits without country code and trunk prefix,
// so that "+44 20 7946 0958", "0044 20 7946 0958", "+44 (0)20 7946 0958"
// and "020 7946 0958" are one value ("|2079460958"): find must match a
// number however a file wrote it, and a national number does not say its
// country. One value, one fingerprint: affected counts distinct values.
func phoneKey(raw string) string {
	digits, intl := phoneDigits(raw)
	if intl {
		_, nsn, ok := splitCallingCode(digits)
		if !ok {
			return "+" + digits
		}
		digits = nsn
	}
	return "|" + trimTrunk(digits)
}

// phoneDigits keeps the digits of raw and says whether it was written
// internationally (+CC or 00CC).
func phoneDigits(raw string) (string, bool) {
	b := make([]byte, 0, len(raw))
	plus := false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c >= '0' && c <= '9':
			b = append(b, c)
		case c == '+' && len(b) == 0:
			plus = true
		}
	}
	d := string(b)
	if !plus && len(d) > 2 && d[:2] == "00" {
		return d[2:], true
	}
	return d, plus
}

// trimTrunk drops a national trunk prefix: the 0 most countries write
// first, or NANP's 1 before ten digits.
func trimTrunk(nsn string) string {
	switch {
	case len(nsn) > 1 && nsn[0] == '0':
		return nsn[1:]
	case len(nsn) == 11 && nsn[0] == '1':
		return nsn[1:]
	}
	return nsn
}

var (
	callingCodesOnce sync.Once
	callingCodes     map[string]bool
)

// splitCallingCode splits an international number's digits into its
// country calling code (1 to 3 digits; the codes are prefix-free) and the
// rest.
func splitCallingCode(d string) (cc, rest string, ok bool) {
	callingCodesOnce.Do(func() {
		callingCodes = map[string]bool{}
		for c := range phonenumbers.GetSupportedCallingCodes() {
			callingCodes[strconv.Itoa(c)] = true
		}
	})
	for n := 1; n <= 3 && n < len(d); n++ {
		if callingCodes[d[:n]] {
			return d[:n], d[n:], true
		}
	}
	return "", "", false
}
