package policy

import "testing"

func TestGlobs(t *testing.T) {
	tests := []struct {
		pat, path string
		want      bool
	}{
		{"**/Public/**", "Public/signups.csv", true},
		{"**/Public/**", "HR/Public/x/y.txt", true},
		{"**/Public/**", "HR/Public", false}, // a file named Public is not inside it
		{"**/Public/**", "HR/Publications/a.txt", false},
		{"Public", "Public/a.txt", true}, // a name matches at any depth, folders included
		{"Public", "a/b/Public", true},
		{"Public/", "a/Public", false}, // folders only
		{"Public/", "a/Public/b", true},
		{"/www", "www/index.html", true},
		{"/www", "site/www/index.html", false},
		{"www/*.html", "www/index.html", true},
		{"www/*.html", "www/sub/index.html", false},
		{"www/**/*.html", "www/sub/deep/index.html", true},
		{"www/**/*.html", "www/index.html", true},
		{"*.csv", "a/b/c.csv", true},
		{"*.csv", "a/b/c.csv.bak", false},
		{"Archive/legal-hold/**", "Archive/legal-hold/2019/a.csv", true},
		{"Archive/legal-hold/**", "Archive/legal-hold", false},
		{"Archive/legal-hold/**", "Archive/other/a.csv", false},
		{"Archive/legal-hold", "Archive/legal-hold/a.csv", true},
		{"**", "a.txt", true},
		{"**", "a/b/c.txt", true},
		{"sh?red/[a-c]*", "shared/b.txt", true},
		{"sh?red/[a-c]*", "shared/d.txt", false},
		{"**/x/**/y/**", "a/x/b/c/y/z", true},
		{"**/x/**/y/**", "a/x/b/c/z/y", false},
	}
	for _, tt := range tests {
		g, err := compileGlobs([]string{tt.pat})
		if err != nil {
			t.Fatalf("%q: %v", tt.pat, err)
		}
		if _, got := g.Match(tt.path); got != tt.want {
			t.Errorf("%q matching %q = %v, want %v", tt.pat, tt.path, got, tt.want)
		}
	}
	for _, bad := range []string{"", " ", "!a", "a//b", "[", "/", "a/[b"} {
		if _, err := compileGlobs([]string{bad}); err == nil {
			t.Errorf("compileGlobs(%q) should fail", bad)
		}
	}
	var none Globs
	if _, ok := none.Match("a"); ok {
		t.Error("empty Globs matched")
	}
}

// A pattern full of ** against a deep path stays quadratic, not
// exponential: this would take ages with a backtracking matcher.
func TestGlobsNoBlowUp(t *testing.T) {
	pat := ""
	for i := 0; i < 30; i++ {
		pat += "**/a/"
	}
	pat += "b"
	g, err := compileGlobs([]string{pat})
	if err != nil {
		t.Fatal(err)
	}
	path := ""
	for i := 0; i < 2000; i++ {
		path += "a/"
	}
	path += "c"
	if _, ok := g.Match(path); ok {
		t.Error("matched")
	}
}

// Which pattern Match names follows git check-ignore -v: the shallowest
// matched folder decides, by its last matching pattern.
func TestGlobsWhich(t *testing.T) {
	tests := []struct {
		pats       []string
		path, want string
	}{
		{[]string{"**/Public/**", "www/"}, "Teams/Public/list.csv", "**/Public/**"},
		{[]string{"**/Public/**", "Public/"}, "Public/a.csv", "Public/"},
		{[]string{"*.csv", "Archive/"}, "Archive/a.csv", "Archive/"},
		{[]string{"Archive/", "*.csv"}, "Archive/a.csv", "Archive/"},
		{[]string{"a/", "a"}, "a/b", "a"},
	}
	for _, tt := range tests {
		g, err := compileGlobs(tt.pats)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := g.Match(tt.path); got != tt.want || !ok {
			t.Errorf("%q matching %q = %q, %v; want %q", tt.pats, tt.path, got, ok, tt.want)
		}
	}
}
