package pdf

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// extracted is what a Reader yielded: the text of each page by its Part,
// and the chunks in order.
type extracted struct {
	parts  []string
	pages  map[string]string
	chunks []extract.Chunk
}

// extractBytes runs r over data (as a file with random access when ra is
// set, else as a stream) and collects what it yields.
func extractBytes(t testing.TB, r *Reader, data []byte, ra bool) (extracted, error) {
	t.Helper()
	got := extracted{pages: map[string]string{}}
	in := extract.Input{Name: "doc.pdf", R: bytes.NewReader(data), Size: int64(len(data))}
	if ra {
		in.RA = bytes.NewReader(data)
	}
	err := r.Extract(context.Background(), in, func(c *extract.Chunk) error {
		if c.Kind != extract.Lines {
			t.Fatalf("chunk kind %v", c.Kind)
		}
		if _, ok := got.pages[c.Loc.Part]; !ok {
			got.parts = append(got.parts, c.Loc.Part)
		}
		got.pages[c.Loc.Part] += string(c.Data)
		cp := *c
		cp.Data = append([]byte(nil), c.Data...)
		got.chunks = append(got.chunks, cp)
		return nil
	})
	return got, err
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var (
	basicPage1 = "Customer record\nName: Jane Example\nEmail: jane.example@example.com\nPhone: +44 20 7946 0958\n"
	basicPage2 = "Payment details\nCard: 4111 1111 1111 1111\nIBAN: GB82 WEST 1234 5698 7654 32\nSSN 123-45-6789\n"
)

// TestFixtures reads the files scripts/genpdf.sh makes with Ghostscript
// and qpdf and checks every line of every page.
func TestFixtures(t *testing.T) {
	tests := []struct {
		file  string
		pages []string // text of page 1, 2, ...
		err   error
		msg   string // in the error
	}{
		{file: "basic.pdf", pages: []string{basicPage1, basicPage2}},
		// The same through object streams and a cross-reference stream.
		{file: "objstm.pdf", pages: []string{basicPage1, basicPage2}},
		// Owner password only: opens with the empty user password.
		{file: "owner-rc4-128.pdf", pages: []string{basicPage1, basicPage2}},
		{file: "owner-aes128-objstm.pdf", pages: []string{basicPage1, basicPage2}},
		// Owner password only, but ciphers the library gets wrong.
		{file: "owner-rc4-40.pdf", err: ErrUnsupported, msg: "40-bit RC4 encryption is not supported"},
		{file: "owner-aes256.pdf", err: ErrUnsupported, msg: "AES-256 encryption is not supported"},
		{file: "user-password.pdf", err: ErrEncrypted},
		// Lines rebuilt from runs: see runs.ps in scripts/genpdf.sh.
		{file: "runs.pdf", pages: []string{
			"Phone: +44 20 7946 0958\n" + // runs a space width apart
				"IBAN GB82 WEST 1234 5698 7654 32\n" + // drawn right to left
				"John Example\n" + // drawn after the line below it; "Jo" "hn" touch
				"Name\tJane Example\n" + // table columns
				"Bold text\n" + // drawn twice
				"E = mc2\n" + // superscript
				"Card: 4111 1111 1111 1111\n", // kerned digits
			"Upright line\nVertical +44 20 7946 0958\n", // turned 90 degrees
		}},
		// An embedded font re-encoded to Latin-1.
		{file: "fonts.pdf", pages: []string{"Zoë Åström\nStraße 12, São Paulo\nzoe.astrom@example.com\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			for _, ra := range []bool{true, false} {
				got, err := extractBytes(t, &Reader{}, readFixture(t, tt.file), ra)
				if tt.err != nil {
					if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
						t.Fatalf("err = %v, want %v (%q)", err, tt.err, tt.msg)
					}
					if len(got.chunks) != 0 {
						t.Fatalf("yielded %d chunks before the error", len(got.chunks))
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				checkPages(t, got, tt.pages)
			}
		})
	}
}

func checkPages(t *testing.T, got extracted, want []string) {
	t.Helper()
	if len(got.parts) != len(want) {
		t.Fatalf("parts %q, want %d pages", got.parts, len(want))
	}
	for i, w := range want {
		part := "page " + strconv.Itoa(i+1)
		if got.parts[i] != part {
			t.Fatalf("part %d is %q, want %q", i, got.parts[i], part)
		}
		if got.pages[part] != w {
			t.Errorf("%s:\n got %q\nwant %q", part, got.pages[part], w)
		}
	}
	for _, c := range got.chunks {
		if c.Loc.Line != 1 {
			t.Errorf("%s: chunk starts at line %d; pages this small are one chunk", c.Loc.Part, c.Loc.Line)
		}
	}
}

// TestPages checks the page parts and the page limit: the pages before
// the limit are yielded, then ErrLimit names it.
func TestPages(t *testing.T) {
	data := readFixture(t, "pages.pdf")
	got, err := extractBytes(t, &Reader{}, data, true)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 1; i <= 12; i++ {
		want = append(want, "Page "+strconv.Itoa(i)+" of 12\nReference +44 20 7946 0958\n")
	}
	checkPages(t, got, want)

	got, err = extractBytes(t, &Reader{Limits: Limits{MaxPages: 5}}, data, true)
	var le *LimitError
	if !errors.Is(err, ErrLimit) || !errors.As(err, &le) || le.Limit != LimitPages || le.Value != 5 {
		t.Fatalf("err = %v, want the page limit", err)
	}
	if !strings.Contains(err.Error(), "doc.pdf: PDF has more than --pdf-max-pages 5 pages") {
		t.Fatalf("message %q", err)
	}
	checkPages(t, got, want[:5])

	// Exactly at the limit is not over it.
	if _, err := extractBytes(t, &Reader{Limits: Limits{MaxPages: 12}}, data, true); err != nil {
		t.Fatalf("12 pages with MaxPages 12: %v", err)
	}
}

// TestPDF20 reads a PDF 2.0 file, whose header the library refuses.
func TestPDF20(t *testing.T) {
	data := readFixture(t, "basic.pdf")
	data = bytes.Replace(data, []byte("%PDF-1.4"), []byte("%PDF-2.0"), 1)
	got, err := extractBytes(t, &Reader{}, data, true)
	if err != nil {
		t.Fatal(err)
	}
	checkPages(t, got, []string{basicPage1, basicPage2})
}

// TestYieldError checks that yield's error comes back unchanged and stops
// the reading, and that a panic in yield is not taken for the library's.
func TestYieldError(t *testing.T) {
	data := readFixture(t, "basic.pdf")
	stop := errors.New("stop")
	calls := 0
	err := (&Reader{}).Extract(context.Background(), extract.Input{Name: "x", R: bytes.NewReader(data), Size: int64(len(data))},
		func(*extract.Chunk) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Fatalf("err = %v after %d calls, want stop after 1", err, calls)
	}
	defer func() {
		if p := recover(); p != "consumer bug" {
			t.Fatalf("recovered %v, want the consumer's panic", p)
		}
	}()
	(&Reader{}).Extract(context.Background(), extract.Input{Name: "x", R: bytes.NewReader(data), Size: int64(len(data))},
		func(*extract.Chunk) error { panic("consumer bug") })
}

// TestContext checks that a cancelled context stops the reading between
// pages.
func TestContext(t *testing.T) {
	data := readFixture(t, "pages.pdf")
	ctx, cancel := context.WithCancel(context.Background())
	pages := 0
	err := (&Reader{}).Extract(ctx, extract.Input{Name: "x", R: bytes.NewReader(data), Size: int64(len(data))},
		func(*extract.Chunk) error {
			if pages++; pages == 2 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) || pages != 2 {
		t.Fatalf("err = %v after %d pages", err, pages)
	}
	if err := (&Reader{}).Extract(ctx, extract.Input{Name: "x", R: bytes.NewReader(data), Size: int64(len(data))},
		func(*extract.Chunk) error { t.Fatal("yield after cancel"); return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}
