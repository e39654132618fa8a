package mask

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redacted is what the secret style shows for any value. It never varies,
// so that it leaks not even the length.
const Redacted = "********"

// styles maps each style name to its masking function.
var styles = map[string]func(string) string{
	"card":    card,
	"email":   email,
	"phone":   phone,
	"iban":    iban,
	"id":      id,
	"secret":  func(string) string { return Redacted },
	"ip":      ip,
	"default": fallback,
}

// Styles lists the style names Mask knows, sorted.
func Styles() []string {
	names := make([]string, 0, len(styles))
	for n := range styles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Mask returns value masked in the given style; an unknown style means
// "default". The empty value stays empty, except for secrets.
func Mask(style, value string) string {
	f, ok := styles[style]
	if !ok {
		f = fallback
	}
	if style == "secret" {
		return Redacted
	}
	if value == "" {
		return ""
	}
	out := capDigitRuns(f(value))
	// A value with nothing left to hide (no letters or digits, or already
	// masked) would come back unchanged; hand back a constant instead, so
	// a masked value never equals its raw one.
	if out == value {
		if value == Redacted {
			return "*"
		}
		return Redacted
	}
	return out
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// maskRunes replaces every letter and digit of s with '*' except those
// keep approves. Runes that count (per counted) are numbered 0..n-1 from
// the left and keep gets each one's number and n; the others are always
// masked. Everything else, including invalid UTF-8, is copied as is.
func maskRunes(s string, counted func(rune) bool, keep func(i, n int) bool) string {
	n := 0
	for _, r := range s {
		if counted(r) {
			n++
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case counted(r) && keep(i, n):
			b.WriteString(s[:size])
		case isAlnum(r):
			b.WriteByte('*')
		default:
			b.WriteString(s[:size])
		}
		if counted(r) {
			i++
		}
		s = s[size:]
	}
	return b.String()
}

// keepLast keeps the last k counted runes.
func keepLast(k int) func(i, n int) bool {
	return func(i, n int) bool { return i >= n-k }
}

func count(s string, f func(rune) bool) int {
	n := 0
	for _, r := range s {
		if f(r) {
			n++
		}
	}
	return n
}

// fallback is the default style: the last four letters or digits of a
// value with at least eight of them, nothing of a shorter one (four of
// seven would be most of it).
func fallback(v string) string {
	if count(v, isAlnum) >= 8 {
		return maskRunes(v, isAlnum, keepLast(4))
	}
	return maskRunes(v, isAlnum, keepLast(0))
}

// card keeps the first four and last four digits, as printed receipts do
// (PCI DSS would allow the first six). Values with fewer than 12 digits
// are not card numbers, and showing eight of them would show most.
func card(v string) string {
	if count(v, unicode.IsDigit) < 12 {
		return fallback(v)
	}
	return maskRunes(v, unicode.IsDigit, func(i, n int) bool { return i < 4 || i >= n-4 })
}

// email keeps the first character of the local part and the domain:
// "jane.doe@example.com" becomes "j***@example.com". The fixed "***" hides
// the local part's length. Values that do not look like an address fall
// back to the default style, so that arbitrary text after an @ is never
// shown.
func email(v string) string {
	at := strings.LastIndexByte(v, '@')
	if at <= 0 {
		return fallback(v)
	}
	local, domain := v[:at], v[at+1:]
	if !strings.Contains(domain, ".") || strings.IndexFunc(domain, func(r rune) bool {
		return !isAlnum(r) && r != '.' && r != '-'
	}) >= 0 {
		return fallback(v)
	}
	_, size := utf8.DecodeRuneInString(local)
	return local[:size] + "***@" + domain
}

// phone keeps a leading + and the last two digits: "+44 20 7946 0958"
// becomes "+** ** **** **58". Fewer than seven digits is no phone number,
// and two of them would be too much; none are kept then.
func phone(v string) string {
	k := 2
	if count(v, unicode.IsDigit) < 7 {
		k = 0
	}
	return maskRunes(v, unicode.IsDigit, keepLast(k))
}

// iban keeps the country code and the last four characters: "GB82 WEST
// 1234 5698 7654 32" becomes "GB** **** **** **** **54 32". Values that
// do not start with two letters or are too short for an IBAN fall back to
// the default style.
func iban(v string) string {
	n := count(v, isAlnum)
	if n < 10 || len(v) < 2 || !isASCIILetter(v[0]) || !isASCIILetter(v[1]) {
		return fallback(v)
	}
	return maskRunes(v, isAlnum, func(i, n int) bool { return i < 2 || i >= n-4 })
}

func isASCIILetter(c byte) bool { return ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') }

// id masks national identifiers: the last four letters or digits of a
// value with at least eight ("***-**-6789"), the last two of a shorter
// one, and none below four, where two would be half the value.
func id(v string) string {
	switch n := count(v, isAlnum); {
	case n >= 8:
		return maskRunes(v, isAlnum, keepLast(4))
	case n >= 4:
		return maskRunes(v, isAlnum, keepLast(2))
	default:
		return maskRunes(v, isAlnum, keepLast(0))
	}
}

// ip keeps the network's first part: the first octet of an IPv4 address
// ("10.1.2.3" becomes "10.*.*.*") and the first group of an IPv6 one,
// followed by all seven other groups as "*" whatever the written
// compression ("2001:db8::1" becomes "2001:*:*:*:*:*:*:*"), so that the
// masked form does not tell how many groups were zero. Values that do
// not parse fall back to the default style.
func ip(v string) string {
	a, err := netip.ParseAddr(v)
	switch {
	case err != nil:
		return fallback(v)
	case a.Is4():
		return strconv.Itoa(int(a.As4()[0])) + ".*.*.*"
	default:
		b := a.As16()
		return strconv.FormatUint(uint64(b[0])<<8|uint64(b[1]), 16) + strings.Repeat(":*", 7)
	}
}

// capDigitRuns masks all but the last four digits of any run of more than
// four, wherever a style let one through (an e-mail domain such as
// 12345678.example keeps its digits otherwise).
func capDigitRuns(s string) string {
	run, longest := 0, 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	if longest <= 4 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		// Find the run starting here and how many of its digits to hide.
		n := 0
		for t := s; len(t) > 0; n++ {
			r, size := utf8.DecodeRuneInString(t)
			if !unicode.IsDigit(r) {
				break
			}
			t = t[size:]
		}
		if n == 0 {
			_, size := utf8.DecodeRuneInString(s)
			b.WriteString(s[:size])
			s = s[size:]
			continue
		}
		for i := 0; i < n; i++ {
			_, size := utf8.DecodeRuneInString(s)
			if i < n-4 {
				b.WriteByte('*')
			} else {
				b.WriteString(s[:size])
			}
			s = s[size:]
		}
	}
	return b.String()
}
