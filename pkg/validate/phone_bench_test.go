package validate

import "testing"

// BenchmarkPhoneReference runs BenchmarkPhone's values through
// phoneReference, libphonenumber itself, so that one run shows the
// before and after of issue 5 on the same machine and load.
func BenchmarkPhoneReference(b *testing.B) {
	phoneReference("+44 20 7946 0958") // load metadata outside the timings
	benchValues(b, phoneReference, map[string]string{
		"reject_cheap_letters": "ORD-2024-555-0199",
		"reject_cheap_length":  "2024-01-15",
		"reject_trunk_skip":    "1725000000",
		"reject_parsed":        "0123 456 789",
		"valid_international":  "+44 20 7946 0958",
		"valid_national_first": "(202) 555-0123",
		"valid_national_late":  "(11) 96123-4567",
	})
}
