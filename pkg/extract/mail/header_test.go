package mail

import (
	"fmt"
	"testing"
)

func TestParseParams(t *testing.T) {
	tests := []struct {
		in, value string
		params    map[string]string
	}{
		{`text/plain; charset="utf-8"`, "text/plain", map[string]string{"charset": "utf-8"}},
		{`Multipart/Mixed;boundary=abc ; foo = "a;b\"c"`, "multipart/mixed", map[string]string{"boundary": "abc", "foo": `a;b"c`}},
		// Lenient where mime.ParseMediaType gives up: spaces in an unquoted
		// value, a missing closing quote, duplicates (first wins), junk.
		{`attachment; filename=my file.pdf; x`, "attachment", map[string]string{"filename": "my file.pdf"}},
		{`attachment; filename="open.pdf`, "attachment", map[string]string{"filename": "open.pdf"}},
		{`attachment; filename=a.pdf; FILENAME=b.pdf`, "attachment", map[string]string{"filename": "a.pdf"}},
		{`inline; ; =x; filename=a`, "inline", map[string]string{"filename": "a"}},
		// RFC 2231: extended, continued, mixed, with a charset and a gap.
		{`attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf`, "attachment", map[string]string{"filename": "€ rates.pdf"}},
		{`attachment; filename*0*=iso-8859-1'fr'r%E9; filename*1="sum"; filename*2*=%E9.txt`, "attachment", map[string]string{"filename": "résumé.txt"}},
		{`attachment; filename*1="b"; filename*0="a"; filename*3="d"`, "attachment", map[string]string{"filename": "ab"}},
		{`attachment; filename="plain.pdf"; filename*=utf-8''better.pdf`, "attachment", map[string]string{"filename": "better.pdf"}},
		{`attachment; filename*=%ZZbad`, "attachment", map[string]string{"filename": "%ZZbad"}},
		{``, "", map[string]string{}},
	}
	for _, tt := range tests {
		value, params := parseParams(tt.in)
		if value != tt.value || fmt.Sprint(params) != fmt.Sprint(tt.params) {
			t.Errorf("parseParams(%q) = %q %v, want %q %v", tt.in, value, params, tt.value, tt.params)
		}
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=?ISO-8859-1?Q?Andr=E9?= Pirard <a@example.com>", "André Pirard <a@example.com>"},
		{"=?utf-8?B?w6l0w6k=?= =?utf-8?B?IMOpdMOp?=", "été été"},
		{"=?koi8-r?b?8NLJ18XU?=", "Привет"},
		{"=?x-unknown?q?abc?= rest", "=?x-unknown?q?abc?= rest"},
		{"Jos\xe9  \t Example", "José Example"},
		{"a\x00b\r\n c", "a b c"},
	}
	for _, tt := range tests {
		if got := decodeText(tt.in); got != tt.want {
			t.Errorf("decodeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestToUTF8(t *testing.T) {
	tests := []struct{ in, cs, want string }{
		{"caf\xe9", "iso-8859-1", "café"},
		{"caf\xe9", "", "café"},                 // undeclared 8-bit: Windows-1252
		{"café", "us-ascii", "café"},            // UTF-8 under an ASCII label
		{"\x93hi\x94", "bogus-charset", "“hi”"}, // unknown label: fallback
		{"\xff\xfeh\x00i\x00", "utf-16", "hi"},
		{"\x1b$B$3$s$K$A$O\x1b(B", "ISO-2022-JP", "こんにちは"},
	}
	for _, tt := range tests {
		if got := string(toUTF8([]byte(tt.in), tt.cs)); got != tt.want {
			t.Errorf("toUTF8(%q, %q) = %q, want %q", tt.in, tt.cs, got, tt.want)
		}
	}
}
