package ruleset

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/mask"
	"github.com/datahygiene/datahygiene/pkg/validate"
	"github.com/datahygiene/datahygiene/rules"
)

// MatchTimeout bounds one regexp2 match call, so that a user's pathological
// pattern (catastrophic backtracking) cannot hang a scan. Go's regexp runs in
// linear time and needs no timeout. The clock is the wall clock, so the
// bound is generous: at 100 ms, built-in patterns on 20-byte windows timed
// out on a machine with a load average of 13.
const MatchTimeout = time.Second

// Source is one rule file's content and the name used in messages.
type Source struct {
	Name string
	Data []byte
}

// Builtin returns the embedded detector files in a fixed order.
func Builtin() ([]Source, error) {
	return readFS(rules.FS, rules.DetectorDir, "builtin:")
}

func readFS(fsys fs.FS, dir, prefix string) ([]Source, error) {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("reading built-in rules: %w", err)
	}
	var srcs []Source
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		p := path.Join(dir, e.Name())
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("reading built-in rules: %w", err)
		}
		srcs = append(srcs, Source{Name: prefix + p, Data: b})
	}
	return srcs, nil
}

// ReadFile reads a user rule file into a Source.
func ReadFile(name string) (Source, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return Source{}, &Error{File: name, Msg: strings.TrimPrefix(err.Error(), "open "+name+": ")}
	}
	return Source{Name: name, Data: b}, nil
}

// Load compiles the built-in rules followed by the given user files, in
// order: a later file overrides an earlier one rule by rule.
func Load(userFiles ...string) (*Ruleset, error) {
	srcs, err := Builtin()
	if err != nil {
		return nil, err
	}
	for _, f := range userFiles {
		s, err := ReadFile(f)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, s)
	}
	return Compile(srcs...)
}

// Ruleset is the compiled, immutable set of detectors. It is safe for
// concurrent use.
type Ruleset struct {
	all     []*Rule
	enabled []*Rule
	byID    map[string]*Rule
}

// Rules returns the enabled rules in definition order.
func (rs *Ruleset) Rules() []*Rule { return rs.enabled }

// All returns every rule, disabled ones included.
func (rs *Ruleset) All() []*Rule { return rs.all }

// Rule returns the rule with the given id, or nil.
func (rs *Ruleset) Rule(id string) *Rule { return rs.byID[id] }

// Rule is one compiled detector.
type Rule struct {
	ID              string
	Name            string
	Description     string
	Severity        finding.Severity
	Category        finding.Category
	Enabled         bool
	Mask            string
	Patterns        []*Pattern
	Keywords        []string // lower case; a line must hold one
	ValidatorName   string
	Validator       validate.Func // nil: no validation
	ColumnValue     bool          // a matching column header makes the whole cell the value
	ContextWords    []string      // lower case
	Headers         []string      // normalised (see NormalizeHeader)
	ContextRequired bool          // every pattern needs context
	ExcludeValues   map[string]struct{}
	ExcludePatterns []*Pattern
	ExcludeWords    []string // lower case; on the same line they veto a match
	Examples        []Example
	Origin          string // file:line that last defined the rule
}

// Example is a line of text (optionally in a column) that a rule must or
// must not match; tests and `datahygiene rules test` run them.
type Example struct {
	Text   string
	Header string
	Match  bool
	File   string
	Line   int
}

// Compile parses the sources in order and compiles the merged result.
func Compile(srcs ...Source) (*Ruleset, error) {
	var specs []*ruleSpec
	index := map[string]int{}
	origins := map[string]string{}
	for _, src := range srcs {
		fileRules, err := parse(src)
		if err != nil {
			return nil, err
		}
		seen := map[string]int{}
		for i := range fileRules {
			r := &fileRules[i]
			if r.ID == "" {
				return nil, &Error{File: src.Name, Line: r.line, Msg: "missing id"}
			}
			if !validID(r.ID) {
				return nil, &Error{File: src.Name, Line: r.line, Rule: r.ID, Msg: "id must be lower-case letters, digits and underscores"}
			}
			if prev, dup := seen[r.ID]; dup {
				return nil, &Error{File: src.Name, Line: r.line, Rule: r.ID, Msg: fmt.Sprintf("defined twice in this file (first at line %d)", prev)}
			}
			seen[r.ID] = r.line
			if i, ok := index[r.ID]; ok {
				merge(specs[i], r)
			} else {
				index[r.ID] = len(specs)
				specs = append(specs, r)
			}
			origins[r.ID] = fmt.Sprintf("%s:%d", src.Name, r.line)
		}
	}
	rs := &Ruleset{byID: map[string]*Rule{}}
	for _, s := range specs {
		r, err := compileRule(s, origins[s.ID])
		if err != nil {
			return nil, err
		}
		rs.all = append(rs.all, r)
		rs.byID[r.ID] = r
		if r.Enabled {
			rs.enabled = append(rs.enabled, r)
		}
	}
	return rs, nil
}

func parse(src Source) ([]ruleSpec, error) {
	if len(bytes.TrimSpace(src.Data)) == 0 {
		return nil, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(src.Data))
	dec.KnownFields(true)
	var f fileSpec
	if err := dec.Decode(&f); err != nil {
		return nil, yamlError(src.Name, err)
	}
	for i := range f.Rules {
		f.Rules[i].file = src.Name
		for j := range f.Rules[i].Patterns {
			f.Rules[i].Patterns[j].file = src.Name
		}
		if f.Rules[i].Examples != nil {
			for _, list := range [][]exampleSpec{f.Rules[i].Examples.Match, f.Rules[i].Examples.NoMatch} {
				for j := range list {
					list[j].file = src.Name
				}
			}
		}
	}
	return f.Rules, nil
}

func validID(id string) bool {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return id[0] >= 'a' && id[0] <= 'z'
}

// merge applies the fields an override sets onto the base rule.
func merge(base, o *ruleSpec) {
	base.file, base.line = o.file, o.line
	set := func(dst **string, src *string) {
		if src != nil {
			*dst = src
		}
	}
	set(&base.Name, o.Name)
	set(&base.Description, o.Description)
	set(&base.Severity, o.Severity)
	set(&base.Category, o.Category)
	set(&base.Mask, o.Mask)
	set(&base.Validator, o.Validator)
	if o.Enabled != nil {
		base.Enabled = o.Enabled
	}
	if o.ColumnValue != nil {
		base.ColumnValue = o.ColumnValue
	}
	if o.Patterns != nil {
		base.Patterns = o.Patterns
	}
	if o.Keywords != nil {
		base.Keywords = o.Keywords
	}
	if o.Context != nil {
		if base.Context == nil {
			base.Context = &contextSpec{}
		}
		if o.Context.Words != nil {
			base.Context.Words = o.Context.Words
		}
		if o.Context.Headers != nil {
			base.Context.Headers = o.Context.Headers
		}
		if o.Context.Required != nil {
			base.Context.Required = o.Context.Required
		}
	}
	if o.Exclude != nil {
		if base.Exclude == nil {
			base.Exclude = &excludeSpec{}
		}
		// Exclusions add up: a user adds their own test values to ours.
		base.Exclude.Values = append(base.Exclude.Values, o.Exclude.Values...)
		base.Exclude.Patterns = append(base.Exclude.Patterns, o.Exclude.Patterns...)
		base.Exclude.Words = append(base.Exclude.Words, o.Exclude.Words...)
	}
	if o.Examples != nil {
		base.Examples = o.Examples
	}
}

func compileRule(s *ruleSpec, origin string) (*Rule, error) {
	// Errors about the merged rule point at the file that defined it last.
	fail := func(line int, format string, args ...any) error {
		if line == 0 {
			line = s.line
		}
		return &Error{File: s.file, Line: line, Rule: s.ID, Msg: fmt.Sprintf(format, args...)}
	}
	r := &Rule{ID: s.ID, Name: s.ID, Enabled: true, Mask: "default", Origin: origin}
	if s.Name != nil {
		r.Name = *s.Name
	}
	if s.Description != nil {
		r.Description = *s.Description
	}
	if s.Enabled != nil {
		r.Enabled = *s.Enabled
	}
	if s.Severity == nil {
		return nil, fail(0, "missing severity (critical, high, medium or low)")
	}
	sev, err := finding.ParseSeverity(*s.Severity)
	if err != nil {
		return nil, fail(0, "%v", err)
	}
	r.Severity = sev
	if s.Category == nil {
		return nil, fail(0, "missing category (%s)", categoryList())
	}
	r.Category = finding.Category(*s.Category)
	if !validCategory(r.Category) {
		return nil, fail(0, "unknown category %q (want %s)", *s.Category, categoryList())
	}
	if s.Mask != nil {
		if !validMask(*s.Mask) {
			return nil, fail(0, "unknown mask style %q (want %s)", *s.Mask, strings.Join(mask.Styles(), ", "))
		}
		r.Mask = *s.Mask
	}
	if len(s.Patterns) == 0 {
		return nil, fail(0, "needs at least one pattern")
	}
	required := s.Context != nil && s.Context.Required != nil && *s.Context.Required
	r.ContextRequired = required
	for _, ps := range s.Patterns {
		p, err := compilePattern(ps.Regex, true)
		if err != nil {
			return nil, &Error{File: ps.file, Line: ps.line, Rule: s.ID, Msg: err.Error()}
		}
		p.ContextRequired = ps.ContextRequired || required
		r.Patterns = append(r.Patterns, p)
	}
	for _, k := range s.Keywords {
		if k = strings.TrimSpace(k); k != "" {
			r.Keywords = append(r.Keywords, strings.ToLower(k))
		}
	}
	if s.Validator != nil && *s.Validator != "" {
		v, ok := validate.Lookup(*s.Validator)
		if !ok {
			return nil, fail(0, "unknown validator %q (known: %s)", *s.Validator, strings.Join(validate.Names(), ", "))
		}
		r.ValidatorName, r.Validator = *s.Validator, v
	}
	if s.ColumnValue != nil {
		r.ColumnValue = *s.ColumnValue
	}
	if c := s.Context; c != nil {
		for _, w := range c.Words {
			if w = strings.TrimSpace(w); w != "" {
				r.ContextWords = append(r.ContextWords, strings.ToLower(w))
			}
		}
		for _, h := range c.Headers {
			if h = NormalizeHeader(h); h != "" {
				r.Headers = append(r.Headers, h)
			}
		}
	}
	if r.ColumnValue && len(r.Headers) == 0 {
		return nil, fail(0, "column_value needs context.headers naming the columns")
	}
	if e := s.Exclude; e != nil {
		r.ExcludeValues = map[string]struct{}{}
		for _, v := range e.Values {
			r.ExcludeValues[NormalizeValue(v)] = struct{}{}
		}
		for _, ps := range e.Patterns {
			p, err := compilePattern(ps, false)
			if err != nil {
				return nil, fail(0, "exclude pattern: %v", err)
			}
			r.ExcludePatterns = append(r.ExcludePatterns, p)
		}
		for _, w := range e.Words {
			if w = strings.TrimSpace(w); w != "" {
				r.ExcludeWords = append(r.ExcludeWords, strings.ToLower(w))
			}
		}
	}
	if ex := s.Examples; ex != nil {
		for _, e := range ex.Match {
			r.Examples = append(r.Examples, Example{Text: e.Text, Header: e.Header, Match: true, File: e.file, Line: e.line})
		}
		for _, e := range ex.NoMatch {
			r.Examples = append(r.Examples, Example{Text: e.Text, Header: e.Header, File: e.file, Line: e.line})
		}
	}
	return r, nil
}

func validCategory(c finding.Category) bool {
	for _, k := range finding.Categories {
		if c == k {
			return true
		}
	}
	return false
}

func categoryList() string {
	var s []string
	for _, c := range finding.Categories {
		s = append(s, string(c))
	}
	return strings.Join(s, ", ")
}

func validMask(s string) bool {
	for _, m := range mask.Styles() {
		if m == s {
			return true
		}
	}
	return false
}

// NormalizeHeader lower-cases a column header and drops everything but
// letters and digits, so "Phone Number", "phone_number" and "PhoneNumber"
// compare equal.
func NormalizeHeader(h string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(h) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c > 127 {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// NormalizeValue is the form exclusions compare in: lower case, without
// spaces, dashes and dots, so a test card listed compact also excludes its
// spaced form.
func NormalizeValue(v string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(strings.TrimSpace(v)) {
		switch c {
		case ' ', '-', '.', '\t':
			continue
		}
		b.WriteRune(c)
	}
	if b.Len() == 0 {
		return strings.ToLower(strings.TrimSpace(v))
	}
	return b.String()
}

// AppendNormalValue appends NormalizeValue(string(v)) to dst without
// allocating, for the scanner's hot path. ok is false, and dst returned
// unchanged, when v holds a non-ASCII byte: Unicode case folding and white
// space are left to NormalizeValue.
func AppendNormalValue(dst, v []byte) (_ []byte, ok bool) {
	for len(v) > 0 && asciiSpace(v[0]) {
		v = v[1:]
	}
	for len(v) > 0 && asciiSpace(v[len(v)-1]) {
		v = v[:len(v)-1]
	}
	start := len(dst)
	dst = slices.Grow(dst, len(v))
	out := dst[start : start+len(v)]
	n := 0
	for _, c := range v {
		switch {
		case c == ' ' || c == '-' || c == '.' || c == '\t':
			continue
		case c >= utf8.RuneSelf:
			return dst[:start], false
		}
		out[n] = asciiLower(c)
		n++
	}
	if n == 0 {
		for i, c := range v {
			out[i] = asciiLower(c)
		}
		n = len(v)
	}
	return dst[:start+n], true
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// HeaderMatches reports whether a column header names what this rule finds.
// Short hints ("pin", "ip") must equal a whole word of the header, so that
// "shipping" is not a pin column and "zip" not an IP column; longer hints may
// also start or end the header ("mobilephone", "email_address").
func (r *Rule) HeaderMatches(header string) bool {
	if header == "" || len(r.Headers) == 0 {
		return false
	}
	h := NormalizeHeader(header)
	words := headerWords(header)
	for _, k := range r.Headers {
		if h == k {
			return true
		}
		for _, w := range words {
			if w == k {
				return true
			}
		}
		if len(k) >= 4 && (strings.HasPrefix(h, k) || strings.HasSuffix(h, k)) {
			return true
		}
	}
	return false
}

// headerWords splits a header at non-alphanumerics and camelCase humps.
func headerWords(h string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, c := range h {
		switch {
		case c >= 'A' && c <= 'Z':
			if prev >= 'a' && prev <= 'z' {
				flush()
			}
			cur = append(cur, c)
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c > 127:
			cur = append(cur, c)
		default:
			flush()
		}
		prev = c
	}
	flush()
	return words
}

// IDs returns the ids of the given rules, sorted.
func IDs(rs []*Rule) []string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	return ids
}
