package ruleset

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestBuiltinCompiles(t *testing.T) {
	rs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"br_cpf", "ca_sin", "credit_card", "email", "es_dni", "iban", "in_aadhaar", "in_pan", "ip_address", "nl_bsn", "password", "phone", "uk_nino", "us_ssn"}
	got := IDs(rs.Rules())
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("built-in ids = %v, want %v", got, want)
	}
	for _, r := range rs.Rules() {
		if r.Name == r.ID || r.Description == "" {
			t.Errorf("%s: needs a name and a description", r.ID)
		}
		n := 0
		for _, ex := range r.Examples {
			if ex.Match {
				n++
			}
		}
		if n == 0 || n == len(r.Examples) {
			t.Errorf("%s: needs both match and no_match examples", r.ID)
		}
	}
}

func TestUserOverride(t *testing.T) {
	rs, err := Load(filepath.Join("..", "..", "testdata", "rules", "valid_override.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rs.Rule("phone").Severity; got != finding.Medium {
		t.Errorf("phone severity = %v, want medium", got)
	}
	if len(rs.Rule("phone").Patterns) != 2 || rs.Rule("phone").ValidatorName != "phone" {
		t.Error("override must keep the fields it does not set")
	}
	if rs.Rule("ip_address").Enabled {
		t.Error("ip_address should be disabled")
	}
	for _, r := range rs.Rules() {
		if r.ID == "ip_address" {
			t.Error("disabled rule listed as enabled")
		}
	}
	emp := rs.Rule("employee_id")
	if emp == nil || !emp.Enabled || emp.Category != finding.GovernmentID {
		t.Fatalf("employee_id not added: %+v", emp)
	}
	if !strings.HasSuffix(emp.Origin, "valid_override.yaml:7") {
		t.Errorf("origin = %q", emp.Origin)
	}
}

func TestErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		file string
		line int
		msg  string
	}{
		{"bad_yaml.yaml", 5, "mapping values are not allowed"},
		{"bad_field.yaml", 6, `unknown field "paterns"`},
		{"bad_regex.yaml", 8, `invalid pattern "(unclosed"`},
		{"bad_severity.yaml", 2, `unknown severity "urgent"`},
		{"bad_validator.yaml", 2, `unknown validator "luhnn"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "..", "testdata", "rules", tt.file)
			_, err := Load(path)
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("err = %v (%T), want *ruleset.Error", err, err)
			}
			if re.File != path || re.Line != tt.line || !strings.Contains(re.Msg, tt.msg) {
				t.Errorf("got %q (file %q line %d), want %s:%d: ...%s...", err, re.File, re.Line, path, tt.line, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), path+":") {
				t.Errorf("message %q must start with file:line", err)
			}
		})
	}
}

func TestCompileProblems(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"missing id", "rules:\n  - name: x\n", "missing id"},
		{"bad id", "rules:\n  - id: Bad-Id\n", "id must be"},
		{"duplicate", "rules:\n  - {id: a, severity: low, category: contact, patterns: [x]}\n  - {id: a, severity: low, category: contact, patterns: [x]}\n", "defined twice"},
		{"no pattern", "rules:\n  - {id: a, severity: low, category: contact}\n", "at least one pattern"},
		{"no category", "rules:\n  - {id: a, severity: low, patterns: [x]}\n", "missing category"},
		{"bad category", "rules:\n  - {id: a, severity: low, category: food, patterns: [x]}\n", `unknown category "food"`},
		{"bad mask", "rules:\n  - {id: a, severity: low, category: contact, mask: blur, patterns: [x]}\n", `unknown mask style "blur"`},
		{"column value without headers", "rules:\n  - {id: a, severity: low, category: contact, column_value: true, patterns: [x]}\n", "column_value needs"},
		{"unknown pattern key", "rules:\n  - id: a\n    severity: low\n    category: contact\n    patterns:\n      - {regex: x, context: true}\n", `t.yaml:6: unknown field "context"`},
		{"not a list", "rules: 3\n", "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(Source{Name: "t.yaml", Data: []byte(tt.yaml)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestAnalyse(t *testing.T) {
	tests := []struct {
		pattern   string
		minDigits int
		required  string
	}{
		{`\d{3}-\d{2}-\d{4}`, 9, "-"},
		{`(?i)[a-z]+@[a-z]+\.[a-z]{2,}`, 0, ".@"},
		{`\+[1-9][\d \-.()]{5,20}\d`, 2, "+"},
		{`(?<!\d[ -]?)\b[2-9]\d{3} \d{4} \d{4}\b(?![ -]?\d)`, 12, " "},
		{`\d{13,19}|\d{4} \d{4}`, 8, ""},
		{`(?:a|b)\d?`, 0, ""},
		{`x(?>y)\1`, 0, ""}, // not RE2 even without lookarounds: no prefilter
	}
	for _, tt := range tests {
		d, req := analyse(tt.pattern)
		if d != tt.minDigits || string(req) != tt.required {
			t.Errorf("analyse(%q) = %d, %q; want %d, %q", tt.pattern, d, req, tt.minDigits, tt.required)
		}
	}
}

func TestEngines(t *testing.T) {
	re2, err := compilePattern(`\b(?P<value>\d{3})\b`, true)
	if err != nil || re2.Engine() != "re2" {
		t.Fatalf("RE2 pattern: %v %v", re2, err)
	}
	look, err := compilePattern(`(?<![\d-])(?P<value>\d{3})(?!\d)`, true)
	if err != nil || look.Engine() != "regexp2" {
		t.Fatalf("lookaround pattern: %v %v", look, err)
	}
	// Both engines report value spans in bytes, also after multi-byte text.
	for _, p := range []*Pattern{re2, look} {
		var got []string
		line := []byte("é 123 ü 456 7890")
		if err := p.FindAll(line, func(s, e int) { got = append(got, string(line[s:e])) }); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != "123,456" {
			t.Errorf("%s: got %v", p.Engine(), got)
		}
	}
	// \d is ASCII in both engines: Arabic-Indic digits are not digits.
	var n int
	_ = look.FindAll([]byte("١٢٣"), func(int, int) { n++ })
	if n != 0 {
		t.Error("regexp2 must use ASCII \\d (RE2 option)")
	}
}

func TestRegexp2Timeout(t *testing.T) {
	p, err := compilePattern(`^(a+)+(?=b)`, false)
	if err != nil || p.Engine() != "regexp2" {
		t.Fatal(err)
	}
	err = p.FindAll([]byte(strings.Repeat("a", 40)+"!"), func(int, int) {})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
}

func TestHeaderMatches(t *testing.T) {
	r := &Rule{Headers: []string{"phone", "tel", "pin", "ip"}}
	for h, want := range map[string]bool{
		"Phone": true, "phone_number": true, "MobilePhone": true, "Tel.": true, "tel": true,
		"PIN": true, "pin code": true, "Shipping": false, "zip": false, "IP Address": true,
		"telephone": true, "description": false, "": false,
	} {
		if got := r.HeaderMatches(h); got != want {
			t.Errorf("HeaderMatches(%q) = %v, want %v", h, got, want)
		}
	}
}

// TestPrefilterIsSuperset: the RE2 prefilter of a lookaround pattern must
// never reject a line the pattern matches.
func TestPrefilterIsSuperset(t *testing.T) {
	p, err := compilePattern(`(?<![\w-])(?P<value>[2-9]\d{3}-\d{4}-\d{4})(?![\w-])`, true)
	if err != nil || p.pre == nil {
		t.Fatalf("no prefilter: %v", err)
	}
	for _, line := range []string{"id 2345-6789-0124 ok", "x-2345-6789-0124", "2345-6789-0124"} {
		var n int
		_ = p.FindAll([]byte(line), func(int, int) { n++ })
		want := 0
		if line != "x-2345-6789-0124" {
			want = 1
		}
		if n != want {
			t.Errorf("%q: %d matches, want %d", line, n, want)
		}
	}
}
