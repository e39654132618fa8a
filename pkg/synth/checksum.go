package synth

// The check-digit algorithms below mirror pkg/validate on purpose: they
// are written from the specifications, not shared, so that a bug in one
// shows up as a failing test in the other.

// luhnDigit returns the Luhn check digit for payload (digits only).
func luhnDigit(payload string) byte {
	sum := 0
	for i := 0; i < len(payload); i++ {
		d := int(payload[len(payload)-1-i] - '0')
		if i%2 == 0 { // these positions are doubled once the check digit is appended
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

var (
	verhoeffMul = [10][10]int{
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
	verhoeffPerm = [8][10]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0},
		{4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
		{7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
	verhoeffInv = [10]int{0, 4, 3, 2, 1, 5, 6, 7, 8, 9}
)

// verhoeffDigit returns the Verhoeff check digit for payload. Positions
// count from the right starting at 1, the check digit taking position 0.
func verhoeffDigit(payload string) byte {
	c := 0
	for i := 0; i < len(payload); i++ {
		c = verhoeffMul[c][verhoeffPerm[(i+1)%8][payload[len(payload)-1-i]-'0']]
	}
	return byte('0' + verhoeffInv[c])
}

// mod97 returns the ISO 7064 MOD 97-10 remainder of s, letters counting
// as 10..35.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' {
			r = (r*100 + int(c-'A'+10)) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return r
}

// gs1Digit returns the check digit of a GTIN (EAN-13, ISBN-13) payload:
// weights 1 and 3 alternate from the left.
func gs1Digit(payload string) byte {
	sum := 0
	for i := 0; i < len(payload); i++ {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += w * int(payload[i]-'0')
	}
	return byte('0' + (10-sum%10)%10)
}
