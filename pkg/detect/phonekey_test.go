package detect

import "testing"

func TestPhoneKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+44 20 7946 0958", "|2079460958"},
		{"0044 20 7946 0958", "|2079460958"},
		{"+44 (0)20 7946 0958", "|2079460958"},
		{"+442079460958", "|2079460958"},
		{"020 7946 0958", "|2079460958"},
		{"(020) 7946-0958", "|2079460958"},
		{"+1 202-555-0187", "|2025550187"},
		{"(202) 555-0187", "|2025550187"},
		{"1 202 555 0187", "|2025550187"},
		{"+49 30 901820", "|30901820"},
		{"030 901820", "|30901820"},
	}
	for _, tt := range tests {
		if got := phoneKey(tt.in); got != tt.want {
			t.Errorf("phoneKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A calling code no region uses stays whole.
	if got := phoneKey("+999 1234 5678"); got != "+99912345678" {
		t.Errorf("phoneKey(unknown calling code) = %q", got)
	}
}
