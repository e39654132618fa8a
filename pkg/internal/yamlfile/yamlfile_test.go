package yamlfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestQuote(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"", `""`},
		{"fail_on", `"fail_on"`},
		{"a\x1b[31mb", `"a\x1b[31mb"`},
		{strings.Repeat("k", MaxQuoted), `"` + strings.Repeat("k", MaxQuoted) + `"`},
		{strings.Repeat("k", MaxQuoted+1), `"` + strings.Repeat("k", MaxQuoted) + `"…`},
		// A rune across the cut is dropped whole, not split.
		{strings.Repeat("k", MaxQuoted-1) + "é", `"` + strings.Repeat("k", MaxQuoted-1) + `"…`},
	} {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestPrintableAndMask(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, printable, masked string }{
		{"user.yaml:3", "user.yaml:3", "user.yaml:3"},
		{"café.yaml", "café.yaml", "café.yaml"},
		{"a\x1b[2Jb", `"a\x1b[2Jb"`, "a?[2Jb"},
		{"tab\there", `"tab\there"`, "tab?here"},
		{"bad\xffutf8", `"bad\xffutf8"`, "bad\uFFFDutf8"}, // not a control character, but not kept raw either
		{"zero\u200bwidth", `"zero\u200bwidth"`, "zero\u200bwidth"},
	} {
		if got := Printable(tt.in); got != tt.printable {
			t.Errorf("Printable(%q) = %s, want %s", tt.in, got, tt.printable)
		}
		if got := MaskControls(tt.in); got != tt.masked {
			t.Errorf("MaskControls(%q) = %q, want %q", tt.in, got, tt.masked)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	flags := []string{"color", "exclude", "fail-on", "format", "max-file-size", "stale-after", "workers", "xy"}
	fold := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "-")) }
	long := SuggestOptions{Fold: fold, Long: true}
	for _, tt := range []struct {
		key        string
		plain, lng string // with the zero options, and with long
	}{
		{"workers", "workers", "workers"},
		{"wokers", "workers", "workers"},
		{"fail_on", "fail-on", "fail-on"}, // one edit even unfolded
		{"FAIL_ON", "", "fail-on"},        // only folding forgives capitals
		{"maxfilesize", "max-file-size", "max-file-size"},
		{"max_filesz", "", "max-file-size"}, // 4 edits of 13: a third
		{"stale", "", ""},
		{"q", "xy", ""}, // two edits of a two-rune name would be all of it
		{"", "xy", ""},
		{"telemetry", "", ""},
		{strings.Repeat("w", 65), "", ""},
	} {
		if got := Suggest(tt.key, flags, SuggestOptions{}); got != tt.plain {
			t.Errorf("Suggest(%q) = %q, want %q", tt.key, got, tt.plain)
		}
		if got := Suggest(tt.key, flags, long); got != tt.lng {
			t.Errorf("Suggest(%q, Long) = %q, want %q", tt.key, got, tt.lng)
		}
	}
	if got := Suggest("retension", nil, SuggestOptions{}); got != "" {
		t.Errorf("Suggest with no candidates = %q", got)
	}
	// The first of equally close candidates wins, so messages are stable.
	if got := Suggest("ab", []string{"ax", "ay"}, SuggestOptions{}); got != "ax" {
		t.Errorf("tie: got %q, want ax", got)
	}
	// Runes, not bytes: é is one edit from e.
	if d := distance("clé", "cle"); d != 1 {
		t.Errorf(`distance("clé", "cle") = %d, want 1`, d)
	}
}

func TestTop(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in string
		kind     yaml.Kind // 0: nil node
		value    string    // a scalar's value
		errLine  int       // the line a syntax error names (0: none)
		errMsg   string
	}{
		{name: "empty", in: ""},
		{name: "blank", in: " \n\t\n"},
		{name: "comments", in: "# nothing\n# here\n"},
		{name: "null", in: "~\n"},
		{name: "document marker", in: "---\n"},
		{name: "mapping", in: "scan:\n  workers: 2\n", kind: yaml.MappingNode},
		{name: "scalar", in: "hello\n", kind: yaml.ScalarNode, value: "hello"},
		{name: "alias at top", in: "--- &a [1]\n", kind: yaml.SequenceNode},
		{name: "syntax", in: "a: 1\nb: [\n", errLine: 2, errMsg: "did not find expected node content"},
		{name: "tab indent", in: "a:\n\tb: 1\n", errLine: 2, errMsg: "found character that cannot start any token"},
		{name: "unknown anchor", in: "a: *nope\n", errLine: 0, errMsg: "unknown anchor 'nope' referenced"},
		{name: "bad utf8", in: "a: \xff\n", errMsg: "invalid leading UTF-8 octet"},
	} {
		n, err := Top([]byte(tt.in))
		if tt.errMsg != "" {
			if err == nil {
				t.Errorf("%s: Top = %v, want an error", tt.name, n)
				continue
			}
			if n != nil {
				t.Errorf("%s: a node with an error", tt.name)
			}
			line, msg := SyntaxError(err)
			if line != tt.errLine || msg != tt.errMsg {
				t.Errorf("%s: SyntaxError = %d, %q; want %d, %q", tt.name, line, msg, tt.errLine, tt.errMsg)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		switch {
		case tt.kind == 0 && n != nil:
			t.Errorf("%s: Top = kind %v, want nil", tt.name, n.Kind)
		case tt.kind != 0 && (n == nil || n.Kind != tt.kind || n.Value != tt.value):
			t.Errorf("%s: Top = %+v, want kind %v value %q", tt.name, n, tt.kind, tt.value)
		}
	}
}

func TestSyntaxErrorTypeError(t *testing.T) {
	t.Parallel()
	err := &yaml.TypeError{Errors: []string{"line 4: cannot unmarshal !!seq into string", "line 9: other"}}
	if line, msg := SyntaxError(err); line != 4 || msg != "cannot unmarshal !!seq into string" {
		t.Errorf("SyntaxError = %d, %q", line, msg)
	}
}

func TestIsNullDeref(t *testing.T) {
	t.Parallel()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("a: ~\nb:\nc: null\nd: 'null'\ne: &x 1\nf: *x\ng: !!null x\n"), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc.Content[0]
	want := map[string]bool{"a": true, "b": true, "c": true, "d": false, "e": false, "f": false, "g": true}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i].Value, Deref(m.Content[i+1])
		if got := IsNull(v); got != want[k] {
			t.Errorf("IsNull(%s) = %v, want %v", k, got, want[k])
		}
		if v.Kind == yaml.AliasNode {
			t.Errorf("Deref(%s) left an alias", k)
		}
	}
	if !IsNull(nil) || Deref(nil) != nil {
		t.Error("nil node")
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(file, []byte("scan: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	loop := filepath.Join(dir, "loop.yaml")
	if err := os.Symlink(file, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	haveFIFO := mkfifo(fifo) == nil
	for _, tt := range []struct {
		name     string
		path     string
		noFollow bool
		want     error // nil: opens
		skip     bool
	}{
		{name: "regular", path: file},
		{name: "regular, no follow", path: file, noFollow: true},
		{name: "symlink followed", path: link},
		{name: "symlink refused", path: link, noFollow: true, want: ErrSymlink},
		{name: "loop refused", path: loop, noFollow: true, want: ErrSymlink},
		{name: "missing", path: filepath.Join(dir, "none.yaml"), want: fs.ErrNotExist},
		{name: "directory", path: dir, want: ErrNotRegular},
		{name: "fifo does not block", path: fifo, want: ErrNotRegular, skip: !haveFIFO},
	} {
		if tt.skip {
			continue
		}
		f, err := Open(tt.path, OpenOptions{NoFollow: tt.noFollow})
		if f != nil {
			f.Close()
		}
		switch {
		case tt.want == nil && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != nil && !errors.Is(err, tt.want):
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		case tt.want != nil && f != nil:
			t.Errorf("%s: a file with an error", tt.name)
		}
	}
	// A loop that is followed is the os error, not a refusal.
	if _, err := Open(loop, OpenOptions{}); err == nil || errors.Is(err, ErrSymlink) {
		t.Errorf("loop followed: err = %v, want the os error", err)
	}
}

// FuzzTop checks that any input gives either a top node that is neither
// an alias nor null, or a syntax error that SyntaxError takes apart into a
// message free of the prefixes it strips.
func FuzzTop(f *testing.F) {
	for _, s := range []string{"", "# c\n", "~", "scan:\n  workers: 2\n", "a: &x [1, *x]\n", "a: [\n", "a: \xff", "--- &a [1]\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			t.Skip("callers bound their input; yaml.v3's own speed is not under test")
		}
		n, err := Top(data)
		if err != nil {
			if n != nil {
				t.Fatal("a node with an error")
			}
			line, msg := SyntaxError(err)
			if line < 0 || strings.HasPrefix(msg, "yaml: ") || strings.HasPrefix(msg, "line ") {
				t.Fatalf("SyntaxError = %d, %q", line, msg)
			}
			return
		}
		if n != nil && (n.Kind == yaml.AliasNode || IsNull(n)) {
			t.Fatalf("Top returned kind %v tag %s", n.Kind, n.Tag)
		}
	})
}

// FuzzSuggest checks that a suggestion is one of the candidates and that
// an exact candidate is always suggested.
func FuzzSuggest(f *testing.F) {
	f.Add("wokers", false)
	f.Add("FAIL_ON", true)
	f.Fuzz(func(t *testing.T, key string, long bool) {
		cands := []string{"color", "fail-on", "max-file-size", "workers", "xy", key}
		opts := SuggestOptions{Long: long}
		got := Suggest(key, cands[:5], opts)
		if got != "" && !strings.Contains(strings.Join(cands[:5], "\n")+"\n", got+"\n") {
			t.Fatalf("Suggest(%q) = %q, not a candidate", key, got)
		}
		if len(key) <= maxSuggestLen && key != "" {
			if got := Suggest(key, cands[5:], opts); got != key {
				t.Fatalf("Suggest(%q, [itself]) = %q", key, got)
			}
		}
	})
}
