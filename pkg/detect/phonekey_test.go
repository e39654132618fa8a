package detect

import "testing"

func TestPhoneKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+44 20 7946 0958", "|2079460958"},
		{"0044 20 7946 0958", "|2079460958"},
		{"+44 (0)20 7946 0958", "|2079460958"},
		{"+442079460958", "|2079460958"},
		{"020 7946 0958", "|2079460958"},
		{"(020) 7946-0958", "|2079460958"},
		{"+1 202-555-0187", "|2025550187"},
		{"(202) 555-0187", "|2025550187"},
		{"1 202 555 0187", "|2025550187"},
		{"+49 30 901820", "|30901820"},
		{"030 901820", "|30901820"},
	}
	for _, tt := range tests {
		if got := phoneKey(tt.in); got != tt.want {
			t.Errorf("phoneKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A calling code no region uses stays whole.
	if got := phoneKey("+999 1234 5678"); got != "+99912345678" {
		t.Errorf("phoneKey(unknown calling code) = %q", got)
	}
}

// referencePhoneKey is phoneKey as first written, with strings: the
// reference appendPhoneKey, which builds the key in place, is held to.
func referencePhoneKey(raw string) string {
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

// splitCallingCode splits an international number's digits into its
// country calling code (1 to 3 digits; the codes are prefix-free) and the
// rest.
func splitCallingCode(d string) (cc, rest string, ok bool) {
	if n := callingCodeLen([]byte(d)); n > 0 {
		return d[:n], d[n:], true
	}
	return "", "", false
}
