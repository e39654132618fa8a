package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// nestedBomb builds a 42.zip-style bomb in memory: levels of zips, each
// holding width copies of the level below, the innermost holding width
// entries of leafMiB MiB of zeros. Every level's entries share one
// compressed body, so building it costs only the size of the result.
func nestedBomb(t testing.TB, levels, width, leafMiB int) []byte {
	t.Helper()
	z := zeroStream(t, leafMiB)
	var entries []rawEntry
	for i := range width {
		entries = append(entries, rawEntry{name: fmt.Sprintf("%d.bin", i), method: zip.Deflate, data: z.stream, size: z.size, crc: z.crc})
	}
	data := makeRawZip(t, entries...)
	for l := 1; l < levels; l++ {
		inner := deflated(t, "", data)
		entries = entries[:0]
		for i := range width {
			e := inner
			e.name = fmt.Sprintf("%d.zip", i)
			entries = append(entries, e)
		}
		data = makeRawZip(t, entries...)
	}
	return data
}

// TestBomb walks 42.zip-style bombs the way the scan recurses and checks
// that they end in a LimitError after a bounded number of bytes (counts,
// not time: the bound is what makes the time bounded).
func TestBomb(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		data     []byte
		limits   Limits
		maxBytes int64  // bytes decompressed, all levels
		want     string // the outcome every innermost archive or entry must have
	}{
		{
			// 4 levels x 10 entries x 1 GiB of zeros declared: 10 TiB.
			// The innermost zips declare 1000:1 entries and are refused
			// before inflating anything.
			name: "42.zip, 4 levels of 10 x 1 GiB", data: nestedBomb(t, 4, 10, 1024),
			maxBytes: 64 << 20, want: "skipped: archive exceeds --archive-max-ratio 100",
		},
		{
			// The same with the ratio and entry size limits out of the
			// way: the byte budget shared by all levels stops it.
			name: "42.zip with a lax ratio", data: nestedBomb(t, 3, 10, 1024),
			limits:   Limits{MaxRatio: 1e9, MaxEntrySize: 1 << 40, MaxTotalBytes: 64 << 20},
			maxBytes: 64 << 20, want: "skipped: archive exceeds --archive-max-bytes 64 MiB",
		},
		{
			name: "deeper than max-depth", data: nestedBomb(t, 4, 2, 1), limits: Limits{MaxDepth: 2},
			maxBytes: 1 << 20, want: "skipped: archive nested deeper than --archive-max-depth 2",
		},
		{
			name: "1 GiB of zeros in a gzip", data: gzipZeros(t, 1024),
			maxBytes: 2 << 20, want: "skipped: archive exceeds --archive-max-ratio 100",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := NewBudget(tt.limits)
			var out []result
			f := Detect("bomb", tt.data)
			in := extract.Input{Name: "bomb", R: bytes.NewReader(tt.data), Size: int64(len(tt.data))}
			err := scanLike(context.Background(), in, f, b, &out)
			if err != nil {
				out = append(out, result{path: "bomb", status: status(err)})
			}
			if used := b.Used(); used > tt.maxBytes {
				t.Errorf("decompressed %d bytes, want at most %d", used, tt.maxBytes)
			}
			limited := 0
			for _, r := range out {
				switch {
				case strings.HasPrefix(r.status, tt.want):
					limited++
				case r.status == "scanned" && r.bytes < 1<<30:
					// Entries read before the budget ran out.
				default:
					t.Errorf("%s: %s", r.path, r.status)
				}
			}
			if limited == 0 {
				t.Errorf("no result says %q:\n%s", tt.want, lines(out))
			}
		})
	}
}

// gzipZeros is a gzip member of mib MiB of zeros, from zeroStream.
func gzipZeros(t testing.TB, mib int) []byte {
	z := zeroStream(t, mib)
	out := []byte{0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF}
	out = append(out, z.stream...)
	out = binary.LittleEndian.AppendUint32(out, z.crc)
	return binary.LittleEndian.AppendUint32(out, uint32(z.size))
}

// TestNested checks OUTER!INNER naming across formats and levels, and the
// depth limit.
func TestNested(t *testing.T) {
	t.Parallel()
	tarGz := gz(t, makeTar(t, tfile{name: "c.csv", data: peopleCSV}, tfile{name: "d.csv.gz", data: string(gz(t, []byte("x,y\n")))}))
	inner := makeZip(t, zfile{name: "b.tar.gz", data: string(tarGz), method: zip.Store}, zfile{name: "note.txt", data: "hi", method: zip.Deflate})
	outer := makeZip(t, zfile{name: "dir/inner.zip", data: string(inner), method: zip.Deflate})
	tests := []struct {
		depth int
		want  []string
	}{
		{3, []string{
			"a.zip!dir/inner.zip!b.tar.gz!c.csv\tscanned\t109",
			"a.zip!dir/inner.zip!b.tar.gz!d.csv.gz\tskipped: archive nested deeper than --archive-max-depth 3\t0",
			"a.zip!dir/inner.zip!note.txt\tscanned\t2",
		}},
		{4, []string{
			"a.zip!dir/inner.zip!b.tar.gz!c.csv\tscanned\t109",
			"a.zip!dir/inner.zip!b.tar.gz!d.csv.gz!d.csv\tscanned\t4",
			"a.zip!dir/inner.zip!note.txt\tscanned\t2",
		}},
		{1, []string{"a.zip!dir/inner.zip\tskipped: archive nested deeper than --archive-max-depth 1\t0"}},
	}
	for _, tt := range tests {
		var out []result
		in := extract.Input{Name: "a.zip", R: bytes.NewReader(outer), Size: int64(len(outer))}
		if err := scanLike(context.Background(), in, Zip, NewBudget(Limits{MaxDepth: tt.depth}), &out); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range out {
			r.data = ""
			got = append(got, r.String())
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("depth %d:\n%s\nwant:\n%s", tt.depth, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

// TestSevenZipHostileHeader checks headers that make bodgit/sevenzip
// allocate for declared counts: without checkSevenZipHeader the first
// kills the process with "fatal error: out of memory".
func TestSevenZipHostileHeader(t *testing.T) {
	t.Parallel()
	plain := plainHeader7z(t)
	tests := []struct {
		name  string
		patch func(hdr []byte) []byte
		want  string
	}{
		{"four billion files", func(h []byte) []byte { return setFilesCount(t, h, 0xFFFFFFFF) }, "skipped: archive exceeds --archive-max-entries"},
		{"more files than max-entries", func(h []byte) []byte { return setFilesCount(t, h, 100_001) }, "skipped: archive exceeds --archive-max-entries"},
		{"four billion folders", func(h []byte) []byte {
			i := bytes.Index(h, []byte{sz7FolderID, 0x01, 0x00})
			return splice(h, i+1, 1, number7z(0xFFFFFFFF))
		}, "error: corrupt"},
		{"truncated", func(h []byte) []byte { return h[:len(h)/2] }, "error: corrupt"},
		{"4 GiB LZMA2 dictionary", func(h []byte) []byte {
			i := bytes.Index(h, []byte{0x21, 0x21, 0x01}) // flag, id LZMA2, one property byte
			h[i+3] = 40                                   // dictionary code for 4 GiB - 1
			return h
		}, "error: corrupt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := rewrite7zHeader(plain, tt.patch)
			_, err := walkAll(t, "x.7z", data, SevenZip, Limits{})
			if got := status(err); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

// plainHeader7z is a 7z with an unencoded header (7z -mhc=off) of one
// file, from scripts/genarchives.sh.
func plainHeader7z(t testing.TB) []byte {
	t.Helper()
	data := readFixture(t, "plainheader.7z")
	if data[32+binary.LittleEndian.Uint64(data[12:])] != sz7Header {
		t.Fatal("plainheader.7z has an encoded header")
	}
	return data
}

// rewrite7zHeader applies patch to the header of a 7z with an unencoded
// header and fixes the CRCs.
func rewrite7zHeader(data []byte, patch func([]byte) []byte) []byte {
	off := 32 + int(binary.LittleEndian.Uint64(data[12:]))
	hdr := patch(bytes.Clone(data[off:]))
	out := append(bytes.Clone(data[:off]), hdr...)
	binary.LittleEndian.PutUint64(out[20:], uint64(len(hdr)))
	binary.LittleEndian.PutUint32(out[28:], crc32.ChecksumIEEE(hdr))
	binary.LittleEndian.PutUint32(out[8:], crc32.ChecksumIEEE(out[12:32]))
	return out
}

func setFilesCount(t testing.TB, h []byte, n uint64) []byte {
	i := bytes.Index(h, []byte{sz7FilesInfo, 0x01, sz7Dummy})
	if i < 0 {
		t.Fatal("no FilesInfo in the fixture")
	}
	return splice(h, i+1, 1, number7z(n))
}

func splice(b []byte, at, del int, ins []byte) []byte {
	return append(append(bytes.Clone(b[:at]), ins...), b[at+del:]...)
}

// number7z encodes n as a 7z variable-length number, in its longest form.
func number7z(n uint64) []byte {
	return binary.LittleEndian.AppendUint64([]byte{0xFF}, n)
}

// TestSevenZipSolidSkip checks that in a solid 7z, the part of an entry the
// caller did not read is still decompressed through the meter (it must be,
// to reach the next entry) and charged to the budget.
func TestSevenZipSolidSkip(t *testing.T) {
	t.Parallel()
	data := readFixture(t, "plain.7z")
	b := NewBudget(Limits{})
	in := extract.Input{Name: "plain.7z", R: bytes.NewReader(data), Size: int64(len(data))}
	var names []string
	err := Walk(context.Background(), in, SevenZip, b, func(e *Entry) error {
		names = append(names, e.Name)
		_, err := e.R.Read(make([]byte, 1)) // read one byte only
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(61 + 109); b.Used() != want || len(names) != 2 {
		t.Errorf("entries %q, charged %d bytes, want 2 entries and %d", names, b.Used(), want)
	}
}

// TestReadBound checks, for each reader, that what the entries yield never
// exceeds the budget, however the budget and the data compare.
func TestReadBound(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte(peopleCSV), 100) // 10.9 KB
	archives := map[string][]byte{
		"a.zip":    makeZip(t, zfile{name: "1.csv", data: string(big), method: zip.Deflate}, zfile{name: "2.csv", data: string(big)}),
		"a.tar":    makeTar(t, tfile{name: "1.csv", data: string(big)}, tfile{name: "2.csv", data: string(big)}),
		"a.tar.gz": gz(t, makeTar(t, tfile{name: "1.csv", data: string(big)}, tfile{name: "2.csv", data: string(big)})),
		"a.csv.gz": gz(t, big),
	}
	for name, data := range archives {
		for _, budget := range []int64{1, 100, 5000, 10900, 11000, 21800, 1 << 20} {
			var yielded int64
			in := extract.Input{Name: name, R: bytes.NewReader(data), Size: int64(len(data))}
			b := NewBudget(Limits{MaxTotalBytes: budget})
			err := Walk(context.Background(), in, Detect(name, data), b, func(e *Entry) error {
				n, err := io.Copy(io.Discard, e.R)
				yielded += n
				if err != nil && !errors.Is(err, ErrLimit) {
					t.Errorf("%s: %v", name, err)
				}
				return nil
			})
			if err != nil && !errors.Is(err, ErrLimit) {
				t.Errorf("%s, budget %d: %v", name, budget, err)
			}
			if yielded > budget || b.Used() > budget {
				t.Errorf("%s, budget %d: yielded %d, charged %d", name, budget, yielded, b.Used())
			}
		}
	}
}

// TestXZDictionary checks that an xz stream whose first block asks for a
// 4 GiB dictionary is refused before the decoder allocates it.
func TestXZDictionary(t *testing.T) {
	t.Parallel()
	data := bytes.Clone(readFixture(t, "people.csv.xz"))
	hdrLen := (int(data[12]) + 1) * 4
	hdr := data[12 : 12+hdrLen]
	i := bytes.Index(hdr[2:], []byte{0x21, 0x01}) + 2 // filter LZMA2, one property byte
	if dict, ok := xzFirstDict(data); !ok || dict > maxDict {
		t.Fatalf("fixture: dictionary %d, %v", dict, ok)
	}
	hdr[i+2] = 40
	binary.LittleEndian.PutUint32(hdr[hdrLen-4:], crc32.ChecksumIEEE(hdr[:hdrLen-4]))
	_, err := walkAll(t, "people.csv.xz", data, XZ, Limits{})
	if got := status(err); got != "error: corrupt" || !strings.Contains(err.Error(), "dictionary of 4.0 GiB") {
		t.Errorf("got %q (%v)", got, err)
	}
}
