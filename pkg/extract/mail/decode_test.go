package mail

import (
	"bytes"
	"testing"
)

func TestDecoders(t *testing.T) {
	tests := []struct {
		cte, in, want string
	}{
		{"base64", "aGVsbG8gd29ybGQ=\n", "hello world"},
		{"Base64", "aGVs\r\nbG8g\r\nd29y\r\nbGQ=\r\n", "hello world"},
		{"base64", "aGVsbG8=aGVsbG8=", "hellohello"}, // two encodings glued
		{"base64", "aGV*sbG8!", "hello"},             // junk skipped
		{"base64", "_-8", "\xff\xef"},                // URL-safe alphabet
		{"base64", "aGVsbA", "hell"},                 // no padding
		{"base64", "a", ""},
		{"quoted-printable", "caf=C3=A9 =\nsoft=20\nhard\n", "café soft \nhard\n"},
		{"quoted-printable", "a=\r\nb=  \r\nc", "abc"},
		{"quoted-printable", "1=3D1 =ZZ =4 =", "1=1 =ZZ =4 "},
		{"quoted-printable", "x= y", "x= y"},
		{"quoted-printable", "=e9=E9", "\xe9\xe9"},
		{"7bit", "as is\r\n", "as is\r\n"},
		{"x-uuencode", "begin 644 x", "begin 644 x"},
	}
	for _, tt := range tests {
		whole := decodeAll(newDecoder(tt.cte), []string{tt.in})
		if whole != tt.want {
			t.Errorf("%s %q = %q, want %q", tt.cte, tt.in, whole, tt.want)
		}
		// The output must not depend on how the input is cut.
		var bytesOneByOne []string
		for i := range len(tt.in) {
			bytesOneByOne = append(bytesOneByOne, tt.in[i:i+1])
		}
		if got := decodeAll(newDecoder(tt.cte), bytesOneByOne); got != whole {
			t.Errorf("%s %q byte by byte = %q, whole = %q", tt.cte, tt.in, got, whole)
		}
	}
}

func decodeAll(d decoder, pieces []string) string {
	var out []byte
	for _, p := range pieces {
		out = d.decode(out, []byte(p))
	}
	return string(d.flush(out))
}

// FuzzDecoders checks that base64 and quoted-printable output does not
// depend on how the input is cut, and that base64 never grows.
func FuzzDecoders(f *testing.F) {
	f.Add("aGVsbG8gd29ybGQ=", uint8(3))
	f.Add("caf=C3=A9 =\r\nsoft=20\nhard", uint8(5))
	f.Fuzz(func(t *testing.T, in string, cut uint8) {
		n := int(cut)%max(len(in), 1) + 1
		var pieces []string
		for s := in; s != ""; {
			k := min(n, len(s))
			pieces = append(pieces, s[:k])
			s = s[k:]
		}
		for _, cte := range []string{"base64", "quoted-printable"} {
			whole := decodeAll(newDecoder(cte), []string{in})
			if got := decodeAll(newDecoder(cte), pieces); got != whole {
				t.Fatalf("%s: cut every %d = %q, whole = %q", cte, n, got, whole)
			}
			if cte == "base64" && len(whole) > len(in) {
				t.Fatalf("base64 grew: %d -> %d", len(in), len(whole))
			}
		}
	})
}

func TestFallbackUTF8(t *testing.T) {
	if got := fallbackUTF8([]byte("ok ✓")); !bytes.Equal(got, []byte("ok ✓")) {
		t.Errorf("valid UTF-8 changed: %q", got)
	}
	if got := string(fallbackUTF8([]byte("\x80 \x93\xe9\x94"))); got != "€ “é”" {
		t.Errorf("Windows-1252: %q", got)
	}
}
