package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// fuzzFormats is indexed by the fuzzer's format byte.
var fuzzFormats = []Format{Zip, Tar, Gzip, Bzip2, XZ, SevenZip}

// fuzzLimits are small, so that the invariants are tested at the limits.
var fuzzLimits = Limits{MaxDepth: 3, MaxTotalBytes: 1 << 20, MaxEntries: 50, MaxRatio: 100, MaxEntrySize: 256 << 10}

// FuzzWalk walks arbitrary bytes as each format and checks the invariants
// the scan relies on: no panic; every error is a limit, encryption,
// corruption (or the fixed fuzz stop); entries never yield more than the
// budget in total or MaxEntrySize each, never more than MaxEntries; names
// are clean display names. Seeds: the committed fixtures and small archives
// built here, under each format byte.
func FuzzWalk(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil || strings.HasSuffix(p, ".golden") {
			continue
		}
		f.Add(uint8(formatIndex(Detect(p, data))), data)
	}
	f.Add(uint8(0), makeZip(f, zfile{name: "a/b.csv", data: peopleCSV, method: zip.Deflate}, zfile{name: "../c", data: "x"}))
	f.Add(uint8(1), makeTar(f, tfile{name: "a.csv", data: peopleCSV}, tfile{name: "d/", typeflag: '5'}))
	f.Add(uint8(2), gz(f, makeTar(f, tfile{name: "a.csv", data: peopleCSV})))
	f.Add(uint8(2), gz(f, []byte(peopleCSV)))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		if len(data) > 1<<20 {
			t.Skip("inputs stay small")
		}
		format := fuzzFormats[int(kind)%len(fuzzFormats)]
		b := NewBudget(fuzzLimits)
		in := extract.Input{Name: "fuzz.bin", R: bytes.NewReader(data), Size: int64(len(data))}
		var total int64
		entries := 0
		err := Walk(context.Background(), in, format, b, func(e *Entry) error {
			entries++
			checkName(t, e.Name)
			n, err := io.Copy(io.Discard, e.R)
			total += n
			if n > fuzzLimits.MaxEntrySize {
				t.Fatalf("%s: entry yielded %d bytes, over MaxEntrySize", format, n)
			}
			if err != nil {
				checkErr(t, format, err)
			}
			return nil
		})
		if err != nil {
			checkErr(t, format, err)
		}
		if total > fuzzLimits.MaxTotalBytes || b.Used() > fuzzLimits.MaxTotalBytes {
			t.Fatalf("%s: yielded %d, charged %d, budget %d", format, total, b.Used(), fuzzLimits.MaxTotalBytes)
		}
		if entries > fuzzLimits.MaxEntries {
			t.Fatalf("%s: %d entries", format, entries)
		}
	})
}

func formatIndex(f Format) int {
	for i, g := range fuzzFormats {
		if g == f {
			return i
		}
	}
	return 0
}

func checkErr(t *testing.T, f Format, err error) {
	t.Helper()
	if !errors.Is(err, extract.ErrCorrupt) && !errors.Is(err, ErrLimit) && !errors.Is(err, ErrEncrypted) {
		t.Fatalf("%s: unexpected error: %v", f, err)
	}
}

func checkName(t *testing.T, name string) {
	t.Helper()
	if name == "" || strings.HasPrefix(name, "/") || !utf8.ValidString(name) {
		t.Fatalf("bad name %q", name)
	}
	for _, el := range strings.Split(name, "/") {
		if el == ".." || el == "." || el == "" {
			t.Fatalf("name %q has element %q", name, el)
		}
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == '\\' {
			t.Fatalf("name %q has %q", name, r)
		}
	}
}
