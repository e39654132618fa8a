package mask

import (
	"slices"
	"testing"
	"unicode"
)

func TestMask(t *testing.T) {
	t.Parallel()
	tests := []struct {
		style, value, want string
	}{
		{"card", "4111 1111 1111 1111", "4111 **** **** 1111"},
		{"card", "4111111111111111", "4111********1111"},
		{"card", "4526-0181-5908-3012", "4526-****-****-3012"},
		{"card", "3423 194875 74916", "3423 ****** *4916"},
		{"card", "675937215902", "6759****5902"},
		{"card", "12345678", "****5678"}, // too short for a card: default style
		{"card", "411111", "******"},     // and shorter still
		{"card", "card 4111 1111 1111 1111", "**** 4111 **** **** 1111"},

		{"email", "jane.doe@example.com", "j***@example.com"},
		{"email", "x@mail.example", "x***@mail.example"},
		{"email", "Émile@example.fr", "É***@example.fr"},
		{"email", "jane@123456789.example", "j***@*****6789.example"}, // digit runs capped
		{"email", "not-an-address", "***-**-***ress"},
		{"email", "@example.com", "@******e.com"},
		{"email", "jane@doe", "****@***"},                     // no dot in the domain
		{"email", "jane@two words.com", "****@*** ****s.com"}, // not a domain
		{"email", "j***@example.com", Redacted},               // already masked

		{"phone", "+44 20 7946 0958", "+** ** **** **58"},
		{"phone", "(202) 555-0123", "(***) ***-**23"},
		{"phone", "0044 20 7946 0123", "**** ** **** **23"},
		{"phone", "555-01", "***-**"},
		{"phone", "+1 202-555-0199 ext 12", "+* ***-***-**** *** 12"},

		{"iban", "GB82 WEST 1234 5698 7654 32", "GB** **** **** **** **54 32"},
		{"iban", "DE50808414852538885393", "DE****************5393"},
		{"iban", "NL62ABNA5755131373", "NL************1373"},
		{"iban", "1234567890123", "*********0123"}, // no country code: default
		{"iban", "GB82WEST", "****WEST"},           // too short: default

		{"id", "123-45-6789", "***-**-6789"},
		{"id", "AB 12 34 56 C", "** ** *4 56 C"},
		{"id", "X4333776R", "*****776R"},
		{"id", "1234567", "*****67"},
		{"id", "ABC", "***"},

		{"secret", "hunter2", Redacted},
		{"secret", "a much longer pass phrase", Redacted},
		{"secret", "x", Redacted},
		{"secret", "", Redacted},

		{"ip", "10.1.2.3", "10.*.*.*"},
		{"ip", "192.0.2.254", "192.*.*.*"},
		{"ip", "2001:db8::1", "2001:*:*:*:*:*:*:*"},
		{"ip", "2001:0DB8:0000:0000:0000:ff00:0042:8329", "2001:*:*:*:*:*:*:*"},
		{"ip", "::1", "0:*:*:*:*:*:*:*"},
		{"ip", "01.02.03.04", "**.**.03.04"}, // does not parse: default

		{"default", "secret-token-1234", "******-*****-1234"},
		{"default", "12345678", "****5678"},
		{"default", "1234567", "*******"},
		{"default", "Ab1", "***"},
		{"default", "", ""},
		{"default", "---", Redacted}, // nothing to hide, still not the input
		{"default", Redacted, "*"},
		{"no-such-style", "12345678", "****5678"},
	}
	for _, tt := range tests {
		if got := Mask(tt.style, tt.value); got != tt.want {
			t.Errorf("Mask(%q, %q) = %q, want %q", tt.style, tt.value, got, tt.want)
		}
	}
}

func TestStyles(t *testing.T) {
	t.Parallel()
	want := []string{"card", "default", "email", "iban", "id", "ip", "phone", "secret"}
	if got := Styles(); !slices.Equal(got, want) {
		t.Errorf("Styles() = %q, want %q", got, want)
	}
}

// maxKept bounds how many letters and digits of the input each
// rune-for-rune style may show. Styles that rewrite the value (email, ip,
// secret) are checked by their own invariants.
var maxKept = map[string]int{"card": 8, "default": 4, "id": 4, "iban": 6, "phone": 2}

// FuzzMask checks the promises every style makes: the output differs
// from any non-empty input, shows at most four consecutive digits, and a
// secret is always Redacted.
func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"4111 1111 1111 1111", "jane.doe@example.com", "+44 20 7946 0958",
		"GB82 WEST 1234 5698 7654 32", "123-45-6789", "2001:db8::1", "10.1.2.3",
		"a@123456789.example", Redacted, "j***@example.com", "---", "٣٤٥٦٧٨٩",
	} {
		f.Add(s)
	}
	styles := append(Styles(), "unknown")
	f.Fuzz(func(t *testing.T, value string) {
		for _, style := range styles {
			out := Mask(style, value)
			if style == "secret" {
				if out != Redacted {
					t.Fatalf("Mask(secret, %q) = %q", value, out)
				}
				continue
			}
			if value != "" && out == value {
				t.Fatalf("Mask(%s, %q) returned its input", style, value)
			}
			if n := longestDigitRun(out); n > 4 {
				t.Fatalf("Mask(%s, %q) = %q shows %d digits in a row", style, value, out, n)
			}
			if limit, ok := maxKept[style]; ok {
				if n := kept(out); n > limit {
					t.Fatalf("Mask(%s, %q) = %q keeps %d letters or digits, limit %d", style, value, out, n, limit)
				}
			}
		}
	})
}

func longestDigitRun(s string) int {
	run, longest := 0, 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// kept counts the letters and digits of out, which for rune-for-rune
// styles are exactly the ones shown from the input.
func kept(out string) int {
	n := 0
	for _, r := range out {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}
