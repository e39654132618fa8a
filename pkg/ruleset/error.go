package ruleset

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
)

// Error is a problem in a rule file. Callers branch on it with errors.As
// (the CLI maps it to exit code 2); they never match on message text.
type Error struct {
	File string // as given by the user, or "builtin:detectors/x.yaml"
	Line int    // 0 when unknown
	Rule string // rule id, when the problem is inside a rule
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Rule != "" {
		b.WriteString("rule " + strconv.Quote(e.Rule) + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// yamlError turns a yaml.v3 error into an *Error with its line. The first
// problem is reported; users fix one at a time and the rest usually follow
// from it.
func yamlError(file string, err error) error {
	line, msg := yamlfile.SyntaxError(err)
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 1 {
		msg += fmt.Sprintf(" (and %d more problems)", len(te.Errors)-1)
	}
	return &Error{File: file, Line: line, Msg: tidyYAMLMsg(msg)}
}

// tidyYAMLMsg removes Go type names from yaml.v3 messages: users write YAML,
// not Go.
func tidyYAMLMsg(m string) string {
	m = strings.ReplaceAll(m, " into ruleset.plain", "")
	if i := strings.Index(m, " in type ruleset."); i >= 0 {
		m = m[:i]
	}
	m = strings.Replace(m, "field ", "unknown field ", 1)
	m = strings.Replace(m, "unknown unknown", "unknown", 1)
	m = strings.Replace(m, " not found", "", 1)
	return m
}

// yamlKeys lists the yaml keys of a struct pointer's fields.
func yamlKeys(v any) map[string]struct{} {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	keys := make(map[string]struct{}, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("yaml")
		name, _, _ := strings.Cut(tag, ",")
		if name != "" && name != "-" {
			keys[name] = struct{}{}
		}
	}
	return keys
}
