package pdf

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// fuzzLimits are small, so that the limits are met and checked.
var fuzzLimits = Limits{MaxPages: 20, MaxTime: 5 * time.Second, MaxBytes: 4 << 20}

// checkChunks runs r over data and checks the invariants the scan relies
// on: no panic; errors are a limit, corruption or encryption (and ErrLimit
// comes with its LimitError); pages come in order, numbered from 1, never
// past MaxPages; lines are valid UTF-8 without control characters but
// '\n' and '\t'; nothing is yielded with ErrEncrypted.
func checkChunks(t *testing.T, r *Reader, data []byte) {
	page, yielded := 0, 0
	err := r.Extract(context.Background(), extract.Input{Name: "fuzz.pdf", R: bytes.NewReader(data), RA: bytes.NewReader(data), Size: int64(len(data))},
		func(c *extract.Chunk) error {
			yielded += len(c.Data)
			n, perr := strconv.Atoi(strings.TrimPrefix(c.Loc.Part, "page "))
			if c.Kind != extract.Lines || perr != nil || n < page || n > r.Limits.MaxPages || c.Loc.Line < 1 {
				t.Fatalf("bad chunk %v at %+v after page %d", c.Kind, c.Loc, page)
			}
			page = n
			if !utf8.Valid(c.Data) {
				t.Fatalf("invalid UTF-8 on %s", c.Loc.Part)
			}
			for _, b := range c.Data {
				if b < 0x20 && b != '\n' && b != '\t' || b == 0x7f {
					t.Fatalf("control byte %#x on %s", b, c.Loc.Part)
				}
			}
			return nil
		})
	var le *LimitError
	switch {
	case err == nil:
	case errors.Is(err, ErrLimit):
		if !errors.As(err, &le) {
			t.Fatalf("ErrLimit without a LimitError: %v", err)
		}
	case errors.Is(err, ErrEncrypted), errors.Is(err, ErrUnsupported):
		if yielded > 0 {
			t.Fatalf("yielded %d bytes, then %v", yielded, err)
		}
	case errors.Is(err, extract.ErrCorrupt):
	default:
		t.Fatalf("unexpected error %v", err)
	}
}

// FuzzReader reads arbitrary bytes as a PDF. Seeds: the fixtures and the
// documents the tests build (object streams, fonts with CMaps, forms).
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.pdf")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add(bigPages(f, 2, true))
	f.Add(contentDoc("BT /F2 12 Tf 72 700 Td <0001000200030004> Tj ET /Fm1 Do"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip("inputs stay small")
		}
		checkChunks(t, &Reader{Limits: fuzzLimits}, data)
	})
}

// FuzzContent runs arbitrary content streams on a page that has every
// kind of font and form the tests use: the interpreter and the layout
// meet far more operator sequences this way than through whole files.
func FuzzContent(f *testing.F) {
	f.Add("BT /F1 12 Tf 72 700 Td [(Jo) -20 (hn) -300 (Smith)] TJ ET")
	f.Add("q 0 1 -1 0 300 300 cm BT /F2 9 Tf 2 Tz 1 Tc 3 Tw 2 Ts 14 TL <0001000200030004> Tj T* (x) ' 1 2 (y) \" ET Q")
	f.Add("BT /F3 12 Tf 1 0 0 1 10 10 Tm (ABCD) Tj /F4 8 Tf (AB) Tj ET /Fm1 Do /Loop Do")
	f.Add("BI /W 1 /H 1 ID \x00 EI BT 72 700 Td <414 [(x")
	f.Fuzz(func(t *testing.T, content string) {
		if len(content) > 64<<10 {
			t.Skip("inputs stay small")
		}
		checkChunks(t, &Reader{Limits: fuzzLimits}, contentDoc(content))
	})
}

// FuzzCMap parses arbitrary CMaps and looks codes up in them.
func FuzzCMap(f *testing.F) {
	f.Add([]byte(toUnicodeCMap), []byte{0, 1, 0, 0x10})
	f.Add([]byte("2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange 1 beginbfrange <20> <22> <0041> endbfrange"), []byte{0x81, 0x41, 0x20})
	f.Add([]byte("1 beginbfrange <0000> <FFFF> [<0041>] endbfrange <00"), []byte{0xff, 0xff})
	f.Fuzz(func(t *testing.T, src, codes []byte) {
		m, err := parseCMap(bytes.NewReader(src))
		if err != nil {
			return
		}
		for len(codes) > 0 {
			n := m.codeLen(codes)
			if n < 0 || n > 4 || n > len(codes) {
				t.Fatalf("codeLen %d of % x", n, codes)
			}
			n = max(n, 1)
			if s, ok := m.lookup(n, beUint(codes[:n])); !ok && s != "" {
				t.Fatalf("lookup failed but returned %q", s)
			}
			codes = codes[n:]
		}
	})
}
