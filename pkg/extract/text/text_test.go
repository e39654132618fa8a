package text

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// utf16Bytes encodes s as UTF-16 with a byte order mark.
func utf16Bytes(s string, bigEndian bool) []byte {
	var out []byte
	for _, u := range append([]uint16{0xFEFF}, utf16.Encode([]rune(s))...) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func decodeAll(t testing.TB, r io.Reader) string {
	t.Helper()
	out, err := io.ReadAll(Decode(r))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return string(out)
}

func TestDecode(t *testing.T) {
	t.Parallel()
	block := DecodeBlockSize
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, ""},
		{"ascii", []byte("hello\nworld\n"), "hello\nworld\n"},
		{"utf-8", []byte("Café ☕ 𝄞\n"), "Café ☕ 𝄞\n"},
		{"utf-8 bom", []byte("\xEF\xBB\xBFname,email\n"), "name,email\n"},
		{"utf-8 bom only", []byte("\xEF\xBB\xBF"), ""},
		{"utf-16le bom", utf16Bytes("Name\tE-mail\r\nCafé\tjo@example.com\r\n", false), "Name\tE-mail\r\nCafé\tjo@example.com\r\n"},
		{"utf-16be bom", utf16Bytes("Café 𝄞\n", true), "Café 𝄞\n"},
		{"utf-16le bom only", []byte{0xFF, 0xFE}, ""},
		{"windows-1252", []byte{0x43, 0x61, 0x66, 0xE9}, "Café"},
		{"windows-1252 euro and quotes", []byte("\x80 5 \x93ok\x94\n"), "€ 5 \u201cok\u201d\n"},
		{"windows-1252 undefined byte", []byte("a\x81b"), "a\uFFFDb"},
		{"truncated utf-8 at end", []byte("ab\xE2\x82"), "ab\u00E2\u201A"},
		{"partial bom", []byte("\xEF\xBB"), "\u00EF\u00BB"},
		{
			"rune split across blocks",
			[]byte(strings.Repeat("a", block-1) + "é" + strings.Repeat("b", 10)),
			strings.Repeat("a", block-1) + "é" + strings.Repeat("b", 10),
		},
		{
			"4-byte rune split across blocks",
			[]byte(strings.Repeat("a", block-2) + "𝄞" + "z"),
			strings.Repeat("a", block-2) + "𝄞" + "z",
		},
		{
			// Each block is judged on its own: the UTF-8 block stays as it
			// is, and only the next one is read as Windows-1252.
			"per-block decision",
			[]byte(strings.Repeat("é", block/2) + "Caf\xE9"),
			strings.Repeat("é", block/2) + "Café",
		},
		{
			"windows-1252 byte at block end",
			[]byte(strings.Repeat("a", block-1) + "\xE9" + "x"),
			strings.Repeat("a", block-1) + "éx",
		},
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"plain", func(r io.Reader) io.Reader { return r }},
		{"one byte", iotest.OneByteReader},
		{"half", iotest.HalfReader},
		{"data err", iotest.DataErrReader},
	}
	for _, tt := range tests {
		for _, rd := range readers {
			t.Run(tt.name+"/"+rd.name, func(t *testing.T) {
				t.Parallel()
				got := decodeAll(t, rd.wrap(bytes.NewReader(tt.in)))
				if got != tt.want {
					t.Errorf("Decode(%.40q) = %.60q, want %.60q", tt.in, got, tt.want)
				}
				// Small reads on the caller's side go through the
				// decoder's own buffer: the output must not change.
				var sb strings.Builder
				if _, err := io.CopyBuffer(&sb, struct{ io.Reader }{Decode(rd.wrap(bytes.NewReader(tt.in)))}, make([]byte, 7)); err != nil {
					t.Fatal(err)
				}
				if sb.String() != tt.want {
					t.Errorf("Decode with 7-byte reads = %.60q, want %.60q", sb.String(), tt.want)
				}
			})
		}
	}
}

func TestDecodeError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	for _, in := range []string{"plain", "\xFF\xFEa\x00"} {
		r := io.MultiReader(strings.NewReader(in), iotest.ErrReader(boom))
		if _, err := io.ReadAll(Decode(r)); !errors.Is(err, boom) {
			t.Errorf("Decode(%q + error) error = %v, want %v", in, err, boom)
		}
	}
}

type chunk struct {
	Line int
	Data string
}

func collect(t testing.TB, r Reader, in []byte) []chunk {
	t.Helper()
	var got []chunk
	err := r.Extract(context.Background(), extract.Input{Name: "test.txt", R: bytes.NewReader(in), Size: int64(len(in))},
		func(c *extract.Chunk) error {
			if c.Kind != extract.Lines {
				t.Errorf("chunk kind = %v, want Lines", c.Kind)
			}
			got = append(got, chunk{c.Loc.Line, string(c.Data)})
			return nil
		})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return got
}

func TestReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		block int
		in    []byte
		want  []chunk
	}{
		{"empty", 0, nil, nil},
		{"one line", 0, []byte("hello\n"), []chunk{{1, "hello\n"}}},
		{"no trailing newline", 0, []byte("a\nb"), []chunk{{1, "a\nb"}}},
		{"crlf keeps cr", 0, []byte("a\r\nb\r\n"), []chunk{{1, "a\r\nb\r\n"}}},
		{"blank lines", 0, []byte("\n\n\nx\n"), []chunk{{1, "\n\n\nx\n"}}},
		{"utf-8 bom", 0, []byte("\xEF\xBB\xBFa\nb\n"), []chunk{{1, "a\nb\n"}}},
		{"utf-16le bom", 0, utf16Bytes("a\r\nCafé\r\n", false), []chunk{{1, "a\r\nCafé\r\n"}}},
		{"windows-1252", 0, []byte("Caf\xE9\n"), []chunk{{1, "Café\n"}}},
		{
			"chunks end at newlines", 8,
			[]byte("aa\nbb\ncc\ndd\n"),
			[]chunk{{1, "aa\nbb\n"}, {3, "cc\ndd\n"}},
		},
		{
			"long line cut at whitespace", 8,
			[]byte("x\nabc defghij\ny\n"),
			[]chunk{{1, "x\n"}, {2, "abc "}, {2, "defghij\n"}, {3, "y\n"}},
		},
		{
			"long line cut hard", 4,
			[]byte("abcdefghij\nk"),
			[]chunk{{1, "abcd"}, {1, "efgh"}, {1, "ij\n"}, {2, "k"}},
		},
		{
			"hard cut keeps runes whole", 5,
			[]byte("aaaé€€\n"),
			[]chunk{{1, "aaaé"}, {1, "€"}, {1, "€\n"}},
		},
		{
			"rune split across decode blocks", 0,
			[]byte(strings.Repeat("a", DecodeBlockSize-1) + "é\n"),
			[]chunk{{1, strings.Repeat("a", DecodeBlockSize-1) + "é\n"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := collect(t, Reader{BlockSize: tt.block}, tt.in)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("chunks:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// checkChunks verifies the invariants every Reader output must hold and
// returns the concatenated text.
func checkChunks(t testing.TB, got []chunk, block int) string {
	t.Helper()
	var all strings.Builder
	line := 1
	for i, c := range got {
		if c.Line != line {
			t.Fatalf("chunk %d: Line = %d, want %d (newlines before it + 1)", i, c.Line, line)
		}
		if len(c.Data) == 0 {
			t.Fatalf("chunk %d is empty", i)
		}
		if len(c.Data) > block {
			t.Fatalf("chunk %d has %d bytes, more than the block size %d", i, len(c.Data), block)
		}
		if i < len(got)-1 && !strings.HasSuffix(c.Data, "\n") && len(c.Data) < block-utf8.UTFMax-splitWindow {
			t.Fatalf("chunk %d of %d bytes ends neither at a newline nor near the block end", i, len(c.Data))
		}
		line += strings.Count(c.Data, "\n")
		all.WriteString(c.Data)
	}
	return all.String()
}

func TestReaderManyChunks(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	for range 5000 {
		n := rng.IntN(150)
		for j := range n {
			if rng.IntN(12) == 0 {
				sb.WriteByte(' ')
			} else {
				sb.WriteByte(byte('a' + j%26))
			}
		}
		sb.WriteByte('\n')
	}
	in := sb.String()
	for _, block := range []int{1, 2, 3, 17, 64, 4096} {
		got := collect(t, Reader{BlockSize: block}, []byte(in))
		if all := checkChunks(t, got, block); all != in {
			t.Errorf("block %d: reconstructed text differs from input", block)
		}
	}
}

// TestReaderLongLine is not parallel: it measures allocations.
func TestReaderLongLine(t *testing.T) {
	const size = 5 << 20
	for _, tt := range []struct {
		name string
		fill string
	}{
		{"with spaces", "4111111111111111 jo@example.com "},
		{"no whitespace", "abcdefghijklmnopqrstuvwxyz0123456789"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			long := strings.Repeat(tt.fill, size/len(tt.fill)+1)[:size]
			in := "first\n" + long + "\nafter 1\nafter 2\n"
			var got []chunk
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := Reader{}.Extract(context.Background(), extract.Input{Name: "long.txt", R: strings.NewReader(in)},
				func(c *extract.Chunk) error {
					// Keep only what the test needs, so that the
					// allocation check below measures the reader.
					d := c.Data
					if len(d) > 32 {
						d = d[len(d)-32:]
					}
					got = append(got, chunk{c.Loc.Line, fmt.Sprintf("%d:%s", len(c.Data), d)})
					return nil
				})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<20 {
				t.Errorf("Extract allocated %d bytes for a %d-byte line; want bounded memory", alloc, size)
			}
			if len(got) < size/DefaultBlockSize {
				t.Fatalf("got %d chunks, want the line cut into at least %d", len(got), size/DefaultBlockSize)
			}
			if got[0].Line != 1 {
				t.Errorf("first chunk Line = %d, want 1", got[0].Line)
			}
			for i, c := range got[1 : len(got)-1] {
				if c.Line != 2 {
					t.Errorf("piece %d of the long line has Line %d, want 2", i, c.Line)
				}
			}
			last := got[len(got)-1]
			if last.Line != 2 || !strings.HasSuffix(last.Data, "\nafter 1\nafter 2\n") {
				t.Errorf("last chunk = %+v, want the end of line 2 followed by lines 3-4", last)
			}
			if tt.fill[len(tt.fill)-1] == ' ' {
				for i, c := range got[1 : len(got)-1] {
					if !strings.HasSuffix(c.Data, " ") {
						t.Errorf("piece %d was not cut at a space: %q", i, c.Data)
						break
					}
				}
			}
			// Line numbers after the long line are right too.
			got = collect(t, Reader{}, []byte(in+"x\n"))
			if all := checkChunks(t, got, DefaultBlockSize); all != in+"x\n" {
				t.Errorf("reconstructed text differs from input")
			}
		})
	}
}

func TestReaderErrors(t *testing.T) {
	t.Parallel()
	in := func(s string) extract.Input { return extract.Input{Name: "dir/f.txt", R: strings.NewReader(s)} }
	t.Run("yield error returned unchanged", func(t *testing.T) {
		stop := errors.New("stop")
		err := Reader{}.Extract(context.Background(), in("a\n"), func(*extract.Chunk) error { return stop })
		if err != stop {
			t.Errorf("Extract = %v, want %v unchanged", err, stop)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		err := Reader{BlockSize: 4}.Extract(ctx, in("a\nb\nc\nd\n"), func(*extract.Chunk) error {
			n++
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) || n != 1 {
			t.Errorf("Extract = %v after %d chunks, want context.Canceled after 1", err, n)
		}
	})
	t.Run("read error names the file", func(t *testing.T) {
		boom := errors.New("boom")
		input := extract.Input{Name: "dir/f.txt", R: io.MultiReader(strings.NewReader("a\n"), iotest.ErrReader(boom))}
		err := Reader{}.Extract(context.Background(), input, func(*extract.Chunk) error { return nil })
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "dir/f.txt") {
			t.Errorf("Extract = %v, want %v wrapped with the file name", err, boom)
		}
	})
	t.Run("no progress", func(t *testing.T) {
		input := extract.Input{Name: "dir/f.txt", R: zeroReader{}}
		err := Reader{}.Extract(context.Background(), input, func(*extract.Chunk) error { return nil })
		if !errors.Is(err, errNoProgress) {
			t.Errorf("Extract = %v, want %v", err, errNoProgress)
		}
	})
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

func TestReaderNoAllocPerChunk(t *testing.T) {
	in := []byte(strings.Repeat("some log line with jo@example.com\n", 20000))
	// Warm the buffer pool, then measure: the cost must not grow with the
	// number of chunks (here about 170 with 4 KiB blocks).
	r := Reader{BlockSize: 4096}
	yield := func(*extract.Chunk) error { return nil }
	allocs := testing.AllocsPerRun(5, func() {
		if err := r.Extract(context.Background(), extract.Input{R: bytes.NewReader(in)}, yield); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 10 {
		t.Errorf("Extract made %.0f allocations for %d chunks; want a constant few", allocs, len(in)/4096)
	}
}

func FuzzText(f *testing.F) {
	f.Add([]byte("hello\nworld\n"), uint16(0))
	f.Add([]byte("\xEF\xBB\xBFa\r\nb"), uint16(3))
	f.Add([]byte("\xFF\xFEa\x00\n\x00"), uint16(1))
	f.Add([]byte("Caf\xE9 \xE2\x82\xAC\n"), uint16(5))
	f.Fuzz(func(t *testing.T, data []byte, block uint16) {
		if len(data) > 1<<20 {
			t.Skip("input too large")
		}
		want := decodeAll(t, bytes.NewReader(data))
		size := int(block)
		if size == 0 {
			size = DefaultBlockSize
		}
		got := collect(t, Reader{BlockSize: int(block)}, data)
		if all := checkChunks(t, got, size); all != want {
			t.Fatalf("chunks concatenate to %q, want Decode's output %q", all, want)
		}
	})
}

var (
	benchOnce sync.Once
	benchText []byte
)

// logText generates about n bytes of log-like text with some synthetic PII.
func logText(n int) []byte {
	rng := rand.New(rand.NewPCG(7, 7))
	levels := []string{"INFO", "WARN", "DEBUG", "ERROR"}
	var b bytes.Buffer
	b.Grow(n + 256)
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "2024-03-%02d 12:%02d:%02d.%03d %-5s [worker-%d] ", 1+i%28, i%60, rng.IntN(60), rng.IntN(1000),
			levels[rng.IntN(len(levels))], rng.IntN(16))
		switch rng.IntN(4) {
		case 0:
			fmt.Fprintf(&b, "login ok user=user%d@example.com ip=192.0.2.%d\n", rng.IntN(10000), rng.IntN(255))
		case 1:
			fmt.Fprintf(&b, "GET /api/v1/orders/%d 200 %dms\n", rng.IntN(1e6), rng.IntN(900))
		case 2:
			fmt.Fprintf(&b, "payment accepted amount=%d.%02d EUR ref=%x\n", rng.IntN(500), rng.IntN(100), rng.Uint64())
		default:
			b.WriteString("cache refresh completed without errors; next run scheduled\n")
		}
	}
	return b.Bytes()
}

func BenchmarkReader(b *testing.B) {
	benchOnce.Do(func() { benchText = logText(32 << 20) })
	yield := func(*extract.Chunk) error { return nil }
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		in := extract.Input{Name: "bench.log", R: bytes.NewReader(benchText), Size: int64(len(benchText))}
		if err := (Reader{}).Extract(context.Background(), in, yield); err != nil {
			b.Fatal(err)
		}
	}
}
