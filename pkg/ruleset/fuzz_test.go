package ruleset

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRuleset feeds arbitrary bytes to the rule loader. A rule file is user
// input: it must either compile or fail with an *Error naming the file, never
// panic or hang.
func FuzzRuleset(f *testing.F) {
	srcs, err := Builtin()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range srcs {
		f.Add(s.Data)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "*.yaml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		rs, err := Compile(Source{Name: "fuzz.yaml", Data: data})
		if err != nil {
			var re *Error
			if !errors.As(err, &re) || re.File != "fuzz.yaml" {
				t.Fatalf("error %v (%T) is not a *ruleset.Error naming the file", err, err)
			}
			if rs != nil {
				t.Fatal("ruleset returned with an error")
			}
			return
		}
		for _, r := range rs.All() {
			if r.ID == "" || len(r.Patterns) == 0 {
				t.Fatalf("compiled rule without id or patterns: %+v", r)
			}
		}
	})
}
