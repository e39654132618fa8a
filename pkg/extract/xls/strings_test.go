package xls

import (
	"errors"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeSST runs readSST over segs: the SST payload, then CONTINUE payloads.
func decodeSST(segs [][]byte) ([]string, *sharedStrings, error) {
	rest := segs[1:]
	more := func() ([]byte, error) {
		if len(rest) == 0 {
			return nil, errTruncated
		}
		b := rest[0]
		rest = rest[1:]
		return b, nil
	}
	var s segments
	t, err := readSST(&s, segs[0], more)
	if err != nil {
		return nil, nil, err
	}
	var out []string
	for i := range t.ends {
		b, _ := t.get(uint32(i))
		out = append(out, string(b))
	}
	return out, t, nil
}

func sstHead(unique uint32) []byte { return cat(le32(unique), le32(unique)) }

// u16s is s in UTF-16LE bytes.
func u16s(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}

func TestReadSST(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		segs [][]byte
		want []string
		err  error
	}{
		{"compressed", [][]byte{cat(sstHead(1), le16(3), []byte{0}, []byte("abc"))}, []string{"abc"}, nil},
		{"UTF-16", [][]byte{cat(sstHead(1), le16(2), []byte{1}, u16s("日本"))}, []string{"日本"}, nil},
		{"Latin-1 in one byte", [][]byte{cat(sstHead(1), le16(4), []byte{0}, []byte("caf\xe9"))}, []string{"café"}, nil},
		{"split: one byte a character, then two", [][]byte{
			cat(sstHead(1), le16(4), []byte{0}, []byte("ab")),
			cat([]byte{1}, u16s("日本")),
		}, []string{"ab日本"}, nil},
		{"split: two bytes a character, then one", [][]byte{
			cat(sstHead(1), le16(3), []byte{1}, u16s("日")),
			cat([]byte{0}, []byte("ab")),
		}, []string{"日ab"}, nil},
		{"split right after the header: the flag byte comes first", [][]byte{
			cat(sstHead(1), le16(2), []byte{1}),
			cat([]byte{0}, []byte("hi")),
		}, []string{"hi"}, nil},
		{"split between strings: no flag byte", [][]byte{
			cat(sstHead(2), le16(2), []byte{0}, []byte("ab")),
			cat(le16(2), []byte{0}, []byte("cd")),
		}, []string{"ab", "cd"}, nil},
		{"formatting runs continue without a flag byte", [][]byte{
			cat(sstHead(2), le16(2), []byte{0x08}, le16(2), []byte("ab"), le32(0x00010000)),
			cat(le32(0x00020001), le16(1), []byte{0}, []byte("c")),
		}, []string{"ab", "c"}, nil},
		{"phonetic data continues without a flag byte", [][]byte{
			cat(sstHead(2), le16(1), []byte{0x04}, le32(6), []byte("x"), []byte{1, 1, 0}),
			cat([]byte{0, 2, 2}, le16(1), []byte{0}, []byte("y")),
		}, []string{"x", "y"}, nil},
		{"runs and phonetic data, characters split too", [][]byte{
			cat(sstHead(2), le16(3), []byte{0x0D}, le16(1), le32(2), u16s("日")),
			cat([]byte{0}, []byte("ab"), le32(7), []byte{9}),
			cat([]byte{9}, le16(1), []byte{0}, []byte("z")),
		}, []string{"日ab", "z"}, nil},
		{"an odd byte left where a two-byte character starts", [][]byte{
			cat(sstHead(1), le16(2), []byte{1}, u16s("日"), []byte{0xEE}),
			cat([]byte{1}, u16s("本")),
		}, []string{"日本"}, nil},
		{"a surrogate pair across records", [][]byte{
			cat(sstHead(1), le16(2), []byte{1}, le16(0xD83D)),
			cat([]byte{1}, le16(0xDE00)),
		}, []string{"😀"}, nil},
		{"a lone surrogate", [][]byte{cat(sstHead(1), le16(2), []byte{1}, le16(0xD83D), le16('a'))}, []string{"\uFFFDa"}, nil},
		{"empty CONTINUE records", [][]byte{
			cat(sstHead(1), le16(2), []byte{0}, []byte("a")),
			{},
			cat([]byte{0}, []byte("b")),
		}, []string{"ab"}, nil},
		{"empty string", [][]byte{cat(sstHead(2), le16(0), []byte{0}, le16(1), []byte{0}, []byte("a"))}, []string{"", "a"}, nil},
		{"fewer strings than counted, ending cleanly", [][]byte{
			cat(le32(1e6), le32(1e6), le16(1), []byte{0}, []byte("a")),
			cat(le16(1), []byte{0}, []byte("b")),
		}, []string{"a", "b"}, nil},
		{"no strings", [][]byte{sstHead(0)}, nil, nil},
		{"truncated in the characters", [][]byte{cat(sstHead(1), le16(5), []byte{0}, []byte("ab"))}, nil, errTruncated},
		{"truncated in the runs", [][]byte{cat(sstHead(1), le16(1), []byte{0x08}, le16(3), []byte("a"), le32(0))}, nil, errTruncated},
		{"truncated in the phonetic data", [][]byte{cat(sstHead(1), le16(1), []byte{0x04}, le32(1<<31), []byte("a"))}, nil, errTruncated},
		{"truncated header", [][]byte{cat(sstHead(1), le16(1))}, nil, errTruncated},
		{"short payload", [][]byte{le32(1)}, nil, errTruncated},
		{"too many strings", [][]byte{cat(le32(1), le32(maxSSTStrings+1))}, nil, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, table, err := decodeSST(tt.segs)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if table != nil && cap(table.ends) > 1<<12 {
				t.Errorf("the declared count sized the table: cap %d", cap(table.ends))
			}
		})
	}
}

// sstWriter encodes shared strings as Excel does, but cut into records at
// random places: anywhere in the fields, runs and phonetic data, and
// between any two characters, where the new record starts with a flag
// byte and may switch between one and two bytes a character.
type sstWriter struct {
	r    *rand.Rand
	segs [][]byte
	cur  []byte
	max  int
}

func (w *sstWriter) newSegment() {
	w.segs = append(w.segs, w.cur)
	w.cur, w.max = nil, 3+w.r.Intn(40)
}

func (w *sstWriter) raw(b ...byte) {
	for _, c := range b {
		if len(w.cur) >= w.max {
			w.newSegment()
		}
		w.cur = append(w.cur, c)
	}
}

func fitsByte(u []uint16) bool {
	for _, c := range u {
		if c > 0xFF {
			return false
		}
	}
	return true
}

func (w *sstWriter) write(s string, runs, ext int) {
	u := utf16.Encode([]rune(s))
	high := !fitsByte(u) || w.r.Intn(4) == 0
	flags := byte(0)
	if high {
		flags |= 1
	}
	if runs > 0 {
		flags |= 0x08
	}
	if ext > 0 {
		flags |= 0x04
	}
	w.raw(le16(len(u))...)
	w.raw(flags)
	if runs > 0 {
		w.raw(le16(runs)...)
	}
	if ext > 0 {
		w.raw(le32(uint32(ext))...)
	}
	for i, c := range u {
		size := 1
		if high {
			size = 2
		}
		if len(w.cur)+size > w.max || w.r.Intn(30) == 0 {
			w.newSegment()
			high = !fitsByte(u[i:]) || w.r.Intn(2) == 0
			if high {
				w.cur = append(w.cur, 1)
			} else {
				w.cur = append(w.cur, 0)
			}
		}
		if high {
			w.cur = append(w.cur, byte(c), byte(c>>8))
		} else {
			w.cur = append(w.cur, byte(c))
		}
	}
	for range 4*runs + ext {
		w.raw(byte(w.r.Intn(256)))
	}
}

func encodeSST(seed int64, strs []string) [][]byte {
	r := rand.New(rand.NewSource(seed))
	w := &sstWriter{r: r, max: 8 + 3 + r.Intn(40)}
	w.cur = sstHead(uint32(len(strs)))
	for _, s := range strs {
		w.write(s, r.Intn(3), r.Intn(3)*r.Intn(9))
	}
	w.newSegment()
	return w.segs
}

// TestSSTRoundTrip decodes random tables cut at random places.
func TestSSTRoundTrip(t *testing.T) {
	t.Parallel()
	alphabet := []rune("aZ 9-@éüß日本Ⅻ✓😀\U0001F600")
	r := rand.New(rand.NewSource(1))
	for seed := range int64(300) {
		strs := make([]string, r.Intn(30))
		for i := range strs {
			var b strings.Builder
			for range r.Intn(60) {
				b.WriteRune(alphabet[r.Intn(len(alphabet))])
			}
			strs[i] = b.String()
		}
		segs := encodeSST(seed, strs)
		got, _, err := decodeSST(segs)
		if err != nil || !slices.Equal(got, strs) {
			t.Fatalf("seed %d: got %q, %v; want %q", seed, got, err, strs)
		}
	}
}

// FuzzSSTRoundTrip: whatever the strings and the cuts, decoding gives the
// strings back.
func FuzzSSTRoundTrip(f *testing.F) {
	f.Add(int64(1), "alice@example.com\x00Zoë Ångström 日本語 😀\x00\x00GB82 WEST 1234 5698 7654 32")
	f.Add(int64(7), strings.Repeat("synthetic filler ✓ ", 40))
	f.Fuzz(func(t *testing.T, seed int64, text string) {
		if len(text) > 4096 || !utf8.ValidString(text) || strings.ContainsRune(text, utf8.RuneError) {
			t.Skip()
		}
		strs := strings.Split(text, "\x00")
		got, _, err := decodeSST(encodeSST(seed, strs))
		if err != nil || !slices.Equal(got, strs) {
			t.Fatalf("got %q, %v; want %q", got, err, strs)
		}
	})
}

// FuzzSST decodes arbitrary bytes cut into records at arbitrary places:
// no panic, valid UTF-8, never more strings than the data could hold.
func FuzzSST(f *testing.F) {
	for _, segs := range encodeSST(3, []string{"alice@example.com", "日本語 😀", "café"}) {
		f.Add(segs, []byte{5, 9})
	}
	f.Add(cat(sstHead(2), le16(2), []byte{0x0D}, le16(1), le32(2), u16s("日")), []byte{12, 3})
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		if len(data) > 1<<16 {
			t.Skip()
		}
		segs := [][]byte{}
		rest := data
		for _, c := range cuts {
			n := min(int(c), len(rest))
			segs = append(segs, rest[:n])
			rest = rest[n:]
		}
		segs = append(segs, rest)
		got, _, err := decodeSST(segs)
		if err != nil {
			if !errors.Is(err, errTruncated) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(got) > max(0, len(data)-8)/3+len(segs) {
			t.Fatalf("%d strings from %d bytes", len(got), len(data))
		}
		for _, s := range got {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
		}
	})
}
