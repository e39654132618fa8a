package mail

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// pattern is the attachment content of the streaming test: a counter, so
// that a lost, repeated or reordered block shows.
func pattern(i int) []byte { return fmt.Appendf(nil, "row %09d,alice@example.com\n", i) }

// TestLargeAttachmentStreams walks an mbox whose second message carries a
// 24 MiB attachment (32 MiB of base64) from a file, and checks that the
// heap stays far below the attachment's size while it is read, and that
// every byte comes out in order. It also checks that the file is left as
// it was.
func TestLargeAttachmentStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 33 MB file")
	}
	const rows = 24 << 20 / 32
	path := filepath.Join(t.TempDir(), "big.mbox")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, "From a@example.com Sun Nov 23 10:00:00 2025\nSubject: small\n\nhello\n\n")
	fmt.Fprint(w, "From b@example.com Sun Nov 23 10:00:00 2025\nSubject: big\nContent-Type: multipart/mixed; boundary=b\n\n"+
		"--b\n\nsee attached\n--b\nContent-Type: text/csv\nContent-Transfer-Encoding: base64\n\n")
	enc := base64.NewEncoder(base64.StdEncoding, &lineWrapper{w: w})
	for i := range rows {
		enc.Write(pattern(i))
	}
	enc.Close()
	fmt.Fprint(w, "\n--b--\n\nFrom c@example.com Sun Nov 23 10:00:00 2025\nSubject: after\n\nbye\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before, _ := os.Stat(path)

	f, err = os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := extract.Input{Name: path, R: f, Size: before.Size(), RA: f}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	var names []string
	err = Walk(context.Background(), in, MBOX, Limits{}, func(p *Part) error {
		names = append(names, p.Name)
		if p.Text {
			_, err := io.Copy(io.Discard, p.R)
			return err
		}
		if p.Size != rows*32 {
			t.Errorf("Size = %d, want %d", p.Size, rows*32)
		}
		br := bufio.NewReaderSize(p.R, 64<<10)
		line := make([]byte, 32)
		for i := range rows {
			if _, err := io.ReadFull(br, line); err != nil {
				return fmt.Errorf("row %d: %w", i, err)
			}
			if !bytes.Equal(line, pattern(i)) {
				return fmt.Errorf("row %d = %q", i, line)
			}
			if i%(rows/16) == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
		if n, _ := io.Copy(io.Discard, br); n != 0 {
			t.Errorf("%d bytes after the last row", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names, " "); got != "msg-1 msg-2 msg-2/part-2.csv msg-3" {
		t.Errorf("parts: %s", got)
	}
	grew := int64(peak) - int64(base)
	t.Logf("heap grew by %d KiB", grew>>10)
	if grew > 8<<20 {
		t.Errorf("heap grew by %d MiB while a 24 MiB attachment was read", grew>>20)
	}
	after, _ := os.Stat(path)
	if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the mbox changed: %v -> %v", before, after)
	}
}

// lineWrapper breaks base64 output into 76-character lines, as mail does.
type lineWrapper struct {
	w   io.Writer
	col int
}

func (l *lineWrapper) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if l.col == 76 {
			l.w.Write([]byte{'\n'})
			l.col = 0
		}
		k := min(len(p), 76-l.col)
		l.w.Write(p[:k])
		l.col += k
		p = p[k:]
	}
	return n, nil
}
