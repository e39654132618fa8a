package validate

import "testing"

// sink keeps the compiler from discarding validator calls.
var sink bool

func benchValues(b *testing.B, f Func, values map[string]string) {
	for name, v := range values {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				sink = f(v)
			}
		})
	}
}

func BenchmarkLuhn(b *testing.B) {
	benchValues(b, Luhn, map[string]string{
		"valid":   "4526 0181 5908 3012",
		"invalid": "4526018159083013",
	})
}

func BenchmarkCreditCard(b *testing.B) {
	benchValues(b, CreditCard, map[string]string{
		"valid":      "4526 0181 5908 3012",
		"luhn_fails": "4526018159083013",
		"bad_group":  "45260181 59083012",
	})
}

func BenchmarkIBAN(b *testing.B) {
	benchValues(b, IBAN, map[string]string{
		"valid":        "DE50 8084 1485 2538 8853 93",
		"valid_long":   "LC58HEMM646288975140261401419314",
		"mod97_fails":  "DE51808414852538885393",
		"wrong_length": "DE5080841485253888539",
	})
}

// Phone's cost is dominated by libphonenumber's Parse, so the reject paths
// that never parse should be orders of magnitude cheaper.
func BenchmarkPhone(b *testing.B) {
	Phone("+44 20 7946 0958") // load metadata outside the timings
	benchValues(b, Phone, map[string]string{
		"reject_cheap_letters": "ORD-2024-555-0199",
		"reject_cheap_length":  "2024-01-15",
		"reject_trunk_skip":    "1725000000",
		"reject_parsed":        "0123 456 789",
		"valid_international":  "+44 20 7946 0958",
		"valid_national_first": "(202) 555-0123",
		"valid_national_late":  "(11) 96123-4567",
	})
}
