package extract

import (
	"strings"
	"testing"
)

// TestLooksLikeHeader covers the rows both tabular readers judge (the cases
// the CSV and xlsx readers each had before the rule moved here).
func TestLooksLikeHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fields []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"name"}, true},
		{[]string{"Name", "E-mail", "Phone number", "IBAN"}, true},
		{[]string{" first name ", "address2", "Q1 2024"}, true},
		{[]string{"name", "", "email"}, true},
		{[]string{"name", "", ""}, false},
		{[]string{"Nom", "Prénom", "Téléphone"}, true},
		{[]string{"名前", "メール"}, true},
		{[]string{"Jo", "jo@example.com"}, false},
		{[]string{"id", "42"}, false},
		{[]string{"amount", "1e5"}, false},
		{[]string{"value", "0x1F"}, false},
		{[]string{"date", "12 Jan 2024"}, false},
		{[]string{"when", "2024-01-05T10:00:00Z"}, false},
		{[]string{"day", "Monday, March 4th"}, false},
		{[]string{"month", "Monday, March"}, true},
		{[]string{"iban", "DE89370400440532013000"}, false},
		{[]string{"passport", "C01X00T47"}, false},
		{[]string{"period", "2024Q1"}, true},
		{[]string{"name", strings.Repeat("a", 65)}, false},
		{[]string{"name", strings.Repeat("a", 64)}, true},
		{[]string{"NaN", "Inf"}, true},
		{[]string{"Name", "Email", "Phone"}, true},
		{[]string{"Name", "", "Phone 2"}, true},
		{[]string{"Name", "", "", "Phone"}, true}, // half filled
		{[]string{"Name", "", "", "", "Phone"}, false},
		{[]string{"Name", "alice@example.com"}, false},
		{[]string{"Name", "1E+15"}, false},
		{[]string{"Name", "2024"}, false},
		{[]string{"Name", "1e5"}, false},
		{[]string{"Name", "0x1p-2"}, false},
		{[]string{"Name", "NaN"}, true},
		{[]string{"Nom", "Téléphone", "Straße"}, true},
		{[]string{"Name", strings.Repeat("x", MaxHeaderLen+1)}, false},
		{[]string{"Name", strings.Repeat("x", MaxHeaderLen)}, true},
		{[]string{"", " "}, false},
	}
	for _, tt := range tests {
		if got := LooksLikeHeader(tt.fields); got != tt.want {
			t.Errorf("LooksLikeHeader(%q) = %v, want %v", tt.fields, got, tt.want)
		}
	}
}
