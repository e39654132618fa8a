package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// fuzzLimits are small, so that the invariants are tested at the limits.
var fuzzLimits = Limits{
	MaxMessages: 20, MaxParts: 40, MaxDepth: 4, MaxHeaderBytes: 4 << 10,
	MaxTextBytes: 8 << 10, MaxPartBytes: 16 << 10, MaxAttachments: 30, MaxTotalBytes: 128 << 10,
}

// fuzzSeeds adds the fixtures whose names end in ext and a few messages
// built here.
func fuzzSeeds(f *testing.F, ext string) {
	files, _ := filepath.Glob("testdata/*" + ext)
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(msg("From: a@example.com", "Content-Type: multipart/mixed; boundary=b", "",
		"--b", "Content-Type: multipart/alternative; boundary=c", "", "--c", "", "plain", "--c",
		"Content-Type: text/html", "", "<p>x</p>", "--b", "Content-Disposition: attachment; filename*=utf-8''a%20b",
		"Content-Transfer-Encoding: base64", "", "aGk=", "--b--")))
	f.Add([]byte("From a Sun Nov 23 10:00:00 2025\nSubject: x\n\n>From y\n\nFrom b Sun Nov 23 10:00:00 2025\n\nz"))
}

func FuzzWalkEML(f *testing.F) {
	fuzzSeeds(f, ".eml")
	f.Fuzz(func(t *testing.T, data []byte) { checkWalk(t, data, EML) })
}

func FuzzWalkMBOX(f *testing.F) {
	fuzzSeeds(f, ".mbox")
	f.Fuzz(func(t *testing.T, data []byte) { checkWalk(t, data, MBOX) })
}

// checkWalk walks data and checks the invariants the scan relies on: no
// panic; Walk fails only with a limit; every Part.Err is a limit or
// corruption; names are clean and unique, text is UTF-8 within
// MaxTextBytes, Size is what R yields, attachments stay within
// MaxPartBytes, and all of it within MaxTotalBytes and MaxAttachments.
func checkWalk(t *testing.T, data []byte, f Format) {
	if len(data) > 1<<20 {
		t.Skip("inputs stay small")
	}
	in := extract.Input{Name: "fuzz", R: bytes.NewReader(data), Size: int64(len(data))}
	var total int64
	msgs, atts := 0, 0
	seen := map[string]bool{}
	prefix := ""
	err := Walk(context.Background(), in, f, fuzzLimits, func(p *Part) error {
		b, rerr := io.ReadAll(p.R)
		if p.Err != nil && !errors.Is(p.Err, ErrLimit) && !errors.Is(p.Err, extract.ErrCorrupt) {
			t.Fatalf("%q: Err %v is neither a limit nor corruption", p.Name, p.Err)
		}
		if p.Text {
			msgs++
			prefix = ""
			if f == MBOX {
				prefix = "msg-" + strconv.Itoa(msgs)
			}
			if p.Name != prefix {
				t.Fatalf("message %d named %q", msgs, p.Name)
			}
			if rerr != nil || !utf8.Valid(b) || int64(len(b)) != p.Size || len(b) > fuzzLimits.MaxTextBytes {
				t.Fatalf("%q: text of %d bytes (Size %d), valid UTF-8 %v, err %v", p.Name, len(b), p.Size, utf8.Valid(b), rerr)
			}
		} else {
			atts++
			name := p.Name
			if f == MBOX {
				rest, ok := strings.CutPrefix(name, prefix+"/")
				if !ok || msgs == 0 {
					t.Fatalf("attachment %q outside message %q", name, prefix)
				}
				name = rest
			}
			checkName(t, name)
			if seen[strings.ToLower(p.Name)] {
				t.Fatalf("duplicate name %q", p.Name)
			}
			seen[strings.ToLower(p.Name)] = true
			switch {
			case p.Err != nil:
				if !errors.Is(p.Err, ErrLimit) || len(b) != 0 || p.Size <= fuzzLimits.MaxPartBytes {
					t.Fatalf("%q: Err %v with %d bytes, Size %d", p.Name, p.Err, len(b), p.Size)
				}
			case rerr != nil || int64(len(b)) != p.Size || p.Size > fuzzLimits.MaxPartBytes:
				t.Fatalf("%q: read %d bytes (err %v), Size %d", p.Name, len(b), rerr, p.Size)
			}
		}
		total += int64(len(b))
		return nil
	})
	if err != nil && !errors.Is(err, ErrLimit) {
		t.Fatalf("Walk: %v", err)
	}
	if total > fuzzLimits.MaxTotalBytes || atts > fuzzLimits.MaxAttachments || msgs > fuzzLimits.MaxMessages {
		t.Fatalf("%d bytes, %d attachments, %d messages: over the limits", total, atts, msgs)
	}
	if f == EML && msgs > 1 {
		t.Fatalf("an .eml yielded %d messages", msgs)
	}
}

// checkName fails unless name is a clean attachment name.
func checkName(t *testing.T, name string) {
	t.Helper()
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || !utf8.ValidString(name) ||
		len(name) > maxNameBytes+16 {
		t.Fatalf("bad name %q", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			t.Fatalf("control character in name %q", name)
		}
	}
}
