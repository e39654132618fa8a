package xlsx

// Excel keeps 15 significant digits of a number, and excelize formats cell
// values the same way: a cell holding 4111111111111111 is rendered as
// "4.11111111111111E+15" in the General format and as "4111111111111110"
// under "0". Only programs write such cells, and they store every digit, so
// the reader looks the stored value up whenever a formatted value may have
// lost digits, and yields it when it is an integer longer than 15 digits.
// The tokenizer has the stored value at hand (sheet.go); the excelize-based
// reference reader looks it up with a second row iterator in raw mode
// (reference.go).

// mayHaveLostDigits reports whether v could be excelize's rendering of an
// integer with more than 15 significant digits: scientific notation
// ("4.11111111111111E+15", "-1.2E+18") or 16 or more digits, formatted
// with separators or decimals perhaps, whose last digit is 0.
func mayHaveLostDigits[T string | []byte](v T) bool {
	if len(v) < 5 {
		return false
	}
	for i := 0; i+1 < len(v); i++ {
		if v[i] == 'E' && v[i+1] == '+' {
			if i > 0 {
				return isScientific(v, i)
			}
			break
		}
	}
	digits, last := 0, byte(0)
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case '0' <= c && c <= '9':
			digits++
			last = c
		case c == ',' || c == '.' || c == ' ' || c == '\'' || (c == '-' && i == 0):
		default:
			return false
		}
	}
	return digits >= 16 && last == '0'
}

// isScientific reports whether v is [-]d[.ddd]E+dd, e being the index of "E+".
func isScientific[T string | []byte](v T, e int) bool {
	m := v[:e]
	if len(m) > 0 && m[0] == '-' {
		m = m[1:]
	}
	if len(m) == 0 || !isDigit(m[0]) {
		return false
	}
	if len(m) > 1 && (m[1] != '.' || len(m) == 2 || !allDigits(m[2:])) {
		return false
	}
	return len(v) > e+2 && allDigits(v[e+2:])
}

// storedDigits returns raw if it is an integer literal with more than 15
// significant digits, the value excelize rounded.
func storedDigits[T string | []byte](raw T) (T, bool) {
	d := raw
	if len(d) > 0 && d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || !allDigits(d) {
		return raw, false
	}
	for len(d) > 0 && d[0] == '0' {
		d = d[1:]
	}
	for len(d) > 0 && d[len(d)-1] == '0' {
		d = d[:len(d)-1]
	}
	return raw, len(d) > 15
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
