package phoneplan

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nyaruka/phonenumbers"
)

// Lengths libphonenumber allows for a national significant number
// (phonenumbers.MIN_LENGTH_FOR_NSN and MAX_LENGTH_FOR_NSN).
const (
	minNSN = 2
	maxNSN = 17
)

// The patterns of a plan's automaton, by bit: the general description,
// then each number type in the order getNumberTypeHelper tries them, then
// the region's leading digits (a prefix pattern, for calling codes that
// several regions share).
const (
	bitGeneral = 1 << iota
	bitPremiumRate
	bitTollFree
	bitSharedCost
	bitVoip
	bitPersonalNumber
	bitPager
	bitUAN
	bitVoicemail
	bitFixedLine
	bitMobile
	bitLeadingDigits
)

// specialTypes are the types getNumberTypeHelper tries before fixed line
// and mobile, in its order; bit k+1 of an accept mask is specialTypes[k].
var specialTypes = [...]phonenumbers.PhoneNumberType{
	phonenumbers.PREMIUM_RATE, phonenumbers.TOLL_FREE, phonenumbers.SHARED_COST, phonenumbers.VOIP,
	phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL,
}

// Plan is one region's numbering plan (one PhoneMetadata entry), compiled
// on first use.
type Plan struct {
	t      *tables // the tables the plan belongs to
	md     *phonenumbers.PhoneMetadata
	region string // the metadata's id: an ISO 3166 code, or "001"
	cc     int
	ccStr  string

	once sync.Once
	c    atomic.Pointer[compiled] // set once compiled
	err  error                    // why compiling failed, set under once
}

// compiled is what a plan compiles to: the automaton and what parsing
// reads from the metadata, in the form it is read.
type compiled struct {
	auto  *automaton
	lenOK [maxNSN + 1]uint32 // lenOK[n]: the patterns whose possible lengths allow n
	// the general description's possible lengths, as testNumberLength reads them
	lengths, localLengths []int32
	sameMobileAndFixed    bool
	idd                   prefixRule
	npp                   prefixRule
	hasNPP                bool
	transform             string
}

// prefixRule is a pattern matched at the start of a digit string: a
// region's international or national prefix. Most are a few fixed
// strings, such as "00", "0", "0|180020" or "(183[12])|0", matched by
// trying them in the order the regexp engine would. The others go to the
// same regular expression libphonenumber uses, after a first-digit
// prefilter.
type prefixRule struct {
	// alts, when fixed, are the pattern's matches as sequences of digit
	// sets (bit d: digit d), highest priority first.
	alts  [][]uint16
	fixed bool
	re    *regexp.Regexp
	first uint16 // bit d: a match may start with digit d
	empty bool   // a match may be empty
}

// maxAlternatives bounds how many fixed strings a prefix may expand to
// before it is left to the regexp package.
const maxAlternatives = 64

func newPrefixRule(pattern, compiled string) (prefixRule, error) {
	var r prefixRule
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return r, fmt.Errorf("parsing prefix %q: %w", pattern, err)
	}
	r.alts, r.fixed = fixedAlternatives(re.Simplify())
	if r.re, err = regexp.Compile(compiled); err != nil {
		return r, fmt.Errorf("compiling prefix %q: %w", compiled, err)
	}
	r.first, r.empty, err = firstDigits(pattern)
	return r, err
}

// fixedAlternatives lists the strings a pattern without repetition
// matches, as sequences of digit sets, in the order a backtracking
// engine tries them: an alternation left to right, a greedy x? with x
// first, a concatenation with its first part varying slowest. Go's regexp
// returns that order's first match at a position (leftmost-first
// semantics), so the first sequence matching the start of a string ends
// where the regexp's match at 0 would. ok is false for patterns with
// repetition, anchors or too many alternatives.
func fixedAlternatives(re *syntax.Regexp) (alts [][]uint16, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return [][]uint16{{}}, true
	case syntax.OpLiteral:
		seq := make([]uint16, len(re.Rune))
		for i, r := range re.Rune {
			if '0' <= r && r <= '9' {
				seq[i] = 1 << (r - '0')
			}
		}
		return [][]uint16{seq}, true
	case syntax.OpCharClass:
		var m uint16
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for d := rune(0); d <= 9; d++ {
				if re.Rune[i] <= '0'+d && '0'+d <= re.Rune[i+1] {
					m |= 1 << d
				}
			}
		}
		return [][]uint16{{m}}, true
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return [][]uint16{{1<<10 - 1}}, true
	case syntax.OpCapture:
		return fixedAlternatives(re.Sub[0])
	case syntax.OpQuest:
		sub, ok := fixedAlternatives(re.Sub[0])
		if !ok || len(sub)+1 > maxAlternatives {
			return nil, false
		}
		if re.Flags&syntax.NonGreedy != 0 {
			return append([][]uint16{{}}, sub...), true
		}
		return append(sub, []uint16{}), true
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			sub, ok := fixedAlternatives(s)
			if !ok || len(alts)+len(sub) > maxAlternatives {
				return nil, false
			}
			alts = append(alts, sub...)
		}
		return alts, true
	case syntax.OpConcat:
		alts = [][]uint16{{}}
		for _, s := range re.Sub {
			sub, ok := fixedAlternatives(s)
			if !ok || len(alts)*len(sub) > maxAlternatives {
				return nil, false
			}
			var next [][]uint16
			for _, a := range alts {
				for _, b := range sub {
					next = append(next, append(slices.Clip(a), b...))
				}
			}
			alts = next
		}
		return alts, true
	}
	return nil, false
}

// fixedMatch returns where the match of a fixed rule at the start of s
// ends.
func (r *prefixRule) fixedMatch(s string) (end int, ok bool) {
next:
	for _, alt := range r.alts {
		if len(alt) > len(s) {
			continue
		}
		for i, m := range alt {
			if d := s[i] - '0'; d > 9 || m&(1<<d) == 0 {
				continue next
			}
		}
		return len(alt), true
	}
	return 0, false
}

// mayMatchAtStart reports whether the rule can match at the start of s.
func (r *prefixRule) mayMatchAtStart(s string) bool {
	if r.empty {
		return true
	}
	return len(s) > 0 && s[0]-'0' <= 9 && r.first&(1<<(s[0]-'0')) != 0
}

// compiled returns the compiled plan, compiling it on first use. The
// atomic load keeps the common path to one read; sync.Once makes the
// first callers wait for one compilation.
func (p *Plan) compiled() (*compiled, error) {
	if c := p.c.Load(); c != nil {
		return c, nil
	}
	p.once.Do(func() {
		c, err := p.compile()
		if err != nil {
			p.err = err
			return
		}
		p.c.Store(c)
	})
	if c := p.c.Load(); c != nil {
		return c, nil
	}
	return nil, p.err
}

func (p *Plan) compile() (*compiled, error) {
	md := p.md
	c := &compiled{}
	descs := [...]*phonenumbers.PhoneNumberDesc{
		md.GetGeneralDesc(), md.GetPremiumRate(), md.GetTollFree(), md.GetSharedCost(), md.GetVoip(),
		md.GetPersonalNumber(), md.GetPager(), md.GetUan(), md.GetVoicemail(), md.GetFixedLine(), md.GetMobile(),
	}
	var patterns []string
	for k, d := range descs {
		if d == nil {
			// getNumberTypeHelper would dereference it and panic.
			return nil, fmt.Errorf("region %s: number description %d missing: %w", p.region, k, errUnsupported)
		}
		patterns = append(patterns, d.GetNationalNumberPattern())
		for n := range c.lenOK {
			if len(d.PossibleLength) == 0 || slices.Contains(d.PossibleLength, int32(n)) {
				c.lenOK[n] |= 1 << k
			}
		}
	}
	var prefix uint32
	if ld := md.GetLeadingDigits(); ld != "" {
		patterns = append(patterns, ld)
		prefix = bitLeadingDigits
		for n := range c.lenOK {
			c.lenOK[n] |= bitLeadingDigits
		}
	}
	var err error
	if c.auto, err = buildAutomaton(patterns, prefix); err != nil {
		return nil, fmt.Errorf("region %s: %w", p.region, err)
	}

	c.lengths = md.GetGeneralDesc().PossibleLength
	c.localLengths = md.GetGeneralDesc().PossibleLengthLocalOnly
	if len(c.lengths) == 0 {
		// testNumberLength would index an empty slice and panic.
		return nil, fmt.Errorf("region %s: no possible lengths: %w", p.region, errUnsupported)
	}
	c.sameMobileAndFixed = md.GetSameMobileAndFixedLinePattern()

	idd := md.GetInternationalPrefix()
	if c.idd, err = newPrefixRule(idd, idd); err != nil {
		return nil, fmt.Errorf("region %s: %w", p.region, err)
	}
	if npp := md.GetNationalPrefixForParsing(); npp != "" {
		c.hasNPP = true
		if c.npp, err = newPrefixRule(npp, "^(?:"+npp+")"); err != nil {
			return nil, fmt.Errorf("region %s: %w", p.region, err)
		}
	}
	c.transform = md.GetNationalPrefixTransformRule()
	return c, nil
}

// tables are the plans by region and by calling code, built once from the
// metadata libphonenumber has loaded. Building them is cheap; each plan
// compiles its automaton only when a number first needs it.
type tables struct {
	byRegion map[string]*Plan
	byCC     [1000]*callingCode // country calling codes have 1-3 digits
}

// callingCode lists the regions sharing a country calling code, main
// region first, with their plans (nil where libphonenumber has none).
type callingCode struct {
	regions []string
	plans   []*Plan

	// For a code shared by several regions: one automaton that tells in
	// one pass whose leading digits start a number. Bit lead[i] is that
	// of plans[i], 0 for a region without leading digits.
	once     sync.Once
	leadAuto atomic.Pointer[automaton]
	lead     []uint32
	err      error
}

// leading returns the calling code's leading-digits automaton, building
// it on first use.
func (e *callingCode) leading() (*automaton, error) {
	if a := e.leadAuto.Load(); a != nil {
		return a, nil
	}
	e.once.Do(func() {
		var patterns []string
		lead := make([]uint32, len(e.plans))
		for i, p := range e.plans {
			if p == nil {
				e.err = fmt.Errorf("calling code shared by %v: no metadata for %s: %w", e.regions, e.regions[i], errUnsupported)
				return
			}
			if ld := p.md.GetLeadingDigits(); ld != "" {
				if len(patterns) == maxPatterns {
					e.err = fmt.Errorf("calling code shared by %d regions: %w", len(e.regions), errUnsupported)
					return
				}
				lead[i] = 1 << len(patterns)
				patterns = append(patterns, ld)
			}
		}
		a, err := buildAutomaton(patterns, 1<<len(patterns)-1)
		if err != nil {
			e.err = err
			return
		}
		e.lead = lead
		e.leadAuto.Store(a)
	})
	if a := e.leadAuto.Load(); a != nil {
		return a, nil
	}
	return nil, e.err
}

// nonGeoRegion is libphonenumber's region code for non-geographical
// calling codes such as +800.
const nonGeoRegion = "001"

// load returns the tables, built on first use.
var load = sync.OnceValue(newTables)

func newTables() *tables {
	t := &tables{byRegion: map[string]*Plan{}}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		// libphonenumber panics at init if its metadata does not load,
		// so this does not happen; without tables every parse fails.
		return t
	}
	// The same maps libphonenumber builds (newMetadataContainer): a later
	// entry with the same id replaces an earlier one.
	supported := phonenumbers.GetSupportedRegions()
	nonGeo := map[int]*Plan{}
	for _, md := range coll.GetMetadata() {
		cc := int(md.GetCountryCode())
		p := &Plan{t: t, md: md, region: md.GetId(), cc: cc, ccStr: strconv.Itoa(cc)}
		switch {
		case p.region == nonGeoRegion:
			nonGeo[cc] = p
		case supported[p.region]:
			t.byRegion[p.region] = p
		}
	}
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		if cc <= 0 || cc >= len(t.byCC) {
			continue // extractCountryCode reads at most three digits
		}
		e := &callingCode{regions: phonenumbers.GetRegionCodesForCountryCode(cc)}
		for _, r := range e.regions {
			if r == nonGeoRegion {
				e.plans = append(e.plans, nonGeo[cc])
			} else {
				e.plans = append(e.plans, t.byRegion[r])
			}
		}
		t.byCC[cc] = e
	}
	return t
}

// Region returns the plan of an ISO 3166 region code, or nil when
// libphonenumber does not support the region (Parse then fails for it as
// a default region).
func Region(id string) *Plan { return load().byRegion[id] }

// CountryCode returns the plan's country calling code.
func (p *Plan) CountryCode() int { return p.cc }

// generalMatch reports whether s matches the general description's
// pattern, lengths aside, as libphonenumber's nationalNumberRule does.
func (c *compiled) generalMatch(s string) bool { return c.auto.run(s)&bitGeneral != 0 }

// numberType is getNumberTypeHelper for an accept mask of a number n
// digits long.
func (c *compiled) numberType(acc uint32, n int) phonenumbers.PhoneNumberType {
	if n > maxNSN {
		return phonenumbers.UNKNOWN
	}
	acc &= c.lenOK[n]
	if acc&bitGeneral == 0 {
		return phonenumbers.UNKNOWN
	}
	for k, t := range specialTypes {
		if acc&(bitPremiumRate<<k) != 0 {
			return t
		}
	}
	fixed, mobile := acc&bitFixedLine != 0, acc&bitMobile != 0
	switch {
	case fixed && (c.sameMobileAndFixed || mobile):
		return phonenumbers.FIXED_LINE_OR_MOBILE
	case fixed:
		return phonenumbers.FIXED_LINE
	case !c.sameMobileAndFixed && mobile:
		return phonenumbers.MOBILE
	}
	return phonenumbers.UNKNOWN
}

// testLength is testNumberLength(s, metadata, UNKNOWN).
func (c *compiled) testLength(s string) phonenumbers.ValidationResult {
	if c.lengths[0] == -1 {
		return phonenumbers.INVALID_LENGTH
	}
	n := int32(len(s))
	if slices.Contains(c.localLengths, n) {
		return phonenumbers.IS_POSSIBLE_LOCAL_ONLY
	}
	switch lo, hi := c.lengths[0], c.lengths[len(c.lengths)-1]; {
	case lo == n:
		return phonenumbers.IS_POSSIBLE
	case lo > n:
		return phonenumbers.TOO_SHORT
	case hi < n:
		return phonenumbers.TOO_LONG
	}
	if slices.Contains(c.lengths[1:], n) {
		return phonenumbers.IS_POSSIBLE
	}
	return phonenumbers.INVALID_LENGTH
}

// stripNationalPrefix is maybeStripNationalPrefixAndCarrierCode: it removes
// the national (trunk) prefix and any carrier code from number, applying
// the transform rule, unless number matched the general pattern before
// and the result would not. It returns number unchanged when nothing is
// stripped.
func (c *compiled) stripNationalPrefix(number string) string {
	if len(number) == 0 || !c.hasNPP {
		return number
	}
	r := &c.npp
	if r.fixed && c.transform == "" {
		// Without a transform rule, what the groups captured does not
		// matter (the carrier code is not kept): only where the match ends.
		end, ok := r.fixedMatch(number)
		if !ok {
			return number
		}
		rest := number[end:]
		if c.generalMatch(number) && !c.generalMatch(rest) {
			return number
		}
		return rest
	}
	if !r.mayMatchAtStart(number) {
		return number
	}
	// The regexp package keeps its input in pooled state, so give it a
	// copy: that keeps the caller's digits on its stack.
	s := strings.Clone(number)
	groups := r.re.FindStringSubmatchIndex(s)
	if groups == nil {
		return number
	}
	viable := c.generalMatch(number)
	last := len(groups)/2 - 1 // the last capturing group
	if c.transform == "" || groups[last*2] < 0 {
		if viable && !c.generalMatch(number[groups[1]:]) {
			return number
		}
		return number[groups[1]:]
	}
	transformed := r.re.ReplaceAllString(s, c.transform)
	if viable && !c.generalMatch(transformed) {
		return number
	}
	return transformed
}

// stripIDD is parsePrefixAsIdd: it removes the region's international
// prefix from the start of digits, unless a 0 follows it (no calling code
// starts with 0).
func (c *compiled) stripIDD(digits string) (string, bool) {
	r := &c.idd
	var end int
	switch {
	case r.fixed:
		// The regexp is unanchored, but a match at 0 is the leftmost one,
		// and leftmost-first picks the same end there as fixedMatch.
		var ok bool
		if end, ok = r.fixedMatch(digits); !ok {
			return digits, false
		}
	case !r.mayMatchAtStart(digits):
		return digits, false
	default:
		loc := r.re.FindStringIndex(strings.Clone(digits))
		if loc == nil || loc[0] != 0 {
			return digits, false
		}
		end = loc[1]
	}
	if end < len(digits) && digits[end] == '0' {
		return digits, false
	}
	return digits[end:], true
}
