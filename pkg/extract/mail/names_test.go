package mail

import (
	"strings"
	"testing"
)

func TestCleanFilename(t *testing.T) {
	tests := []struct{ in, want string }{
		{"report.pdf", "report.pdf"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\ann\scan.pdf`, "scan.pdf"},
		{"a\x00b\x1f\u0085c.txt", "abc.txt"},
		{"  spaced.txt  ", "spaced.txt"},
		{"bad\xffutf8.txt", "badutf8.txt"},
		{"..", ""},
		{"dir/", ""},
		{"...", ""},
		{strings.Repeat("é", 150) + ".xlsx", strings.Repeat("é", 97) + ".xlsx"},
	}
	for _, tt := range tests {
		if got := cleanFilename(tt.in); got != tt.want {
			t.Errorf("cleanFilename(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUniqueNames(t *testing.T) {
	n := names{}
	var got []string
	for _, s := range []string{"a.pdf", "a.pdf", "A.PDF", "a (2).pdf", "noext", "noext", ".hidden", ".hidden"} {
		got = append(got, n.unique(s))
	}
	want := []string{"a.pdf", "a (2).pdf", "A (3).PDF", "a (2) (2).pdf", "noext", "noext (2)", ".hidden", ".hidden (2)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestExtension(t *testing.T) {
	for ctype, want := range map[string]string{
		"application/pdf": ".pdf", "text/csv": ".csv", "text/x-log": ".txt", "video/mp4": ".bin",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx", "message/rfc822": ".eml",
	} {
		if got := extension(ctype); got != want {
			t.Errorf("extension(%q) = %q, want %q", ctype, got, want)
		}
	}
}
