package mail

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTMLText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs and breaks", "<p>Dear  Ann,</p><p>line one<br>line two<br/><br>after</p>", "Dear Ann,\n\nline one\nline two\n\nafter\n"},
		{"table rows", "<table><tr><th>Name</th><th>IBAN</th></tr><tr><td>Ann</td><td>GB82 WEST 1234 5698 7654 32</td></tr></table>", "Name\tIBAN\nAnn\tGB82 WEST 1234 5698 7654 32\n"},
		{"script, style, comments, doctype", "<!DOCTYPE html><style>a{}</style><SCRIPT type=x>if (a<b) x='</p>'</script >ok<!-- hidden@example.com -->!", "ok!\n"},
		{"entities", "a&amp;b &lt;c&gt; &#x41;&#66; caf&eacute;&nbsp;x &unknown;", "a&b <c> AB café x &unknown;\n"},
		{"pre keeps white space", "<pre>a   b\n  c</pre>d  e", "a   b\n  c\n\nd e\n"},
		{"list", "<ul><li>one</li><li>two</li></ul>", "one\ntwo\n"},
		{"mailto hidden by the link text", `<a href="mailto:ann@example.com?subject=x">Ann</a> and <a href='MAILTO:bo@example.com'>bo@example.com</a>`, "Ann <ann@example.com> and bo@example.com\n"},
		{"tel link", `Call <a href=tel:+442079460958>us</a>.`, "Call us <+442079460958>.\n"},
		{"attributes with >", `<img alt="a > b" src=x>text`, "text\n"},
		{"stray <", "a < b and 1<2", "a < b and 1<2\n"},
		{"unterminated tag", "text <a href=", "text\n"},
		{"unterminated comment", "a<!-- never closed", "a\n"},
		{"unterminated script", "a<script>never closed", "a\n"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(htmlText([]byte(tt.in))); got != tt.want {
				t.Errorf("htmlText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestHTMLTextLinear guards against quadratic behaviour on hostile markup.
func TestHTMLTextLinear(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("<", 1<<20),
		strings.Repeat("<script>", 1<<17),
		strings.Repeat("<a href='mailto:x'>", 1<<16),
		strings.Repeat("&amp;", 1<<18),
	} {
		_ = htmlText([]byte(in)) // finishes quickly, or the test times out
	}
}

// FuzzHTMLText checks that any markup converts without panic, in linear
// size, to valid UTF-8 when the input is.
func FuzzHTMLText(f *testing.F) {
	f.Add("<p>a&amp;b</p><a href='mailto:x@example.com'>y</a><pre> z </pre><td>1<td>2")
	f.Add("<script>x</script><!-- c --><br><br><br>")
	f.Fuzz(func(t *testing.T, in string) {
		out := htmlText([]byte(in))
		if len(out) > 4*len(in)+16 {
			t.Fatalf("%d bytes of HTML gave %d of text", len(in), len(out))
		}
		if utf8.ValidString(in) && !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 out of valid input: %q", out)
		}
	})
}
