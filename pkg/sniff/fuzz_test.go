package sniff

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite the seed corpus in testdata/fuzz/FuzzDetect")

var known = map[Type]bool{Empty: true, Text: true, CSV: true, TSV: true, XLSX: true, Zip: true, PDF: true,
	CFB: true, Gzip: true, SevenZip: true, Image: true, Binary: true}

// FuzzDetect checks that Detect never panics, always returns a known type,
// is deterministic, ignores bytes past HeadSize, and uses the name only to
// refine what content decided.
func FuzzDetect(f *testing.F) {
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		got := Detect(name, head)
		if !known[got] {
			t.Fatalf("unknown type %q", got)
		}
		if again := Detect(name, head); again != got {
			t.Fatalf("not deterministic: %q then %q", got, again)
		}
		if (got == Empty) != (len(head) == 0) {
			t.Fatalf("%q for a %d-byte head", got, len(head))
		}
		if len(head) > HeadSize {
			if cut := Detect(name, head[:HeadSize]); cut != got {
				t.Fatalf("%q, but %q for the first HeadSize bytes", got, cut)
			}
		}
		e := strings.ToLower(Ext(name))
		switch got {
		case CSV:
			if e != ".csv" {
				t.Fatalf("csv for %q", name)
			}
		case TSV:
			if e != ".tsv" && e != ".tab" {
				t.Fatalf("tsv for %q", name)
			}
		case XLSX:
			if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
				t.Fatalf("xlsx without a zip header")
			}
		}
		// The name refines; it never turns text into binary or back.
		other := Detect("other", head)
		switch got {
		case CSV, TSV:
			got = Text
		case XLSX:
			got = Zip
		}
		if other != got {
			t.Fatalf("type depends on the name: %q for %q, %q for another name", got, name, other)
		}
	})
}

// seeds are one head of each type, small.
func seeds() map[string]struct {
	name string
	head []byte
} {
	type seed = struct {
		name string
		head []byte
	}
	m := map[string]seed{}
	for _, tt := range tests {
		if len(tt.head) > 256 {
			continue
		}
		m[strings.NewReplacer(" ", "-", "%", "pct").Replace(tt.name)] = seed{tt.file, tt.head}
	}
	return m
}

// TestWriteSeeds rewrites the committed corpus with -update-seeds and
// otherwise checks that it is current.
func TestWriteSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDetect")
	for file, s := range seeds() {
		path := filepath.Join(dir, file)
		want := fmt.Appendf(nil, "go test fuzz v1\nstring(%q)\n[]byte(%q)\n", s.name, s.head)
		if *updateSeeds {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is missing or stale (%v); run go test -run TestWriteSeeds -update-seeds", path, err)
		}
	}
}

// FuzzEncrypted checks that Encrypted never panics, never fails with a
// reader that cannot fail, reads at most MaxEncryptedRead bytes through
// the reader (also when size claims more than there is), answers with a
// known kind and a fixed reason, is deterministic, and that an answer from
// the head alone (no reader) agrees with the full one. Seeds: every
// fixture in testdata/encrypted and the heads of TestEncryptedHeads' kind.
func FuzzEncrypted(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "encrypted"))
	if err != nil {
		f.Fatal(err)
	}
	for _, de := range entries {
		f.Add(de.Name(), fixture(f, de.Name()), uint16(0))
	}
	f.Add("a.txt", []byte("-----BEGIN PGP MESSAGE-----\n\nhQEMA\n"), uint16(0))
	f.Add("a.pdf", []byte(pdf("", "trailer\n<< /Size 1 /Encrypt 1 0 R >>")), uint16(100))
	f.Fuzz(func(t *testing.T, name string, data []byte, extra uint16) {
		size := int64(len(data)) + int64(extra) // extra: the file "shrank" since its size was taken
		head := data[:min(len(data), HeadSize)]
		ra := &countingReaderAt{r: bytes.NewReader(data)}
		e, ok, err := Encrypted(name, head, ra, size)
		if err != nil {
			t.Fatalf("error %v", err)
		}
		if ra.n > MaxEncryptedRead {
			t.Fatalf("read %d bytes, more than MaxEncryptedRead", ra.n)
		}
		if ok != (e.Kind != "") || ok != slices.Contains(reasons, e.Reason) ||
			e.OpensWithoutPassword != strings.Contains(e.Reason, "without a password") {
			t.Fatalf("%v with %+v", ok, e)
		}
		again, ok2, _ := Encrypted(name, head, bytes.NewReader(data), size)
		if again != e || ok2 != ok {
			t.Fatalf("not deterministic: %+v then %+v", e, again)
		}
		if headOnly, ok3, err := Encrypted(name, head, nil, size); err != nil || ok3 && headOnly != e {
			t.Fatalf("head only: %+v, %v; with the reader: %+v", headOnly, err, e)
		}
	})
}
