package validate

import (
	"slices"
	"strings"
)

// Aadhaar reports whether value is an Indian Aadhaar number: 12 digits,
// optionally grouped 4-4-4 with spaces or dashes, not starting with 0 or 1
// (UIDAI never issues those), passing Verhoeff and not one digit repeated.
func Aadhaar(value string) bool {
	g, ok := groupedDigits(value, " -", 4, 4, 4)
	d := g.text()
	return ok && d[0] >= '2' && !allSame(d) && verhoeff(d, "")
}

// ssnNeverIssued are SSNs that are valid in form but were never anyone's:
// the Woolworth wallet-insert number (078-05-1120), the 1940s advertising
// number (219-09-9999) and the sequence everyone types as a placeholder.
var ssnNeverIssued = []string{"078051120", "219099999", "123456789"}

// SSN reports whether value is a US Social Security number: 9 digits,
// optionally grouped 3-2-4 with dashes or spaces; area not 000, 666 or
// 900-999 (the 9xx block is ITINs); group not 00; serial not 0000; and not
// one of the well-known numbers that were never issued.
func SSN(value string) bool {
	g, ok := groupedDigits(value, " -", 3, 2, 4)
	if !ok {
		return false
	}
	d := string(g.text())
	area, group, serial := d[:3], d[3:5], d[5:]
	return area != "000" && area != "666" && area[0] != '9' &&
		group != "00" && serial != "0000" && !slices.Contains(ssnNeverIssued, d)
}

// ninoBadPrefixes are prefixes HMRC never allocates even though both
// letters are allowed on their own (BG, GB, NK, KN, TN, NT, ZZ).
var ninoBadPrefixes = []string{"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}

// NINO reports whether value is a UK National Insurance number: two prefix
// letters, six digits and a suffix A-D. The first letter is not D, F, I,
// Q, U or V, the second not D, F, I, O, Q, U or V, and the prefix is not
// one of the never-allocated pairs. It may be written compact or spaced as
// "AB 12 34 56 C" or "AB 123456 C", in either case.
func NINO(value string) bool {
	g, ok := split(value, " ")
	if !ok {
		return false
	}
	switch gl := g.groups(); {
	case slices.Equal(gl, []int{9}), slices.Equal(gl, []int{2, 2, 2, 2, 1}),
		slices.Equal(gl, []int{2, 6, 1}), slices.Equal(gl, []int{8, 1}):
	default:
		return false
	}
	s := strings.ToUpper(string(g.text()))
	return isUpper(s[0]) && !strings.ContainsRune("DFIQUV", rune(s[0])) &&
		isUpper(s[1]) && !strings.ContainsRune("DFIOQUV", rune(s[1])) &&
		!slices.Contains(ninoBadPrefixes, s[:2]) &&
		allDigits(s[2:8]) && 'A' <= s[8] && s[8] <= 'D'
}

// panHolderTypes are the PAN status letters (4th character): Association
// of persons, Body of individuals, Company, LLP (E; most LLPs in fact get
// F), Firm, Government, HUF, artificial Juridical person, Local authority,
// individual Person, Trust.
const panHolderTypes = "ABCEFGHJLPT"

// PAN reports whether value is an Indian Permanent Account Number:
// AAAAA9999A in upper case, with a known holder type as 4th letter and a
// serial 0001-9999. Lower case is rejected because the ITD never prints it
// and ten lower-case alphanumerics are common in identifiers and hashes.
// The last letter is a check character whose algorithm is not public.
func PAN(value string) bool {
	if len(value) != 10 {
		return false
	}
	for i := 0; i < 5; i++ {
		if !isUpper(value[i]) {
			return false
		}
	}
	return strings.IndexByte(panHolderTypes, value[3]) >= 0 &&
		allDigits(value[5:9]) && value[5:9] != "0000" && isUpper(value[9])
}

// SIN reports whether value is a Canadian Social Insurance Number: 9
// digits, optionally grouped 3-3-3 with spaces or dashes, passing Luhn,
// and not starting with 0 (never assigned) or 8 (business numbers).
func SIN(value string) bool {
	g, ok := groupedDigits(value, " -", 3, 3, 3)
	d := g.text()
	return ok && d[0] != '0' && d[0] != '8' && luhnValid(d)
}

// dniLetters maps the DNI number mod 23 to its control letter.
const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// DNI reports whether value is a Spanish DNI (8 digits and a control
// letter) or NIE (X, Y or Z, 7 digits and a control letter, the first
// letter counting as 0, 1 or 2). The control letter is the number mod 23
// looked up in dniLetters and may follow a dash or space. Placeholders
// made of one repeated digit, such as 00000000T and 99999999R, are rejected
// even though their letters are right.
func DNI(value string) bool {
	s := strings.ToUpper(value)
	if len(s) < 9 {
		return false
	}
	letter, body := s[len(s)-1], s[:len(s)-1]
	if n := len(body); n == 9 && (body[n-1] == '-' || body[n-1] == ' ') {
		body = body[:n-1]
	}
	if len(body) != 8 {
		return false
	}
	digits := body
	if i := strings.IndexByte("XYZ", body[0]); i >= 0 {
		digits = body[1:]
		body = string(rune('0'+i)) + digits
	}
	if !allDigits(body) || allSame(digits) {
		return false
	}
	n := 0
	for i := 0; i < len(body); i++ {
		n = n*10 + int(body[i]-'0')
	}
	return dniLetters[n%23] == letter
}

// BSN reports whether value is a Dutch burgerservicenummer: 9 digits,
// compact or grouped 3-3-3 or 4-2-3 with one kind of space, dot or dash,
// or 8 compact digits (older numbers written without their leading zero),
// passing the elfproef: 9·d1 + 8·d2 + … + 2·d8 − d9 is divisible by 11.
// All zeros is rejected. Eight digits with separators are not accepted,
// since that is how dates are written (2024-01-15) and one in eleven would
// pass.
func BSN(value string) bool {
	g, ok := split(value, " .-")
	if !ok {
		return false
	}
	if gl := g.groups(); len(gl) > 1 && !slices.Equal(gl, []int{3, 3, 3}) && !slices.Equal(gl, []int{4, 2, 3}) {
		return false
	}
	d := string(g.text())
	if len(d) == 8 && g.ng == 1 {
		d = "0" + d
	}
	if len(d) != 9 || !allDigits(d) || d == "000000000" {
		return false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += (9 - i) * int(d[i]-'0')
	}
	sum -= int(d[8] - '0')
	return sum%11 == 0
}

// CPF reports whether value is a Brazilian CPF: 11 digits written compact,
// as 000.000.000-00 or as 000000000-00, with both mod-11 check digits
// right and not one digit repeated (111.111.111-11 passes the checksum).
func CPF(value string) bool {
	var d string
	switch len(value) {
	case 11:
		d = value
	case 12:
		if value[9] != '-' {
			return false
		}
		d = value[:9] + value[10:]
	case 14:
		if value[3] != '.' || value[7] != '.' || value[11] != '-' {
			return false
		}
		d = value[:3] + value[4:7] + value[8:11] + value[12:]
	default:
		return false
	}
	if !allDigits(d) || allSame(d) {
		return false
	}
	return cpfDigit(d[:9]) == d[9] && cpfDigit(d[:10]) == d[10]
}

// cpfDigit computes the CPF check digit of the digits p: weights run from
// len(p)+1 down to 2, and the digit is 10·sum mod 11, with 10 becoming 0.
func cpfDigit(p string) byte {
	sum := 0
	for i := 0; i < len(p); i++ {
		sum += (len(p) + 1 - i) * int(p[i]-'0')
	}
	return byte('0' + sum*10%11%10)
}
