package escape

import "testing"

func TestEscape(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"plain", Printable("Café/ü.csv"), "Café/ü.csv"},
		{"terminal escape", Printable("a\x1b[31mred\n"), `a\x1b[31mred\n`},
		{"invalid utf-8", Printable("a\xffb"), `a\xffb`},
		{"formula", CSVCell("=HYPERLINK(1)"), "'=HYPERLINK(1)"},
		{"tab escaped, so harmless", CSVCell("\t-1"), `\t-1`},
		{"minus", CSVCell("-1+1"), "'-1+1"},
		{"safe cell", CSVCell("alice.csv"), "alice.csv"},
		{"code span", MarkdownCode("a`b", false), "``a`b``"},
		{"code span in table", MarkdownCode("a|b", true), "`a\\|b`"},
		{"leading backtick", MarkdownCode("`x", false), "`` `x ``"},
		{"text", MarkdownText("[x](y)"), `\[x\]\(y\)`},
		{"shorten", Shorten("abcdefghij", 5), "a…hij"},
		{"short enough", Shorten("abc", 5), "abc"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
