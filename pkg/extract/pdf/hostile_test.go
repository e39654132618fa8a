package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// extractWithin runs extractBytes and fails the test if it takes longer
// than d: the reader must never hang.
func extractWithin(t *testing.T, d time.Duration, r *Reader, data []byte) (extracted, error) {
	t.Helper()
	type result struct {
		got extracted
		err error
	}
	done := make(chan result, 1)
	go func() {
		got, err := extractBytes(t, r, data, true)
		done <- result{got, err}
	}()
	select {
	case res := <-done:
		return res.got, res.err
	case <-time.After(d):
		t.Fatalf("still reading after %v", d)
	}
	return extracted{}, nil
}

// rawPDF writes objects and a classic table by hand, for tables the
// builder would not write. objs are bodies of objects 1..n; xref is the
// whole cross-reference section (without trailer); trailer the
// dictionary's inside.
func rawPDF(objs []string, xref func(offs []int) string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	b.WriteString(xref(offs))
	fmt.Fprintf(&b, "trailer\n<<%s>>\nstartxref\n%d\n%%%%EOF\n", strings.ReplaceAll(trailer, "XREF", fmt.Sprint(x)), x)
	return b.Bytes()
}

func table(offs []int) string {
	s := fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		s += fmt.Sprintf("%010d 00000 n \n", o)
	}
	return s
}

var tinyCatalog = []string{"<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [] /Count 0>>"}

// TestHostile feeds files built to crash, hang or exhaust a reader. Each
// must end quickly with the error named, never a panic, a hang or the
// process dying (several of these kill a process that hands them to the
// library unchecked: see structure.go).
func TestHostile(t *testing.T) {
	bomb := func(n int, pattern string) []byte {
		return bytes.Repeat([]byte(pattern), n/len(pattern))
	}
	tests := []struct {
		name   string
		data   func() []byte
		limits Limits
		err    error
		msg    string
		pages  map[string]string // text yielded before the error
	}{
		{name: "xref subsection at object 3e9 (out of memory in the library)", data: func() []byte {
			return rawPDF(tinyCatalog, func(offs []int) string { return table(offs) + "3000000000 1\n0000000000 00000 n \n" }, "/Size 3 /Root 1 0 R")
		}, err: extract.ErrCorrupt, msg: "cross-reference subsection beyond"},
		{name: "xref stream /Size 2^40", data: func() []byte {
			b, root := doc(textPage("x"))
			return bytes.Replace(b.bytesObjStm(root), []byte("/Type /XRef /Size "), []byte("/Type /XRef /Size 1099511627776 /Sz "), 1)
		}, err: extract.ErrCorrupt, msg: "/Size beyond"},
		{name: "xref stream /W with a billion-byte field", data: func() []byte {
			b, root := doc(textPage("x"))
			return bytes.Replace(b.bytesObjStm(root), []byte("/W [1 4 2]"), []byte("/W [1 999999999 2]"), 1)
		}, err: extract.ErrCorrupt, msg: "bad cross-reference stream /W"},
		{name: "xref /Prev pointing at itself (endless loop in the library)", data: func() []byte {
			return rawPDF(tinyCatalog, table, "/Size 3 /Root 1 0 R /Prev XREF")
		}, err: extract.ErrCorrupt, msg: "cycle"},
		{name: "page tree that contains itself", data: func() []byte {
			return rawPDF([]string{"<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [2 0 R] /Count 1>>"}, table, "/Size 3 /Root 1 0 R")
		}, err: extract.ErrCorrupt, msg: "page tree deeper than 64 levels"},
		{name: "page tree doubling at every level", data: func() []byte {
			objs := []string{"<</Type /Catalog /Pages 2 0 R>>"}
			for i := 2; i < 42; i++ {
				objs = append(objs, fmt.Sprintf("<</Type /Pages /Kids [%d 0 R %d 0 R]>>", i+1, i+1))
			}
			objs = append(objs, "<</Type /Pages /Kids []>>")
			return rawPDF(objs, table, fmt.Sprintf("/Size %d /Root 1 0 R", len(objs)+1))
		}, err: extract.ErrCorrupt, msg: "page tree has more than"},
		{name: "object stream inflating to 16 MiB", data: func() []byte {
			b, root := doc(textPage("x"))
			b.add("[" + string(bomb(16<<20, "0 ")) + "]")
			return b.bytesObjStm(root)
		}, err: ErrLimit, msg: "object stream larger than 8388608 bytes"},
		{name: "object stream stored in itself (stack overflow in the library)", data: func() []byte {
			b, root := doc(textPage("x"))
			data := b.bytesObjStm(root)
			// Turn the object stream's own entry (type 1) into a type 2
			// entry pointing at itself: rebuild with a patched row.
			return patchObjStmEntry(t, data)
		}, err: extract.ErrCorrupt, msg: "object stream stored in an object stream"},
		{name: "content deflate bomb", data: func() []byte {
			b, root := doc("BT /F1 12 Tf 72 700 Td (before the bomb) Tj ET " + string(bomb(32<<20, "    ")))
			return b.bytes(root, "")
		}, limits: Limits{MaxBytes: 4 << 20}, err: ErrLimit, msg: "--pdf-max-bytes 4194304",
			pages: map[string]string{"page 1": "before the bomb\n"}},
		{name: "bomb on page 2", data: func() []byte {
			b, root := doc(textPage("page one"), string(bomb(32<<20, "    ")))
			return b.bytes(root, "")
		}, limits: Limits{MaxBytes: 2 << 20}, err: ErrLimit, msg: "--pdf-max-bytes 2097152",
			pages: map[string]string{"page 1": "page one\n"}},
		{name: "8 MiB string", data: func() []byte {
			b, root := doc("BT /F1 12 Tf 72 700 Td (before) Tj (" + string(bomb(8<<20, "A")) + ") Tj ET")
			return b.bytes(root, "")
		}, err: extract.ErrCorrupt, msg: "page 1: content stream: token too long",
			pages: map[string]string{"page 1": "before\n"}},
		{name: "array of two million numbers", data: func() []byte {
			b, root := doc("[" + string(bomb(4<<20, "0 ")) + "] TJ")
			return b.bytes(root, "")
		}, err: extract.ErrCorrupt, msg: "array or dictionary too large"},
		{name: "arrays nested a million deep", data: func() []byte {
			b, root := doc(string(bomb(1<<20, "[")))
			return b.bytes(root, "")
		}, err: extract.ErrCorrupt, msg: "nested too deep"},
		{name: "predictor with 2^40 columns", data: func() []byte {
			b := &builder{}
			f := b.add(helvetica)
			c := b.stream("/Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns 1099511627776>>", deflate([]byte("x")))
			pages := b.add("")
			pg := b.add(fmt.Sprintf("<</Type /Page /Parent %d 0 R /Resources <</Font <</F1 %d 0 R>>>> /Contents %d 0 R>>", pages, f, c))
			b.set(pages, fmt.Sprintf("<</Type /Pages /Kids [%d 0 R] /Count 1>>", pg))
			return b.bytes(b.add(fmt.Sprintf("<</Type /Catalog /Pages %d 0 R>>", pages)), "")
		}, err: extract.ErrCorrupt, msg: "too many columns"},
		{name: "unsupported filter", data: func() []byte {
			b, root := doc(textPage("page one"))
			return bytes.Replace(b.bytes(root, ""), []byte("/Filter /FlateDecode"), []byte("/Filter /LZWDecode  "), 1)
		}, err: extract.ErrCorrupt, msg: "page 1: unknown filter"},
		{name: "not a PDF", data: func() []byte {
			return bytes.Repeat([]byte("plain text, not a document\n"), 10)
		}, err: extract.ErrCorrupt, msg: "no %%EOF at the end"},
		{name: "empty", data: func() []byte { return nil }, err: extract.ErrCorrupt, msg: "file too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data()
			start := time.Now()
			got, err := extractWithin(t, 30*time.Second, &Reader{Limits: tt.limits}, data)
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.err, tt.msg)
			}
			if len(got.pages) != len(tt.pages) {
				t.Fatalf("yielded %q, want %q", got.pages, tt.pages)
			}
			for p, w := range tt.pages {
				if got.pages[p] != w {
					t.Fatalf("%s: yielded %q, want %q", p, got.pages[p], w)
				}
			}
			t.Logf("%v: %v", time.Since(start).Round(time.Millisecond), err)
		})
	}
}

// patchObjStmEntry rewrites, in a file from bytesObjStm, the object
// stream's own cross-reference entry into "in object stream <itself>".
func patchObjStmEntry(t *testing.T, data []byte) []byte {
	t.Helper()
	// Rebuild the xref stream: find it, inflate, patch, deflate.
	var objStart, num, size int
	fmt.Sscanf(string(data[bytes.LastIndex(data, []byte("startxref")):]), "startxref\n%d", &objStart)
	fmt.Sscanf(string(data[objStart:]), "%d 0 obj", &num)
	i := bytes.Index(data[objStart:], []byte("/Type /XRef")) + objStart
	fmt.Sscanf(string(data[i:]), "/Type /XRef /Size %d", &size)
	s := bytes.Index(data[i:], []byte("stream\n")) + i + len("stream\n")
	e := bytes.LastIndex(data, []byte("\nendstream"))
	rows := inflate(t, data[s:e])
	stm := num - 1 // bytesObjStm numbers the object stream just before the xref stream
	row := rows[stm*7 : stm*7+7]
	row[0] = 2
	row[1], row[2], row[3], row[4] = byte(stm>>24), byte(stm>>16), byte(stm>>8), byte(stm)
	row[5], row[6] = 0, 0
	z := deflate(rows)
	var out bytes.Buffer
	out.Write(data[:objStart])
	fmt.Fprintf(&out, "%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root %s /Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream\nendobj\n",
		num, size, rootRef(data[i:]), len(z), z)
	fmt.Fprintf(&out, "startxref\n%d\n%%%%EOF\n", objStart)
	return out.Bytes()
}

func rootRef(dict []byte) string {
	i := bytes.Index(dict, []byte("/Root "))
	j := bytes.Index(dict[i:], []byte(" R")) + i
	return string(dict[i+len("/Root ") : j+2])
}

// TestStringBombMemory checks that a content stream holding one string of
// 64 MiB (in 64 KB of file) costs a bounded amount of memory.
func TestStringBombMemory(t *testing.T) {
	b, root := doc("(" + strings.Repeat("A", 64<<20) + ") Tj")
	data := b.bytes(root, "")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := extractBytes(t, &Reader{}, data, true)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, extract.ErrCorrupt) {
		t.Fatalf("err = %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Fatalf("allocated %d MiB", alloc>>20)
	}
}

// TestTimeLimit reads with a clock that runs a second on every look (the
// 12 pages take about a hundred), so that a 50-second budget runs out
// halfway: the pages before are yielded, then ErrLimit names the limit.
func TestTimeLimit(t *testing.T) {
	var now time.Time
	clock := func() time.Time { now = now.Add(time.Second); return now }
	got, err := extractBytes(t, &Reader{Limits: Limits{MaxTime: 50 * time.Second}, now: clock}, readFixture(t, "pages.pdf"), true)
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitTime || !strings.Contains(err.Error(), "--pdf-max-time 50s") {
		t.Fatalf("err = %v", err)
	}
	if len(got.parts) == 0 || len(got.parts) >= 12 {
		t.Fatalf("yielded %d pages before the time limit", len(got.parts))
	}
}

// TestFileSize checks MaxBytes against the file itself, read at random or
// as a stream.
func TestFileSize(t *testing.T) {
	data := readFixture(t, "basic.pdf")
	for _, ra := range []bool{true, false} {
		_, err := extractBytes(t, &Reader{Limits: Limits{MaxBytes: 1000}}, data, ra)
		var le *LimitError
		if !errors.As(err, &le) || le.Limit != LimitBytes || le.Value != 1000 {
			t.Fatalf("random access %v: err = %v", ra, err)
		}
	}
}

// TestTruncated cuts a file at many places: each cut must fail cleanly as
// corrupt.
func TestTruncated(t *testing.T) {
	for _, name := range []string{"basic.pdf", "objstm.pdf", "owner-aes128-objstm.pdf"} {
		data := readFixture(t, name)
		for cut := 0; cut < len(data)-1; cut += 37 {
			_, err := extractWithin(t, 10*time.Second, &Reader{}, data[:cut])
			if !errors.Is(err, extract.ErrCorrupt) {
				t.Fatalf("%s cut at %d: err = %v", name, cut, err)
			}
		}
	}
}

// TestCorruptBody damages a file in the middle (its table intact), where
// the library fails by panicking.
func TestCorruptBody(t *testing.T) {
	data := readFixture(t, "basic.pdf")
	for at := 9; at < len(data)-200; at += 53 {
		bad := append([]byte(nil), data...)
		copy(bad[at:], "<zz>)(]>>endobj 9 9 R")
		_, err := extractWithin(t, 10*time.Second, &Reader{}, bad)
		if err != nil && !errors.Is(err, extract.ErrCorrupt) {
			t.Fatalf("damaged at %d: err = %v", at, err)
		}
	}
}

// TestNoValueInErrors makes the library fail on an object that holds
// personal data right after the point of failure: its message would quote
// it; ours must not.
func TestNoValueInErrors(t *testing.T) {
	b := &builder{}
	pages := b.add("")
	pg := b.add(fmt.Sprintf("<</Type /Page /Parent %d 0 R /Contents <41zz 4111111111111111 jane.example@example.com> >>", pages))
	b.set(pages, fmt.Sprintf("<</Type /Pages /Kids [%d 0 R] /Count 1>>", pg))
	data := b.bytes(b.add(fmt.Sprintf("<</Type /Catalog /Pages %d 0 R>>", pages)), "")
	_, err := extractBytes(t, &Reader{}, data, true)
	if !errors.Is(err, extract.ErrCorrupt) || !strings.Contains(err.Error(), "malformed hex string") {
		t.Fatalf("err = %v", err)
	}
	for _, v := range []string{"4111", "example.com", "zz"} {
		if strings.Contains(err.Error(), v) {
			t.Fatalf("error %q quotes the file (%q)", err, v)
		}
	}
}

// TestCMapHang gives a font a /ToUnicode CMap cut inside a hex string,
// which hangs the library's CMap reader for ever; text still decodes,
// through the encoding.
func TestCMapHang(t *testing.T) {
	b := &builder{}
	cmap := b.flate("", []byte("1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <00"))
	f := b.add(fmt.Sprintf("<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R>>", cmap))
	root := b.pages(fmt.Sprintf("<</Font <</F1 %d 0 R>>>>", f), "BT /F1 12 Tf 72 700 Td (ABC) Tj ET")
	got, err := extractWithin(t, 10*time.Second, &Reader{}, b.bytes(root, ""))
	if err != nil {
		t.Fatal(err)
	}
	if got.pages["page 1"] != "ABC\n" {
		t.Fatalf("got %q", got.pages["page 1"])
	}
}

// TestBadPageInTheMiddle checks that a page that cannot be read does not
// hide the pages after it: they are yielded, then the error names it.
func TestBadPageInTheMiddle(t *testing.T) {
	b, root := doc(textPage("page one"), textPage("page two"), textPage("page three"), textPage("page four"))
	data := b.bytes(root, "")
	// The content streams are objects 4, 6, 8 and 10; break 6 and 10.
	for _, n := range []string{"6 0 obj\n<< /Filter /FlateDecode", "10 0 obj\n<< /Filter /FlateDecode"} {
		data = bytes.Replace(data, []byte(n), []byte(strings.Replace(n, "/FlateDecode", "/LZWDecode  ", 1)), 1)
	}
	got, err := extractBytes(t, &Reader{}, data, true)
	if !errors.Is(err, extract.ErrCorrupt) || !strings.Contains(err.Error(), "page 2: unknown filter (and 1 more pages)") {
		t.Fatalf("err = %v", err)
	}
	if strings.Join(got.parts, ",") != "page 1,page 3" || got.pages["page 3"] != "page three\n" {
		t.Fatalf("yielded %q", got.pages)
	}
}
