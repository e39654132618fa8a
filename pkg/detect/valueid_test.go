package detect

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

func ruleByID(t testing.TB, rs *ruleset.Ruleset, id string) *ruleset.Rule {
	t.Helper()
	for _, r := range rs.Rules() {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no rule %s", id)
	return nil
}

// goldenCorpora are the texts whose value index is held to golden
// digests: lines crowded with values and look-alikes, the same upper-cased
// (repeats, in another case), and dense CSV cells.
func goldenCorpora(t testing.TB) map[string][]extract.Chunk {
	lines := strings.Join(equivCorpus(42, 3000), "\n")
	twice := lines + "\n" + strings.ToUpper(lines) + "\n" + lines
	return map[string][]extract.Chunk{
		"lines": {{Kind: extract.Lines, Data: []byte(lines), Loc: finding.Location{Line: 1}}},
		"twice": {{Kind: extract.Lines, Data: []byte(twice), Loc: finding.Location{Line: 1}}},
		"dense": denseCells(t, 3000),
	}
}

type goldenDigest struct {
	ids, locs int
	digest    string
}

const goldenKey = "golden-key-0123456789abcdef-0123"

// TestValueIDGolden: QueryID and the scan's cached path give the golden
// IDs, the cached path on a first and on a repeated sight of a value.
func TestValueIDGolden(t *testing.T) {
	rs := builtin(t)
	fp := newFingerprinter([]byte(goldenKey))
	for pass := 0; pass < 2; pass++ {
		for _, g := range goldenIDs {
			r := ruleByID(t, rs, g.rule)
			ri := slices.Index(rs.Rules(), r)
			if id := QueryID([]byte(goldenKey), r, g.raw); hex.EncodeToString(id[:]) != g.id {
				t.Errorf("QueryID(%s, %q) = %x, want %s", g.rule, g.raw, id, g.id)
			}
			if id := fp.id(ri, r, []byte(g.raw)); hex.EncodeToString(id[:]) != g.id {
				t.Errorf("pass %d: id(%s, %q) = %x, want %s", pass, g.rule, g.raw, id, g.id)
			}
		}
	}
}

// TestValueIndexGolden: scanning the golden corpora indexes the golden
// IDs and lists the golden location fingerprints, whether a file is
// scanned whole or in parts merged in order, as the scan fans out.
func TestValueIndexGolden(t *testing.T) {
	rs := builtin(t)
	e := New(rs, Options{FingerprintKey: []byte(goldenKey), IndexValues: true, MaxLocations: 7})
	for name, chunks := range goldenCorpora(t) {
		for _, parts := range []int{1, 7} {
			out := e.NewFile()
			per := (len(chunks) + parts - 1) / parts
			for s := 0; s < len(chunks); s += per {
				part := e.NewFile()
				for i := s; i < min(s+per, len(chunks)); i++ {
					_ = part.Add(&chunks[i])
				}
				out.Merge(part)
			}
			got := map[string]goldenDigest{}
			for _, fd := range out.Findings() {
				h := sha256.New()
				for _, id := range fd.ValueIDs {
					h.Write(id[:])
				}
				for _, l := range fd.Locations {
					h.Write([]byte(l.Fingerprint))
				}
				got[fd.Detector] = goldenDigest{len(fd.ValueIDs), len(fd.Locations), hex.EncodeToString(h.Sum(nil)[:16])}
			}
			if len(got) != len(goldenIndex[name]) {
				t.Errorf("%s in %d parts: %d detectors found, want %d", name, parts, len(got), len(goldenIndex[name]))
			}
			for det, want := range goldenIndex[name] {
				if got[det] != want {
					t.Errorf("%s in %d parts: %s = %+v, want %+v", name, parts, det, got[det], want)
				}
			}
		}
	}
}

// goldenIDs were computed, under goldenKey, by the code before the value
// index was made cheap (ac56a0b): find and affected answer from stored
// IDs, so no change of the engine may change one. The values cover every
// detector, written in the ways the normal forms fold together and in
// ways they must not (Unicode case and space, invalid UTF-8, brackets,
// line breaks).
var goldenIDs = []struct{ rule, raw, id string }{
	{"email", "ana.lopez@mail.example.org", "db560ba4025bd48802af791a1cb46703"},
	{"email", "Ana.Lopez@Mail.Example.ORG", "db560ba4025bd48802af791a1cb46703"},
	{"email", "  ana.lopez@mail.example.org\t", "db560ba4025bd48802af791a1cb46703"},
	{"email", "\u00a0ana.lopez@mail.example.org\u2003", "db560ba4025bd48802af791a1cb46703"},
	{"email", "JÖRG@example.com", "88f56f395dc4f63b91c5c5380e0a27f3"},
	{"email", "Kelvin@example.com", "6049a8773c835a33657ef4a25aa3c912"},
	{"email", "İnci@example.com", "b569c717889d0d2316112b0da38ff3c6"},
	{"email", "bad\xffbyte@example.com", "80803ae3b7f550ec33b572deae3bdace"},
	{"email", "a-b.c(d)/e@example.com", "fee2d7f8dd38fcfad3da40bb95c7f3eb"},
	{"email", "", "597bf165c4a3fbb0f8c7d937b8b39352"},
	{"phone", "+44 20 7946 0958", "4b119780c2e84af60492138f8c97563f"},
	{"phone", "0044 20 7946 0958", "4b119780c2e84af60492138f8c97563f"},
	{"phone", "+44 (0)20 7946 0958", "4b119780c2e84af60492138f8c97563f"},
	{"phone", "020 7946 0958", "4b119780c2e84af60492138f8c97563f"},
	{"phone", "+1 202-555-0187", "a8370cef10394df5c11f48c2bbb81d8c"},
	{"phone", "(202) 555-0187", "a8370cef10394df5c11f48c2bbb81d8c"},
	{"phone", "1 202 555 0187", "a8370cef10394df5c11f48c2bbb81d8c"},
	{"phone", "+49 30 901820", "d3f81677b35027e2700ee54b159db5ab"},
	{"phone", "+999 1234 5678", "98340226a7306c90cde49d848435bedf"},
	{"phone", "00", "3d4c952daa4cd25a0ef8e1ba12d6e414"},
	{"phone", "+", "de93916d4f241e738f8b28a1a4c01993"},
	{"phone", "0", "3d4c952daa4cd25a0ef8e1ba12d6e414"},
	{"phone", "12+34", "a66420361ae3a0d60d36d65d8805248e"},
	{"phone", "+44\u00a020\u00a07946\u00a00958", "4b119780c2e84af60492138f8c97563f"},
	{"phone", "０２０ 7946 0958", "609d14e05db8be1de49fcf6a6d529991"},
	{"password", "Hunter2!", "c2e7e68a895739322436d9a288024e72"},
	{"password", "hunter2!", "c2e7e68a895739322436d9a288024e72"},
	{"password", "pa ss-wo.rd(x)/y\tz", "6063553a9fd325351c976aba0c14e2e1"},
	{"password", "PÄSS\u00a0wörd", "aa5b8101d83ecaa696b7c616d023495b"},
	{"password", "line\nbreak\r\v\f", "b9c78657eff558b2f51388499452ed39"},
	{"password", "\xff\xfe", "9c85983902c88fcf9ce0bd44f0e329cd"},
	{"credit_card", "4111 1111 1111 1111", "a538f345d3b690516e8c9f4acc78d142"},
	{"credit_card", "4111-1111-1111-1111", "a538f345d3b690516e8c9f4acc78d142"},
	{"credit_card", "4111.1111/1111(1111)", "a538f345d3b690516e8c9f4acc78d142"},
	{"credit_card", "4111111111111111", "a538f345d3b690516e8c9f4acc78d142"},
	{"credit_card", "4539 1488 0343 6467", "8385ab78f143f74831512a2cdbe74c28"},
	{"iban", "GB82 WEST 1234 5698 7654 32", "884647683cccac963bb9fe7cbe34a641"},
	{"iban", "gb82west12345698765432", "884647683cccac963bb9fe7cbe34a641"},
	{"iban", "DE89 3704 0044 0532 0130 00", "3bf427c2cb5b148c2a6371e91a2c113b"},
	{"us_ssn", "123-45-6789", "725c5b83c9ab98dc1c0cd63cb1dfa1bc"},
	{"us_ssn", "123 45 6789", "725c5b83c9ab98dc1c0cd63cb1dfa1bc"},
	{"uk_nino", "QQ 12 34 56 C", "d74dd651a4a80a2134836a65f24e0133"},
	{"uk_nino", "qq123456c", "d74dd651a4a80a2134836a65f24e0133"},
	{"in_aadhaar", "2341 2341 2346", "471e0d77d3f895f4b52e0c9be4b28d67"},
	{"in_pan", "ABCPE1234F", "bf365c3eadcdb6ab06f77183730ec49a"},
	{"ca_sin", "046-454-286", "184f63fb34eab6342e01aa61c0e6e449"},
	{"es_dni", "12345678-Z", "ab5d37fc8f8119af6710919009a0f1a8"},
	{"es_dni", "X1234567L", "1f406fdfd622ddeda1e1a737df87a881"},
	{"nl_bsn", "1112.22.333", "8b274fa46882c54114f7699fcd954a07"},
	{"br_cpf", "111.444.777-35", "b866a1c664936aa7e0723395b4a51089"},
	{"ip_address", "192.0.2.10", "93b3a9643d6f3e924252c85f345e694d"},
	{"ip_address", "2001:DB8::1", "1739465d4063143a90df3fb65f4cd947"},
	{"ip_address", "2001:db8::1", "1739465d4063143a90df3fb65f4cd947"},
	{"ip_address", "İP", "a4923c74c85310953abddb99f7253a04"},
}

// goldenIndex holds, per corpus and detector, the number of value IDs and
// of listed locations, and the first 16 bytes of the SHA-256 of the sorted
// IDs followed by the locations' fingerprints (MaxLocations 7), as the
// code before the change computed them.
var goldenIndex = map[string]map[string]goldenDigest{
	"lines": {
		"br_cpf":      {21, 7, "7f68e0f58801f1b5b76d4045a427aa6b"},
		"ca_sin":      {6, 6, "6303b00c4d90ddb87bb0cee5c6964d3b"},
		"credit_card": {71, 7, "edf2894475e34671a803cfb09a52732d"},
		"email":       {106, 7, "09ddf615c5e9345cc9a176597fffcab4"},
		"es_dni":      {155, 7, "e454ca7d8e0cebd38b72446a3f6b20ed"},
		"iban":        {156, 7, "ad173b016ef93ba2bf30626c84794d04"},
		"in_aadhaar":  {37, 7, "61ec1db0b2bb0d51e0a98eca7b4d46ae"},
		"in_pan":      {71, 7, "ae73cd25444b6a286ddfd096104c08fc"},
		"ip_address":  {132, 7, "1e16cf46e3cc9d7d1c3e80e1ec06dea7"},
		"nl_bsn":      {3, 3, "8c84a341fc4134d94fe894ebdf9260c6"},
		"password":    {17, 7, "994438e7a07df3cb3e7786f100961add"},
		"phone":       {85, 7, "127c3034ecc8a6878fbef5381caf1c09"},
		"uk_nino":     {90, 7, "7ed322b41142f72dea7e6278cae42d4d"},
		"us_ssn":      {75, 7, "4be71875f6db7c73c7283a8bc3c45b5a"},
	},
	"twice": {
		"br_cpf":      {21, 7, "7f68e0f58801f1b5b76d4045a427aa6b"},
		"ca_sin":      {6, 7, "1859c3664666111bc6dbdfb7e6e27df3"},
		"credit_card": {71, 7, "edf2894475e34671a803cfb09a52732d"},
		"email":       {106, 7, "09ddf615c5e9345cc9a176597fffcab4"},
		"es_dni":      {156, 7, "d9fe6ab274eb0ff79df1e5288c1b7dd5"},
		"iban":        {156, 7, "ad173b016ef93ba2bf30626c84794d04"},
		"in_aadhaar":  {37, 7, "61ec1db0b2bb0d51e0a98eca7b4d46ae"},
		"in_pan":      {71, 7, "ae73cd25444b6a286ddfd096104c08fc"},
		"ip_address":  {132, 7, "1e16cf46e3cc9d7d1c3e80e1ec06dea7"},
		"nl_bsn":      {3, 7, "b7e8c0b0718e5fb2bac12176b87dd49e"},
		"password":    {17, 7, "994438e7a07df3cb3e7786f100961add"},
		"phone":       {85, 7, "127c3034ecc8a6878fbef5381caf1c09"},
		"uk_nino":     {90, 7, "7ed322b41142f72dea7e6278cae42d4d"},
		"us_ssn":      {75, 7, "4be71875f6db7c73c7283a8bc3c45b5a"},
	},
	"dense": {
		"credit_card": {1500, 7, "1d0706949a9938bc6f8f0f570d3bfb6f"},
		"email":       {2708, 7, "e145b58a3f2719629914f5241380cc5b"},
		"phone":       {486, 7, "f50e343761bb29fe83bd1d9055a68599"},
	},
}

// fingerprintCorpus mixes the bytes the normal forms treat specially.
func fingerprintCorpus(n int) []string {
	r := rand.New(rand.NewPCG(5, 5))
	bits := []string{"a", "Z", "0", "4111", "00", "+", "44", "1", " ", "-", ".", "\t", "(", ")", "/", "\n", "\r", "\v", "\f", "@",
		"é", "É", "\u212A", "\u0130", "\u00a0", "\u0085", "\u2003", "\xff", "\uff10", "x@Example.COM"}
	out := []string{"", " ", "+", "00", "0", "1", "+1", "+44 20 7946 0958", "12345678901", "\u00a0a-b\u00a0"}
	for len(out) < n {
		var b strings.Builder
		for k := r.IntN(10); k > 0; k-- {
			b.WriteString(bits[r.IntN(len(bits))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestAppendFingerprint holds the fast normal form to FingerprintValue
// for every mask the rules use.
func TestAppendFingerprint(t *testing.T) {
	rs := builtin(t)
	for _, id := range []string{"email", "phone", "password", "credit_card", "ip_address"} {
		r := ruleByID(t, rs, id)
		for _, v := range fingerprintCorpus(20000) {
			if got, want := string(appendFingerprint([]byte("pre"), r, []byte(v))), "pre"+referenceFingerprint(r, v); got != want {
				t.Fatalf("%s: appendFingerprint(%q) = %q, want %q", id, v, got, want)
			}
		}
	}
}

// referenceFingerprint is FingerprintValue with phone numbers keyed by
// referencePhoneKey, the string version appendPhoneKey replaced.
func referenceFingerprint(r *ruleset.Rule, v string) string {
	if r.Mask == "phone" {
		return referencePhoneKey(v)
	}
	return FingerprintValue(r, v)
}

func FuzzAppendFingerprint(f *testing.F) {
	for _, v := range fingerprintCorpus(30) {
		f.Add(v)
	}
	rs, err := ruleset.Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, r := range rs.Rules() {
			if got, want := string(appendFingerprint(nil, r, []byte(v))), referenceFingerprint(r, v); got != want {
				t.Fatalf("%s: appendFingerprint(%q) = %q, want %q", r.ID, v, got, want)
			}
		}
	})
}

// TestFingerprinterCache: with far more values than cache slots, some
// repeated, some longer than what is cached, and the same raw value
// under different rules, every answer equals an uncached computation.
func TestFingerprinterCache(t *testing.T) {
	rs := builtin(t)
	rules := rs.Rules()
	fp := newFingerprinter([]byte(goldenKey))
	ref := newFingerprinter([]byte(goldenKey))
	vals := fingerprintCorpus(3 * idCacheSlots)
	vals = append(vals, strings.Repeat("4111 ", 20), strings.Repeat("4111 ", 20)+"x")
	r := rand.New(rand.NewPCG(7, 7))
	hits := 0
	for range 20 * idCacheSlots {
		v := vals[r.IntN(len(vals))]
		if r.IntN(2) == 0 {
			v = vals[r.IntN(16)] // frequent values
		}
		ri := r.IntN(len(rules))
		if _, _, hit := fp.slot(ri, []byte(v)); hit {
			hits++
		}
		got := fp.id(ri, rules[ri], []byte(v))
		if want := ref.compute(rules[ri], []byte(v)); got != want {
			t.Fatalf("%s %q: cached id %x, want %x", rules[ri].ID, v, got, want)
		}
	}
	// Half the lookups are of 16 values under 14 rules: most of those hit.
	if hits < 5*idCacheSlots {
		t.Fatalf("%d cache hits in %d lookups", hits, 20*idCacheSlots)
	}
}

// TestIDSet holds idSet to a map, the zero ID and growth included.
func TestIDSet(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	var s idSet
	want := map[finding.ValueID]bool{}
	for i := range 5000 {
		var id finding.ValueID
		switch {
		case i%97 == 0: // the zero ID, which marks free slots
		case i%3 == 0 && len(want) > 0: // an ID already held, or a near one
			for k := range want {
				id = k
				break
			}
			if i%2 == 0 {
				id[15] ^= 1
			}
		default:
			binary.LittleEndian.PutUint64(id[:8], r.Uint64()&0xff) // crowd a few slots
			binary.LittleEndian.PutUint64(id[8:], r.Uint64())
		}
		if added := s.add(id); added == want[id] {
			t.Fatalf("add %x = %v, held before %v", id, added, want[id])
		}
		want[id] = true
		if s.len() != len(want) || !s.has(id) {
			t.Fatalf("after add %x: len %d, want %d; has %v", id, s.len(), len(want), s.has(id))
		}
	}
	got := map[finding.ValueID]bool{}
	s.each(func(id finding.ValueID) { got[id] = true })
	if !maps.Equal(got, want) {
		t.Fatalf("each gave %d IDs, want %d", len(got), len(want))
	}
	var absent finding.ValueID
	absent[3] = 0xaa
	if s.has(absent) || (&idSet{}).has(absent) || (&idSet{}).has(finding.ValueID{}) {
		t.Fatal("has an ID never added")
	}
}

// TestValueIndexModel holds valueIndex, list and set modes and merges, to
// the map it replaced: the first max distinct IDs, capped when another
// comes.
func TestValueIndexModel(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	pool := make([]finding.ValueID, 40)
	for i := range pool[1:] { // pool[0] stays the zero ID
		binary.LittleEndian.PutUint64(pool[i+1][:8], r.Uint64())
	}
	for range 3000 {
		max := []int{1, 2, 3, 5, 8, 30, 100}[r.IntN(7)]
		seq := make([]finding.ValueID, r.IntN(120))
		for i := range seq {
			seq[i] = pool[r.IntN(1+r.IntN(len(pool)))]
		}
		// The model, fed in order.
		want := map[finding.ValueID]bool{}
		capped := false
		for _, id := range seq {
			if len(want) < max {
				want[id] = true
			} else if !want[id] {
				capped = true
			}
		}
		// Whole: exactly the model.
		var whole valueIndex
		for _, id := range seq {
			whole.add(id, max)
		}
		if got := whole.sorted(); whole.capped != capped || !slices.Equal(got, sortedKeys(want)) {
			t.Fatalf("max %d, %d IDs: got %d IDs capped %v, want %d capped %v", max, len(seq), len(got), whole.capped, len(want), capped)
		}
		// In parts merged in order: the same when not capped; when capped,
		// max of the IDs (which ones may differ: a part's set has no order).
		var out, empty valueIndex
		out.merge(&empty, max) // a part without values
		for s := 0; s < len(seq); {
			e := min(len(seq), s+1+r.IntN(40))
			var part valueIndex
			for _, id := range seq[s:e] {
				part.add(id, max)
			}
			out.merge(&part, max)
			s = e
		}
		got := out.sorted()
		switch {
		case (got == nil) != (len(want) == 0):
			// Findings compare with reflect.DeepEqual: none is nil.
			t.Fatalf("max %d merged: %d IDs, nil %v", max, len(got), got == nil)
		case out.capped != capped:
			t.Fatalf("max %d merged: capped %v, want %v", max, out.capped, capped)
		case !capped && !slices.Equal(got, sortedKeys(want)):
			t.Fatalf("max %d merged: %d IDs, want %d", max, len(got), len(want))
		case capped && len(got) != max:
			t.Fatalf("max %d merged and capped: %d IDs", max, len(got))
		}
	}
}

func sortedKeys(m map[finding.ValueID]bool) []finding.ValueID {
	var ids []finding.ValueID
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b finding.ValueID) int { return bytes.Compare(a[:], b[:]) })
	return ids
}
