package validate

import "strings"

// numberSeps are the separators the generic checksums skip.
const numberSeps = " -./"

// Luhn reports whether the digits of value pass the Luhn mod-10 check.
// Spaces, dashes, dots and slashes are skipped; any other character fails.
// At least two digits are required, since a single 0 is "valid" and
// meaningless.
func Luhn(value string) bool {
	return luhn(value, numberSeps)
}

// luhnValid runs Luhn over ASCII digits.
func luhnValid[T ~string | ~[]byte](d T) bool { return luhn(d, "") }

// luhn runs Luhn over the digits of d, skipping the separators in seps:
// from the right, every second digit is doubled (minus 9 if over 9) and
// the sum must end in 0.
func luhn[T ~string | ~[]byte](d T, seps string) bool {
	sum, n := 0, 0
	for i := len(d) - 1; i >= 0; i-- {
		c := d[i]
		if !isDigit(c) {
			if strings.IndexByte(seps, c) < 0 {
				return false
			}
			continue
		}
		v := int(c - '0')
		if n%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		n++
	}
	return n >= 2 && sum%10 == 0
}

// Verhoeff tables: d is the multiplication table of the dihedral group D5
// and p the permutation applied at each position (cycling every 8).
var (
	verhoeffD = [10][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
		{5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
		{7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP = [8][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0},
		{4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
		{7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
)

// Verhoeff reports whether the digits of value pass the Verhoeff check
// (used by Aadhaar). Separators are handled as in Luhn.
func Verhoeff(value string) bool {
	return verhoeff(value, numberSeps)
}

// verhoeff runs the Verhoeff automaton over the digits of d, skipping the
// separators in seps. It must start from the check digit at the right: D5
// is not commutative, so the order of the products matters.
func verhoeff[T ~string | ~[]byte](d T, seps string) bool {
	var c byte
	n := 0
	for i := len(d) - 1; i >= 0; i-- {
		if !isDigit(d[i]) {
			if strings.IndexByte(seps, d[i]) < 0 {
				return false
			}
			continue
		}
		c = verhoeffD[c][verhoeffP[n%8][d[i]-'0']]
		n++
	}
	return n >= 2 && c == 0
}
