package ruleset

import (
	"errors"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestYAMLError: a yaml.v3 error becomes an *Error at the first problem's
// line, with the count of the others and without Go type names.
func TestYAMLError(t *testing.T) {
	for _, tt := range []struct {
		err  error
		line int
		msg  string
	}{
		{&yaml.TypeError{Errors: []string{"line 3: cannot unmarshal !!seq into string", "line 7: cannot unmarshal !!map into int"}},
			3, "cannot unmarshal !!seq into string (and 1 more problems)"},
		{&yaml.TypeError{Errors: []string{"line 4: field colour not found in type ruleset.plain"}}, 4, "unknown field colour"},
		{errors.New("yaml: line 2: did not find expected key"), 2, "did not find expected key"},
		{errors.New("yaml: invalid leading UTF-8 octet"), 0, "invalid leading UTF-8 octet"},
	} {
		var e *Error
		if !errors.As(yamlError("r.yaml", tt.err), &e) || e.File != "r.yaml" || e.Line != tt.line || e.Msg != tt.msg {
			t.Errorf("yamlError(%v) = %+v, want line %d msg %q", tt.err, e, tt.line, tt.msg)
		}
	}
}
