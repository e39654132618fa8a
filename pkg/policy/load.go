package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
	"github.com/datahygiene/datahygiene/pkg/pathmatch"
	"github.com/datahygiene/datahygiene/rules"
)

// MaxFileSize bounds a policy source. Real ones are a few kilobytes; the
// bound keeps a mistaken --policy (a log, a device) from being read whole.
const MaxFileSize = 1 << 20

// Source is one YAML document that may hold a policy: section.
type Source struct {
	Name string
	Data []byte
	// Standalone marks a --policy FILE: it must hold a policy: section
	// and nothing else, since nothing else in it would be read.
	Standalone bool
}

// Options are what Load checks a policy against.
type Options struct {
	// Known lists the detector ids the policy may name: every loaded
	// rule, disabled ones included.
	Known []string
	// LookupUser resolves an owner name to its uid, once per name. nil,
	// or a name it does not know, leaves the entry matching by name only
	// (with a warning).
	LookupUser func(name string) (uid int, ok bool)
}

// BuiltinName is how messages and `policy show` name the built-in policy.
const BuiltinName = "builtin:" + rules.PolicyFile

// BuiltinSource returns the embedded rules/policy.yaml.
func BuiltinSource() Source {
	b, err := fs.ReadFile(rules.FS, rules.PolicyFile)
	if err != nil {
		panic("policy: built-in policy missing from the binary: " + err.Error())
	}
	return Source{Name: BuiltinName, Data: b}
}

var builtin = sync.OnceValues(func() (*Policy, error) {
	p := &Policy{
		Risk: map[finding.IssueKind]Setting[int]{},
		Retention: Retention{
			Classes:   map[finding.Category]Setting[Period]{},
			Detectors: map[string]Setting[Period]{},
		},
		Severity: Severities{
			Classes:   map[finding.Category]Setting[finding.Severity]{},
			Detectors: map[string]Setting[finding.Severity]{},
		},
	}
	if err := (&loader{p: p, src: BuiltinSource()}).load(); err != nil {
		return nil, err
	}
	if missing := p.unset(); missing != "" {
		return nil, fmt.Errorf("%s: %s not set", BuiltinName, missing)
	}
	return p, nil
})

// Builtin returns the built-in policy. It panics if the embedded file does
// not load, which the package's tests rule out.
func Builtin() *Policy {
	p, err := builtin()
	if err != nil {
		panic("policy: built-in policy: " + err.Error())
	}
	return p
}

// Load merges the sources, in order, over the built-in policy. The first
// problem stops it with an *Error naming the source and line.
func Load(opts Options, srcs ...Source) (*Policy, error) {
	p := Builtin().clone()
	for _, src := range srcs {
		l := &loader{p: p, src: src, opts: opts, known: map[string]bool{}}
		for _, id := range opts.Known {
			l.known[id] = true
		}
		if err := l.load(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// clone copies the maps and slices Load changes in place.
func (p *Policy) clone() *Policy {
	c := *p
	c.Retention.Classes = maps.Clone(p.Retention.Classes)
	c.Retention.Detectors = maps.Clone(p.Retention.Detectors)
	c.Severity.Classes = maps.Clone(p.Severity.Classes)
	c.Severity.Detectors = maps.Clone(p.Severity.Detectors)
	c.Risk = maps.Clone(p.Risk)
	c.Exceptions = slices.Clone(p.Exceptions)
	c.Sources = slices.Clone(p.Sources)
	c.Warnings = slices.Clone(p.Warnings)
	return &c
}

// unset names the first setting without a value ("" if none), so that a
// built-in policy missing a key fails its tests rather than judging with
// zero values.
func (p *Policy) unset() string {
	for _, s := range []struct{ name, origin string }{
		{"retention.clock", p.Retention.Clock.Origin},
		{"retention.default", p.Retention.Default.Origin},
		{"unprotected.mode_bits", p.Unprotected.ModeBits.Origin},
		{"unprotected.acl_readers", p.Unprotected.ACLReaders.Origin},
		{"unprotected.owners.deny", p.Unprotected.DenyOwners.Origin},
		{"unprotected.owners.allow", p.Unprotected.AllowOwners.Origin},
		{"unprotected.world_writable_dir", p.Unprotected.WorldWritableDir.Origin},
		{"unprotected.locations", p.Unprotected.Locations.Origin},
		{"prohibited.classes", p.Prohibited.Classes.Origin},
		{"prohibited.detectors", p.Prohibited.Detectors.Origin},
		{"prohibited.severity", p.Prohibited.Severity.Origin},
	} {
		if s.origin == "" {
			return s.name
		}
	}
	for _, k := range weighted {
		if p.Risk[k].Origin == "" {
			return "risk." + string(k)
		}
	}
	return ""
}

// weighted are the issue kinds with a risk weight.
var weighted = []finding.IssueKind{finding.Unprotected, finding.Stale, finding.Prohibited}

// maxNodes bounds the map entries and list items one source may hold,
// counted as read: YAML aliases let a small file repeat a big list many
// times over, and a config file in the scanned tree is anyone's to write.
const maxNodes = 100_000

// loader reads one source into p.
type loader struct {
	p     *Policy
	src   Source
	opts  Options
	known map[string]bool
	nodes int // entries and items read, aliases expanded
}

// count charges n entries to the source's budget.
func (l *loader) count(at *yaml.Node, n int) error {
	l.nodes += n
	if l.nodes > maxNodes {
		return l.fail(at, "", "more than %d entries and list items (aliases expanded); not a policy", maxNodes)
	}
	return nil
}

func (l *loader) fail(n *yaml.Node, key, format string, args ...any) error {
	line := 1
	if n != nil && n.Line > 0 {
		line = n.Line
	}
	return &Error{File: l.src.Name, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

func (l *loader) origin(k *yaml.Node) string { return fmt.Sprintf("%s:%d", l.src.Name, k.Line) }

func (l *loader) load() error {
	if len(l.src.Data) > MaxFileSize {
		return l.fail(nil, "", "larger than %d bytes; not a policy file", MaxFileSize)
	}
	top, err := l.parse()
	if err != nil {
		return err
	}
	if top == nil {
		if l.src.Standalone {
			return l.fail(nil, "", "no policy: section (a policy file holds `policy:` at the top level; see docs/policy.md)")
		}
		return nil
	}
	if top.Kind != yaml.MappingNode {
		return l.fail(top, "", "want a mapping with policy: at the top level")
	}
	var pol, polKey *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k := top.Content[i]
		if k.Kind != yaml.ScalarNode {
			return l.fail(k, "", "top-level keys must be plain words")
		}
		switch {
		case k.Value == "policy" && polKey != nil:
			return l.fail(k, "", "policy: set twice (first at line %d)", polKey.Line)
		case k.Value == "policy":
			polKey, pol = k, yamlfile.Deref(top.Content[i+1])
		case l.src.Standalone:
			return l.fail(k, "", "unknown top-level key %s: only policy: is read from a policy file (give rules and allow: entries with --rules)", yamlfile.Quote(k.Value))
		}
	}
	if polKey == nil {
		if l.src.Standalone {
			return l.fail(top, "", "no policy: section (a policy file holds `policy:` at the top level; see docs/policy.md)")
		}
		return nil
	}
	l.p.Sources = append(l.p.Sources, l.src.Name)
	if yamlfile.IsNull(pol) {
		return nil
	}
	return l.policy(pol)
}

// parse returns the document's top node, or nil for an empty document.
func (l *loader) parse() (*yaml.Node, error) {
	top, err := yamlfile.Top(l.src.Data)
	if err != nil {
		return nil, l.yamlError(err)
	}
	return top, nil
}

// yamlError turns a yaml.v3 syntax error into an *Error with its line, or
// line 1 for the few errors that carry none. Control characters, which
// yaml.v3 may quote from the input, are masked.
func (l *loader) yamlError(err error) error {
	line, msg := yamlfile.SyntaxError(err)
	return &Error{File: l.src.Name, Line: max(line, 1), Msg: yamlfile.MaskControls(msg)}
}

func (l *loader) policy(n *yaml.Node) error {
	ps, err := l.pairs(n, "policy", "retention", "unprotected", "prohibited", "severity", "risk", "exceptions")
	if err != nil {
		return err
	}
	for _, kv := range ps {
		key := "policy." + kv.k.Value
		switch kv.k.Value {
		case "retention":
			err = l.retention(kv.v, key)
		case "unprotected":
			err = l.unprotected(kv.v, key)
		case "prohibited":
			err = l.prohibited(kv.v, key)
		case "severity":
			err = l.severity(kv.v, key)
		case "risk":
			err = l.risk(kv.v, key)
		case "exceptions":
			err = l.exceptions(kv.v, key)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) retention(n *yaml.Node, key string) error {
	ps, err := l.pairs(n, key, "clock", "default", "classes", "detectors")
	if err != nil {
		return err
	}
	r := &l.p.Retention
	for _, kv := range ps {
		k, v, key := kv.k, kv.v, key+"."+kv.k.Value
		switch k.Value {
		case "clock":
			s, err := l.scalar(v, key)
			if err != nil {
				return err
			}
			if c := Clock(s); c != MTime && c != ATime {
				return l.fail(v, key, "unknown clock %s (want mtime or atime)", yamlfile.Quote(s))
			}
			r.Clock = Setting[Clock]{Value: Clock(s), Origin: l.origin(k)}
		case "default":
			p, err := l.period(v, key)
			if err != nil {
				return err
			}
			r.Default = Setting[Period]{Value: p, Origin: l.origin(k)}
		case "classes":
			err = l.classMap(v, key, func(c finding.Category, v *yaml.Node, origin string) error {
				if v == nil {
					delete(r.Classes, c)
					return nil
				}
				p, err := l.period(v, key+"."+string(c))
				r.Classes[c] = Setting[Period]{Value: p, Origin: origin}
				return err
			})
		case "detectors":
			err = l.detectorMap(v, key, func(id string, v *yaml.Node, origin string) error {
				if v == nil {
					delete(r.Detectors, id)
					return nil
				}
				p, err := l.period(v, key+"."+id)
				r.Detectors[id] = Setting[Period]{Value: p, Origin: origin}
				return err
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) unprotected(n *yaml.Node, key string) error {
	ps, err := l.pairs(n, key, "mode_bits", "acl_readers", "owners", "world_writable_dir", "locations")
	if err != nil {
		return err
	}
	u := &l.p.Unprotected
	for _, kv := range ps {
		k, v, key := kv.k, kv.v, key+"."+kv.k.Value
		switch k.Value {
		case "mode_bits":
			items, err := l.list(v, key)
			if err != nil {
				return err
			}
			bits := []ModeBit{}
			for _, it := range items {
				b := ModeBit(it.Value)
				if !slices.Contains(ModeBits, b) {
					return l.fail(it, key, "unknown mode bit %s (want other-read, other-write, group-read or group-write)", yamlfile.Quote(it.Value))
				}
				if slices.Contains(bits, b) {
					return l.fail(it, key, "%s listed twice", b)
				}
				bits = append(bits, b)
			}
			u.ModeBits = Setting[[]ModeBit]{Value: bits, Origin: l.origin(k)}
		case "acl_readers", "world_writable_dir":
			b, err := l.boolean(v, key)
			if err != nil {
				return err
			}
			s := Setting[bool]{Value: b, Origin: l.origin(k)}
			if k.Value == "acl_readers" {
				u.ACLReaders = s
			} else {
				u.WorldWritableDir = s
			}
		case "owners":
			if err := l.owners(v, key); err != nil {
				return err
			}
		case "locations":
			g, err := l.globs(v, key)
			if err != nil {
				return err
			}
			u.Locations = Setting[Globs]{Value: g, Origin: l.origin(k)}
		}
	}
	return nil
}

func (l *loader) owners(n *yaml.Node, key string) error {
	ps, err := l.pairs(n, key, "deny", "allow")
	if err != nil {
		return err
	}
	for _, kv := range ps {
		key := key + "." + kv.k.Value
		items, err := l.list(kv.v, key)
		if err != nil {
			return err
		}
		owners := []Owner{}
		for _, it := range items {
			o, err := l.owner(it, key)
			if err != nil {
				return err
			}
			owners = append(owners, o)
		}
		s := Setting[[]Owner]{Value: owners, Origin: l.origin(kv.k)}
		if kv.k.Value == "deny" {
			l.p.Unprotected.DenyOwners = s
		} else {
			l.p.Unprotected.AllowOwners = s
		}
	}
	return nil
}

// owner reads a user name or a numeric uid, resolving names once here so
// that judging a file compares numbers.
func (l *loader) owner(it *yaml.Node, key string) (Owner, error) {
	v := it.Value
	if uid, err := strconv.ParseUint(v, 10, 31); err == nil {
		return Owner{UID: int(uid)}, nil
	}
	if v == "" || strings.ContainsFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == ':' || r == '/' }) {
		return Owner{}, l.fail(it, key, "%s is not a user name or uid", yamlfile.Quote(v))
	}
	o := Owner{Name: v, UID: -1}
	if l.opts.LookupUser != nil {
		if uid, ok := l.opts.LookupUser(v); ok {
			o.UID = uid
		}
	}
	if o.UID < 0 {
		l.p.Warnings = append(l.p.Warnings, fmt.Sprintf("%s:%d: %s: no user %s on this machine; files owned by it are recognised only where the owner's name is known",
			l.src.Name, it.Line, key, yamlfile.Quote(v)))
	}
	return o, nil
}

func (l *loader) prohibited(n *yaml.Node, key string) error {
	ps, err := l.pairs(n, key, "classes", "detectors", "severity")
	if err != nil {
		return err
	}
	pr := &l.p.Prohibited
	for _, kv := range ps {
		k, v, key := kv.k, kv.v, key+"."+kv.k.Value
		switch k.Value {
		case "classes":
			items, err := l.list(v, key)
			if err != nil {
				return err
			}
			cs := []finding.Category{}
			for _, it := range items {
				c, err := l.class(it, key)
				if err != nil {
					return err
				}
				if !slices.Contains(cs, c) {
					cs = append(cs, c)
				}
			}
			pr.Classes = Setting[[]finding.Category]{Value: cs, Origin: l.origin(k)}
		case "detectors":
			ids, err := l.detectors(v, key)
			if err != nil {
				return err
			}
			pr.Detectors = Setting[[]string]{Value: ids, Origin: l.origin(k)}
		case "severity":
			s, err := l.severityValue(v, key)
			if err != nil {
				return err
			}
			pr.Severity = Setting[finding.Severity]{Value: s, Origin: l.origin(k)}
		}
	}
	return nil
}

func (l *loader) severity(n *yaml.Node, key string) error {
	ps, err := l.pairs(n, key, "classes", "detectors")
	if err != nil {
		return err
	}
	sv := &l.p.Severity
	for _, kv := range ps {
		k, v, key := kv.k, kv.v, key+"."+kv.k.Value
		if k.Value == "classes" {
			err = l.classMap(v, key, func(c finding.Category, v *yaml.Node, origin string) error {
				if v == nil {
					delete(sv.Classes, c)
					return nil
				}
				s, err := l.severityValue(v, key+"."+string(c))
				sv.Classes[c] = Setting[finding.Severity]{Value: s, Origin: origin}
				return err
			})
		} else {
			err = l.detectorMap(v, key, func(id string, v *yaml.Node, origin string) error {
				if v == nil {
					delete(sv.Detectors, id)
					return nil
				}
				s, err := l.severityValue(v, key+"."+id)
				sv.Detectors[id] = Setting[finding.Severity]{Value: s, Origin: origin}
				return err
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// maxWeight bounds a risk weight: four levels take any file from low to
// critical.
const maxWeight = 4

func (l *loader) risk(n *yaml.Node, key string) error {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Value == string(finding.Unencrypted) {
				return l.fail(k, key, "unencrypted takes no weight: it is the base of the risk (the worst finding's severity)")
			}
		}
	}
	ps, err := l.pairs(n, key, "unprotected", "stale", "prohibited")
	if err != nil {
		return err
	}
	for _, kv := range ps {
		key := key + "." + kv.k.Value
		s, err := l.scalar(kv.v, key)
		if err != nil {
			return err
		}
		w, err := strconv.Atoi(s)
		if err != nil || kv.v.ShortTag() != "!!int" || w < 0 || w > maxWeight {
			return l.fail(kv.v, key, "want a whole number of severity levels from 0 to %d, not %s", maxWeight, yamlfile.Quote(s))
		}
		l.p.Risk[finding.IssueKind(kv.k.Value)] = Setting[int]{Value: w, Origin: l.origin(kv.k)}
	}
	return nil
}

// maxReason bounds an exception's reason, which every report repeats.
const maxReason = 500

func (l *loader) exceptions(n *yaml.Node, key string) error {
	if n.Kind != yaml.SequenceNode {
		return l.fail(n, key, "want a list of exceptions, each with paths, detectors, classes or issues, and a reason")
	}
	if err := l.count(n, len(n.Content)); err != nil {
		return err
	}
	for _, it := range n.Content {
		it = yamlfile.Deref(it)
		e, err := l.exception(it, key)
		if err != nil {
			return err
		}
		l.p.Exceptions = append(l.p.Exceptions, e)
	}
	return nil
}

func (l *loader) exception(n *yaml.Node, key string) (Exception, error) {
	key += "[]"
	ps, err := l.pairs(n, key, "paths", "detectors", "classes", "issues", "reason")
	if err != nil {
		return Exception{}, err
	}
	e := Exception{Origin: l.origin(n)}
	for _, kv := range ps {
		k, v, key := kv.k, kv.v, key+"."+kv.k.Value
		switch k.Value {
		case "paths":
			if e.Paths, err = l.globs(v, key); err != nil {
				return e, err
			}
		case "detectors":
			if e.Detectors, err = l.detectors(v, key); err != nil {
				return e, err
			}
		case "classes":
			items, err := l.list(v, key)
			if err != nil {
				return e, err
			}
			for _, it := range items {
				c, err := l.class(it, key)
				if err != nil {
					return e, err
				}
				e.Classes = append(e.Classes, c)
			}
		case "issues":
			items, err := l.list(v, key)
			if err != nil {
				return e, err
			}
			for _, it := range items {
				kind := finding.IssueKind(it.Value)
				if !slices.Contains(finding.IssueKinds, kind) {
					return e, l.fail(it, key, "unknown issue kind %s (want unencrypted, unprotected, stale or prohibited)", yamlfile.Quote(it.Value))
				}
				e.Issues = append(e.Issues, kind)
			}
		case "reason":
			s, err := l.scalar(v, key)
			if err != nil {
				return e, err
			}
			if len(s) > maxReason {
				return e, l.fail(v, key, "longer than %d bytes; link to a ticket instead", maxReason)
			}
			if strings.ContainsFunc(s, unicode.IsControl) {
				return e, l.fail(v, key, "control characters (tabs, line breaks) are not allowed: the reason is printed in reports")
			}
			e.Reason = strings.TrimSpace(s)
		}
	}
	if e.Reason == "" {
		return e, l.fail(n, key, "a reason is required: the report shows it next to each issue the exception accepts")
	}
	if len(e.Paths.pats)+len(e.Detectors)+len(e.Classes)+len(e.Issues) == 0 {
		return e, l.fail(n, key, "set paths, detectors, classes or issues (an exception without any would accept every issue)")
	}
	return e, nil
}

// Helpers for nodes.

type pair struct{ k, v *yaml.Node }

// pairs returns a mapping's entries, checking that keys are plain words,
// known (when known is not empty) and set once.
func (l *loader) pairs(n *yaml.Node, key string, known ...string) ([]pair, error) {
	if n.Kind != yaml.MappingNode {
		if len(known) > 0 {
			return nil, l.fail(n, key, "want a mapping with %s", strings.Join(known, ", "))
		}
		return nil, l.fail(n, key, "want a mapping")
	}
	if err := l.count(n, len(n.Content)/2); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	ps := make([]pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, l.fail(k, key, "keys must be plain words")
		}
		if len(known) > 0 && !slices.Contains(known, k.Value) {
			msg := "unknown key " + yamlfile.Quote(k.Value)
			if s := yamlfile.Suggest(k.Value, known, yamlfile.SuggestOptions{}); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			return nil, l.fail(k, key, "%s (want %s)", msg, strings.Join(known, ", "))
		}
		if prev, dup := seen[k.Value]; dup {
			return nil, l.fail(k, key, "%s set twice (first at line %d)", yamlfile.Quote(k.Value), prev)
		}
		seen[k.Value] = k.Line
		ps = append(ps, pair{k, yamlfile.Deref(n.Content[i+1])})
	}
	return ps, nil
}

// classMap calls set for each class: value entry; v is nil for a null
// value, which removes an entry set by an earlier source.
func (l *loader) classMap(n *yaml.Node, key string, set func(finding.Category, *yaml.Node, string) error) error {
	ps, err := l.pairs(n, key)
	if err != nil {
		return err
	}
	for _, kv := range ps {
		c, err := l.class(kv.k, key)
		if err != nil {
			return err
		}
		v := kv.v
		if yamlfile.IsNull(v) {
			v = nil
		}
		if err := set(c, v, l.origin(kv.k)); err != nil {
			return err
		}
	}
	return nil
}

// detectorMap is classMap for detector ids.
func (l *loader) detectorMap(n *yaml.Node, key string, set func(string, *yaml.Node, string) error) error {
	ps, err := l.pairs(n, key)
	if err != nil {
		return err
	}
	for _, kv := range ps {
		if err := l.detector(kv.k, key); err != nil {
			return err
		}
		v := kv.v
		if yamlfile.IsNull(v) {
			v = nil
		}
		if err := set(kv.k.Value, v, l.origin(kv.k)); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) class(n *yaml.Node, key string) (finding.Category, error) {
	c := finding.Category(n.Value)
	if n.Kind != yaml.ScalarNode || !slices.Contains(finding.Categories, c) {
		return "", l.fail(n, key, "unknown data class %s (want contact, financial, government_id, credential or network)", yamlfile.Quote(n.Value))
	}
	return c, nil
}

func (l *loader) detector(n *yaml.Node, key string) error {
	if n.Kind != yaml.ScalarNode || !l.known[n.Value] {
		msg := "unknown detector " + yamlfile.Quote(n.Value)
		if s := yamlfile.Suggest(n.Value, slices.Sorted(maps.Keys(l.known)), yamlfile.SuggestOptions{}); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return l.fail(n, key, "%s (see datahygiene rules list)", msg)
	}
	return nil
}

func (l *loader) detectors(n *yaml.Node, key string) ([]string, error) {
	items, err := l.list(n, key)
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, it := range items {
		if err := l.detector(it, key); err != nil {
			return nil, err
		}
		if !slices.Contains(ids, it.Value) {
			ids = append(ids, it.Value)
		}
	}
	return ids, nil
}

func (l *loader) scalar(n *yaml.Node, key string) (string, error) {
	switch {
	case yamlfile.IsNull(n):
		return "", l.fail(n, key, "missing value")
	case n.Kind != yaml.ScalarNode:
		return "", l.fail(n, key, "want a single value")
	}
	return n.Value, nil
}

// list returns a sequence's items, each a plain value. An empty list is
// written [].
func (l *loader) list(n *yaml.Node, key string) ([]*yaml.Node, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, l.fail(n, key, "want a list, e.g. [a, b] (or [] for none)")
	}
	if err := l.count(n, len(n.Content)); err != nil {
		return nil, err
	}
	items := make([]*yaml.Node, 0, len(n.Content))
	for _, it := range n.Content {
		it = yamlfile.Deref(it)
		if it.Kind != yaml.ScalarNode || yamlfile.IsNull(it) {
			return nil, l.fail(it, key, "list items must be plain values")
		}
		items = append(items, it)
	}
	return items, nil
}

func (l *loader) boolean(n *yaml.Node, key string) (bool, error) {
	s, err := l.scalar(n, key)
	if err != nil {
		return false, err
	}
	if n.ShortTag() != "!!bool" {
		return false, l.fail(n, key, "want true or false, not %s", yamlfile.Quote(s))
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		return false, l.fail(n, key, "want true or false, not %s", yamlfile.Quote(s))
	}
	return b, nil
}

func (l *loader) period(n *yaml.Node, key string) (Period, error) {
	s, err := l.scalar(n, key)
	if err != nil {
		return Period{}, err
	}
	p, err := ParsePeriod(s)
	if err != nil {
		return Period{}, l.fail(n, key, "%v", err)
	}
	return p, nil
}

func (l *loader) severityValue(n *yaml.Node, key string) (finding.Severity, error) {
	s, err := l.scalar(n, key)
	if err != nil {
		return 0, err
	}
	sev, err := finding.ParseSeverity(s)
	if err != nil {
		return 0, l.fail(n, key, "unknown severity %s (want critical, high, medium or low)", yamlfile.Quote(s))
	}
	return sev, nil
}

func (l *loader) globs(n *yaml.Node, key string) (Globs, error) {
	items, err := l.list(n, key)
	if err != nil {
		return Globs{}, err
	}
	pats := make([]string, 0, len(items))
	for _, it := range items {
		if strings.ContainsFunc(it.Value, unicode.IsControl) {
			return Globs{}, l.fail(it, key, "control characters are not allowed in path patterns")
		}
		pats = append(pats, it.Value)
	}
	g, err := compileGlobs(pats)
	var pe *pathmatch.PatternError
	if errors.As(err, &pe) {
		return Globs{}, l.fail(items[pe.Index], key, "%s: %s", yamlfile.Quote(pe.Pattern), pe.Reason)
	}
	return g, err
}
