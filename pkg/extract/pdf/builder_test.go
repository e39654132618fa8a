package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"testing"
)

// builder writes small PDFs for the tests: documents the fixtures cannot
// make (fonts with hand-written CMaps, Form XObjects) and hostile ones
// (bombs, cycles, huge tables). Objects are numbered from 1 in the order
// added; a body is what goes between "n 0 obj" and "endobj".
type builder struct {
	objs    []string
	streams map[int]bool
}

func (b *builder) add(body string) int {
	b.objs = append(b.objs, body)
	return len(b.objs)
}

// set replaces the body of object n (for forward references).
func (b *builder) set(n int, body string) { b.objs[n-1] = body }

// stream adds a stream object; dict is the dictionary's inside, without
// /Length.
func (b *builder) stream(dict string, data []byte) int {
	if b.streams == nil {
		b.streams = map[int]bool{}
	}
	n := b.add(fmt.Sprintf("<<%s /Length %d>>\nstream\n%s\nendstream", dict, len(data), data))
	b.streams[n] = true
	return n
}

// flate adds a FlateDecode stream of data.
func (b *builder) flate(dict string, data []byte) int {
	return b.stream(dict+" /Filter /FlateDecode", deflate(data))
}

func deflate(data []byte) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	w.Write(data)
	w.Close()
	return z.Bytes()
}

func inflate(t testing.TB, data []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// bytes writes the file with a classic cross-reference table; extra goes
// into the trailer dictionary.
func (b *builder) bytes(root int, extra string) []byte {
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(b.objs))
	for i, o := range b.objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(b.objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<</Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n", len(b.objs)+1, root, extra, x)
	return out.Bytes()
}

// bytesObjStm writes the file as PDF 1.5 producers do: the objects that
// are not streams packed into object streams of up to 100 (as qpdf
// does), a cross-reference stream at the end.
func (b *builder) bytesObjStm(root int) []byte {
	var out bytes.Buffer
	out.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	n := len(b.objs)
	type entry struct{ typ, f2, f3 int }
	entries := make([]entry, n+1, 2*n+2)
	entries[0] = entry{0, 0, 65535}
	var packed []int
	for i, o := range b.objs {
		if b.streams[i+1] {
			entries[i+1] = entry{1, out.Len(), 0}
			fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
			continue
		}
		packed = append(packed, i+1)
	}
	for len(packed) > 0 {
		group := packed[:min(100, len(packed))]
		packed = packed[len(group):]
		stm := len(entries)
		var head, body bytes.Buffer
		for k, p := range group {
			entries[p] = entry{2, stm, k}
			fmt.Fprintf(&head, "%d %d ", p, body.Len())
			body.WriteString(b.objs[p-1])
			body.WriteString("\n")
		}
		data := deflate(append(head.Bytes(), body.Bytes()...))
		entries = append(entries, entry{1, out.Len(), 0})
		fmt.Fprintf(&out, "%d 0 obj\n<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream\nendobj\n",
			stm, len(group), head.Len(), len(data), data)
	}
	xref := len(entries)
	entries = append(entries, entry{1, out.Len(), 0})
	var rows bytes.Buffer
	for _, e := range entries {
		rows.WriteByte(byte(e.typ))
		binary.Write(&rows, binary.BigEndian, uint32(e.f2))
		binary.Write(&rows, binary.BigEndian, uint16(e.f3))
	}
	x := out.Len()
	data := deflate(rows.Bytes())
	fmt.Fprintf(&out, "%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream\nendobj\n",
		xref, len(entries), root, len(data), data)
	fmt.Fprintf(&out, "startxref\n%d\n%%%%EOF\n", x)
	return out.Bytes()
}

// helvetica is a simple font without /Widths, as FPDF and ReportLab write.
const helvetica = "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>"

// doc builds a document whose pages have the given content streams, all
// with /F1 as Helvetica. It returns the builder and the catalog's number.
func doc(pages ...string) (*builder, int) {
	b := &builder{}
	font := b.add(helvetica)
	return b, b.pages(fmt.Sprintf("<</Font <</F1 %d 0 R>>>>", font), pages...)
}

// pages adds a page tree of pages sharing the resources res and returns
// the catalog's number.
func (b *builder) pages(res string, contents ...string) int {
	resObj := b.add(res)
	pagesObj := b.add("") // set below
	var kids []string
	for _, c := range contents {
		content := b.flate("", []byte(c))
		kids = append(kids, fmt.Sprintf("%d 0 R", b.add(fmt.Sprintf(
			"<</Type /Page /Parent %d 0 R /Resources %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R>>", pagesObj, resObj, content))))
	}
	b.set(pagesObj, fmt.Sprintf("<</Type /Pages /Kids [%s] /Count %d>>", strings.Join(kids, " "), len(kids)))
	return b.add(fmt.Sprintf("<</Type /Catalog /Pages %d 0 R>>", pagesObj))
}

// textPage is a content stream showing each line with Tj, 20 points
// apart, in 12-point Helvetica.
func textPage(lines ...string) string {
	var c strings.Builder
	c.WriteString("BT /F1 12 Tf 72 720 Td 20 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&c, "(%s) Tj T*\n", escape(l))
	}
	c.WriteString("ET\n")
	return c.String()
}

var escaper = strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)

func escape(s string) string { return escaper.Replace(s) }

// bigPages returns a document of n pages of 40 lines each, the way
// pdfwrite lays them out, as classic or object-stream PDF.
func bigPages(tb testing.TB, n int, objStm bool) []byte {
	tb.Helper()
	var pages []string
	for p := range n {
		var lines []string
		for l := range 40 {
			lines = append(lines, fmt.Sprintf("Customer %d-%d phone +44 20 7946 0958 card 4111 1111 1111 1111", p+1, l))
		}
		pages = append(pages, textPage(lines...))
	}
	b, root := doc(pages...)
	if objStm {
		return b.bytesObjStm(root)
	}
	return b.bytes(root, "")
}
