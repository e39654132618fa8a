package config

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
)

// Source is one config file's content and the name used in messages.
type Source struct {
	Name string
	Data []byte
	// Trusted is false for DIR/.datahygiene.yaml at the scan root, which
	// anyone who can write to the share can write, and true for the user's
	// own config file and an explicit --config FILE.
	Trusted bool
}

// Options says how Apply treats sources and the environment.
type Options struct {
	// Environ is the environment as os.Environ returns it (KEY=VALUE).
	// It is passed in, never read here, so tests control it; nil means no
	// variables.
	Environ []string
	// UntrustedDeny lists flags (long names) an untrusted source may not
	// set: anything that redirects output, reveals values or reads files
	// outside the tree. Setting one there is an error, not a silent skip,
	// so the owner of the share learns why it had no effect.
	UntrustedDeny []string
	// CommandLineOnly lists flags no file or variable may set, because
	// they decide which files are read (config, no-config). They are left
	// out of Effective. Hidden flags and cobra's help flag are always left
	// out.
	CommandLineOnly []string
	// UserFile names the user's config file in the hint of an untrusted
	// denial (default "<user config dir>/datahygiene/config.yaml").
	UserFile string
}

// EnvPrefix starts the name of every environment variable Apply reads:
// DATAHYGIENE_FAIL_ON sets --fail-on.
const EnvPrefix = "DATAHYGIENE_"

// EnvName returns the variable that sets the flag with the given long name.
func EnvName(flag string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// Top-level keys of a config file. Only scan: belongs to this package; the
// others are read by pkg/ruleset and the allow and policy loaders.
var topLevel = []string{"scan", "rules", "allow", "policy"}

// Apply sets the flags in fs from the scan: section of each source (a later
// source overrides an earlier one), then from the DATAHYGIENE_* variables in
// opts.Environ. A flag changed on the command line (fs.Changed) keeps its
// value. Call it after the command line is parsed and before the flags are
// checked.
//
// Values go through the flag's own Value.Set (Replace for list flags) rather
// than fs.Set, so fs.Changed keeps meaning "given on the command line". A
// list replaces the earlier list; it is not appended to.
//
// The first problem stops Apply with an *Error; fs is then partly set and
// should not be used.
func Apply(fs *pflag.FlagSet, srcs []Source, opts Options) (*Effective, error) {
	a := newApplier(fs, opts)
	for _, src := range srcs {
		a.eff.Sources = append(a.eff.Sources, SourceInfo{Name: src.Name, Trusted: src.Trusted})
		if err := a.source(src); err != nil {
			return nil, err
		}
	}
	if err := a.environ(opts.Environ); err != nil {
		return nil, err
	}
	return a.effective(), nil
}

// applier carries Apply's state: the settable flags and where each value
// came from.
type applier struct {
	fs       *pflag.FlagSet
	opts     Options
	flags    map[string]*pflag.Flag // settable, by long name
	cmdOnly  map[string]bool
	cmdline  map[string]bool // changed on the command line, before any file
	deny     map[string]bool
	origin   map[string]string
	untrust  map[string]bool // set last by an untrusted source
	shortMap map[string]string
	eff      *Effective
}

func newApplier(fs *pflag.FlagSet, opts Options) *applier {
	a := &applier{
		fs: fs, opts: opts,
		flags: map[string]*pflag.Flag{}, cmdOnly: map[string]bool{}, cmdline: map[string]bool{},
		deny: map[string]bool{}, origin: map[string]string{}, untrust: map[string]bool{},
		shortMap: map[string]string{}, eff: &Effective{},
	}
	for _, n := range opts.CommandLineOnly {
		a.cmdOnly[n] = true
	}
	for _, n := range opts.UntrustedDeny {
		a.deny[n] = true
	}
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" || a.cmdOnly[f.Name] {
			return
		}
		a.flags[f.Name] = f
		if f.Shorthand != "" {
			a.shortMap[f.Shorthand] = f.Name
		}
		if f.Changed {
			a.cmdline[f.Name] = true
			a.origin[f.Name] = OriginCommandLine
		}
	})
	return a
}

// Origins that are not a file:line.
const (
	OriginDefault     = "default"
	OriginCommandLine = "command line"
)

func (a *applier) source(src Source) error {
	root, err := parseYAML(src)
	if err != nil {
		return err
	}
	if root == nil {
		return nil // empty file, or only comments
	}
	if root.Kind != yaml.MappingNode {
		return &Error{File: src.Name, Line: root.Line, Msg: "want a mapping with scan:, rules:, allow: or policy: at the top level"}
	}
	var scan *yaml.Node
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return &Error{File: src.Name, Line: k.Line, Msg: "top-level keys must be plain words (scan, rules, allow, policy)"}
		}
		if prev, dup := seen[k.Value]; dup {
			return &Error{File: src.Name, Line: k.Line, Msg: fmt.Sprintf("%s set twice (first at line %d)", yamlfile.Quote(k.Value), prev)}
		}
		seen[k.Value] = k.Line
		switch k.Value {
		case "scan":
			scan = v
		case "rules", "allow", "policy":
			// read by their own loaders
		default:
			msg := "unknown top-level key " + yamlfile.Quote(k.Value)
			if s := suggest(k.Value, topLevel); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			return &Error{File: src.Name, Line: k.Line, Msg: msg + " (want scan, rules, allow or policy)"}
		}
	}
	if scan == nil {
		return nil
	}
	scan = yamlfile.Deref(scan)
	if yamlfile.IsNull(scan) {
		return nil // "scan:" with nothing under it
	}
	if scan.Kind != yaml.MappingNode {
		return &Error{File: src.Name, Line: scan.Line, Msg: "scan: want a mapping of setting: value (see datahygiene scan --help)"}
	}
	seen = map[string]int{}
	for i := 0; i+1 < len(scan.Content); i += 2 {
		k, v := scan.Content[i], yamlfile.Deref(scan.Content[i+1])
		if err := a.setting(src, k, v, seen); err != nil {
			return err
		}
	}
	return nil
}

// setting applies one key: value of a scan: mapping.
func (a *applier) setting(src Source, k, v *yaml.Node, seen map[string]int) error {
	if k.Kind != yaml.ScalarNode {
		return &Error{File: src.Name, Line: k.Line, Msg: "setting names must be plain words, flag names without --"}
	}
	name := k.Value
	f, ok := a.flags[name]
	if !ok {
		return &Error{File: src.Name, Line: k.Line, Msg: a.unknownMsg(name)}
	}
	if prev, dup := seen[name]; dup {
		return &Error{File: src.Name, Line: k.Line, Setting: name, Msg: fmt.Sprintf("set twice (first at line %d)", prev)}
	}
	seen[name] = k.Line
	if !src.Trusted && a.deny[name] {
		user := a.opts.UserFile
		if user == "" {
			user = "<user config dir>/datahygiene/config.yaml"
		}
		return &Error{File: src.Name, Line: k.Line, Msg: fmt.Sprintf(
			"scan setting %q may not be set in %s: a file in the scanned tree must not redirect output, reveal values or read files outside the tree; set it on the command line or in %s",
			name, src.Name, user)}
	}
	vals, isList, err := values(v)
	if err != nil {
		err.File, err.Setting = src.Name, name
		return err
	}
	sv, listFlag := f.Value.(pflag.SliceValue)
	if isList && !listFlag {
		return &Error{File: src.Name, Line: v.Line, Setting: name, Msg: "takes one value, not a list"}
	}
	if a.cmdline[name] {
		return nil // the command line wins; the file's value is not even parsed
	}
	if err := set(f, sv, listFlag, vals); err != nil {
		return &Error{File: src.Name, Line: v.Line, Setting: name, Msg: invalidMsg(vals, err), Err: err}
	}
	a.origin[name] = fmt.Sprintf("%s:%d", src.Name, k.Line)
	a.untrust[name] = !src.Trusted
	return nil
}

// values reads a setting's value: one scalar, or a list of scalars.
func values(v *yaml.Node) (vals []string, isList bool, err *Error) {
	switch {
	case yamlfile.IsNull(v):
		return nil, false, &Error{Line: v.Line, Msg: "missing value (write [] for an empty list, \"\" for an empty string)"}
	case v.Kind == yaml.ScalarNode:
		return []string{v.Value}, false, nil
	case v.Kind == yaml.SequenceNode:
		vals = make([]string, 0, len(v.Content))
		for _, it := range v.Content {
			it = yamlfile.Deref(it)
			if it.Kind != yaml.ScalarNode || yamlfile.IsNull(it) {
				return nil, true, &Error{Line: it.Line, Msg: "list items must be plain values"}
			}
			vals = append(vals, it.Value)
		}
		return vals, true, nil
	default:
		return nil, false, &Error{Line: v.Line, Msg: "want a value or a list of values, not a mapping"}
	}
}

// set gives a flag its new value. A list flag's value is replaced whole, so
// that a later source overrides an earlier one instead of appending to it;
// a single value for a list flag is a one-element list.
func set(f *pflag.Flag, sv pflag.SliceValue, listFlag bool, vals []string) error {
	if listFlag {
		return sv.Replace(vals)
	}
	return f.Value.Set(vals[0])
}

func invalidMsg(vals []string, err error) string {
	v := ""
	if len(vals) == 1 {
		v = " " + yamlfile.Quote(vals[0])
	}
	return fmt.Sprintf("invalid value%s: %s", v, tidyErr(err))
}

// tidyErr keeps the reason of a parse error, without strconv's echo of
// the input (the message already quotes it, cut to length).
var strconvRE = regexp.MustCompile(`^strconv\.\w+: parsing ".*": `)

func tidyErr(err error) string {
	return strconvRE.ReplaceAllString(err.Error(), "")
}

func (a *applier) unknownMsg(name string) string {
	msg := "unknown scan setting " + yamlfile.Quote(name)
	names := make([]string, 0, len(a.flags))
	for n := range a.flags {
		names = append(names, n)
	}
	sort.Strings(names)
	s := a.shortMap[name]
	if s == "" && a.cmdOnly[name] {
		return fmt.Sprintf("scan setting %q can only be given on the command line", name)
	}
	if s == "" {
		s = suggest(name, names)
	}
	if s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg + " (see datahygiene scan --help)"
}

// environ applies DATAHYGIENE_<FLAG> variables. Unknown DATAHYGIENE_*
// variables are ignored: they may be meant for another version or another
// part of the tool. An empty value counts as unset, as with NO_COLOR.
func (a *applier) environ(env []string) error {
	byVar := map[string]string{}
	for name := range a.flags {
		byVar[EnvName(name)] = name
	}
	last := map[string]string{} // later entries win, as exec.Cmd dedups them
	var order []string
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, EnvPrefix) {
			continue
		}
		if _, known := byVar[k]; !known {
			continue
		}
		if _, dup := last[k]; !dup {
			order = append(order, k)
		}
		last[k] = v
	}
	sort.Strings(order)
	for _, k := range order {
		v, name := last[k], byVar[k]
		if v == "" || a.cmdline[name] {
			continue
		}
		f := a.flags[name]
		sv, listFlag := f.Value.(pflag.SliceValue)
		vals := []string{v}
		if err := set(f, sv, listFlag, vals); err != nil {
			return &Error{File: "env " + k, Setting: name, Msg: invalidMsg(vals, err), Err: err}
		}
		a.origin[name] = "env " + k
		a.untrust[name] = false
	}
	return nil
}

func (a *applier) effective() *Effective {
	names := make([]string, 0, len(a.flags))
	for n := range a.flags {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := a.flags[n]
		s := Setting{Name: n, Type: f.Value.Type(), Value: f.Value.String(), Default: f.DefValue, Origin: a.origin[n], Untrusted: a.untrust[n]}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			s.List = sv.GetSlice()
			if s.List == nil {
				s.List = []string{}
			}
		}
		if s.Origin == "" {
			s.Origin = OriginDefault
		}
		a.eff.Settings = append(a.eff.Settings, s)
	}
	return a.eff
}

// MaxFileSize bounds a config file. Real ones are a few hundred bytes; the
// bound keeps a hostile or mistaken file (a log renamed, a device) from
// being read whole.
const MaxFileSize = 1 << 20

// parseYAML returns the document's top node, or nil for an empty document.
func parseYAML(src Source) (n *yaml.Node, err error) {
	if len(src.Data) > MaxFileSize {
		return nil, &Error{File: src.Name, Line: 1, Msg: fmt.Sprintf("larger than %d bytes; not a config file", MaxFileSize)}
	}
	top, err := yamlfile.Top(src.Data)
	if err != nil {
		return nil, yamlError(src, err)
	}
	return top, nil
}

// yamlError turns a yaml.v3 syntax error into an *Error with a line. The
// few yaml.v3 errors without a position (bad encoding, say) are put on the
// line where decoding must have stopped, found by scanning for the problem
// ourselves, or on line 1.
func yamlError(src Source, err error) error {
	line, msg := yamlfile.SyntaxError(err)
	if line == 0 {
		line = badLine(src.Data)
	}
	return &Error{File: src.Name, Line: line, Msg: msg}
}

// badLine is the line of the first byte yaml.v3 refuses without saying
// where: invalid UTF-8 or a control character. 1 if there is none.
func badLine(data []byte) int {
	line := 1
	for i := 0; i < len(data); {
		r, size := decodeRune(data[i:])
		if r < 0 || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return line
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return 1
}

// decodeRune is utf8.DecodeRune with -1 for an invalid byte.
func decodeRune(b []byte) (rune, int) {
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size <= 1 {
		return -1, 1
	}
	return r, size
}
