package detect

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

// A value ID is the HMAC-SHA-256 (first 16 bytes), under the state's key,
// of the rule id, a 0 byte and the value in its normal form
// (FingerprintValue). With a value index every occurrence in a file needs
// one, so the work is made cheap without changing a single ID: the normal
// form is built in a reused buffer, one keyed hash state serves the whole
// file, and a small cache answers a value the file repeats (a customer's
// phone on each of their orders) without hashing it again.

// fingerprinter computes the value IDs of one file. Its buffers hold
// values, so it lives and dies with its File.
type fingerprinter struct {
	mac   hash.Hash
	msg   []byte            // rule id, 0, normal form
	sum   [sha256.Size]byte // mac.Sum's destination, kept off the stack it would escape from
	seed  maphash.Seed
	cache []idSlot // idCacheSlots, allocated on first use
	// seen holds the hashes of recent misses: a value is cached on its
	// second sight only, so that a column of distinct values (emails of a
	// customer table) does not keep evicting the few that repeat.
	seen []uint64
}

// idSlot remembers the ID of one raw value of one rule.
type idSlot struct {
	rule int
	h    uint64
	raw  []byte
	id   finding.ValueID
}

const (
	// idCacheSlots is the size of the direct-mapped cache: a file's
	// frequent values (a few hundred phone numbers over thousands of
	// rows) fit, and a miss only costs a hash of the raw bytes.
	idCacheSlots = 1024
	// maxCachedValue is the longest raw value cached, which bounds the
	// cache to about 100 KiB. Longer values are hashed every time.
	maxCachedValue = 64
	// seenSlots is the size of the table of recent misses (16 KiB).
	seenSlots = 2048
)

func newFingerprinter(key []byte) *fingerprinter {
	return &fingerprinter{mac: hmac.New(sha256.New, key)}
}

// id returns the value ID of raw as rule r (index ri) finds it. The cache
// is keyed on the raw bytes rather than the normal form, so that a hit
// skips normalising too; two spellings of one value are simply hashed
// once each, to the same ID.
func (p *fingerprinter) id(ri int, r *ruleset.Rule, raw []byte) finding.ValueID {
	if len(raw) > maxCachedValue {
		return p.compute(r, raw)
	}
	s, h, hit := p.slot(ri, raw)
	if hit {
		return s.id
	}
	id := p.compute(r, raw)
	k := h ^ uint64(ri)
	if seen := &p.seen[k%seenSlots]; *seen != k {
		*seen = k
		return id
	}
	s.rule, s.h, s.id = ri, h, id
	s.raw = append(s.raw[:0], raw...)
	return id
}

// slot returns the cache slot of raw for rule ri, its hash, and whether
// the slot holds raw's ID.
func (p *fingerprinter) slot(ri int, raw []byte) (_ *idSlot, h uint64, hit bool) {
	if p.cache == nil {
		p.cache = make([]idSlot, idCacheSlots)
		p.seen = make([]uint64, seenSlots)
		p.seed = maphash.MakeSeed()
	}
	h = maphash.Bytes(p.seed, raw)
	s := &p.cache[(h+uint64(ri)*0x9e3779b97f4a7c15)>>32%idCacheSlots]
	return s, h, s.h == h && s.rule == ri && s.raw != nil && bytes.Equal(s.raw, raw)
}

// compute hashes raw's normal form without allocating.
func (p *fingerprinter) compute(r *ruleset.Rule, raw []byte) finding.ValueID {
	p.msg = append(p.msg[:0], r.ID...)
	p.msg = append(p.msg, 0)
	p.msg = appendFingerprint(p.msg, r, raw)
	p.mac.Reset()
	p.mac.Write(p.msg)
	var id finding.ValueID
	copy(id[:], p.mac.Sum(p.sum[:0]))
	return id
}

// QueryID returns the fingerprint under which the value index holds raw
// as rule r finds it under key: what find looks up for an identifier it
// is asked about, written however the user wrote it (the normal form
// drops case, separators and a phone number's country code).
func QueryID(key []byte, r *ruleset.Rule, raw string) finding.ValueID {
	return newFingerprinter(key).compute(r, []byte(raw))
}

// FingerprintValue is the normal form of a value that fingerprints hash:
// emails lower-cased, everything else also stripped of spaces, dashes, dots
// and brackets. It defines the form; appendFingerprint is its fast path.
func FingerprintValue(r *ruleset.Rule, raw string) string {
	switch r.Mask {
	case "email":
		return strings.ToLower(strings.TrimSpace(raw))
	case "phone":
		return phoneKey(raw)
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

// appendFingerprint appends FingerprintValue(r, string(raw)) to dst. ASCII
// values, nearly all of them, take a path without allocation; Unicode
// case and space go to FingerprintValue itself.
func appendFingerprint(dst []byte, r *ruleset.Rule, raw []byte) []byte {
	if r.Mask == "phone" {
		return appendPhoneKey(dst, raw)
	}
	for _, c := range raw {
		if c >= 0x80 {
			return append(dst, FingerprintValue(r, string(raw))...)
		}
	}
	if r.Mask == "email" {
		for len(raw) > 0 && asciiSpace(raw[0]) {
			raw = raw[1:]
		}
		for len(raw) > 0 && asciiSpace(raw[len(raw)-1]) {
			raw = raw[:len(raw)-1]
		}
		for _, c := range raw {
			dst = append(dst, asciiLower(c))
		}
		return dst
	}
	for _, c := range raw {
		switch c {
		case ' ', '-', '.', '\t', '(', ')', '/':
			continue
		}
		dst = append(dst, asciiLower(c))
	}
	return dst
}

// asciiSpace is unicode.IsSpace for ASCII bytes, what strings.TrimSpace
// trims from an ASCII string.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// idSet is a set of value IDs. IDs are keyed hashes, evenly spread and
// beyond a file's control, so their first bytes index an open-addressed
// table directly: cheaper than a map, which hashes every key again.
type idSet struct {
	slots []finding.ValueID // a power of two long; the zero ID marks a free slot
	n     int
	zero  bool // the set holds the zero ID
}

func (s *idSet) len() int { return s.n }

// add adds id and reports whether it was new.
func (s *idSet) add(id finding.ValueID) bool {
	if id == (finding.ValueID{}) {
		if s.zero {
			return false
		}
		s.zero = true
		s.n++
		return true
	}
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	if s.insert(id) {
		s.n++
		return true
	}
	return false
}

func (s *idSet) has(id finding.ValueID) bool {
	if id == (finding.ValueID{}) {
		return s.zero
	}
	if len(s.slots) == 0 {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for i := binary.LittleEndian.Uint64(id[:8]) & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case id:
			return true
		case finding.ValueID{}:
			return false
		}
	}
}

// insert puts a non-zero id in its slot; the table has a free one.
func (s *idSet) insert(id finding.ValueID) bool {
	mask := uint64(len(s.slots) - 1)
	for i := binary.LittleEndian.Uint64(id[:8]) & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case id:
			return false
		case finding.ValueID{}:
			s.slots[i] = id
			return true
		}
	}
}

func (s *idSet) grow() {
	old := s.slots
	s.slots = make([]finding.ValueID, max(64, 2*len(old)))
	for _, id := range old {
		if id != (finding.ValueID{}) {
			s.insert(id)
		}
	}
}

// each calls fn with every ID of the set, in no particular order.
func (s *idSet) each(fn func(finding.ValueID)) {
	if s.zero {
		fn(finding.ValueID{})
	}
	for _, id := range s.slots {
		if id != (finding.ValueID{}) {
			fn(id)
		}
	}
}

// valueIndex is a finding's value index: the first max distinct IDs, in
// the order they came, and whether another came after (capped). It starts
// as a plain list, repeats included, which is cheaper to fill than a set:
// while the list is shorter than max, it holds fewer than max distinct
// IDs, so none can have been turned away. At max it becomes a set.
type valueIndex struct {
	list   []finding.ValueID
	set    idSet
	useSet bool
	capped bool // an ID did not fit; the set is then full
}

func (x *valueIndex) add(id finding.ValueID, max int) {
	if !x.useSet {
		if len(x.list) < max {
			x.list = append(x.list, id)
			return
		}
		x.toSet()
	}
	if x.set.len() < max {
		x.set.add(id)
	} else if !x.set.has(id) {
		x.capped = true
	}
}

// toSet moves the list into the set. Any time will do: the list holds
// fewer than max distinct IDs, which all fit.
func (x *valueIndex) toSet() {
	x.useSet = true
	for _, l := range x.list {
		x.set.add(l)
	}
	x.list = nil
}

// merge adds o's IDs after x's, as if they had come after x's.
func (x *valueIndex) merge(o *valueIndex, max int) {
	// A capped index is full: o's IDs could only mark it capped.
	if !x.capped {
		// x gathers the parts of a file: a list would pile up their
		// repeats.
		if !x.useSet {
			x.toSet()
		}
		if o.useSet {
			o.set.each(func(id finding.ValueID) { x.add(id, max) })
		} else {
			for _, id := range o.list {
				x.add(id, max)
			}
		}
	}
	x.capped = x.capped || o.capped
}

// sorted returns the distinct IDs in byte order, nil if there are none.
func (x *valueIndex) sorted() []finding.ValueID {
	var ids []finding.ValueID
	if x.useSet && x.set.len() > 0 {
		ids = make([]finding.ValueID, 0, x.set.len())
		x.set.each(func(id finding.ValueID) { ids = append(ids, id) })
	} else if len(x.list) > 0 {
		ids = slices.Clone(x.list)
	}
	slices.SortFunc(ids, compareIDs)
	if ids = slices.Compact(ids); cap(ids) > 2*len(ids) {
		// Results with findings live until the report is written: do not
		// keep a list's room for 10k repeats of one value.
		ids = slices.Clone(ids)
	}
	return ids
}

// compareIDs is bytes.Compare on two IDs, in two word comparisons.
func compareIDs(a, b finding.ValueID) int {
	if c := cmp.Compare(binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(b[:8])); c != 0 {
		return c
	}
	return cmp.Compare(binary.BigEndian.Uint64(a[8:]), binary.BigEndian.Uint64(b[8:]))
}
