package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzApply feeds arbitrary bytes to Apply as an untrusted root file: it
// is written by whoever can write to the share. Apply must not panic, must
// fail only with an *Error naming the file and a line, must keep control
// characters out of its messages, and what it accepts must survive
// Effective.Write("yaml") and Apply again unchanged.
func FuzzApply(f *testing.F) {
	f.Add([]byte("scan:\n  format: json\n  fail-on: high\n  exclude: [node_modules/, \"*.bak\"]\n  stale-after: 2y\n  workers: 2\n"))
	f.Add([]byte("rules:\n  - id: phone\n    severity: low\nscan:\n  exclude: '*.tmp'\n  verbose: true\n"))
	f.Add([]byte("a: &x [1]\nscan: {exclude: *x, output: x}\n"))
	f.Add([]byte("scan:\n  \"\\e[1m\": \xff\n"))
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "*.yaml"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		src := Source{Name: "fuzz.yaml", Data: data}
		eff, err := Apply(newFlags(t), []Source{src}, testOpts)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || ce.File != "fuzz.yaml" || ce.Line < 1 {
				t.Fatalf("error %q (%T) does not name the file and a line", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "fuzz.yaml:"+strconv.Itoa(ce.Line)+": ") {
				t.Fatalf("message %q does not start with file:line", msg)
			}
			if i := strings.IndexFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
				t.Fatalf("message %q holds a control character", msg)
			}
			if eff != nil {
				t.Fatal("Effective returned with an error")
			}
			return
		}
		for _, s := range eff.Settings {
			if s.Origin != OriginDefault && !strings.HasPrefix(s.Origin, "fuzz.yaml:") {
				t.Fatalf("%s: origin %q", s.Name, s.Origin)
			}
		}
		var b bytes.Buffer
		if err := eff.Write(&b, "yaml"); err != nil {
			t.Fatal(err)
		}
		again, err := Apply(newFlags(t), []Source{{Name: "pasted.yaml", Data: b.Bytes(), Trusted: true}}, testOpts)
		if err != nil {
			t.Fatalf("output does not load again: %v\n%s", err, b.String())
		}
		if !reflect.DeepEqual(settingValues(eff), settingValues(again)) {
			t.Fatalf("round trip changed values:\n%v\n%v\n%s", settingValues(eff), settingValues(again), b.String())
		}
	})
}

func settingValues(e *Effective) map[string]any {
	m := map[string]any{}
	for _, s := range e.Settings {
		if s.List != nil {
			m[s.Name] = s.List
		} else {
			m[s.Name] = s.Value
		}
	}
	return m
}
