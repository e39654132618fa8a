package pathmatch

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"
)

// coversTests include every case of pkg/policy's former matcher, which
// allow: paths and policy paths now share.
var coversTests = []struct {
	patterns []string
	path     string
	isDir    bool
	want     string // the pattern that decided; "" when not covered
}{
	{[]string{"**/Public/**"}, "Public/signups.csv", file, "**/Public/**"},
	{[]string{"**/Public/**"}, "HR/Public/x/y.txt", file, "**/Public/**"},
	{[]string{"**/Public/**"}, "HR/Public", file, ""}, // a file named Public is not inside it
	{[]string{"**/Public/**"}, "HR/Publications/a.txt", file, ""},
	{[]string{"Public"}, "Public/a.txt", file, "Public"}, // a name matches at any depth, folders included
	{[]string{"Public"}, "a/b/Public", file, "Public"},
	{[]string{"Public/"}, "a/Public", file, ""}, // folders only
	{[]string{"Public/"}, "a/Public", dir, "Public/"},
	{[]string{"Public/"}, "a/Public/b", file, "Public/"},
	{[]string{"/www"}, "www/index.html", file, "/www"},
	{[]string{"/www"}, "site/www/index.html", file, ""},
	{[]string{"www/*.html"}, "www/index.html", file, "www/*.html"},
	{[]string{"www/*.html"}, "www/sub/index.html", file, ""},
	{[]string{"www/**/*.html"}, "www/sub/deep/index.html", file, "www/**/*.html"},
	{[]string{"www/**/*.html"}, "www/index.html", file, "www/**/*.html"},
	{[]string{"*.csv"}, "a/b/c.csv", file, "*.csv"},
	{[]string{"*.csv"}, "a/b/c.csv.bak", file, ""},
	{[]string{"Archive/legal-hold/**"}, "Archive/legal-hold/2019/a.csv", file, "Archive/legal-hold/**"},
	{[]string{"Archive/legal-hold/**"}, "Archive/legal-hold", file, ""},
	{[]string{"Archive/legal-hold/**"}, "Archive/other/a.csv", file, ""},
	{[]string{"Archive/legal-hold"}, "Archive/legal-hold/a.csv", file, "Archive/legal-hold"},
	{[]string{"**"}, "a.txt", file, "**"},
	{[]string{"**"}, "a/b/c.txt", file, "**"},
	{[]string{"sh?red/[a-c]*"}, "shared/b.txt", file, "sh?red/[a-c]*"},
	{[]string{"sh?red/[a-c]*"}, "shared/d.txt", file, ""},
	{[]string{"**/x/**/y/**"}, "a/x/b/c/y/z", file, "**/x/**/y/**"},
	{[]string{"**/x/**/y/**"}, "a/x/b/c/z/y", file, ""},
	// Where it departs from the former policy matcher, git's way.
	{[]string{"[!a]*.csv"}, "b.csv", file, "[!a]*.csv"}, // ! negates a class, as ^ does
	{[]string{"[!a]*.csv"}, "a.csv", file, ""},
	{[]string{"[[:digit:]]*"}, "2019/a.csv", file, "[[:digit:]]*"},
	{[]string{"a/**/"}, "a/x.csv", file, ""}, // folders inside a, not its files
	{[]string{"a/**/"}, "a/b/x.csv", file, "a/**/"},
	{[]string{"a "}, "a/x.csv", file, "a "}, // trailing spaces are dropped
	// The shallowest covered folder decides, by its last matching pattern.
	{[]string{"b", "a"}, "a/b/c", file, "a"},
	{[]string{"a", "*"}, "a/b", file, "*"},
	// A negation re-includes what no folder above excludes.
	{[]string{"*.csv", "!keep.csv"}, "x/keep.csv", file, ""},
	{[]string{"*.csv", "!keep.csv"}, "x/drop.csv", file, "*.csv"},
	{[]string{"x/", "!keep.csv"}, "x/keep.csv", file, "x/"},
	{[]string{"*", "!x/"}, "x/a", file, "*"},
	{[]string{"*", "!x/", "!x/a"}, "x/a", file, ""},
}

func TestCovers(t *testing.T) {
	t.Parallel()
	for _, tc := range coversTests {
		m, err := Compile(tc.patterns, "")
		if err != nil {
			t.Fatal(err)
		}
		got, ok := m.Covers(tc.path, tc.isDir)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%q: Covers(%q, isDir=%v) = %q, %v; want %q", tc.patterns, tc.path, tc.isDir, got, ok, tc.want)
		}
		if n := naiveCovers(m, tc.path, tc.isDir); n != got {
			t.Errorf("%q: Covers(%q) = %q, folder by folder %q", tc.patterns, tc.path, got, n)
		}
	}
}

func TestCoversBase(t *testing.T) {
	t.Parallel()
	m := Parse([]string{"/x", "b/"}, "sub/dir")
	for _, tc := range []struct {
		path string
		want string
	}{
		{"sub/dir/x", "/x"},
		{"sub/dir/x/y/z", "/x"},
		{"sub/dir/b/c", "b/"},
		{"sub/dir/y/b/c", "b/"},
		{"sub/x", ""},      // outside the base
		{"sub/dir", ""},    // the base itself
		{"sub/dirx/x", ""}, // not inside the base
		{"b/c", ""},
	} {
		if got, _ := m.Covers(tc.path, false); got != tc.want {
			t.Errorf("Covers(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
	var nilM *Matcher
	if p, ok := nilM.Covers("a", false); ok || p != "" {
		t.Error("nil Matcher covers")
	}
	if _, ok := Parse(nil, "").Covers("a", false); ok {
		t.Error("empty Matcher covers")
	}
}

func TestCompile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern, reason string
	}{
		{"", reasonEmpty},
		{"  ", reasonEmpty},
		{"!", reasonEmpty},
		{"/", reasonRoot},
		{"!/", reasonRoot},
		{"#notes", reasonComment},
		{"[", reasonMalformed},
		{"a/[b", reasonMalformed},
		{"[[:nope:]]", reasonMalformed},
		{`a\`, reasonMalformed},
		{"a//b", reasonEmptySeg},
		{"//a", reasonEmptySeg},
		{"a//", reasonEmptySeg},
		{strings.Repeat("a", maxPatternLen+1), reasonLong},
		{strings.Repeat("a/", maxPatternSegs) + "a", reasonSegs},
	} {
		_, err := Compile([]string{"ok", tc.pattern}, "")
		var pe *PatternError
		if !errors.As(err, &pe) || pe.Reason != tc.reason || pe.Index != 1 || pe.Pattern != tc.pattern {
			t.Errorf("Compile(%q) = %v, want %q at index 1", tc.pattern, err, tc.reason)
		}
	}
	for _, ok := range []string{`\#notes`, "!a", "a/", strings.Repeat("a", maxPatternLen), strings.Repeat("a/", maxPatternSegs-1) + "a", "**", "/**", "**/"} {
		m, err := Compile([]string{ok}, "")
		if err != nil || m.Len() != 1 {
			t.Errorf("Compile(%q) = %v", ok, err)
		}
	}
	msg := (&PatternError{Pattern: "a//b", Index: 0, Reason: reasonEmptySeg}).Error()
	if want := `path pattern "a//b": empty segment (//) in path pattern`; msg != want {
		t.Errorf("Error() = %q, want %q", msg, want)
	}
}

// A pattern full of ** against a deep path stays linear in each: a
// backtracking matcher asked about every folder would take ages.
func TestCoversNoBlowUp(t *testing.T) {
	t.Parallel()
	pat := strings.Repeat("**/a/", 30) + "b"
	m, err := Compile([]string{pat, "!" + pat, "**/a/**/c/"}, "")
	if err != nil {
		t.Fatal(err)
	}
	deep := strings.Repeat("a/", 2000) + "c"
	start := time.Now()
	if p, ok := m.Covers(deep, false); ok {
		t.Errorf("covered by %q", p)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	if _, ok := Parse([]string{"a"}, "").Covers(strings.Repeat("a/", maxPathSegs)+"b", false); ok {
		t.Error("a path deeper than maxPathSegs was covered")
	}
	if _, ok := Parse([]string{"a"}, "").Covers(strings.Repeat("a/", maxPathSegs-1)+"b", false); !ok {
		t.Error("a path of maxPathSegs elements was not covered")
	}
}

// naiveCovers asks Match about each folder, the shallowest first, then
// the path: what allow did by hand before Covers.
func naiveCovers(m *Matcher, rel string, isDir bool) string {
	for i := 0; i <= len(rel); i++ {
		if i < len(rel) && rel[i] != '/' {
			continue
		}
		d := m.decide(rel[:i], i < len(rel) || isDir)
		if d >= 0 && !m.patterns[d].negate {
			return m.patterns[d].text
		}
	}
	return ""
}

// FuzzCovers checks Covers against naiveCovers on arbitrary patterns and
// paths, and that it agrees with Match on a path alone.
func FuzzCovers(f *testing.F) {
	for _, tc := range coversTests {
		f.Add(strings.Join(tc.patterns, "\n"), tc.path, tc.isDir)
	}
	f.Fuzz(func(t *testing.T, lines, rel string, isDir bool) {
		// Covers takes clean relative paths, as the walk and the reports
		// give them: no leading or trailing slash, no empty, "." or ".."
		// element.
		if len(lines) > 512 || len(rel) > 512 || rel == "." || !fs.ValidPath(rel) {
			t.Skip()
		}
		m := Parse(strings.Split(lines, "\n"), "")
		got, ok := m.Covers(rel, isDir)
		if ok != (got != "") {
			t.Fatalf("Covers = %q, %v", got, ok)
		}
		if want := naiveCovers(m, rel, isDir); got != want {
			t.Fatalf("Covers(%q) = %q, folder by folder %q", rel, got, want)
		}
		if !strings.Contains(rel, "/") {
			ign, _ := m.Match(rel, isDir)
			if ign != ok {
				t.Fatalf("Covers(%q) = %v, Match says ignored=%v", rel, ok, ign)
			}
		}
	})
}

func BenchmarkCovers(b *testing.B) {
	m, err := Compile([]string{"**/Public/**", "www/", "/Scans/", "*.pub.csv", "Archive/legal-hold/**"}, "")
	if err != nil {
		b.Fatal(err)
	}
	paths := []string{"HR/payroll/2019/march.xlsx", "Shared/Public/x/signups.csv", "deep/er/and/deeper/still/file.txt", "Archive/legal-hold/a.csv"}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			m.Covers(p, false)
		}
	}
}
