package csv

import (
	"bytes"
	"context"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"unicode/utf16"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/text"
)

// cell is a chunk as the tests compare it.
type cell struct {
	Row    int
	Line   int
	Column string
	Header string
	Data   string
}

func (c cell) String() string {
	return fmt.Sprintf("{row %d line %d %q header=%q %q}", c.Row, c.Line, c.Column, c.Header, c.Data)
}

// collect runs the reader with the given block buffer size (0: the real one).
func collect(t testing.TB, r Reader, in []byte, size int) ([]cell, error) {
	t.Helper()
	var got []cell
	yield := func(c *extract.Chunk) error {
		if c.Kind != extract.Cell {
			t.Errorf("chunk kind = %v, want Cell", c.Kind)
		}
		got = append(got, cell{c.Loc.Row, c.Loc.Line, c.Loc.Column, c.Header, string(c.Data)})
		return nil
	}
	input := extract.Input{Name: "test.csv", R: bytes.NewReader(in), Size: int64(len(in))}
	var err error
	if size == 0 {
		err = r.Extract(context.Background(), input, yield)
	} else {
		err = r.extract(context.Background(), input, yield, make([]byte, size))
	}
	return got, err
}

// sniffed returns comma, or if it is 0 the delimiter Extract sniffs for in.
func sniffed(t testing.TB, in []byte, comma rune) rune {
	t.Helper()
	if comma != 0 {
		return comma
	}
	head, err := io.ReadAll(io.LimitReader(text.Decode(bytes.NewReader(in)), SniffBytes))
	if err != nil {
		t.Fatal(err)
	}
	return Sniff(head)
}

func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func TestReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		comma rune
		in    string
		want  []cell
	}{
		{"empty file", 0, "", nil},
		{"only a header", 0, "name,email,phone\n", nil},
		{"only a header without newline", 0, "name,email", nil},
		{
			"comma with header", 0,
			"name,email,phone\nJo Doe,jo@example.com,+1 555 0100\n",
			[]cell{
				{2, 2, "name", "name", "Jo Doe"},
				{2, 2, "email", "email", "jo@example.com"},
				{2, 2, "phone", "phone", "+1 555 0100"},
			},
		},
		{
			"semicolon with decimal commas", 0,
			"Name;Amount;City\n\"Doe, Jo\";\"1,50\";Paris\nRoe;2,75;Berlin\n",
			[]cell{
				{2, 2, "Name", "Name", "Doe, Jo"}, {2, 2, "Amount", "Amount", "1,50"}, {2, 2, "City", "City", "Paris"},
				{3, 3, "Name", "Name", "Roe"}, {3, 3, "Amount", "Amount", "2,75"}, {3, 3, "City", "City", "Berlin"},
			},
		},
		{
			"tab", 0,
			"name\temail\nJo, Doe\tjo@example.com\n",
			[]cell{{2, 2, "name", "name", "Jo, Doe"}, {2, 2, "email", "email", "jo@example.com"}},
		},
		{
			"pipe", 0,
			"name|card\nJo|4111 1111 1111 1111\n",
			[]cell{{2, 2, "name", "name", "Jo"}, {2, 2, "card", "card", "4111 1111 1111 1111"}},
		},
		{
			"quoted delimiters", 0,
			"id,note\nx1,\"a,b;c|d\"\n",
			[]cell{{2, 2, "id", "id", "x1"}, {2, 2, "note", "note", "a,b;c|d"}},
		},
		{
			"quoted newlines", 0,
			"name,address,email\nJo,\"1 Main St\nApt 2\nSpringfield\",jo@example.com\nAl,\"x\",al@example.com\n",
			[]cell{
				{2, 2, "name", "name", "Jo"},
				{2, 2, "address", "address", "1 Main St\nApt 2\nSpringfield"},
				{2, 4, "email", "email", "jo@example.com"},
				{3, 5, "name", "name", "Al"},
				{3, 5, "address", "address", "x"},
				{3, 5, "email", "email", "al@example.com"},
			},
		},
		{
			"doubled quotes", 0,
			"a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n",
			[]cell{{2, 2, "a", "a", `say "hi"`}, {2, 2, "b", "b", `"`}},
		},
		{
			"no header", 0,
			"Jo,jo@example.com\nAl,al@example.com\n",
			[]cell{
				{1, 1, "column 1", "", "Jo"}, {1, 1, "column 2", "", "jo@example.com"},
				{2, 2, "column 1", "", "Al"}, {2, 2, "column 2", "", "al@example.com"},
			},
		},
		{
			"numeric first record is data", 0,
			"1,2.5\n3,4\n",
			[]cell{
				{1, 1, "column 1", "", "1"}, {1, 1, "column 2", "", "2.5"},
				{2, 2, "column 1", "", "3"}, {2, 2, "column 2", "", "4"},
			},
		},
		{
			"utf-16le tsv with bom", 0,
			string(utf16LE("Name\tE-mail\r\nJosé\tjose@example.com\r\n")),
			[]cell{{2, 2, "Name", "Name", "José"}, {2, 2, "E-mail", "E-mail", "jose@example.com"}},
		},
		{
			"windows-1252", 0,
			"name;city\nJo;Caf\xE9\n",
			[]cell{{2, 2, "name", "name", "Jo"}, {2, 2, "city", "city", "Café"}},
		},
		{
			"crlf", 0,
			"name,email\r\nJo,jo@example.com\r\n\"Al\",\"al@example.com\"\r\n",
			[]cell{
				{2, 2, "name", "name", "Jo"}, {2, 2, "email", "email", "jo@example.com"},
				{3, 3, "name", "name", "Al"}, {3, 3, "email", "email", "al@example.com"},
			},
		},
		{
			"ragged rows", 0,
			"a,b\n1\n1,2,3\n",
			[]cell{
				{2, 2, "a", "a", "1"},
				{3, 3, "a", "a", "1"}, {3, 3, "b", "b", "2"}, {3, 3, "column 3", "", "3"},
			},
		},
		{
			"blank fields and lines are skipped but counted", 0,
			"a,b\n\n ,\t\n\"\",x\n",
			[]cell{{4, 4, "b", "b", "x"}},
		},
		{
			"leading blank lines before the header", 0,
			"\n\nname,email\nJo,jo@example.com\n",
			[]cell{{4, 4, "name", "name", "Jo"}, {4, 4, "email", "email", "jo@example.com"}},
		},
		{
			"empty header cell", 0,
			"name,,email\nJo,5,jo@example.com\n",
			[]cell{{2, 2, "name", "name", "Jo"}, {2, 2, "column 2", "", "5"}, {2, 2, "email", "email", "jo@example.com"}},
		},
		{
			"header text is trimmed", 0,
			" name , email\nJo,jo@example.com\n",
			[]cell{{2, 2, "name", "name", "Jo"}, {2, 2, "email", "email", "jo@example.com"}},
		},
		{
			"bare quote in unquoted field", 0,
			"item,size\nTV,55\" screen\n",
			[]cell{{2, 2, "item", "item", "TV"}, {2, 2, "size", "size", `55" screen`}},
		},
		{
			"text after closing quote", 0,
			"1,\"a\" b,c\n",
			[]cell{{1, 1, "column 1", "", "1"}, {1, 1, "column 2", "", "a b"}, {1, 1, "column 3", "", "c"}},
		},
		{
			"space before opening quote", 0,
			"k,v\nx, \"b,c\"\n",
			[]cell{{2, 2, "k", "k", "x"}, {2, 2, "v", "v", "b,c"}},
		},
		{
			"unterminated quote", 0,
			"k,v\nx,\"abc\ndef",
			[]cell{{2, 2, "k", "k", "x"}, {2, 2, "v", "v", "abc\ndef"}},
		},
		{
			"no trailing newline and trailing delimiter", 0,
			"k,v\nx,",
			[]cell{{2, 2, "k", "k", "x"}},
		},
		{
			"long first field is data", 0,
			strings.Repeat("x", 65) + ",name\n",
			[]cell{{1, 1, "column 1", "", strings.Repeat("x", 65)}, {1, 1, "column 2", "", "name"}},
		},
		{
			"explicit delimiter", ';',
			"a,b;c\n1,2;3\n",
			[]cell{{2, 2, "a,b", "a,b", "1,2"}, {2, 2, "c", "c", "3"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := collect(t, Reader{Comma: tt.comma}, []byte(tt.in), 0)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("cells:\n got %v\nwant %v", got, tt.want)
			}
			// Fields that straddle blocks give the same cells.
			small, err := collect(t, Reader{Comma: sniffed(t, []byte(tt.in), tt.comma)}, []byte(tt.in), 3)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(small) != fmt.Sprint(got) {
				t.Errorf("with 3-byte blocks:\n got %v\nwant %v", small, got)
			}
		})
	}
}

func TestReaderFieldCap(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("0123456789", (3*MaxFieldBytes)/10)
	for _, tt := range []struct{ name, in string }{
		{"unquoted", "k,v\n" + big + ",x\ny,z\n"},
		{"quoted", "k,v\n\"" + big + "\",x\ny,z\n"},
		{"quoted with doubled quotes", "k,v\n\"" + strings.ReplaceAll(big, "5", `""`) + "\",x\ny,z\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, size := range []int{0, 4096} {
				got, err := collect(t, Reader{Comma: ','}, []byte(tt.in), size)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 4 {
					t.Fatalf("block %d: got %d cells, want 4", size, len(got))
				}
				if n := len(got[0].Data); n != MaxFieldBytes {
					t.Errorf("block %d: long field has %d bytes, want it cut to %d", size, n, MaxFieldBytes)
				}
				want := fmt.Sprint([]cell{{2, 2, "v", "v", "x"}, {3, 3, "k", "k", "y"}, {3, 3, "v", "v", "z"}})
				if fmt.Sprint(got[1:]) != want {
					t.Errorf("block %d: cells after the long field = %v, want %v", size, got[1:], want)
				}
			}
		})
	}
}

// TestReaderBlocks checks that a large, irregular file gives the same cells
// whatever the block size, so fields that straddle blocks are handled.
func TestReaderBlocks(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "bc", " ", "\"", "\"\"", ",", "\n", "\r\n", "é", "x@example.com", "12", "\t"}
	var sb strings.Builder
	sb.WriteString("name,email,note\n")
	for sb.Len() < 600<<10 {
		sb.WriteString(pieces[rng.IntN(len(pieces))])
	}
	in := []byte(sb.String())
	want, err := collect(t, Reader{Comma: ','}, in, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 2, 7, 4096, 100 << 10} {
		got, err := collect(t, Reader{Comma: ','}, in, size)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("block %d: %d cells differ from the %d read with the default block", size, len(got), len(want))
		}
	}
}

func TestReaderErrors(t *testing.T) {
	t.Parallel()
	in := func(s string) extract.Input { return extract.Input{Name: "dir/f.csv", R: strings.NewReader(s)} }
	t.Run("yield error returned unchanged", func(t *testing.T) {
		stop := errors.New("stop")
		err := Reader{}.Extract(context.Background(), in("a,b\nc,d\n"), func(*extract.Chunk) error { return stop })
		if err != stop {
			t.Errorf("Extract = %v, want %v unchanged", err, stop)
		}
	})
	t.Run("yield error while deciding the header", func(t *testing.T) {
		stop := errors.New("stop")
		err := Reader{}.Extract(context.Background(), in(strings.Repeat("y", 70)+",b\n"), func(*extract.Chunk) error { return stop })
		if err != stop {
			t.Errorf("Extract = %v, want %v unchanged", err, stop)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := Reader{}.Extract(ctx, in("a,b\n"), func(*extract.Chunk) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Extract = %v, want context.Canceled", err)
		}
	})
	t.Run("read error names the file", func(t *testing.T) {
		boom := errors.New("boom")
		input := extract.Input{Name: "dir/f.csv", R: io.MultiReader(strings.NewReader("a,b\n"), iotest.ErrReader(boom))}
		err := Reader{}.Extract(context.Background(), input, func(*extract.Chunk) error { return nil })
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "dir/f.csv") {
			t.Errorf("Extract = %v, want %v wrapped with the file name", err, boom)
		}
	})
	for _, comma := range []rune{'"', '\n', '\r', 'é', -1} {
		t.Run(fmt.Sprintf("delimiter %q", comma), func(t *testing.T) {
			err := Reader{Comma: comma}.Extract(context.Background(), in("a,b\n"), func(*extract.Chunk) error { return nil })
			if !errors.Is(err, ErrDelimiter) {
				t.Errorf("Extract = %v, want %v", err, ErrDelimiter)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		head string
		want rune
	}{
		{"empty", "", ','},
		{"single column", "name\nJo\nAl\n", ','},
		{"comma", "name,email,phone\nJo,jo@example.com,555\n", ','},
		{"semicolon with decimal commas", "Name;Amount;Rate\nJo;\"1,50\";2,5\nAl;3,75;0,5\nEd;12;1\n", ';'},
		{"semicolon with unquoted decimal commas", "Name;Amount\nJo;1,50\nAl;3,75\n", ';'},
		{"tab", "name\temail\tnote\nJo\tjo@example.com\tfoo, bar\nAl\tal@example.com\ta, b, c\n", '\t'},
		{"pipe", "name|email\nDoe, Jo|jo@example.com\nRoe, Al|al@example.com\n", '|'},
		{"quoted fields hide other delimiters", "a;b\n\"x,y,z\";\"1,2\"\n\"p,q\";\"3,4,5\"\n", ';'},
		{"quoted newline", "a|b\n\"line1\nline2, with, commas\"|x\nc|d\n", '|'},
		{"single line without newline", "a\tb\tc", '\t'},
		{"ragged rows", "a,b,c\n1,2\n3,4,5\n6,7,8\n", ','},
		{"truncated last record ignored", "a;b\nc;d\ne,f,g,h,i", ';'},
		{"prose", "Hello, world. This is text; not a table.\n", ','},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Sniff([]byte(tt.head)); got != tt.want {
				t.Errorf("Sniff(%q) = %q, want %q", tt.head, got, tt.want)
			}
		})
	}
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("name,email\nJo,jo@example.com\n"), uint8(0))
	f.Add([]byte("a;b\n\"x\ny\";\"1,5\"\r\n"), uint8(2))
	f.Add([]byte("\"a\"\"b\" c,\"d\n"), uint8(1))
	f.Add([]byte("\xFF\xFEa\x00\t\x00b\x00\n\x00"), uint8(3))
	commas := []rune{0, ',', ';', '\t', '|'}
	f.Fuzz(func(t *testing.T, data []byte, c uint8) {
		if len(data) > 1<<20 {
			t.Skip("input too large")
		}
		r := Reader{Comma: commas[int(c)%len(commas)]}
		got, err := collect(t, r, data, 0)
		if err != nil {
			t.Fatal(err)
		}
		row := 1
		for i, c := range got {
			if c.Row < row {
				t.Fatalf("cell %d %v: row went back from %d", i, c, row)
			}
			row = c.Row
			if c.Row < 1 || c.Line < c.Row || c.Column == "" || c.Data == "" {
				t.Fatalf("cell %d is malformed: %v", i, c)
			}
			if strings.Trim(c.Data, " \t\r\n\v\f") != c.Data {
				t.Fatalf("cell %d is not trimmed: %v", i, c)
			}
		}
		// A tiny buffer would sniff a shorter head: pass what Extract sniffed.
		small, err := collect(t, Reader{Comma: sniffed(t, data, r.Comma)}, data, 5)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(small) != fmt.Sprint(got) {
			t.Fatalf("with 5-byte blocks:\n got %v\nwant %v", small, got)
		}
	})
}

// luhn appends the Luhn check digit to the digits in s.
func luhn(s string) string {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-i)%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return s + string(rune('0'+(10-sum%10)%10))
}

func TestLuhn(t *testing.T) {
	if got := luhn("411111111111111"); got != "4111111111111111" {
		t.Errorf("luhn = %s, want 4111111111111111", got)
	}
}

var (
	benchOnce sync.Once
	benchCSV  []byte
)

// denseCSV generates rows of synthetic contact and payment data.
func denseCSV(rows int) []byte {
	rng := rand.New(rand.NewPCG(5, 6))
	first := []string{"Jo", "Al", "Maria", "Chen", "Fatima", "Lars", "Ana", "Ravi"}
	last := []string{"Doe", "Roe", "Müller", "Li", "Haddad", "Berg", "Silva", "Patel"}
	cities := []string{"Paris", "Berlin", "Oslo", "Lisbon", "São Paulo", "New York", "Zürich"}
	var b bytes.Buffer
	b.Grow(rows * 56)
	b.WriteString("name,email,phone,card,city,amount\n")
	for i := range rows {
		f, l := first[rng.IntN(len(first))], last[rng.IntN(len(last))]
		name := f + " " + l
		if i%10 == 0 {
			name = `"` + l + ", " + f + `"`
		}
		fmt.Fprintf(&b, "%s,%s.%s%d@example.com,+1 555 %04d,%s,%s,%d.%02d\n",
			name, strings.ToLower(f), strings.ToLower(l), i%1000, rng.IntN(10000),
			luhn(fmt.Sprintf("4%014d", rng.Int64N(1e14))), cities[rng.IntN(len(cities))], rng.IntN(10000), rng.IntN(100))
	}
	return b.Bytes()
}

func BenchmarkReader(b *testing.B) {
	benchOnce.Do(func() { benchCSV = denseCSV(1 << 20) })
	cells := 0
	yield := func(c *extract.Chunk) error { cells++; return nil }
	b.SetBytes(int64(len(benchCSV)))
	b.ReportAllocs()
	for b.Loop() {
		cells = 0
		in := extract.Input{Name: "bench.csv", R: bytes.NewReader(benchCSV), Size: int64(len(benchCSV))}
		if err := (Reader{}).Extract(context.Background(), in, yield); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cells), "cells/op")
}

// BenchmarkEncodingCSV is the baseline the hand-written parser was measured
// against (see doc.go): encoding/csv configured as leniently as Reader, doing
// the same per-field work.
func BenchmarkEncodingCSV(b *testing.B) {
	benchOnce.Do(func() { benchCSV = denseCSV(1 << 20) })
	cells := 0
	yield := func(c *extract.Chunk) error { cells++; return nil }
	b.SetBytes(int64(len(benchCSV)))
	b.ReportAllocs()
	for b.Loop() {
		cells = 0
		r := stdcsv.NewReader(text.Decode(bytes.NewReader(benchCSV)))
		r.ReuseRecord, r.LazyQuotes, r.FieldsPerRecord = true, true, -1
		var ch extract.Chunk
		var data []byte
		for row := 1; ; row++ {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			for col, f := range rec {
				if f = strings.TrimSpace(f); f == "" {
					continue
				}
				line, _ := r.FieldPos(col)
				data = append(data[:0], f...)
				ch = extract.Chunk{Kind: extract.Cell, Data: data}
				ch.Loc.Row, ch.Loc.Line = row, line
				if err := yield(&ch); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(cells), "cells/op")
}
