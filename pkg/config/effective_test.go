package config

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/internal/goldenfile"
)

// showScenario is a configuration from every kind of origin, with values
// that need quoting in YAML.
func showScenario(t *testing.T) *Effective {
	t.Helper()
	fs := newFlags(t, "-j", "4", "--config", "cron.yaml")
	srcs := []Source{
		user("scan:\n  format: json\n  exclude: [node_modules/, '*.bak', 'yes', '', \"tab\\there\"]\n  color: \"\\e[31m\"\n  output: '123'\n  rules: [a.yaml]\n"),
		root("scan:\n  stale-after: 2y\n  detectors: ['1', ': x']\n"),
	}
	opts := testOpts
	opts.Environ = []string{"DATAHYGIENE_FAIL_ON=high", "DATAHYGIENE_RATIO=3"}
	eff, err := Apply(fs, srcs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return eff
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	eff := showScenario(t)
	for _, format := range Formats() {
		var b bytes.Buffer
		if err := eff.Write(&b, format); err != nil {
			t.Fatal(err)
		}
		golden(t, "show."+format, b.Bytes())
	}
	if err := eff.Write(&bytes.Buffer{}, "xml"); err == nil {
		t.Error("unknown format accepted")
	}
}

// TestWriteYAMLRoundTrip checks the promise of the yaml format: pasted into
// a config file, it gives the same values.
func TestWriteYAMLRoundTrip(t *testing.T) {
	t.Parallel()
	eff := showScenario(t)
	var b bytes.Buffer
	if err := eff.Write(&b, "yaml"); err != nil {
		t.Fatal(err)
	}
	again, err := Apply(newFlags(t), []Source{{Name: "pasted.yaml", Data: b.Bytes(), Trusted: true}}, testOpts)
	if err != nil {
		t.Fatalf("pasted output does not load: %v\n%s", err, b.String())
	}
	for _, want := range eff.Settings {
		got, _ := again.Get(want.Name)
		if got.Value != want.Value || !reflect.DeepEqual(got.List, want.List) {
			t.Errorf("%s: pasted %q %q, want %q %q", want.Name, got.Value, got.List, want.Value, want.List)
		}
		if (want.Origin == OriginDefault) != (got.Origin == OriginDefault) {
			t.Errorf("%s: origin %q after pasting, was %q", want.Name, got.Origin, want.Origin)
		}
	}
}

func TestWriteEscapesControlCharacters(t *testing.T) {
	t.Parallel()
	eff := showScenario(t)
	eff.Sources = append(eff.Sources, SourceInfo{Name: "evil\x1b]0;x\a.yaml"})
	for _, format := range Formats() {
		var b bytes.Buffer
		if err := eff.Write(&b, format); err != nil {
			t.Fatal(err)
		}
		if i := bytes.IndexFunc(b.Bytes(), func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }); i >= 0 {
			t.Errorf("%s output holds a control character at %d:\n%s", format, i, b.String())
		}
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}
