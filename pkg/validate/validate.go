package validate

import "slices"

// Func reports whether value, the raw text a rule matched, is valid. It
// must not keep value after it returns: the scanner hands validators
// strings that share memory with its read buffer, which it then reuses.
type Func func(value string) bool

// registry maps the names rule files use to validators. Aliases name the
// algorithm rather than the identifier, for rules that reuse a checksum.
var registry = map[string]Func{
	"luhn":                  Luhn,
	"credit_card":           CreditCard,
	"iban_mod97":            IBAN,
	"verhoeff":              Verhoeff,
	"aadhaar":               Aadhaar,
	"ssn_area_group_serial": SSN,
	"uk_nino":               NINO,
	"in_pan":                PAN,
	"ca_sin":                SIN,
	"es_dni":                DNI,
	"nl_bsn":                BSN,
	"br_cpf":                CPF,
	"email":                 Email,
	"phone":                 Phone,
	"ipv4":                  IPv4,
	"ipv6":                  IPv6,
	"ip":                    IP,

	// mod11 is the weighted (9..2, -1) mod-11 "elfproef" of the Dutch BSN.
	"mod11":     BSN,
	"elfproef":  BSN,
	"mod23":     DNI,
	"cpf_mod11": CPF,
}

// Lookup returns the validator registered under name.
func Lookup(name string) (Func, bool) {
	f, ok := registry[name]
	return f, ok
}

// Names lists the registered validator names, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// allDigits reports whether s is non-empty and made of ASCII digits only.
func allDigits[T ~string | ~[]byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// allSame reports whether every byte of s is the same, as in 0000 or 1111:
// such values pass several checksums but are always placeholders.
func allSame[T ~string | ~[]byte](s T) bool {
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

// grouped is a value cut into groups at its separators. It lives on the
// stack, so that validators on the scanner's hot path do not allocate; the
// sizes fit the longest value split here, a 34-character IBAN.
type grouped struct {
	chars [34]byte // the value without its separators
	n     int
	lens  [9]int // the length of each group
	ng    int
}

func (g *grouped) text() []byte  { return g.chars[:g.n] }
func (g *grouped) groups() []int { return g.lens[:g.ng] }

// split cuts value into groups at one kind of separator taken from seps. It
// fails on mixed, doubled, leading or trailing separators, because people
// write numbers with one separator used consistently and anything else is
// more likely a run of unrelated numbers. A value without separators is one
// group.
func split(value, seps string) (g grouped, ok bool) {
	if value == "" {
		return g, false
	}
	var sep byte
	g.ng = 1
	for i := 0; i < len(value); i++ {
		c := value[i]
		if isSepByte(c, seps) {
			if (sep != 0 && c != sep) || g.lens[g.ng-1] == 0 || g.ng == len(g.lens) {
				return g, false
			}
			sep = c
			g.ng++
			continue
		}
		if g.n == len(g.chars) {
			return g, false
		}
		g.chars[g.n] = c
		g.n++
		g.lens[g.ng-1]++
	}
	return g, g.lens[g.ng-1] > 0
}

// isSepByte is strings.IndexByte(seps, c) >= 0 for the short separator
// lists callers pass, without a call per byte.
func isSepByte(c byte, seps string) bool {
	for i := 0; i < len(seps); i++ {
		if seps[i] == c {
			return true
		}
	}
	return false
}

// groupedDigits splits value at one consistent separator from seps and
// checks the group lengths against want; a value without separators passes
// if its length is the sum of want. It returns the digits.
func groupedDigits(value, seps string, want ...int) (grouped, bool) {
	g, ok := split(value, seps)
	if !ok || (g.ng > 1 && !slices.Equal(g.groups(), want)) {
		return g, false
	}
	total := 0
	for _, n := range want {
		total += n
	}
	return g, g.n == total && allDigits(g.text())
}
