package detect

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	mathbits "math/bits"
	"slices"
	"sort"
	"unsafe"

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
	// IndexValues, with FingerprintKey, also keeps the fingerprint of
	// every distinct value of every finding (Finding.ValueIDs), at most
	// MaxIndexValues per finding: the state's value index, from which
	// find and affected answer without holding any value.
	IndexValues bool
	// MaxIndexValues caps ValueIDs per finding (Finding.ValueIDsCapped
	// says when it was reached). 0 means 1<<16: 1 MiB of fingerprints,
	// and a few MiB of set, per finding in memory.
	MaxIndexValues int

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
	rules       []*ruleset.Rule
	columnRules []int       // the rules with ColumnValue
	gates       []ruleGates // by rule index
	table       *gateTable
	opts        Options
}

// New prepares an engine over the enabled rules of rs.
func New(rs *ruleset.Ruleset, opts Options) *Engine {
	if opts.MaxLocations <= 0 {
		opts.MaxLocations = 100
	}
	if opts.MaxIndexValues <= 0 {
		opts.MaxIndexValues = 1 << 16
	}
	if opts.MaxSamples <= 0 {
		opts.MaxSamples = 3
	}
	e := &Engine{rules: rs.Rules(), opts: opts}
	e.gates = make([]ruleGates, len(e.rules))
	for i, r := range e.rules {
		e.gates[i] = newRuleGates(r)
		if r.ColumnValue {
			e.columnRules = append(e.columnRules, i)
		}
	}
	e.table = newGateTable(e.gates)
	return e
}

// candidate is a match waiting for overlap resolution. It is validated
// only when it would be kept (see resolve).
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
	druns    []int // starts of the current line's digit runs (digitRuns)
	drunsOK  bool
	bytes    byteSet // the bytes of the current line
	folded   byteSet // the same with ASCII letters in lower case
	wins     []span  // windows of the current pattern
	lower    []byte  // lower-cased current line, built lazily
	lowerOK  bool
	spans    []int             // the current pattern's matches
	kept     []candidate       // resolve's scratch space
	norm     []byte            // excluded's scratch space
	headers  map[string][]bool // header -> rule index -> header names the rule's data
	recent   []headerEntry     // the first headers seen, for headerRules
	pass     []uint64          // patterns passing their gates (gateTable bits)
	hit      []uint64          // gateTable.pass's scratch
	letters  int               // ASCII letters in the current line
	Warnings []string
	timeouts int
	slow     map[*ruleset.Pattern]bool // patterns that timed out: not run again in this file
	fp       *fingerprinter            // keyed fingerprints; nil without a key
	inline   []int                     // per rule: occurrences on lines marked datahygiene:allow
}

type aggregate struct {
	f       finding.Finding
	samples map[string]struct{}
	values  map[string]struct{}
	index   valueIndex // IndexValues
}

// NewFile starts the findings of one file.
func (e *Engine) NewFile() *File {
	f := &File{e: e, agg: make([]*aggregate, len(e.rules))}
	if len(e.opts.FingerprintKey) > 0 {
		f.fp = newFingerprinter(e.opts.FingerprintKey)
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
	digits, letters := f.profile(b)
	f.lowerOK = false
	f.cands = f.cands[:0]
	var hdr []bool
	if header != "" {
		hdr = f.headerRules(header)
	}
	if hdr != nil {
		for _, ri := range f.e.columnRules {
			if hdr[ri] {
				// The column says what the cell holds: the whole cell
				// is the value (a password column's cells need no
				// "password:").
				if v := bytes.TrimSpace(b); len(v) > 0 {
					s := bytes.Index(b, v)
					f.consider(ri, s, s+len(v), true)
				}
			}
		}
	}
	// The byte gates only skip work that would find nothing; the plain
	// engine goes without them, so that the equivalence test checks
	// them too.
	t := f.e.table
	if f.pass == nil {
		f.pass, f.hit = make([]uint64, t.words), make([]uint64, t.words)
	}
	if f.e.opts.plain {
		for w := range f.pass {
			f.pass[w] = ^uint64(0)
		}
	} else {
		t.pass(f.pass, f.hit, digits, letters, &f.bytes)
	}
	var (
		r        *ruleset.Rule
		g        *ruleGates
		cur      = -1
		skip     bool // the rest of the rule's patterns
		ctx      lineContext
		keywords bool
		exclude  bool // the rule's exclude words are known absent
	)
	for word, bits := range f.pass {
		for ; bits != 0; bits &= bits - 1 {
			bit := word*64 + mathbits.TrailingZeros64(bits)
			if bit >= len(t.pattern) {
				break
			}
			ri, pi := t.pattern[bit].rule, t.pattern[bit].pattern
			if ri != cur {
				cur, r, g = ri, f.e.rules[ri], &f.e.gates[ri]
				headerCtx := hdr != nil && hdr[ri]
				skip = r.ColumnValue && headerCtx // taken whole above
				ctx = lineContext{header: headerCtx}
				keywords = len(r.Keywords) == 0
				exclude = len(r.ExcludeWords) == 0
			}
			if skip {
				continue
			}
			p := r.Patterns[pi]
			if f.slow[p] {
				continue
			}
			// Keywords are a rule-level gate but cost more than the
			// pattern's own byte checks, so they come second.
			if !keywords {
				if !f.hasAny(b, &g.keywords) {
					skip = true
					continue
				}
				keywords = true
			}
			// An exclude word anywhere on the line drops every match of
			// the rule there: look once per line, not once per match.
			if !exclude {
				if f.hasWord(b, &g.exclude) {
					skip = true
					continue
				}
				exclude = true
			}
			// Context is a property of the line: without it, a pattern
			// that needs it cannot produce a finding, so do not run it.
			if p.ContextRequired && !ctx.get(f, b, &g.context) {
				continue
			}
			find := p.AppendMatches
			wins := f.fullLine(b)
			switch {
			case f.e.opts.plain:
				find = p.AppendMatchesRegex
			case p.Fast() && len(b) <= fastWhole:
				// A matcher is exact on any text and costs less than
				// finding windows in a short line or cell.
			case p.Window != nil:
				if wins = f.windows(b, p.Window); len(wins) == 0 {
					continue
				}
			}
			for _, w := range wins {
				var err error
				f.spans, err = find(f.spans[:0], b[w.s:w.e])
				if err != nil {
					f.warn(r.ID, loc, err)
				}
				if errors.Is(err, ruleset.ErrTimeout) {
					// A pattern that backtracks badly on one line will on
					// the next: each try costs MatchTimeout twice over.
					if f.slow == nil {
						f.slow = map[*ruleset.Pattern]bool{}
					}
					f.slow[p] = true
					break
				}
				for i := 0; i+1 < len(f.spans); i += 2 {
					f.consider(ri, w.s+f.spans[i], w.s+f.spans[i+1], ctx.get(f, b, &g.context))
				}
			}
		}
	}
	if len(f.cands) == 0 {
		return
	}
	f.resolve(b)
	if len(f.cands) == 0 {
		return
	}
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

// fastWhole is the longest line or cell on which a pattern's hand-written
// matcher runs whole rather than on windows.
const fastWhole = 256

// lineContext remembers, for one rule on one line, whether context
// confirms it: a matching column header, or one of the rule's context words
// on the line (looked up once, and only when needed).
type lineContext struct {
	header      bool
	known, word bool
}

func (c *lineContext) get(f *File, line []byte, words *wordList) bool {
	if c.header {
		return true
	}
	if !c.known {
		c.word, c.known = f.hasWord(line, words), true
	}
	return c.word
}

// consider keeps a value span as a candidate.
func (f *File) consider(ri int, s, e int, ctx bool) {
	f.cands = append(f.cands, candidate{rule: ri, start: s, end: e, contextual: ctx})
}

// valid reports whether a candidate's value passes its rule's validator
// and is not excluded.
func (f *File) valid(c candidate, line []byte) bool {
	r := f.e.rules[c.rule]
	v := line[c.start:c.end]
	// A validator keeps nothing of its argument (validate.Func), so it
	// can read the line's bytes in place instead of a copy per match.
	if r.Validator != nil && !r.Validator(unsafe.String(unsafe.SliceData(v), len(v))) {
		return false
	}
	return !f.excluded(r, v)
}

func (f *File) excluded(r *ruleset.Rule, v []byte) bool {
	if len(r.ExcludeValues) > 0 {
		var ok bool
		if f.norm, ok = ruleset.AppendNormalValue(f.norm[:0], v); ok {
			if _, ok := r.ExcludeValues[string(f.norm)]; ok {
				return true
			}
		} else if _, ok := r.ExcludeValues[ruleset.NormalizeValue(string(v))]; ok {
			return true
		}
	}
	for _, p := range r.ExcludePatterns {
		if p.Match(v) {
			return true
		}
	}
	return false
}

// resolve keeps, among valid candidates whose spans overlap, the longest
// (then the more severe, then the one confirmed by context, then the rule
// defined first), and drops the invalid ones.
//
// Validators cost more than everything before them (a phone number's is
// a numbering-plan lookup), so a candidate is validated only when it would
// be kept: one that overlaps a better candidate already kept is dropped
// whether it is valid or not, and an invalid one changes nothing for the
// others. This keeps exactly the candidates that validating all of them
// first would keep.
func (f *File) resolve(line []byte) {
	c := f.cands
	if len(c) > 1 {
		slices.SortStableFunc(c, f.compare)
	}
	kept := f.kept[:0]
	for _, x := range c {
		ok := true
		for _, k := range kept {
			if x.start < k.end && k.start < x.end {
				ok = false
				break
			}
		}
		if ok && f.valid(x, line) {
			kept = append(kept, x)
		}
	}
	if len(kept) > 1 {
		slices.SortStableFunc(kept, func(a, b candidate) int { return a.start - b.start })
	}
	f.kept = kept
	f.cands = append(f.cands[:0], kept...)
}

// compare orders candidates best first for resolve.
func (f *File) compare(a, b candidate) int {
	if la, lb := a.end-a.start, b.end-b.start; la != lb {
		return lb - la
	}
	if sa, sb := f.e.rules[a.rule].Severity, f.e.rules[b.rule].Severity; sa != sb {
		if sa > sb {
			return -1
		}
		return 1
	}
	if a.contextual != b.contextual {
		if a.contextual {
			return -1
		}
		return 1
	}
	return a.rule - b.rule
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
	// The raw value becomes a string only where it is needed: most
	// matches of a dense file only count.
	value := line[c.start:c.end]
	// Once capped, the index is full and takes no more IDs: a value then
	// needs one only for a listed location.
	listed := len(a.f.Locations) < f.e.opts.MaxLocations
	index := f.e.opts.IndexValues && f.fp != nil && !a.index.capped
	var id finding.ValueID
	if f.fp != nil && (index || listed) {
		id = f.fp.id(c.rule, r, value)
	}
	if listed {
		if f.fp != nil {
			loc.Fingerprint = hex.EncodeToString(id[:])
		}
		a.f.Locations = append(a.f.Locations, loc)
	} else {
		a.f.LocationsOmitted++
	}
	if index {
		a.index.add(id, f.e.opts.MaxIndexValues)
	}
	if f.e.opts.trace != nil {
		f.e.opts.trace(r.ID, loc, c.start, c.end)
	}
	if len(a.samples) < f.e.opts.MaxSamples {
		m := mask.Mask(r.Mask, string(value))
		if _, dup := a.samples[m]; !dup {
			a.samples[m] = struct{}{}
			a.f.Samples = append(a.f.Samples, m)
		}
	}
	if f.e.opts.ShowValues {
		raw := string(value)
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
			fd := a.f
			fd.ValueIDs = a.index.sorted()
			fd.ValueIDsCapped = a.index.capped
			out = append(out, fd)
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
	msg := fmt.Sprintf("rule %s at %s: %v", rule, loc, err)
	if errors.Is(err, ruleset.ErrTimeout) {
		msg += "; the pattern is skipped for the rest of the file"
	}
	if len(f.Warnings) < 10 {
		f.Warnings = append(f.Warnings, msg)
	}
}

// headerRules returns, per rule, whether the column header h names its
// data. A table's few headers come round on every row: a short list,
// compared by content (which for the same string is a pointer check),
// answers faster than hashing h each time.
func (f *File) headerRules(h string) []bool {
	for i := range f.recent {
		if f.recent[i].header == h {
			return f.recent[i].rules
		}
	}
	v := f.lookupHeader(h)
	if len(f.recent) < maxRecentHeaders {
		f.recent = append(f.recent, headerEntry{h, v})
	}
	return v
}

// maxRecentHeaders bounds headerRules' list: wider tables fall back to the
// map for their later columns.
const maxRecentHeaders = 32

type headerEntry struct {
	header string
	rules  []bool
}

func (f *File) lookupHeader(h string) []bool {
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

// profile records what the rules' gates ask of a line in one pass: its
// digits and ASCII letters (returned) and which bytes it holds.
func (f *File) profile(b []byte) (digits, letters int) {
	// Four words in registers rather than an array in memory: a third
	// faster, as no store waits on the one before.
	var s0, s1, s2, s3 uint64
	for _, c := range b {
		m := uint64(1) << (c & 63)
		switch c >> 6 {
		case 0:
			s0 |= m
		case 1:
			s1 |= m
		case 2:
			s2 |= m
		default:
			s3 |= m
		}
		k := byteClass[c]
		digits += int(k & classDigit)
		letters += int(k >> 1)
	}
	set := byteSet{s0, s1, s2, s3}
	f.bytes = set
	// 'A'-'Z' are bits 1-26 of word 1; 'a'-'z' are 32 bits higher.
	set[1] |= (set[1] & (1<<27 - 2)) << 32
	f.folded = set
	f.letters = letters
	f.drunsOK = false
	return digits, letters
}

const (
	classDigit  = 1
	classLetter = 2
)

// byteClass tells ASCII digits and letters apart without branches.
var byteClass = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = classDigit
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-32] = classLetter, classLetter
	}
	return t
}()

// digitRuns returns where the line's digit runs start, the anchors of
// most patterns' windows; found once per line, when a window needs them.
func (f *File) digitRuns(b []byte) []int {
	if f.drunsOK {
		return f.druns
	}
	f.druns = f.druns[:0]
	in := false
	for i, c := range b {
		d := c-'0' < 10
		if d && !in {
			f.druns = append(f.druns, i)
		}
		in = d
	}
	f.drunsOK = true
	return f.druns
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
			druns := f.digitRuns(b)
			for di < len(druns) && druns[di] < pos {
				di++
			}
			if di < len(druns) {
				a = druns[di]
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

// hasAny reports whether the line contains one of the keywords, in any
// case. A keyword with a byte the line lacks is not looked for.
func (f *File) hasAny(b []byte, kws *wordList) bool {
	for i, k := range kws.words {
		if f.folded.hasAll(&kws.sets[i]) && bytes.Contains(f.lowered(b), []byte(k)) {
			return true
		}
	}
	return false
}

// hasWord reports whether one of the words occurs in the line as a whole
// word (not inside a longer word: "pin" is not in "spinner").
func (f *File) hasWord(b []byte, words *wordList) bool {
	if f.letters == 0 && words.letters {
		return false // a line of digits and punctuation holds no word
	}
	for i, w := range words.words {
		if !f.folded.hasAll(&words.sets[i]) {
			continue
		}
		l := f.lowered(b)
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
// least n-k that f lacks. One exception: past MaxIndexValues, which value
// IDs a merged finding keeps may differ from a whole scan's; both are then
// marked ValueIDsCapped, which is what find and affected act on.
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
		a.index.merge(&b.index, f.e.opts.MaxIndexValues)
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
