package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// newFlags registers flags shaped like `datahygiene scan`'s, parsed from
// args as the command line.
func newFlags(t testing.TB, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("scan", pflag.ContinueOnError)
	fs.StringP("format", "f", "table", "report format")
	fs.StringP("output", "o", "", "report file")
	fs.String("fail-on", "low", "threshold")
	fs.Bool("show-values", false, "unmask")
	fs.StringArray("exclude", nil, "globs")
	fs.String("max-file-size", "256MiB", "size")
	fs.Bool("follow-symlinks", false, "follow")
	fs.String("stale-after", "365d", "age")
	fs.IntP("workers", "j", 0, "workers")
	fs.StringArray("rules", nil, "rule files")
	fs.StringSlice("detectors", nil, "a comma-separated list flag")
	fs.Bool("no-config", false, "no config")
	fs.String("config", "", "config file")
	fs.BoolP("quiet", "q", false, "quiet")
	fs.BoolP("verbose", "v", false, "verbose")
	fs.String("color", "auto", "colour")
	fs.Float64("ratio", 1.5, "a float flag")
	fs.String("cpuprofile", "", "hidden")
	_ = fs.MarkHidden("cpuprofile")
	fs.BoolP("help", "h", false, "help") // as cobra adds it
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

var testOpts = Options{
	UntrustedDeny:   []string{"output", "show-values", "follow-symlinks", "rules", "state", "baseline", "files-from"},
	CommandLineOnly: []string{"config", "no-config"},
	UserFile:        "~/.config/datahygiene/config.yaml",
}

func user(data string) Source { return Source{Name: "user.yaml", Data: []byte(data), Trusted: true} }
func root(data string) Source { return Source{Name: "share/.datahygiene.yaml", Data: []byte(data)} }

func TestApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		srcs    []Source
		env     []string
		want    map[string]string // flag -> value String()
		origin  map[string]string // flag -> origin
		wantErr string
	}{
		{
			name: "good",
			srcs: []Source{root(`
scan:
  format: json
  fail-on: high
  exclude: [node_modules/, "*.bak"]
  stale-after: 2y
  workers: 2
  verbose: true
  ratio: 2.5
`)},
			want:   map[string]string{"format": "json", "fail-on": "high", "exclude": "[node_modules/,*.bak]", "stale-after": "2y", "workers": "2", "verbose": "true", "ratio": "2.5", "color": "auto"},
			origin: map[string]string{"format": "share/.datahygiene.yaml:3", "exclude": "share/.datahygiene.yaml:5", "color": "default"},
		},
		{
			name: "empty and comment-only files, no scan key, empty scan",
			srcs: []Source{user(""), user("# nothing\n"), user("rules:\n  - id: phone\n    severity: low\nallow: [x]\npolicy: {a: 1}\n"), user("scan:\n"), user("---\n")},
			want: map[string]string{"format": "table"},
		},
		{
			name: "scalar for a list flag is one element, no comma splitting",
			srcs: []Source{user("scan:\n  exclude: '*.{bak,tmp}'\n  detectors: a,b\n")},
			want: map[string]string{"exclude": `["*.{bak,tmp}"]`, "detectors": `["a,b"]`}, // String() writes CSV: one element each
		},
		{
			name: "empty list clears an earlier list",
			srcs: []Source{user("scan:\n  exclude: [a]\n"), root("scan:\n  exclude: []\n")},
			want: map[string]string{"exclude": "[]"}, origin: map[string]string{"exclude": "share/.datahygiene.yaml:2"},
		},
		{
			name:   "later file overrides earlier, lists replaced not appended",
			srcs:   []Source{user("scan:\n  format: json\n  exclude: [a, b]\n  workers: 3\n"), root("scan:\n  format: csv\n  exclude: [c]\n")},
			want:   map[string]string{"format": "csv", "exclude": "[c]", "workers": "3"},
			origin: map[string]string{"format": "share/.datahygiene.yaml:2", "workers": "user.yaml:4"},
		},
		{
			name:   "command line wins over every file and the environment",
			args:   []string{"-f", "sarif", "--exclude", "x", "-j", "1"},
			srcs:   []Source{user("scan:\n  format: json\n  exclude: [a]\n  workers: nonsense\n")},
			env:    []string{"DATAHYGIENE_FORMAT=csv"},
			want:   map[string]string{"format": "sarif", "exclude": "[x]", "workers": "1"},
			origin: map[string]string{"format": "command line", "exclude": "command line", "workers": "command line"},
		},
		{
			name:   "env wins over files",
			srcs:   []Source{user("scan:\n  fail-on: low\n  exclude: [a]\n")},
			env:    []string{"HOME=/x", "DATAHYGIENE_FAIL_ON=high", "DATAHYGIENE_EXCLUDE=a,b", "DATAHYGIENE_SHOW_VALUES=1", "DATAHYGIENE_UNKNOWN=1", "DATAHYGIENE_COLOR=", "DATAHYGIENE_CONFIG=/etc/x"},
			want:   map[string]string{"fail-on": "high", "exclude": `["a,b"]`, "show-values": "true", "color": "auto", "config": ""},
			origin: map[string]string{"fail-on": "env DATAHYGIENE_FAIL_ON", "exclude": "env DATAHYGIENE_EXCLUDE", "show-values": "env DATAHYGIENE_SHOW_VALUES", "color": "default"},
		},
		{
			name: "last duplicate env entry wins",
			env:  []string{"DATAHYGIENE_WORKERS=2", "DATAHYGIENE_WORKERS=4"},
			want: map[string]string{"workers": "4"},
		},
		{
			name: "trusted file may set denied settings",
			srcs: []Source{user("scan:\n  output: report.json\n  show-values: true\n  rules: [a.yaml, b.yaml]\n")},
			want: map[string]string{"output": "report.json", "show-values": "true", "rules": "[a.yaml,b.yaml]"},
		},
		{
			name:    "a top-level key for anchors is still unknown",
			srcs:    []Source{user("x-common: &ex [a, b]\nscan:\n  exclude: *ex\n")},
			wantErr: `user.yaml:1: unknown top-level key "x-common" (want scan, rules, allow or policy)`,
		},
		{
			name: "alias inside scan",
			srcs: []Source{user("scan:\n  format: &f json\n  color: never\n  exclude: [*f]\n")},
			want: map[string]string{"exclude": "[json]"},
		},
		{
			name:    "unknown key with suggestion",
			srcs:    []Source{root("scan:\n  format: json\n  fail_on: high\n")},
			wantErr: `share/.datahygiene.yaml:3: unknown scan setting "fail_on"; did you mean "fail-on"? (see datahygiene scan --help)`,
		},
		{
			name:    "misspelt key",
			srcs:    []Source{user("scan:\n  wokers: 2\n")},
			wantErr: `user.yaml:2: unknown scan setting "wokers"; did you mean "workers"? (see datahygiene scan --help)`,
		},
		{
			name:    "shorthand as key",
			srcs:    []Source{user("scan:\n  j: 2\n")},
			wantErr: `user.yaml:2: unknown scan setting "j"; did you mean "workers"? (see datahygiene scan --help)`,
		},
		{
			name:    "unknown key without suggestion",
			srcs:    []Source{user("scan:\n  telemetry: on\n")},
			wantErr: `user.yaml:2: unknown scan setting "telemetry" (see datahygiene scan --help)`,
		},
		{
			name:    "hidden flags and help are not settings",
			srcs:    []Source{user("scan:\n  cpuprofile: /tmp/x\n")},
			wantErr: `user.yaml:2: unknown scan setting "cpuprofile" (see datahygiene scan --help)`,
		},
		{
			name:    "command-line-only setting",
			srcs:    []Source{user("scan:\n  no-config: true\n")},
			wantErr: `user.yaml:2: scan setting "no-config" can only be given on the command line`,
		},
		{
			name:    "unknown top-level key",
			srcs:    []Source{user("scna:\n  format: json\n")},
			wantErr: `user.yaml:1: unknown top-level key "scna"; did you mean "scan"? (want scan, rules, allow or policy)`,
		},
		{
			name:    "wrong type",
			srcs:    []Source{user("scan:\n  format: json\n  workers: two\n")},
			wantErr: `user.yaml:3: scan setting "workers": invalid value "two": invalid syntax`,
		},
		{
			name:    "wrong bool",
			srcs:    []Source{user("scan:\n  verbose: yes\n")},
			wantErr: `user.yaml:2: scan setting "verbose": invalid value "yes": invalid syntax`,
		},
		{
			name:    "list for a scalar flag",
			srcs:    []Source{user("scan:\n  format:\n    - json\n    - csv\n")},
			wantErr: `user.yaml:3: scan setting "format": takes one value, not a list`,
		},
		{
			name:    "mapping value",
			srcs:    []Source{user("scan:\n  format: {a: b}\n")},
			wantErr: `user.yaml:2: scan setting "format": want a value or a list of values, not a mapping`,
		},
		{
			name:    "null value",
			srcs:    []Source{user("scan:\n  format:\n  color: never\n")},
			wantErr: `user.yaml:2: scan setting "format": missing value (write [] for an empty list, "" for an empty string)`,
		},
		{
			name:    "nested list item",
			srcs:    []Source{user("scan:\n  exclude:\n    - a\n    - [b]\n")},
			wantErr: `user.yaml:4: scan setting "exclude": list items must be plain values`,
		},
		{
			name:    "scan not a mapping",
			srcs:    []Source{user("scan: [format, json]\n")},
			wantErr: `user.yaml:1: scan: want a mapping of setting: value (see datahygiene scan --help)`,
		},
		{
			name:    "top level not a mapping",
			srcs:    []Source{user("- scan\n")},
			wantErr: `user.yaml:1: want a mapping with scan:, rules:, allow: or policy: at the top level`,
		},
		{
			name:    "duplicate setting",
			srcs:    []Source{user("scan:\n  format: json\n  color: never\n  format: csv\n")},
			wantErr: `user.yaml:4: scan setting "format": set twice (first at line 2)`,
		},
		{
			name:    "duplicate scan",
			srcs:    []Source{user("scan:\n  format: json\nscan:\n  color: never\n")},
			wantErr: `user.yaml:3: "scan" set twice (first at line 1)`,
		},
		{
			name:    "syntax error",
			srcs:    []Source{user("scan:\n  format: json\n   color: never\n")},
			wantErr: `user.yaml:3: mapping values are not allowed in this context`,
		},
		{
			name:    "invalid UTF-8",
			srcs:    []Source{user("scan:\n  format: json\n  color: \xff\n")},
			wantErr: `user.yaml:3: invalid leading UTF-8 octet`,
		},
		{
			name:    "too large",
			srcs:    []Source{user("#" + strings.Repeat("x", MaxFileSize))},
			wantErr: `user.yaml:1: larger than 1048576 bytes; not a config file`,
		},
		{
			name:    "untrusted denial",
			srcs:    []Source{user("scan:\n  format: json\n"), root("scan:\n  format: json\n  output: /tmp/leak.json\n")},
			wantErr: `share/.datahygiene.yaml:3: scan setting "output" may not be set in share/.datahygiene.yaml: a file in the scanned tree must not redirect output, reveal values or read files outside the tree; set it on the command line or in ~/.config/datahygiene/config.yaml`,
		},
		{
			name:    "untrusted denial holds even when the command line sets it",
			args:    []string{"--show-values=false"},
			srcs:    []Source{root("scan:\n  show-values: true\n")},
			wantErr: `share/.datahygiene.yaml:2: scan setting "show-values" may not be set in share/.datahygiene.yaml: a file in the scanned tree must not redirect output, reveal values or read files outside the tree; set it on the command line or in ~/.config/datahygiene/config.yaml`,
		},
		{
			name:    "bad env value",
			env:     []string{"DATAHYGIENE_WORKERS=many"},
			wantErr: `env DATAHYGIENE_WORKERS: scan setting "workers": invalid value "many": invalid syntax`,
		},
		{
			name:    "control characters are escaped in messages",
			srcs:    []Source{user("scan:\n  \"\\e[31mred\": 1\n")},
			wantErr: `user.yaml:2: unknown scan setting "\x1b[31mred" (see datahygiene scan --help)`,
		},
		{
			name:    "long keys are cut in messages",
			srcs:    []Source{user("scan:\n  " + strings.Repeat("k", 100) + ": 1\n")},
			wantErr: `user.yaml:2: unknown scan setting "` + strings.Repeat("k", maxQuoted) + `"… (see datahygiene scan --help)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := newFlags(t, tt.args...)
			opts := testOpts
			opts.Environ = tt.env
			eff, err := Apply(fs, tt.srcs, opts)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, want %s", tt.wantErr)
				}
				if err.Error() != tt.wantErr {
					t.Fatalf("error:\n got %s\nwant %s", err, tt.wantErr)
				}
				var ce *Error
				if !errors.As(err, &ce) {
					t.Fatalf("error %T is not a *config.Error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.want {
				if got := fs.Lookup(name).Value.String(); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
				if s, ok := eff.Get(name); ok && s.Value != want {
					t.Errorf("Effective %s = %q, want %q", name, s.Value, want)
				}
			}
			for name, want := range tt.origin {
				if got := eff.Origin(name); got != want {
					t.Errorf("origin of %s = %q, want %q", name, got, want)
				}
			}
			// fs.Changed keeps meaning "on the command line".
			fs.VisitAll(func(f *pflag.Flag) {
				if f.Changed && eff.Origin(f.Name) != OriginCommandLine && f.Name != "config" && f.Name != "no-config" {
					t.Errorf("%s marked changed but set from %s", f.Name, eff.Origin(f.Name))
				}
			})
		})
	}
}

func TestApplyWrapsFlagError(t *testing.T) {
	t.Parallel()
	_, err := Apply(newFlags(t), []Source{user("scan:\n  workers: x\n")}, testOpts)
	var ne *strconv.NumError
	if !errors.As(err, &ne) {
		t.Fatalf("error %v does not wrap the parser's *strconv.NumError", err)
	}
}

func TestEffectiveLeavesOutCommandLineOnlyHiddenAndHelp(t *testing.T) {
	t.Parallel()
	eff, err := Apply(newFlags(t, "--config", "x.yaml"), nil, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"config", "no-config", "cpuprofile", "help"} {
		if _, ok := eff.Get(n); ok {
			t.Errorf("%s listed as a setting", n)
		}
	}
	if _, ok := eff.Get("format"); !ok {
		t.Error("format missing")
	}
	if eff.Origin("nonesuch") != "" {
		t.Error("origin of an unknown flag")
	}
}

func TestUntrustedMarked(t *testing.T) {
	t.Parallel()
	eff, err := Apply(newFlags(t), []Source{user("scan:\n  format: json\n"), root("scan:\n  exclude: ['**']\n")}, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := eff.Get("exclude"); !s.Untrusted {
		t.Error("exclude from the root file not marked untrusted")
	}
	if s, _ := eff.Get("format"); s.Untrusted {
		t.Error("format from the user file marked untrusted")
	}
}

func TestEnvName(t *testing.T) {
	t.Parallel()
	for flag, want := range map[string]string{"fail-on": "DATAHYGIENE_FAIL_ON", "max-file-size": "DATAHYGIENE_MAX_FILE_SIZE", "workers": "DATAHYGIENE_WORKERS"} {
		if got := EnvName(flag); got != want {
			t.Errorf("EnvName(%q) = %q, want %q", flag, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	names := []string{"color", "exclude", "fail-on", "format", "max-file-size", "stale-after", "workers"}
	for key, want := range map[string]string{
		"fail_on": "fail-on", "Fail-On": "fail-on", "max_file_size": "max-file-size", "maxfilesize": "max-file-size",
		"colour": "color", "excludes": "exclude", "stale": "", "x": "", "telemetry": "", "": "",
	} {
		if got := suggest(key, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfgDir := filepath.Join(dir, "cfg")
	share := filepath.Join(dir, "share")
	must(t, os.MkdirAll(filepath.Join(cfgDir, "datahygiene"), 0o755))
	must(t, os.MkdirAll(share, 0o755))
	must(t, os.WriteFile(UserFile(cfgDir), []byte("scan:\n  format: json\n"), 0o600))
	must(t, os.WriteFile(filepath.Join(share, RootFile), []byte("scan:\n  workers: 1\n"), 0o644))
	explicit := filepath.Join(dir, "cron.yaml")
	must(t, os.WriteFile(explicit, []byte("scan:\n  fail-on: high\n"), 0o600))

	names := func(srcs []Source) string {
		var s []string
		for _, src := range srcs {
			s = append(s, strings.TrimPrefix(src.Name, dir+string(filepath.Separator))+"="+strconv.FormatBool(src.Trusted))
		}
		return strings.Join(s, " ")
	}
	for _, tt := range []struct {
		loc  Locations
		want string
	}{
		{Locations{UserConfigDir: cfgDir, Root: share}, "cfg/datahygiene/config.yaml=true share/.datahygiene.yaml=false"},
		{Locations{UserConfigDir: cfgDir, Root: share, NoConfig: true}, ""},
		{Locations{UserConfigDir: cfgDir, Root: share, Explicit: explicit}, "cron.yaml=true share/.datahygiene.yaml=false"},
		{Locations{UserConfigDir: cfgDir, Root: share, Explicit: explicit, NoConfig: true}, "cron.yaml=true"},
		{Locations{UserConfigDir: filepath.Join(dir, "none"), Root: filepath.Join(share, RootFile)}, ""}, // root is a file
	} {
		srcs, err := Read(tt.loc)
		if err != nil {
			t.Fatalf("%+v: %v", tt.loc, err)
		}
		if got := names(srcs); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.loc, got, tt.want)
		}
	}

	if _, err := Read(Locations{Explicit: filepath.Join(dir, "missing.yaml")}); err == nil || !strings.Contains(err.Error(), "missing.yaml: no such file") {
		t.Errorf("missing explicit file: %v", err)
	}
}

func TestReadRefusesSymlinkAndFIFOInTree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "secret.yaml")
	must(t, os.WriteFile(target, []byte("scan:\n  format: json\n"), 0o600))
	share := filepath.Join(dir, "share")
	must(t, os.Mkdir(share, 0o755))
	if err := os.Symlink(target, filepath.Join(share, RootFile)); err != nil {
		t.Skip("no symlinks:", err)
	}
	_, err := Read(Locations{Root: share})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("symlinked root file: %v", err)
	}
	// A trusted file may be a symlink.
	if _, err := ReadFile(filepath.Join(share, RootFile), true); err != nil {
		t.Errorf("symlinked trusted file: %v", err)
	}

	fifoDir := filepath.Join(dir, "fifo")
	must(t, os.Mkdir(fifoDir, 0o755))
	if err := mkfifo(filepath.Join(fifoDir, RootFile)); err != nil {
		t.Skip("no FIFOs:", err)
	}
	// Without O_NONBLOCK this would wait for a writer forever.
	_, err = Read(Locations{Root: fifoDir})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("FIFO root file: %v", err)
	}
}

func TestReadBoundsSize(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "big.yaml")
	must(t, os.WriteFile(name, []byte("#"+strings.Repeat("x", 2*MaxFileSize)), 0o600))
	src, err := ReadFile(name, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Data) != MaxFileSize+1 {
		t.Fatalf("read %d bytes, want the bound %d+1", len(src.Data), MaxFileSize)
	}
	if _, err := Apply(newFlags(t), []Source{src}, testOpts); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized file: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
