package pdf

import (
	"sort"
	"strings"
	"unicode/utf16"

	lpdf "github.com/ledongthuc/pdf"
)

// A font turns the bytes of a shown string into codes, each code into text
// and a width. Text comes from the font's /ToUnicode CMap when it maps the
// code, else from its encoding (the library's tables and glyph names: the
// standard encodings and /Differences), else, for a simple font, from the
// byte itself where it is printable ASCII. Widths place the runs on a line.

const (
	// maxWidthEntries caps what is read of a CID font's /W array.
	maxWidthEntries = 1 << 16
	// maxDifferences caps the /Differences array the library's decoder
	// scans once per character it decodes.
	maxDifferences = 4096
	// maxDecoded caps the per-font cache of decoded multi-byte codes.
	maxDecoded = 1 << 16
)

type cidWidth struct {
	lo, hi uint32
	w      float64
}

type font struct {
	simple bool    // one byte a code; else Type 0, codes of 1-4 bytes
	scale  float64 // glyph space to text space: 0.001, or Type 3's /FontMatrix
	toUni  *cmap   // the /ToUnicode CMap, if it could be read

	// Simple fonts.
	lib     *lpdf.Font // the library's decoder, when safe to use
	decoded [256]string
	done    [256]bool
	first   int // /FirstChar: the code of widths[0]
	widths  []float64
	std     *[95]uint16 // standard-font widths when /Widths is missing
	missing float64     // width of any other code

	// Type 0 fonts.
	encoding *cmap // code lengths, from an embedded /Encoding CMap
	ucs2     bool  // a UCS-2/UTF-16 predefined CMap: codes are Unicode
	dw       float64
	w        []cidWidth // sorted by lo
	cache    map[uint32]string
}

// loadFont reads the font dictionary v. It never fails: what cannot be
// read makes codes decode to nothing and take an average width.
func loadFont(v lpdf.Value, s *session) *font {
	f := &font{scale: 0.001, missing: 500, dw: 1000}
	subtype := v.Key("Subtype").Name()
	if tu := v.Key("ToUnicode"); tu.Kind() == lpdf.Stream {
		f.toUni = s.readCMap(tu)
	}
	if subtype == "Type0" {
		enc := v.Key("Encoding")
		switch enc.Kind() {
		case lpdf.Stream:
			f.encoding = s.readCMap(enc)
		case lpdf.Name:
			n := enc.Name()
			f.ucs2 = strings.Contains(n, "UCS2") || strings.Contains(n, "UTF16")
		}
		desc := v.Key("DescendantFonts").Index(0)
		if dw := desc.Key("DW"); dw.Kind() == lpdf.Integer || dw.Kind() == lpdf.Real {
			f.dw = dw.Float64()
		}
		f.w = cidWidths(desc.Key("W"))
		sort.SliceStable(f.w, func(i, j int) bool { return f.w[i].lo < f.w[j].lo })
		f.cache = map[uint32]string{}
		return f
	}
	f.simple = true
	f.first = int(v.Key("FirstChar").Int64())
	if ws := v.Key("Widths"); ws.Kind() == lpdf.Array {
		n := min(ws.Len(), 256)
		f.widths = make([]float64, n)
		for i := range n {
			f.widths[i] = ws.Index(i).Float64()
		}
	} else {
		f.std = standardWidths(v.Key("BaseFont").Name())
		if strings.Contains(v.Key("BaseFont").Name(), "Courier") {
			f.missing = 600
		}
	}
	if mw := v.Key("FontDescriptor").Key("MissingWidth"); mw.Kind() == lpdf.Integer || mw.Kind() == lpdf.Real {
		f.missing = mw.Float64()
	}
	if subtype == "Type3" {
		if m := v.Key("FontMatrix"); m.Len() == 6 {
			if a := m.Index(0).Float64(); a > 0 && a < 1 {
				f.scale = a
			}
		}
	}
	if libDecoderSafe(v) {
		f.lib = &lpdf.Font{V: v}
	}
	return f
}

// libDecoderSafe tells whether the library's Font.Encoder can be used: it
// parses a /ToUnicode CMap itself (with the interpreter lex.go avoids) when
// the encoding is missing or Identity-H, and scans /Differences once per
// character.
func libDecoderSafe(v lpdf.Value) bool {
	enc := v.Key("Encoding")
	switch enc.Kind() {
	case lpdf.Dict:
		return enc.Key("Differences").Len() <= maxDifferences
	case lpdf.Name:
		if enc.Name() != "Identity-H" {
			return true
		}
	}
	return v.Key("ToUnicode").Kind() != lpdf.Stream
}

func standardWidths(base string) *[95]uint16 {
	if i := strings.IndexByte(base, '+'); i >= 0 {
		base = base[i+1:] // subset prefix
	}
	bold := strings.Contains(base, "Bold")
	switch {
	case strings.HasPrefix(base, "Helvetica") || strings.HasPrefix(base, "Arial"):
		if bold {
			return &helveticaBoldWidths
		}
		return &helveticaWidths
	case strings.HasPrefix(base, "Times"):
		if bold {
			return &timesBoldWidths
		}
		return &timesWidths
	}
	return nil
}

// cidWidths reads a CID font's /W array: "c [w1 w2 ...]" and "c1 c2 w".
func cidWidths(a lpdf.Value) []cidWidth {
	var out []cidWidth
	n := min(a.Len(), maxWidthEntries)
	for i := 0; i < n; {
		c := a.Index(i)
		if c.Kind() != lpdf.Integer || c.Int64() < 0 {
			return out
		}
		lo := uint32(c.Int64())
		next := a.Index(i + 1)
		if next.Kind() == lpdf.Array {
			m := min(next.Len(), maxWidthEntries-len(out))
			for j := range m {
				out = append(out, cidWidth{lo: lo + uint32(j), hi: lo + uint32(j), w: next.Index(j).Float64()})
			}
			i += 2
			continue
		}
		hi := next.Int64()
		if hi < int64(lo) || i+2 >= n {
			return out
		}
		out = append(out, cidWidth{lo: lo, hi: uint32(min(hi, 1<<32-1)), w: a.Index(i + 2).Float64()})
		i += 3
		if len(out) >= maxWidthEntries {
			return out
		}
	}
	return out
}

// next splits the first code off s: its value and length in bytes.
func (f *font) next(s []byte) (uint32, int) {
	n := 1
	if !f.simple {
		n = 2
		if f.encoding != nil && f.encoding.hasSpace() {
			if k := f.encoding.codeLen(s); k > 0 {
				n = k
			} else {
				n = 1
			}
		}
	}
	n = min(n, len(s))
	return beUint(s[:n]), n
}

// text returns the text of one code.
func (f *font) text(code uint32, n int) string {
	if f.simple {
		c := byte(code)
		if !f.done[c] {
			f.done[c] = true
			f.decoded[c] = validText(f.decodeSimple(c))
		}
		return f.decoded[c]
	}
	if s, ok := f.cache[code]; ok {
		return s
	}
	var s string
	if f.toUni != nil {
		s, _ = f.toUni.lookup(n, code)
	}
	if s == "" && f.ucs2 && n == 2 {
		s = string(utf16.Decode([]uint16{uint16(code)}))
	}
	s = validText(s)
	if len(f.cache) < maxDecoded {
		f.cache[code] = s
	}
	return s
}

func (f *font) decodeSimple(c byte) string {
	if f.toUni != nil {
		if s, ok := f.toUni.lookup(1, uint32(c)); ok {
			return s
		}
		// Some producers write two-byte codes in a simple font's CMap.
		if s, ok := f.toUni.lookup(2, uint32(c)); ok {
			return s
		}
	}
	if f.lib != nil {
		return f.lib.Encoder().Decode(string([]byte{c}))
	}
	if c >= 0x20 && c < 0x7f {
		return string(rune(c))
	}
	return ""
}

// width returns the advance of one code in text space units (multiply by
// the font size).
func (f *font) width(code uint32, _ int) float64 {
	if f.simple {
		i := int(code) - f.first
		switch {
		case i >= 0 && i < len(f.widths):
			return f.widths[i] * f.scale
		case f.std != nil && code >= 32 && code <= 126:
			return float64(f.std[code-32]) * f.scale
		}
		return f.missing * f.scale
	}
	// The last range starting at or before code (loadFont sorts them).
	i := sort.Search(len(f.w), func(i int) bool { return f.w[i].lo > code })
	if i > 0 && code <= f.w[i-1].hi {
		return f.w[i-1].w * f.scale
	}
	return f.dw * f.scale
}

// isSpaceCode tells whether word spacing (Tw) applies: to the single-byte
// code 32 only (9.3.3).
func (f *font) isSpaceCode(code uint32, n int) bool { return n == 1 && code == 32 }

// readCMap reads a CMap stream, bounded; nil if it cannot be read.
func (s *session) readCMap(v lpdf.Value) *cmap {
	r, err := s.stream(v, maxCMapBytes)
	if err != nil {
		return nil
	}
	m, err := parseCMap(r)
	if err != nil {
		return nil
	}
	return m
}

// fontCache shares parsed fonts across the pages of one document. The
// library keeps no cache: each lookup of an indirect object parses it
// again, and a font's CMap would be read again on every page. A font is
// keyed by the text of its dictionary, whose references name the objects
// it uses, so that two equal keys are the same font; a page's /Font
// dictionary likewise keys the set of fonts it names, so that pages
// sharing their fonts resolve nothing again.
type fontCache struct {
	fonts map[string]*font
	sets  map[string]map[string]*font
}

const (
	maxCachedFonts = 4096
	maxFontKey     = 64 << 10
)

// fontSet is the fonts of one resource dictionary.
type fontSet struct {
	dict  lpdf.Value
	named map[string]*font
}

func (c *fontCache) set(res lpdf.Value) *fontSet {
	dict := res.Key("Font")
	fs := &fontSet{dict: dict, named: map[string]*font{}}
	if dict.Kind() != lpdf.Dict {
		return fs
	}
	key := dict.String()
	if len(key) > maxFontKey {
		return fs
	}
	if c.sets == nil || len(c.sets) >= maxCachedFonts {
		c.sets = map[string]map[string]*font{}
	}
	named, ok := c.sets[key]
	if !ok {
		named = map[string]*font{}
		c.sets[key] = named
	}
	fs.named = named
	return fs
}

// font returns the font the set names name, nil if there is none.
func (c *fontCache) font(fs *fontSet, name string, s *session) *font {
	if f, ok := fs.named[name]; ok {
		return f
	}
	v := fs.dict.Key(name)
	var f *font
	if v.Kind() == lpdf.Dict {
		key := v.String()
		if len(key) <= maxFontKey {
			f = c.fonts[key]
		}
		if f == nil {
			f = loadFont(v, s)
			if len(key) <= maxFontKey {
				if c.fonts == nil || len(c.fonts) >= maxCachedFonts {
					c.fonts = map[string]*font{}
				}
				c.fonts[key] = f
			}
		}
	}
	if len(fs.named) < maxCachedFonts {
		fs.named[name] = f
	}
	return f
}
