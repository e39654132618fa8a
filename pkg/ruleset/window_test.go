package ruleset

import (
	"testing"
)

func TestAnalyseWindow(t *testing.T) {
	tests := []struct {
		src           string
		anchor        int
		minDigits     int
		before, after int
		value, notIn  string // bytes that must and must not be in Value
	}{
		{src: `(?:^|[^\w+])(?P<value>\+[1-9][\d \-.()]{5,20}\d)\b`, anchor: '+', minDigits: 2, before: 5, after: 1, value: "+0123456789 -.()", notIn: "a:/\n"},
		{src: `(?i)(?:^|[^\w.%+-])(?P<value>[a-z0-9_%+-](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62})\b`, anchor: '@', before: 5, after: 1, value: "aZ09.@-_%+", notIn: " :,;\n"},
		{src: `(?<![\w.])(?P<value>(?:\d{1,3}\.){3}\d{1,3})(?![\w]|\.\d)`, anchor: AnchorDigit, minDigits: 4, before: 3, after: 3, value: "0.9", notIn: " a:"},
		{src: `(?<!\d )(?<![\w-])(?P<value>[2-9]\d{3} \d{4} \d{4})\b(?! ?\d)`, anchor: AnchorDigit, minDigits: 12, before: 3, after: 3, value: "0 9", notIn: "-a"},
		{src: `(?<![\w:.])(?P<value>[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w:])`, anchor: ':', before: 2, after: 2, value: "09afAF:", notIn: "g. "},
		{src: `\d{3}-\d{2}-\d{4}`, anchor: AnchorDigit, minDigits: 9, before: 1, after: 1, value: "0-9", notIn: " "},
	}
	for _, tt := range tests {
		w := analyseWindow(tt.src)
		if w == nil {
			t.Errorf("%s: no window", tt.src)
			continue
		}
		if w.Anchor != tt.anchor || w.MinDigits != tt.minDigits || w.Before != tt.before || w.After != tt.after {
			t.Errorf("%s: got anchor %d digits %d before %d after %d, want %d %d %d %d", tt.src,
				w.Anchor, w.MinDigits, w.Before, w.After, tt.anchor, tt.minDigits, tt.before, tt.after)
		}
		for _, c := range []byte(tt.value) {
			if !w.Value[c] {
				t.Errorf("%s: %q not in Value", tt.src, c)
			}
		}
		for _, c := range []byte(tt.notIn) {
			if w.Value[c] {
				t.Errorf("%s: %q in Value", tt.src, c)
			}
		}
	}
}

func TestAnalyseWindowLineMode(t *testing.T) {
	for _, src := range []string{
		`password\s*[:=]\s*(?P<value>\S+)`, // unbounded context before the value
		`(?:id=(?P<value>\d{5})|\d{9})`,    // value on one path only
		`(?P<value>[a-z]+)`,                // no anchor
		`(?<=\w+)(?P<value>\d{4})`,         // unbounded lookbehind
		`(?:x(?P<value>\d{3}))+`,           // value inside a repetition
		`(?P<value>\d+)(?<=(?<!a)b)`,       // nested lookaround
		`(\d)\1`,                           // backreference: not RE2 after stripping
	} {
		if w := analyseWindow(src); w != nil {
			t.Errorf("%s: got a window %+v, want line mode", src, *w)
		}
	}
}

// An invalid byte becomes one U+FFFD rune for regexp2 but is one byte of
// the line: match offsets must still be byte offsets.
func TestFindAllInvalidUTF8Offsets(t *testing.T) {
	p, err := compilePattern(`(?<![\w.])(?P<value>\d{3}-\d{2}-\d{4})`, false)
	if err != nil {
		t.Fatal(err)
	}
	line := []byte("\xac\xff id 123-45-6789")
	var got []string
	if err := p.FindAll(line, func(s, e int) { got = append(got, string(line[s:e])) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "123-45-6789" {
		t.Fatalf("got %q", got)
	}
}

func TestAnyOf(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{`(?i)(?:^|[^a-z0-9])(?:password|pwd)["']?\s{0,4}(?:[:=]|=>)\s{0,4}(?P<value>\S+)`, ":="},
		{`\d{3}-\d{2}`, "-"},
		{`[a-z]+`, ""},
		{`(?:a|\d)x`, "x"},
	}
	for _, tt := range tests {
		if got := string(anyOf(tt.src)); got != tt.want {
			t.Errorf("anyOf(%s) = %q, want %q", tt.src, got, tt.want)
		}
	}
}
