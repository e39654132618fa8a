package detect

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"sort"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/mask"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

// Options tune what findings carry.
type Options struct {
	// ShowValues keeps raw matched values in findings. Off by default:
	// an auditor that leaks what it finds is worse than none.
	ShowValues bool
	// MaxLocations caps the locations (and raw values) kept per finding;
	// Count stays exact. 0 means 100.
	MaxLocations int
	// MaxSamples caps the distinct masked samples per finding. 0 means 3.
	MaxSamples int

	// FingerprintKey, when set, gives every recorded location a keyed
	// fingerprint of its value (finding.Location.Fingerprint), so that
	// baselines, allowlists and history can name a value without holding
	// it.
	FingerprintKey []byte

	// plain runs every pattern over whole lines, as the rule format
	// defines it; the equivalence test compares the windowed engine
	// against it.
	plain bool
	// trace, when set, sees every recorded match (tests only).
	trace func(rule string, loc finding.Location, start, end int)
}

// Engine holds a ruleset ready to run. It is safe for concurrent use; each
// file gets its own File.
type Engine struct {
	rules []*ruleset.Rule
	opts  Options
}

// New prepares an engine over the enabled rules of rs.
func New(rs *ruleset.Ruleset, opts Options) *Engine {
	if opts.MaxLocations <= 0 {
		opts.MaxLocations = 100
	}
	if opts.MaxSamples <= 0 {
		opts.MaxSamples = 3
	}
	return &Engine{rules: rs.Rules(), opts: opts}
}

// candidate is a validated match waiting for overlap resolution.
type candidate struct {
	rule       int
	start, end int
	contextual bool
}

// File accumulates the findings of one file. Not safe for concurrent use.
type File struct {
	e        *Engine
	agg      []*aggregate // by rule index
	cands    []candidate
	druns    []int  // starts of the current line's digit runs
	wins     []span // windows of the current pattern
	lower    []byte // lower-cased current line, built lazily
	lowerOK  bool
	headers  map[string][]bool // header -> rule index -> header names the rule's data
	Warnings []string
	timeouts int
	mac      hash.Hash // keyed fingerprints; nil without a key
	inline   []int     // per rule: occurrences on lines marked datahygiene:allow
}

type aggregate struct {
	f       finding.Finding
	samples map[string]struct{}
	values  map[string]struct{}
}

// NewFile starts the findings of one file.
func (e *Engine) NewFile() *File {
	f := &File{e: e, agg: make([]*aggregate, len(e.rules))}
	if len(e.opts.FingerprintKey) > 0 {
		f.mac = hmac.New(sha256.New, e.opts.FingerprintKey)
	}
	return f
}

// AllowMarker on a line of text suppresses that line's findings, as
// gitleaks:allow does: for values a team has reviewed and accepted.
const AllowMarker = "datahygiene:allow"

// Add scans one chunk. Its signature fits extract.Yield.
func (f *File) Add(c *extract.Chunk) error {
	switch c.Kind {
	case extract.Cell:
		f.scanUnit(c.Data, c.Loc, c.Header)
	default:
		loc := c.Loc
		if loc.Line <= 0 {
			loc.Line = 1
		}
		data := c.Data
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			var l []byte
			if i < 0 {
				l, data = data, nil
			} else {
				l, data = data[:i], data[i+1:]
			}
			if n := len(l); n > 0 && l[n-1] == '\r' {
				l = l[:n-1]
			}
			if len(l) > 0 {
				f.scanUnit(l, loc, "")
			}
			loc.Line++
		}
	}
	return nil
}

// scanUnit runs every rule over one line or cell.
func (f *File) scanUnit(b []byte, loc finding.Location, header string) {
	digits := f.indexDigits(b)
	f.lowerOK = false
	f.cands = f.cands[:0]
	var hdr []bool
	if header != "" {
		hdr = f.headerRules(header)
	}
	for ri, r := range f.e.rules {
		headerCtx := hdr != nil && hdr[ri]
		if r.ColumnValue && headerCtx {
			// The column says what the cell holds: the whole cell is
			// the value (a password column's cells need no "password:").
			v := bytes.TrimSpace(b)
			if len(v) > 0 {
				s := bytes.Index(b, v)
				f.consider(ri, b, s, s+len(v), true)
			}
			continue
		}
		ctx := lineContext{header: headerCtx}
		keywords := len(r.Keywords) == 0
		for _, p := range r.Patterns {
			if digits < p.MinDigits || !hasAll(b, p.Required) || len(p.AnyOf) > 0 && !hasAnyByte(b, p.AnyOf) {
				continue
			}
			// Keywords are a rule-level gate but cost more than the
			// pattern's own byte checks, so they come second.
			if !keywords {
				if !f.hasAny(b, r.Keywords) {
					break
				}
				keywords = true
			}
			wins := f.fullLine(b)
			if p.Window != nil && !f.e.opts.plain {
				if wins = f.windows(b, p.Window); len(wins) == 0 {
					continue
				}
			}
			// Context is a property of the line: without it, a pattern
			// that needs it cannot produce a finding, so do not run it.
			if p.ContextRequired && !ctx.get(f, b, r.ContextWords) {
				continue
			}
			for _, w := range wins {
				err := p.FindAll(b[w.s:w.e], func(s, e int) {
					if len(r.ExcludeWords) > 0 && f.hasWord(b, r.ExcludeWords) {
						return
					}
					f.consider(ri, b, w.s+s, w.s+e, ctx.get(f, b, r.ContextWords))
				})
				if err != nil {
					f.warn(r.ID, loc, err)
				}
			}
		}
	}
	if len(f.cands) == 0 {
		return
	}
	f.resolveOverlaps()
	if header == "" && bytes.Contains(b, []byte(AllowMarker)) {
		if f.inline == nil {
			f.inline = make([]int, len(f.e.rules))
		}
		for _, c := range f.cands {
			f.inline[c.rule]++
		}
		return
	}
	for _, c := range f.cands {
		f.record(c, b, loc)
	}
}

// lineContext remembers, for one rule on one line, whether context
// confirms it: a matching column header, or one of the rule's context words
// on the line (looked up once, and only when needed).
type lineContext struct {
	header      bool
	known, word bool
}

func (c *lineContext) get(f *File, line []byte, words []string) bool {
	if c.header {
		return true
	}
	if !c.known {
		c.word, c.known = f.hasWord(line, words), true
	}
	return c.word
}

// consider validates a value span and keeps it as a candidate.
func (f *File) consider(ri int, line []byte, s, e int, ctx bool) {
	r := f.e.rules[ri]
	v := line[s:e]
	if r.Validator != nil && !r.Validator(string(v)) {
		return
	}
	if excluded(r, v) {
		return
	}
	f.cands = append(f.cands, candidate{rule: ri, start: s, end: e, contextual: ctx})
}

func excluded(r *ruleset.Rule, v []byte) bool {
	if len(r.ExcludeValues) > 0 {
		if _, ok := r.ExcludeValues[ruleset.NormalizeValue(string(v))]; ok {
			return true
		}
	}
	for _, p := range r.ExcludePatterns {
		if p.MatchString(string(v)) {
			return true
		}
	}
	return false
}

// resolveOverlaps keeps, among candidates whose spans overlap, the longest
// (then the more severe, then the one confirmed by context, then the rule
// defined first). Candidates of one rule never overlap each other.
func (f *File) resolveOverlaps() {
	c := f.cands
	if len(c) < 2 {
		return
	}
	better := func(a, b candidate) bool {
		la, lb := a.end-a.start, b.end-b.start
		if la != lb {
			return la > lb
		}
		sa, sb := f.e.rules[a.rule].Severity, f.e.rules[b.rule].Severity
		if sa != sb {
			return sa > sb
		}
		if a.contextual != b.contextual {
			return a.contextual
		}
		return a.rule < b.rule
	}
	sort.SliceStable(c, func(i, j int) bool { return better(c[i], c[j]) })
	kept := c[:0:0]
	for _, x := range c {
		ok := true
		for _, k := range kept {
			if x.start < k.end && k.start < x.end {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, x)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	f.cands = append(f.cands[:0], kept...)
}

func (f *File) record(c candidate, line []byte, loc finding.Location) {
	r := f.e.rules[c.rule]
	a := f.agg[c.rule]
	if a == nil {
		a = &aggregate{
			f: finding.Finding{Detector: r.ID, Name: r.Name, Category: r.Category, Severity: r.Severity,
				Locations: []finding.Location{}, Samples: []string{}},
			samples: map[string]struct{}{},
		}
		f.agg[c.rule] = a
	}
	a.f.Count++
	if c.contextual {
		a.f.Confidence = "high"
	} else if a.f.Confidence == "" {
		a.f.Confidence = "medium"
	}
	raw := string(line[c.start:c.end])
	if len(a.f.Locations) < f.e.opts.MaxLocations {
		if f.mac != nil {
			loc.Fingerprint = f.fingerprint(r, raw)
		}
		a.f.Locations = append(a.f.Locations, loc)
	} else {
		a.f.LocationsOmitted++
	}
	if f.e.opts.trace != nil {
		f.e.opts.trace(r.ID, loc, c.start, c.end)
	}
	if len(a.samples) < f.e.opts.MaxSamples {
		m := mask.Mask(r.Mask, raw)
		if _, dup := a.samples[m]; !dup {
			a.samples[m] = struct{}{}
			a.f.Samples = append(a.f.Samples, m)
		}
	}
	if f.e.opts.ShowValues {
		if a.values == nil {
			a.values = map[string]struct{}{}
		}
		if _, dup := a.values[raw]; !dup && len(a.values) < f.e.opts.MaxLocations {
			a.values[raw] = struct{}{}
			a.f.Values = append(a.f.Values, raw)
		}
	}
}

// Findings returns the file's findings, most severe first, then by detector.
func (f *File) Findings() []finding.Finding {
	var out []finding.Finding
	for _, a := range f.agg {
		if a != nil {
			out = append(out, a.f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		return out[i].Detector < out[j].Detector
	})
	return out
}

func (f *File) warn(rule string, loc finding.Location, err error) {
	if errors.Is(err, ruleset.ErrTimeout) {
		f.timeouts++
		if f.timeouts > 1 {
			return
		}
	}
	if len(f.Warnings) < 10 {
		f.Warnings = append(f.Warnings, fmt.Sprintf("rule %s at %s: %v", rule, loc, err))
	}
}

func (f *File) headerRules(h string) []bool {
	if v, ok := f.headers[h]; ok {
		return v
	}
	if f.headers == nil {
		f.headers = map[string][]bool{}
	}
	v := make([]bool, len(f.e.rules))
	for i, r := range f.e.rules {
		v[i] = r.HeaderMatches(h)
	}
	f.headers[h] = v
	return v
}

// span is a byte range [s, e) of a line.
type span struct{ s, e int }

func (f *File) fullLine(b []byte) []span {
	f.wins = append(f.wins[:0], span{0, len(b)})
	return f.wins
}

// indexDigits counts the line's digits and records where its digit runs
// start, which are the anchors of most patterns' windows.
func (f *File) indexDigits(b []byte) int {
	f.druns = f.druns[:0]
	n, in := 0, false
	for i, c := range b {
		if c-'0' < 10 {
			if !in {
				f.druns = append(f.druns, i)
			}
			n++
			in = true
		} else {
			in = false
		}
	}
	return n
}

// windows returns the parts of line b that pattern window w must run on:
// each maximal run of w.Value bytes around an anchor that can hold a value
// (enough digits, every required byte), widened by the context the pattern
// reads around its value, and merged where they overlap. The reasoning
// that this finds exactly what a whole-line run finds is on
// ruleset.Window.
func (f *File) windows(b []byte, w *ruleset.Window) []span {
	f.wins = f.wins[:0]
	n, pos, di := len(b), 0, 0
	for {
		a := -1
		switch {
		case w.Anchor != ruleset.AnchorDigit:
			if i := bytes.IndexByte(b[pos:], byte(w.Anchor)); i >= 0 {
				a = pos + i
			}
		case w.AllDigits:
			// Digits are value bytes, so no digit run straddles pos
			// (the end of the previous value run).
			for di < len(f.druns) && f.druns[di] < pos {
				di++
			}
			if di < len(f.druns) {
				a = f.druns[di]
			}
		default:
			for i := pos; i < n; i++ {
				if c := b[i]; c-'0' < 10 && w.Value[c] {
					a = i
					break
				}
			}
		}
		if a < 0 {
			return f.wins
		}
		s, e := a, a+1
		for s > 0 && w.Value[b[s-1]] {
			s--
		}
		for e < n && w.Value[b[e]] {
			e++
		}
		pos = e
		if !fits(b[s:e], w) {
			continue
		}
		ws, we := max(0, s-w.Before), min(n, e+w.After)
		if k := len(f.wins); k > 0 && ws <= f.wins[k-1].e {
			f.wins[k-1].e = we
		} else {
			f.wins = append(f.wins, span{ws, we})
		}
	}
}

// fits reports whether a run of value bytes can hold one of the pattern's
// values: it is long enough and has enough digits, letters and required
// bytes. One pass over the run, which is short.
func fits(run []byte, w *ruleset.Window) bool {
	if len(run) < w.MinLen {
		return false
	}
	if w.MinDigits > 0 || w.MinLetters > 0 {
		digits, letters := 0, 0
		for _, c := range run {
			switch {
			case c-'0' < 10:
				digits++
			case (c|0x20)-'a' < 26:
				letters++
			}
		}
		if digits < w.MinDigits || letters < w.MinLetters {
			return false
		}
	}
	for i, c := range w.Required {
		if bytes.Count(run, []byte{c}) < w.RequiredCount[i] {
			return false
		}
	}
	return true
}

func countDigits(b []byte) int {
	n := 0
	for _, c := range b {
		if c-'0' < 10 {
			n++
		}
	}
	return n
}

func hasAnyByte(b []byte, set []byte) bool {
	for _, c := range set {
		if bytes.IndexByte(b, c) >= 0 {
			return true
		}
	}
	return false
}

func hasAll(b []byte, req []byte) bool {
	for _, c := range req {
		if bytes.IndexByte(b, c) < 0 {
			return false
		}
	}
	return true
}

func (f *File) lowered(b []byte) []byte {
	if !f.lowerOK {
		f.lower = append(f.lower[:0], b...)
		for i, c := range f.lower {
			if c >= 'A' && c <= 'Z' {
				f.lower[i] = c + 32
			}
		}
		f.lowerOK = true
	}
	return f.lower
}

// hasAny reports whether the line contains one of the keywords, in any case.
func (f *File) hasAny(b []byte, kws []string) bool {
	l := f.lowered(b)
	for _, k := range kws {
		if bytes.Contains(l, []byte(k)) {
			return true
		}
	}
	return false
}

// hasWord reports whether one of the words occurs in the line as a whole
// word (not inside a longer word: "pin" is not in "spinner").
func (f *File) hasWord(b []byte, words []string) bool {
	if len(words) == 0 {
		return false
	}
	l := f.lowered(b)
	for _, w := range words {
		for off := 0; off < len(l); {
			i := bytes.Index(l[off:], []byte(w))
			if i < 0 {
				break
			}
			i += off
			end := i + len(w)
			if (i == 0 || !isWordByte(l[i-1])) && (end == len(l) || !isWordByte(l[end])) {
				return true
			}
			off = i + 1
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// fingerprint is the hex HMAC-SHA-256 (first 16 bytes) of the rule id and
// the value in a normal form, so that "4111 1111 1111 1111" and
// "4111-1111-1111-1111" are one value, and so is an email in any case.
func (f *File) fingerprint(r *ruleset.Rule, raw string) string {
	f.mac.Reset()
	f.mac.Write([]byte(r.ID))
	f.mac.Write([]byte{0})
	f.mac.Write([]byte(FingerprintValue(r, raw)))
	var sum [sha256.Size]byte
	return hex.EncodeToString(f.mac.Sum(sum[:0])[:16])
}

// FingerprintValue is the normal form of a value that fingerprints hash:
// emails lower-cased, everything else also stripped of spaces, dashes, dots
// and brackets.
func FingerprintValue(r *ruleset.Rule, raw string) string {
	if r.Mask == "email" {
		return strings.ToLower(strings.TrimSpace(raw))
	}
	var b strings.Builder
	for _, c := range strings.ToLower(raw) {
		switch c {
		case ' ', '-', '.', '\t', '(', ')', '/':
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Suppressed counts, per detector, the occurrences left out because their
// line carries AllowMarker.
func (f *File) Suppressed() []finding.Suppression {
	var out []finding.Suppression
	for i, n := range f.inline {
		if n > 0 {
			out = append(out, finding.Suppression{Detector: f.e.rules[i].ID, Count: n, Reason: "line marked " + AllowMarker})
		}
	}
	return out
}

// Merge appends the findings of o, which must come from the same engine
// and cover the part of the file right after f's, to f. A large file is
// split into parts that are scanned concurrently and merged in order. The
// result equals scanning the whole file, caps included: if f holds k < n
// of the n distinct samples allowed, o's first n distinct samples hold at
// least n-k that f lacks.
func (f *File) Merge(o *File) {
	for i, b := range o.agg {
		if b == nil {
			continue
		}
		a := f.agg[i]
		if a == nil {
			f.agg[i] = b
			continue
		}
		a.f.Count += b.f.Count
		if b.f.Confidence == "high" {
			a.f.Confidence = "high"
		}
		for _, l := range b.f.Locations {
			if len(a.f.Locations) < f.e.opts.MaxLocations {
				a.f.Locations = append(a.f.Locations, l)
			} else {
				a.f.LocationsOmitted++
			}
		}
		a.f.LocationsOmitted += b.f.LocationsOmitted
		for _, s := range b.f.Samples {
			if _, dup := a.samples[s]; !dup && len(a.samples) < f.e.opts.MaxSamples {
				a.samples[s] = struct{}{}
				a.f.Samples = append(a.f.Samples, s)
			}
		}
		for _, v := range b.f.Values {
			if a.values == nil {
				a.values = map[string]struct{}{}
			}
			if _, dup := a.values[v]; !dup && len(a.values) < f.e.opts.MaxLocations {
				a.values[v] = struct{}{}
				a.f.Values = append(a.f.Values, v)
			}
		}
	}
	f.timeouts += o.timeouts
	if o.inline != nil {
		if f.inline == nil {
			f.inline = make([]int, len(f.e.rules))
		}
		for i, n := range o.inline {
			f.inline[i] += n
		}
	}
	for _, w := range o.Warnings {
		if len(f.Warnings) < 10 {
			f.Warnings = append(f.Warnings, w)
		}
	}
}
