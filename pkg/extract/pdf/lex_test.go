package pdf

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"testing/iotest"
)

// render writes objects the way the tests compare them.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case pdfString:
		return fmt.Sprintf("(%q)", string(x))
	case pdfName:
		return "/" + string(x)
	case pdfArray:
		var parts []string
		for _, e := range x {
			parts = append(parts, render(e))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case pdfDict:
		var keys []string
		for k := range x {
			keys = append(keys, string(k))
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, "/"+k+" "+render(x[pdfName(k)]))
		}
		return "<<" + strings.Join(parts, " ") + ">>"
	case pdfRef:
		return fmt.Sprintf("%d %d R", x.num, x.gen)
	}
	return fmt.Sprint(v)
}

// lexAll reads src to its end: objects rendered, operators as words,
// errors as !error.
func lexAll(src string, refs bool) string {
	l := newLexer(iotest.OneByteReader(strings.NewReader(src)))
	var out []string
	for range 1000 {
		t, err := l.next()
		if err != nil {
			out = append(out, "!"+err.Error())
			continue
		}
		if t.kind == tEOF {
			break
		}
		if t.kind == tKeyword && !isLiteralKeyword(t.data) {
			out = append(out, string(t.data))
			continue
		}
		v, err := l.object(t, refs, 0)
		if err != nil {
			out = append(out, "!"+err.Error())
			continue
		}
		out = append(out, render(v))
	}
	return strings.Join(out, " ")
}

func TestLexer(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"1 -2 +3 4.5 -.5 6. 0.0", "1 -2 3 4.5 -0.5 6 0"},
		{"(a (nested) b) (esc\\n\\t\\(\\)\\\\) (\\101\\7z) (line\\\ncont)", `("a (nested) b") ("esc\n\t()\\") ("A\az") ("linecont")`},
		{"(cr\r\nlf) (\\q)", `("cr\nlf") ("q")`},
		{"<48 65 6c6C6F> <4> <>", `("Hello") ("@") ("")`},
		{"/Name /A#42C /a#2", "/Name /ABC /a\x02"},
		{"[1 (x) /N [true false null]] <</K 1 /L [2]>>", `[1 ("x") /N [true false null]] <</K 1 /L [2]>>`},
		{"BT /F1 12 Tf ET", "BT /F1 12 Tf ET"},
		{"% comment\n1 %c2\r2", "1 2"},
		{"1.2.3 --5 4.-2", "1.2.3 --5 4.-2"},
		{"{ 1 } ) >", "{ 1 } !syntax error !syntax error"},
		{"<4z>", "!syntax error"},
		{"<</K>>", "<<>>"},
		{"<</K 1 /M", "<</K 1>>"},
		{"[1 2", "[1 2]"},
		{"(cut", `("cut")`},
		{"<414", `("A@")`},
	}
	for _, tt := range tests {
		if got := lexAll(tt.src, false); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestLexerRefs(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"<</Root 1 0 R /Size 5>>", "<</Root 1 0 R /Size 5>>"},
		{"[1 0 R 2 0 3 4 R]", "[1 0 R 2 0 3 4 R]"},
		{"[1 2 (s) 3 0 R]", `[1 2 ("s") 3 0 R]`},
		{"7 0 obj", "7 0 obj"},
		{"[-1 0 R]", "!syntax error !syntax error"}, // R is no operand
	}
	for _, tt := range tests {
		if got := lexAll(tt.src, true); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

// TestLexerCaps checks the caps on one token and one aggregate.
func TestLexerCaps(t *testing.T) {
	tests := []struct {
		src string
		err error
	}{
		{"(" + strings.Repeat("a", maxString+1) + ")", errTokenTooLong},
		{"<" + strings.Repeat("41", maxString+1) + ">", errTokenTooLong},
		{"/" + strings.Repeat("n", maxWord+1), errTokenTooLong},
		{strings.Repeat("k", maxWord+1), errTokenTooLong},
		{strings.Repeat("[", maxDepth+1), errTooDeep},
		{"[" + strings.Repeat("0 ", maxElements+1) + "]", errTooMany},
	}
	for _, tt := range tests {
		l := newLexer(strings.NewReader(tt.src))
		tok, err := l.next()
		if err == nil {
			_, err = l.object(tok, false, 0)
		}
		if !errors.Is(err, tt.err) {
			t.Errorf("%.20q...: err = %v, want %v", tt.src, err, tt.err)
		}
	}
	// Exactly at the cap is fine.
	l := newLexer(strings.NewReader("(" + strings.Repeat("a", maxString) + ")"))
	if tok, err := l.next(); err != nil || len(tok.data) != maxString {
		t.Fatalf("string of maxString bytes: %v", err)
	}
}

func TestCMap(t *testing.T) {
	m, err := parseCMap(strings.NewReader(toUnicodeCMap))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		n    int
		code uint32
		want string
		ok   bool
	}{
		{2, 0x0001, "J", true},
		{2, 0x0003, "n", true},
		{2, 0x0005, "fi", true},
		{2, 0x0010, "4", true},
		{2, 0x0012, "1", true},
		{2, 0x0013, "", false},
		{1, 0x01, "", false}, // one-byte codes are not two-byte ones
	}
	for _, tt := range tests {
		got, ok := m.lookup(tt.n, tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("lookup(%d, %#x) = %q %v, want %q %v", tt.n, tt.code, got, ok, tt.want, tt.ok)
		}
	}
	if n := m.codeLen([]byte{0x00, 0x41}); n != 2 {
		t.Errorf("codeLen = %d, want 2", n)
	}

	// A range whose destination steps past its last unit, and a mixed
	// one- and two-byte codespace.
	m, err = parseCMap(strings.NewReader("2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange 1 beginbfrange <20> <22> <0041> endbfrange"))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := m.lookup(1, 0x22); s != "C" {
		t.Errorf("range step: %q", s)
	}
	for _, c := range []struct {
		in   []byte
		want int
	}{{[]byte{0x41, 0x81}, 1}, {[]byte{0x81, 0x41}, 2}, {[]byte{0xA0}, 0}} {
		if n := m.codeLen(c.in); n != c.want {
			t.Errorf("codeLen(% x) = %d, want %d", c.in, n, c.want)
		}
	}

	// Too many entries is not a font's CMap.
	big := "beginbfchar " + strings.Repeat("<01> <0041> ", 1000) + "endbfchar "
	if _, err := parseCMap(strings.NewReader(strings.Repeat(big, maxCMapEntries/1000+1))); err == nil {
		t.Error("oversized CMap accepted")
	}
}
