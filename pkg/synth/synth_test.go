package synth

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/validate"
)

const samples = 1000

// generators are the valid-value methods, each with the validator it must
// pass.
func generators(g *Gen) []struct {
	name, validator string
	gen             func() string
} {
	type row = struct {
		name, validator string
		gen             func() string
	}
	rows := []row{
		{"Email", "email", func() string { return g.Email(g.Name()) }},
		{"Phone", "phone", g.Phone},
		{"SSN", "ssn_area_group_serial", g.SSN},
		{"NINO", "uk_nino", g.NINO},
		{"Aadhaar", "aadhaar", func() string { return g.Aadhaar(false) }},
		{"AadhaarGrouped", "aadhaar", func() string { return g.Aadhaar(true) }},
		{"PAN", "in_pan", g.PAN},
		{"SIN", "ca_sin", func() string { return g.SIN(false) }},
		{"SINGrouped", "ca_sin", func() string { return g.SIN(true) }},
		{"DNI", "es_dni", g.DNI},
		{"NIE", "es_dni", g.NIE},
		{"BSN", "nl_bsn", g.BSN},
		{"CPF", "br_cpf", func() string { return g.CPF(false) }},
		{"CPFFormatted", "br_cpf", func() string { return g.CPF(true) }},
		{"IPv4", "ipv4", g.IPv4},
		{"IPv6", "ipv6", g.IPv6},
		{"IBAN", "iban_mod97", func() string { return g.IBAN("") }},
		{"IBANGrouped", "iban_mod97", func() string { return g.IBANGrouped("") }},
	}
	for _, f := range []CardFormat{Compact, Spaced, Dashed} {
		rows = append(rows, row{fmt.Sprintf("Card/%d", f), "credit_card", func() string { return g.Card(f) }})
	}
	for _, r := range validate.PhoneRegions {
		rows = append(rows, row{"PhoneNational/" + r, "phone", func() string { return g.PhoneNational(r) }})
	}
	return rows
}

func TestValid(t *testing.T) {
	t.Parallel()
	for i, tt := range generators(New(0)) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Each subtest has its own Gen: a Gen is not safe for
			// concurrent use.
			tt := generators(New(uint64(i)))[i]
			valid, _ := validate.Lookup(tt.validator)
			n := samples
			if strings.HasPrefix(tt.name, "PhoneNational/") {
				n = samples / 10 // 13 regions; parsing is the slow part
			}
			seen := map[string]bool{}
			for range n {
				v := tt.gen()
				if !valid(v) {
					t.Fatalf("%s() = %q fails %s", tt.name, v, tt.validator)
				}
				seen[v] = true
			}
			// The Phone fiction ranges are only 100 numbers wide.
			if len(seen) < n/10 {
				t.Errorf("%s() gave only %d distinct values in %d", tt.name, len(seen), n)
			}
		})
	}
}

func TestCardBrands(t *testing.T) {
	t.Parallel()
	g := New(1)
	tests := []struct {
		brand    CardBrand
		format   CardFormat
		prefixes []string
		groups   []int
	}{
		{Visa, Spaced, []string{"4"}, []int{4, 4, 4, 4}},
		{Mastercard, Dashed, []string{"5", "2"}, []int{4, 4, 4, 4}},
		{Amex, Spaced, []string{"34", "37"}, []int{4, 6, 5}},
		{Amex, Compact, []string{"34", "37"}, []int{15}},
		{Discover, Spaced, []string{"6011", "644", "645", "646", "647", "648", "649", "65"}, []int{4, 4, 4, 4}},
	}
	for _, tt := range tests {
		for range 100 {
			c := g.CardOf(tt.brand, tt.format)
			if !validate.CreditCard(c) {
				t.Fatalf("CardOf(%d, %d) = %q is not a valid card", tt.brand, tt.format, c)
			}
			if !slices.ContainsFunc(tt.prefixes, func(p string) bool { return strings.HasPrefix(c, p) }) {
				t.Fatalf("CardOf(%d) = %q, want a prefix in %q", tt.brand, c, tt.prefixes)
			}
			var lens []int
			for _, grp := range strings.FieldsFunc(c, func(r rune) bool { return r == ' ' || r == '-' }) {
				lens = append(lens, len(grp))
			}
			if !slices.Equal(lens, tt.groups) {
				t.Fatalf("CardOf(%d, %d) = %q, want groups %v", tt.brand, tt.format, c, tt.groups)
			}
		}
	}
}

func TestIBANCountries(t *testing.T) {
	t.Parallel()
	g := New(2)
	for _, c := range IBANCountries() {
		for range 20 {
			if v := g.IBAN(c); !validate.IBAN(v) || v[:2] != c {
				t.Fatalf("IBAN(%q) = %q is not a valid %s IBAN", c, v, c)
			}
		}
	}
	sepa := []string{"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR",
		"HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"}
	for _, c := range append(sepa, "BR", "SA", "AE", "TR", "IL", "PK") {
		if !slices.Contains(IBANCountries(), c) {
			t.Errorf("IBAN cannot generate %s", c)
		}
	}
}

// chance are the generic checksums a look-alike may pass by accident: one
// random digit string in ten passes Luhn or Verhoeff. Rules use them only
// together with a pattern and context.
var chance = []string{"luhn", "verhoeff"}

func TestLookalikes(t *testing.T) {
	t.Parallel()
	g := New(3)
	tests := []struct {
		name      string
		gen       func() string
		alsoFails []string // validators in chance that must fail too
		onlyFails []string // if set, check just these
	}{
		{"LuhnFailing16", g.LuhnFailing16, []string{"luhn"}, nil},
		{"UUID", g.UUID, chance, nil},
		{"SHA1Hex", g.SHA1Hex, chance, nil},
		{"SHA256Hex", g.SHA256Hex, chance, nil},
		{"Timestamp", g.Timestamp, nil, nil},
		{"Date", g.Date, nil, nil},
		{"ISBN13", g.ISBN13, nil, nil},
		{"EAN13", g.EAN13, nil, nil},
		{"Version", g.Version, nil, nil},
		{"Price", g.Price, chance, nil},
		{"Coordinates", g.Coordinates, chance, nil},
		{"OrderNumber", g.OrderNumber, chance, nil},
		{"InvalidSSN", g.InvalidSSN, nil, []string{"ssn_area_group_serial"}},
		{"InvalidIBAN", g.InvalidIBAN, nil, []string{"iban_mod97"}},
		{"Password", g.Password, nil, []string{"credit_card", "iban_mod97", "phone", "ipv4", "ipv6"}},
	}
	for _, tt := range tests {
		names := tt.onlyFails
		if names == nil {
			for _, n := range validate.Names() {
				if !slices.Contains(chance, n) || slices.Contains(tt.alsoFails, n) {
					names = append(names, n)
				}
			}
		}
		for range samples {
			v := tt.gen()
			for _, n := range names {
				if f, _ := validate.Lookup(n); f(v) {
					t.Errorf("%s() = %q passes %s", tt.name, v, n)
				}
			}
		}
	}
}

// everything draws one of each value, so determinism covers all methods.
func everything(g *Gen) string {
	var b strings.Builder
	for _, r := range generators(g) {
		b.WriteString(r.gen() + "\n")
	}
	first, last := g.Name()
	for _, s := range []string{
		first, last, g.CardOf(Amex, Dashed), g.IBANGrouped("NL"), g.Password(),
		g.LuhnFailing16(), g.UUID(), g.SHA1Hex(), g.SHA256Hex(), g.Timestamp(), g.Date(),
		g.ISBN13(), g.EAN13(), g.Version(), g.Price(), g.Coordinates(), g.OrderNumber(),
		g.InvalidSSN(), g.InvalidIBAN(),
	} {
		b.WriteString(s + "\n")
	}
	return b.String()
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	a, b := everything(New(42)), everything(New(42))
	if a != b {
		t.Errorf("same seed, different output:\n%s\n---\n%s", a, b)
	}
	if c := everything(New(43)); c == a {
		t.Error("seeds 42 and 43 gave the same output")
	}
}

func TestEmailAvoidsPlaceholders(t *testing.T) {
	t.Parallel()
	g := New(4)
	tests := []struct{ first, last string }{
		{"User", ""}, {"Test", "X"}, {"", ""}, {"José", "Fernández"}, {"名", "姓"},
	}
	for _, tt := range tests {
		for range 50 {
			e := g.Email(tt.first, tt.last)
			local, _, _ := strings.Cut(e, "@")
			if slices.Contains(placeholderLocals, local) || !validate.Email(e) {
				t.Fatalf("Email(%q, %q) = %q", tt.first, tt.last, e)
			}
		}
	}
}

func TestPassword(t *testing.T) {
	t.Parallel()
	g := New(5)
	for range samples {
		p := g.Password()
		if len(p) < 10 || len(p) > 16 {
			t.Fatalf("Password() = %q, length %d", p, len(p))
		}
		for _, class := range []string{"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789", "!#$%&*+-=?@^_"} {
			if !strings.ContainsAny(p, class) {
				t.Fatalf("Password() = %q lacks one of %q", p, class)
			}
		}
	}
}
