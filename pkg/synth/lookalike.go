package synth

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/datahygiene/datahygiene/pkg/validate"
)

// The values below are look-alikes: digits and letters in the shapes of
// personal data that are something else. Tests feed them to detectors to
// check that they stay quiet.

func (g *Gen) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	return b
}

// UUID returns a random (version 4) UUID in the canonical lower-case form.
func (g *Gen) UUID() string {
	b := g.bytes(16)
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// SHA1Hex returns 40 random hex digits, shaped like a SHA-1 digest or a
// git commit.
func (g *Gen) SHA1Hex() string { return hex.EncodeToString(g.bytes(20)) }

// SHA256Hex returns 64 random hex digits, shaped like a SHA-256 digest.
func (g *Gen) SHA256Hex() string { return hex.EncodeToString(g.bytes(32)) }

// moment returns a random second between 2015 and the end of 2025.
func (g *Gen) moment() time.Time {
	lo := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	return time.Unix(lo+g.r.Int64N(hi-lo), 0).UTC()
}

// Timestamp returns a time in one of the forms logs use: RFC 3339 (UTC or
// with an offset), "2024-01-15 10:23:45", or Unix epoch seconds or
// milliseconds, whose 10 and 13 digits look like phone and card numbers.
func (g *Gen) Timestamp() string {
	t := g.moment()
	switch g.r.IntN(5) {
	case 0:
		return t.Format(time.RFC3339)
	case 1:
		return t.In(time.FixedZone("", 3600*g.intIn(-8, 9))).Format(time.RFC3339)
	case 2:
		return t.Format("2006-01-02 15:04:05")
	case 3:
		return strconv.FormatInt(t.Unix(), 10)
	default:
		return strconv.FormatInt(t.UnixMilli()+int64(g.r.IntN(1000)), 10)
	}
}

// Date returns a calendar date as ISO 8601, day-first with slashes or
// dots, month-first with slashes, or "2 Jan 2006".
func (g *Gen) Date() string {
	return g.moment().Format(pick(g, []string{"2006-01-02", "02/01/2006", "01/02/2006", "02.01.2006", "2 Jan 2006"}))
}

// ISBN13 returns an ISBN-13 (978 or 979, valid GS1 check digit), compact
// or hyphenated as 978-1-2345-6789-7.
func (g *Gen) ISBN13() string {
	p := pick(g, []string{"978", "979"}) + g.digits(9)
	s := p + string(gs1Digit(p))
	if g.r.IntN(2) == 0 {
		return s
	}
	return group(s, "-", 3, 1, 4, 4, 1)
}

// eanPrefixes are GS1 country prefixes chosen so that no 13-digit code
// falls in a card scheme's IIN range or a trunk-0 phone plan. (EANs from
// 40-49, 50 and 57 can be Luhn-valid Visa or Maestro numbers by chance.)
var eanPrefixes = []string{"30", "33", "37", "54", "590", "64", "76", "80", "84", "87", "90", "93", "94"}

// EAN13 returns a 13-digit product barcode number with a valid check
// digit.
func (g *Gen) EAN13() string {
	p := pick(g, eanPrefixes)
	p += g.digits(12 - len(p))
	return p + string(gs1Digit(p))
}

// Version returns a software version: "v1.2.3", "2.14.0", a pre-release,
// or a four-part Windows-style version with a five-digit build such as
// "10.0.19045.3803". Four small parts (2.14.0.1) are left out on purpose:
// they are valid IPv4 addresses, and versions such as 0.29.28.9883 are
// valid Italian phone numbers; only context tells those apart.
func (g *Gen) Version() string {
	a, b, c := g.intIn(1, 12), g.intIn(0, 30), g.intIn(0, 40)
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("v%d.%d.%d", a, b, c)
	case 1:
		return fmt.Sprintf("%d.%d.%d", a, b, c)
	case 2:
		return fmt.Sprintf("%d.%d.%d-rc.%d", a, b, c, g.intIn(1, 5))
	default:
		return fmt.Sprintf("%d.%d.%d.%d", g.intIn(10, 20), g.intIn(0, 9), g.intIn(10000, 29999), g.intIn(1000, 9999))
	}
}

// Price returns an amount with a currency, in English or continental
// notation, such as "€1,299.00" or "1.299,00 €".
func (g *Gen) Price() string {
	whole, cents := g.intIn(1, 99999), g.intIn(0, 99)
	en := fmt.Sprintf("%s.%02d", thousands(whole, ','), cents)
	switch g.r.IntN(4) {
	case 0:
		return "€" + en
	case 1:
		return "$" + en
	case 2:
		return fmt.Sprintf("%s,%02d €", thousands(whole, '.'), cents)
	default:
		return "USD " + en
	}
}

func thousands(n int, sep byte) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + string(sep) + s[i:]
	}
	return s
}

// Coordinates returns a latitude and longitude with four decimals, as
// "52.3676, 4.9041".
func (g *Gen) Coordinates() string {
	lat := float64(g.intIn(-899999, 899999)) / 10000
	lon := float64(g.intIn(-1799999, 1799999)) / 10000
	return fmt.Sprintf("%.4f, %.4f", lat, lon)
}

// digitRuns finds the digit groups of an order number, with the single
// spaces or dashes between them, as a detector's regexp would match them.
var digitRuns = regexp.MustCompile(`\d+(?:[ -]\d+)*`)

// OrderNumber returns an order, invoice or ticket number such as
// "ORD-2024-555-0199" or "INV 0044 1234 5678 90". These are the hardest
// look-alikes: long digit runs with the separators of phone and card
// numbers. So the number is redrawn until neither it nor its digit part
// nor any single digit group passes any validator (luhn and verhoeff
// included); "INV 0044 1234 5678 90" itself would not qualify, as 0044
// 1234 567890 is a valid UK phone number.
func (g *Gen) OrderNumber() string {
	for {
		var s string
		switch g.r.IntN(4) {
		case 0:
			s = fmt.Sprintf("ORD-%d-%s-%s", g.moment().Year(), g.digits(3), g.digits(4))
		case 1:
			s = fmt.Sprintf("INV %s %s %s %s", g.digits(4), g.digits(4), g.digits(4), g.digits(2))
		case 2:
			s = "PO-" + g.digits(8)
		default:
			s = fmt.Sprintf("#%d", g.intIn(100000, 9999999))
		}
		if passesNone(s) {
			return s
		}
	}
}

// passesNone reports whether s, its digit part and each digit group fail
// every registered validator.
func passesNone(s string) bool {
	candidates := []string{s}
	for _, loc := range digitRuns.FindAllStringIndex(s, -1) {
		candidates = append(candidates, s[loc[0]:loc[1]])
	}
	for _, m := range digitRuns.FindAllString(s, -1) {
		candidates = append(candidates, strings.FieldsFunc(m, func(r rune) bool { return r == ' ' || r == '-' })...)
	}
	for _, name := range validate.Names() {
		f, _ := validate.Lookup(name)
		for _, c := range candidates {
			if f(c) {
				return false
			}
		}
	}
	return true
}
