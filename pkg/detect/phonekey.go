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
// country. One value, one fingerprint: affected counts distinct values. A
// calling code no region uses keeps the number whole ("+999...").
func phoneKey(raw string) string { return string(appendPhoneKey(nil, []byte(raw))) }

// appendPhoneKey appends phoneKey(string(raw)) to dst without allocating:
// the digits go straight into dst, and the key is then cut down in place.
func appendPhoneKey(dst, raw []byte) []byte {
	start := len(dst)
	dst = append(dst, '|')
	plus := false
	for _, c := range raw {
		switch {
		case c >= '0' && c <= '9':
			dst = append(dst, c)
		case c == '+' && len(dst) == start+1:
			plus = true
		}
	}
	d, intl := dst[start+1:], plus
	if !plus && len(d) > 2 && d[0] == '0' && d[1] == '0' {
		d, intl = d[2:], true
	}
	lead := byte('|')
	if intl {
		if n := callingCodeLen(d); n > 0 {
			d = d[n:]
		} else {
			lead = '+'
		}
	}
	if lead == '|' {
		switch {
		case len(d) > 1 && d[0] == '0':
			d = d[1:]
		case len(d) == 11 && d[0] == '1':
			d = d[1:]
		}
	}
	dst[start] = lead
	n := copy(dst[start+1:], d)
	return dst[:start+1+n]
}

var (
	callingCodesOnce sync.Once
	// callingCodes[n][c] says c is a calling code of n digits: an array
	// lookup per digit count, where a map would hash a string.
	callingCodes *[4][1000]bool
)

// callingCodeLen returns the length of the calling code d starts with,
// or 0 if none does (the rest must not be empty).
func callingCodeLen(d []byte) int {
	callingCodesOnce.Do(func() {
		t := new([4][1000]bool)
		for c := range phonenumbers.GetSupportedCallingCodes() {
			if n := len(strconv.Itoa(c)); n <= 3 {
				t[n][c] = true
			}
		}
		callingCodes = t
	})
	v := 0
	for n := 1; n <= 3 && n < len(d); n++ {
		v = 10*v + int(d[n-1]-'0')
		if callingCodes[n][v] {
			return n
		}
	}
	return 0
}
