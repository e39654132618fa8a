package synth

import (
	"fmt"
	"slices"
	"strings"
)

// CardBrand is a card scheme Card can generate.
type CardBrand int

const (
	Visa CardBrand = iota
	Mastercard
	Amex
	Discover
)

// CardFormat is how a card number is written.
type CardFormat int

const (
	Compact CardFormat = iota // 4111111111111111
	Spaced                    // 4111 1111 1111 1111, Amex 3782 822463 10005
	Dashed                    // 4111-1111-1111-1111
)

// Card returns a card number of a random brand, Luhn-valid and inside the
// brand's IIN ranges.
func (g *Gen) Card(format CardFormat) string {
	return g.CardOf(CardBrand(g.r.IntN(4)), format)
}

// CardOf returns a card number of the given brand: Visa and Mastercard
// with 16 digits, Amex with 15 (grouped 4-6-5), Discover with 16.
func (g *Gen) CardOf(brand CardBrand, format CardFormat) string {
	var prefix string
	n := 16
	switch brand {
	case Visa:
		prefix = "4"
	case Mastercard:
		if g.r.IntN(2) == 0 {
			prefix = fmt.Sprint(g.intIn(51, 55))
		} else {
			prefix = fmt.Sprint(g.intIn(2221, 2720))
		}
	case Amex:
		prefix, n = pick(g, []string{"34", "37"}), 15
	case Discover:
		prefix = pick(g, []string{"6011", fmt.Sprint(g.intIn(644, 649)), "65"})
	default:
		panic(fmt.Sprintf("synth: unknown card brand %d", brand))
	}
	p := prefix + g.digits(n-1-len(prefix))
	s := p + string(luhnDigit(p))
	sizes := []int{4, 4, 4, 4}
	if n == 15 {
		sizes = []int{4, 6, 5}
	}
	switch format {
	case Spaced:
		return group(s, " ", sizes...)
	case Dashed:
		return group(s, "-", sizes...)
	default:
		return s
	}
}

// LuhnFailing16 returns a look-alike: 16 digits with a Visa or Mastercard
// prefix whose last digit is off, so Luhn fails.
func (g *Gen) LuhnFailing16() string {
	p := pick(g, []string{"4", fmt.Sprint(g.intIn(51, 55))})
	p += g.digits(15 - len(p))
	good := luhnDigit(p)
	return p + string(byte('0'+(int(good-'0')+g.intIn(1, 9))%10))
}

// bbanFormats describe the BBAN of each country IBAN can generate, in the
// registry's notation: n digits, a upper-case letters, c letters or
// digits. Their total plus four is the country's IBAN length.
var bbanFormats = map[string]string{
	"AT": "16n", "BE": "12n", "BG": "4a6n8c", "CH": "5n12c", "CY": "8n16c", "CZ": "20n",
	"DE": "18n", "DK": "14n", "EE": "16n", "ES": "20n", "FI": "14n", "FR": "10n11c2n",
	"GB": "4a14n", "GR": "7n16c", "HR": "17n", "HU": "24n", "IE": "4a14n", "IS": "22n",
	"IT": "1a10n12c", "LI": "5n12c", "LT": "16n", "LU": "3n13c", "LV": "4a13c", "MT": "4a5n18c",
	"NL": "4a10n", "NO": "11n", "PL": "24n", "PT": "21n", "RO": "4a16c", "SE": "20n",
	"SI": "15n", "SK": "20n",
	"AE": "3n16n", "BR": "23n1a1c", "IL": "19n", "PK": "4a16c", "SA": "2n18c", "TR": "5n1n16c",
}

// IBANCountries lists the countries IBAN can generate, sorted.
func IBANCountries() []string {
	cs := make([]string, 0, len(bbanFormats))
	for c := range bbanFormats {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

// IBAN returns a compact IBAN of country (one of IBANCountries, or "" for
// a random one) with correct check digits.
func (g *Gen) IBAN(country string) string {
	if country == "" {
		country = pick(g, IBANCountries())
	}
	format, ok := bbanFormats[country]
	if !ok {
		panic("synth: no IBAN format for country " + country)
	}
	bban := g.bban(format)
	check := 98 - mod97(bban+country+"00")
	return fmt.Sprintf("%s%02d%s", country, check, bban)
}

// IBANGrouped returns IBAN(country) in the printed form, groups of four.
func (g *Gen) IBANGrouped(country string) string {
	s := g.IBAN(country)
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// InvalidIBAN returns a look-alike: a well-formed IBAN with one BBAN digit
// changed, which mod 97 always detects.
func (g *Gen) InvalidIBAN() string {
	for {
		s := []byte(g.IBAN(""))
		i := 4 + g.r.IntN(len(s)-4)
		if c := s[i]; '0' <= c && c <= '9' {
			s[i] = byte('0' + (int(c-'0')+g.intIn(1, 9))%10)
			return string(s)
		}
	}
}

func (g *Gen) bban(format string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if '0' <= c && c <= '9' {
			n = n*10 + int(c-'0')
			continue
		}
		switch c {
		case 'n':
			b.WriteString(g.digits(n))
		case 'a':
			b.WriteString(g.letters(n, upper))
		case 'c':
			b.WriteString(g.letters(n, upper+"0123456789"))
		}
		n = 0
	}
	return b.String()
}
