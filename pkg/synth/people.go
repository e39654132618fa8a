package synth

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// Common given names and surnames from the countries the detectors cover.
// Pairs are drawn independently, so a result names nobody in particular.
var (
	firstNames = []string{
		"Anna", "Ben", "Carla", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jan",
		"Kavya", "Lucas", "Maria", "Noah", "Olga", "Pedro", "Quinn", "Rahul", "Sofia", "Tom",
		"Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Lotte", "Sven", "Aisha", "Mateo",
	}
	lastNames = []string{
		"Smith", "Jansen", "Garcia", "Müller", "Rossi", "Dubois", "Silva", "Patel", "Murphy", "Peeters",
		"Nowak", "Kumar", "de Vries", "Fernández", "Taylor", "Brown", "Costa", "Singh", "Walsh", "Moreau",
		"Bakker", "Lopez", "Schmidt", "Ricci", "Santos", "Sharma", "Byrne", "Wilson", "Visser", "Martin",
	}
)

// Name returns a synthetic first and last name.
func (g *Gen) Name() (first, last string) {
	return pick(g, firstNames), pick(g, lastNames)
}

// emailDomains are reserved for documentation (RFC 2606), so mail sent to
// them goes nowhere.
var emailDomains = []string{"example.com", "example.org", "example.net", "mail.example", "corp.example", "eu.example.com"}

// placeholderLocals are local parts that, at example.com, mark template
// text rather than anyone's address; detectors may exclude them, so
// generated addresses avoid them.
var placeholderLocals = []string{"user", "test", "name", "email", "you"}

// Email returns an address for the person first last, in one of the usual
// corporate patterns, at a documentation domain.
func (g *Gen) Email(first, last string) string {
	f, l := asciiLower(first), asciiLower(last)
	if f == "" {
		f = "person"
	}
	if l == "" {
		l = "contact"
	}
	var local string
	switch g.r.IntN(6) {
	case 0:
		local = f + "." + l
	case 1:
		local = f + "_" + l
	case 2:
		local = f[:1] + "." + l
	case 3:
		local = f + l[:1]
	case 4:
		local = f + "." + l + fmt.Sprint(g.intIn(1, 99))
	default:
		local = f + "+" + pick(g, []string{"news", "shop", "work"})
	}
	for _, p := range placeholderLocals {
		if local == p {
			local += fmt.Sprint(g.intIn(10, 99))
		}
	}
	return local + "@" + pick(g, emailDomains)
}

// asciiLower folds s to the lower-case ASCII letters and digits an address
// would use: accents are dropped (Müller → muller), spaces and the rest
// removed.
func asciiLower(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
		case r > unicode.MaxASCII:
			if a, ok := unaccent[r]; ok {
				b.WriteByte(a)
			}
		}
	}
	return b.String()
}

var unaccent = map[rune]byte{
	'á': 'a', 'à': 'a', 'ä': 'a', 'â': 'a', 'ã': 'a', 'é': 'e', 'è': 'e', 'ë': 'e', 'ê': 'e',
	'í': 'i', 'ï': 'i', 'ó': 'o', 'ö': 'o', 'ô': 'o', 'õ': 'o', 'ú': 'u', 'ü': 'u', 'ñ': 'n', 'ç': 'c',
}

// phoneRegions are the regions Phone draws from; they match the regions
// validate.Phone accepts national numbers for.
var phoneRegions = []string{"US", "GB", "DE", "FR", "NL", "ES", "IT", "IE", "BE", "IN", "CA", "AU", "BR"}

// fictionNumbers are national significant numbers set aside for drama and
// documentation, x standing for a random digit: the NANP 555-0100..0199
// block, Ofcom's drama ranges, ACMA's fiction ranges and ARCEP's 01 99 00
// and 06 39 98 blocks. Regions without such a range vary the last digits
// of libphonenumber's own example numbers instead.
var fictionNumbers = map[string][]string{
	"US": {"20255501xx", "21255501xx", "31255501xx", "41555501xx", "61755501xx"},
	"CA": {"41655501xx", "61355501xx", "60455501xx"},
	"GB": {"2079460xxx", "1134960xxx", "1614960xxx", "7700900xxx"},
	"AU": {"25550xxxx", "35550xxxx", "75550xxxx", "85550xxxx"},
	"FR": {"19900xxxx", "63998xxxx"},
}

// Phone returns a valid phone number in international format, such as
// "+44 20 7946 0123", for a random region.
func (g *Gen) Phone() string {
	return phonenumbers.Format(g.phone(pick(g, phoneRegions)), phonenumbers.INTERNATIONAL)
}

// PhoneNational returns a valid phone number of region (an ISO 3166 code
// such as "GB") in that region's national format, such as "020 7946 0123".
// Only the regions of validate.PhoneRegions pass validate.Phone this way.
func (g *Gen) PhoneNational(region string) string {
	return phonenumbers.Format(g.phone(region), phonenumbers.NATIONAL)
}

// phone builds a number from a fiction template or an example number with
// random last digits, and re-validates it, since not every variation of an
// example stays inside an allocated range.
func (g *Gen) phone(region string) *phonenumbers.PhoneNumber {
	cc := phonenumbers.GetCountryCodeForRegion(region)
	if cc == 0 {
		panic("synth: no phone numbering plan for region " + region)
	}
	templates := fictionNumbers[region]
	if templates == nil {
		for _, t := range []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE} {
			if ex := phonenumbers.GetExampleNumberForType(region, t); ex != nil {
				nsn := phonenumbers.GetNationalSignificantNumber(ex)
				templates = append(templates, nsn[:len(nsn)-3]+"xxx")
			}
		}
	}
	for range 50 {
		t := pick(g, templates)
		var b strings.Builder
		for i := 0; i < len(t); i++ {
			if t[i] == 'x' {
				b.WriteByte(byte('0' + g.r.IntN(10)))
			} else {
				b.WriteByte(t[i])
			}
		}
		num, err := phonenumbers.Parse(fmt.Sprintf("+%d%s", cc, b.String()), "ZZ")
		if err == nil && phonenumbers.IsValidNumberForRegion(num, region) {
			return num
		}
	}
	return phonenumbers.GetExampleNumber(region)
}

// ssnNeverIssued mirrors the numbers validate rejects although their
// ranges are fine.
var ssnNeverIssued = []string{"078-05-1120", "219-09-9999", "123-45-6789"}

// SSN returns a US Social Security number in the 123-45-6789 form with a
// valid area (not 000, 666 or 9xx), group and serial.
func (g *Gen) SSN() string {
	for {
		area := g.intIn(1, 899)
		if area == 666 {
			continue
		}
		s := fmt.Sprintf("%03d-%02d-%04d", area, g.intIn(1, 99), g.intIn(1, 9999))
		if !slices.Contains(ssnNeverIssued, s) {
			return s
		}
	}
}

// InvalidSSN returns a look-alike SSN whose area is never issued (000, 666
// or 900-999, the last being ITINs).
func (g *Gen) InvalidSSN() string {
	area := pick(g, []int{0, 666, g.intIn(900, 999)})
	return fmt.Sprintf("%03d-%02d-%04d", area, g.intIn(1, 99), g.intIn(1, 9999))
}

// NINO returns a UK National Insurance number, compact (AB123456C), with
// an allocatable prefix.
func (g *Gen) NINO() string {
	for {
		p := g.letters(1, "ABCEGHJKLMNOPRSTWXYZ") + g.letters(1, "ABCEGHJKLMNPRSTWXYZ")
		if !slices.Contains([]string{"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}, p) {
			return p + g.digits(6) + g.letters(1, "ABCD")
		}
	}
}

// Aadhaar returns a 12-digit Aadhaar number (first digit 2-9, Verhoeff
// check digit), grouped 4-4-4 with spaces if asked.
func (g *Gen) Aadhaar(grouped bool) string {
	for {
		p := g.letters(1, "23456789") + g.digits(10)
		s := p + string(verhoeffDigit(p))
		if allSame(s) {
			continue
		}
		if grouped {
			return group(s, " ", 4, 4, 4)
		}
		return s
	}
}

// PAN returns an Indian Permanent Account Number such as ABCPE1234F,
// mostly of individuals (P) as in real data.
func (g *Gen) PAN() string {
	holder := pick(g, []string{"P", "P", "P", "P", "C", "H", "F", "T"})
	return g.letters(3, upper) + holder + g.letters(1, upper) +
		fmt.Sprintf("%04d", g.intIn(1, 9999)) + g.letters(1, upper)
}

// SIN returns a Canadian Social Insurance Number (Luhn, not starting with
// 0 or 8), grouped 3-3-3 with spaces if asked.
func (g *Gen) SIN(grouped bool) string {
	p := g.letters(1, "1234567") + g.digits(7)
	s := p + string(luhnDigit(p))
	if grouped {
		return group(s, " ", 3, 3, 3)
	}
	return s
}

const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// DNI returns a Spanish DNI: 8 digits and the mod-23 control letter.
func (g *Gen) DNI() string {
	for {
		d := g.digits(8)
		if !allSame(d) {
			return d + string(dniLetters[atoi(d)%23])
		}
	}
}

// NIE returns a Spanish foreigner's number: X, Y or Z, 7 digits and the
// control letter, the first letter counting as 0, 1 or 2.
func (g *Gen) NIE() string {
	for {
		i := g.r.IntN(3)
		d := g.digits(7)
		if !allSame(d) {
			return string("XYZ"[i]) + d + string(dniLetters[atoi(fmt.Sprint(i)+d)%23])
		}
	}
}

// BSN returns a Dutch burgerservicenummer of 9 digits passing the
// elfproef.
func (g *Gen) BSN() string {
	for {
		p := g.letters(1, "123456789") + g.digits(7)
		sum := 0
		for i := 0; i < 8; i++ {
			sum += (9 - i) * int(p[i]-'0')
		}
		// The last digit must equal the weighted sum mod 11, so 10 is
		// impossible and we draw again.
		if c := sum % 11; c < 10 {
			return p + string(byte('0'+c))
		}
	}
}

// CPF returns a Brazilian CPF with both check digits, as 123.456.789-09 if
// formatted.
func (g *Gen) CPF(formatted bool) string {
	for {
		d := g.digits(9)
		if allSame(d) {
			continue
		}
		d += string(cpfDigit(d))
		d += string(cpfDigit(d))
		if formatted {
			return d[:3] + "." + d[3:6] + "." + d[6:9] + "-" + d[9:]
		}
		return d
	}
}

// cpfDigit is the CPF mod-11 check digit: weights len+1 down to 2,
// 10·sum mod 11, where 10 becomes 0.
func cpfDigit(p string) byte {
	sum := 0
	for i := 0; i < len(p); i++ {
		sum += (len(p) + 1 - i) * int(p[i]-'0')
	}
	return byte('0' + sum*10%11%10)
}

func atoi(d string) int {
	n := 0
	for i := 0; i < len(d); i++ {
		n = n*10 + int(d[i]-'0')
	}
	return n
}
