package validate

import (
	"slices"
	"strconv"
)

// cardBrand names a card scheme; iinRanges says which IIN prefixes and
// lengths it issues.
type cardBrand string

const (
	visa       cardBrand = "visa"
	mastercard cardBrand = "mastercard"
	amex       cardBrand = "amex"
	discover   cardBrand = "discover"
	diners     cardBrand = "diners"
	jcb        cardBrand = "jcb"
	unionpay   cardBrand = "unionpay"
	maestro    cardBrand = "maestro"
	mir        cardBrand = "mir"
)

// iinRange is a block of issuer identification numbers: the first
// len(lo) digits of the card number lie in [lo, hi], and the number has
// one of the lengths in the lens bit set.
type iinRange struct {
	brand  cardBrand
	lo, hi string
	lens   uint32
}

// lengths builds a length bit set from single lengths: lengths(13, 16) is
// {13, 16}, while span(16, 19) is 16 through 19.
func lengths(ls ...int) uint32 {
	var m uint32
	for _, l := range ls {
		m |= 1 << l
	}
	return m
}

func span(lo, hi int) uint32 {
	var m uint32
	for l := lo; l <= hi; l++ {
		m |= 1 << l
	}
	return m
}

// iinRanges follows the schemes' published IIN tables. Overlaps are fine:
// a number is a card if any range accepts it.
var iinRanges = []iinRange{
	{visa, "4", "4", lengths(13, 16, 19)},
	{mastercard, "51", "55", lengths(16)},
	{mastercard, "2221", "2720", lengths(16)},
	{amex, "34", "34", lengths(15)},
	{amex, "37", "37", lengths(15)},
	{discover, "6011", "6011", span(16, 19)},
	{discover, "644", "649", span(16, 19)},
	{discover, "65", "65", span(16, 19)},
	{diners, "300", "305", span(14, 19)},
	{diners, "36", "36", span(14, 19)},
	{diners, "38", "39", span(14, 19)},
	{jcb, "3528", "3589", span(16, 19)},
	{unionpay, "62", "62", span(16, 19)},
	{maestro, "50", "50", span(12, 19)},
	{maestro, "56", "58", span(12, 19)},
	{maestro, "6304", "6304", span(12, 19)},
	{maestro, "6759", "6759", span(12, 19)},
	{maestro, "676770", "676770", span(12, 19)},
	{maestro, "676774", "676774", span(12, 19)},
	{mir, "2200", "2204", span(16, 19)},
}

// iinPrefixes holds iinRanges' bounds as numbers, for brands.
var iinPrefixes = func() (out []struct{ lo, hi, digits int }) {
	for _, r := range iinRanges {
		lo, _ := strconv.Atoi(r.lo)
		hi, _ := strconv.Atoi(r.hi)
		out = append(out, struct{ lo, hi, digits int }{lo, hi, len(r.lo)})
	}
	return out
}()

// brands reports whether any scheme's IIN ranges and lengths accept the
// card number d (ASCII digits, at least 6 of them), and whether Amex or
// Diners do. The prefixes are compared as numbers, read once.
func brands(d []byte) (amexOK, dinersOK, anyOK bool) {
	var pre [7]int // pre[n] is the number the first n digits make
	for i := 0; i < 6 && i < len(d); i++ {
		pre[i+1] = pre[i]*10 + int(d[i]-'0')
	}
	for i, r := range iinRanges {
		p := iinPrefixes[i]
		if len(d) < p.digits || r.lens&(1<<len(d)) == 0 {
			continue
		}
		if n := pre[p.digits]; p.lo <= n && n <= p.hi {
			anyOK = true
			amexOK = amexOK || r.brand == amex
			dinersOK = dinersOK || r.brand == diners
		}
	}
	return amexOK, dinersOK, anyOK
}

// CreditCard reports whether value is a payment card number: 12 to 19
// digits, optionally grouped with spaces or dashes (one kind throughout),
// passing Luhn, inside a real scheme's IIN range with a length that scheme
// issues, and not one digit repeated. Grouping must be how cards are
// printed: groups of four with a shorter last group, or 4-6-5 (Amex only)
// or 4-6-4 (Diners only).
func CreditCard(value string) bool {
	g, ok := split(value, " -")
	d := g.text()
	if !ok || len(d) < 12 || len(d) > 19 || !allDigits(d) || allSame(d) || !luhnValid(d) {
		return false
	}
	isAmex, isDiners, ok := brands(d)
	if !ok {
		return false
	}
	switch gl := g.groups(); {
	case len(gl) == 1:
		// A bare 13-digit number that carries a valid GS1 check digit is
		// an EAN-13 barcode (inventories are full of them) far more often
		// than one of the rare 13-digit Visa cards: precision wins here.
		return len(d) != 13 || !gs1Valid(string(d))
	case slices.Equal(gl, []int{4, 6, 5}):
		return isAmex
	case slices.Equal(gl, []int{4, 6, 4}):
		return isDiners
	default:
		for _, n := range gl[:len(gl)-1] {
			if n != 4 {
				return false
			}
		}
		return gl[len(gl)-1] <= 4
	}
}

// gs1Valid reports whether the last digit of d is its GS1 (EAN/UPC) check
// digit: weights 3 and 1 alternating from the right, sum to a multiple of 10.
func gs1Valid(d string) bool {
	sum := 0
	for i := len(d) - 2; i >= 0; i-- {
		w := 1
		if (len(d)-2-i)%2 == 0 {
			w = 3
		}
		sum += int(d[i]-'0') * w
	}
	return (10-sum%10)%10 == int(d[len(d)-1]-'0')
}
