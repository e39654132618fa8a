package validate

// ibanLengths is the IBAN length of every country in the SWIFT IBAN
// registry (ISO 13616), including the 2020s additions (BI, DJ, FK, HN,
// MN, NI at 28, OM, SO, YE). Territories that use another country's IBAN
// (Jersey → GB, Réunion → FR, Åland → FI) have no entry of their own.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16,
	"BG": 22, "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22,
	"CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20,
	"EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22,
	"GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21,
	"HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30,
	"KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
	"LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
	"MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
	"PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
	"SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26,
	"UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// IBAN reports whether value is an International Bank Account Number: a
// registry country code, that country's exact length, check digits 02-98
// and the ISO 7064 mod-97 remainder 1. Letters may be lower case. Spaces
// are allowed only as the printed grouping, in fours with a shorter last
// group.
func IBAN(value string) bool {
	g, ok := split(value, " ")
	if !ok {
		return false
	}
	if gl := g.groups(); len(gl) > 1 {
		for i, n := range gl {
			if n > 4 || (n < 4 && i < len(gl)-1) {
				return false
			}
		}
	}
	s := g.text()
	for i, c := range s {
		if 'a' <= c && c <= 'z' {
			s[i] = c - 'a' + 'A'
		}
	}
	if len(s) < 5 || len(s) != ibanLengths[string(s[:2])] {
		return false
	}
	// Computed check digits are always 02-98; 00, 01 and 99 would pass
	// mod 97 only because 99 ≡ 02 and the like, never because someone
	// issued them.
	if !isDigit(s[2]) || !isDigit(s[3]) || string(s[2:4]) == "00" || string(s[2:4]) == "01" || string(s[2:4]) == "99" {
		return false
	}
	// Move the first four characters to the end and read letters as
	// 10..35, folding the huge number mod 97 as we go.
	r := 0
	for i := range len(s) {
		c := s[(i+4)%len(s)]
		switch {
		case isDigit(c):
			r = (r*10 + int(c-'0')) % 97
		case isUpper(c):
			r = (r*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return r == 1
}
