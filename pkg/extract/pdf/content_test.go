package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// toUnicodeCMap maps two-byte codes: 1 J, 2 a, 3 n (a range), 4 e, 5 the
// ligature "fi", 0x10-0x12 "411" (a range with an array).
const toUnicodeCMap = `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
3 beginbfchar
<0001> <004A>
<0002> <0061>
<0004> <0065>
endbfchar
1 beginbfchar
<0005> <00660069>
endbfchar
2 beginbfrange
<0003> <0003> <006E>
<0010> <0012> [<0034> <0031> <0031>]
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`

// contentDoc builds a one-page document with the fonts /F1 (Helvetica),
// /F2 (Type 0, Identity-H, the CMap above), /F3 (Type 1 with
// /Differences), /F4 (a simple font with a one-byte /ToUnicode), and the
// Form XObjects /Fm1 (shows a footer with its own resources) and /Loop (a
// form that draws itself).
func contentDoc(content string) []byte {
	b := &builder{}
	f1 := b.add(helvetica)
	cmap := b.flate("", []byte(toUnicodeCMap))
	desc := b.add("<</Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Test /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /DW 500 /W [1 [600 600] 3 4 550]>>")
	f2 := b.add(fmt.Sprintf("<</Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Test /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>", desc, cmap))
	f3 := b.add("<</Type /Font /Subtype /Type1 /BaseFont /Custom /FirstChar 65 /LastChar 68 /Widths [500 500 500 500] /Encoding <</Type /Encoding /Differences [65 /J /a /n /e]>>>>")
	oneByte := b.flate("", []byte("1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <41> <0058> <42> <0059> endbfchar"))
	f4 := b.add(fmt.Sprintf("<</Type /Font /Subtype /TrueType /BaseFont /Other /FirstChar 65 /LastChar 66 /Widths [600 600] /ToUnicode %d 0 R>>", oneByte))
	fm1 := b.flate(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 612 100] /Resources <</Font <</G1 %d 0 R>>>>", f1),
		[]byte("BT /G1 10 Tf 72 50 Td (Footer +44 20 7946 0958) Tj ET"))
	loop := b.add("") // a stream that refers to itself, set below
	fonts := fmt.Sprintf("<</F1 %d 0 R /F2 %d 0 R /F3 %d 0 R /F4 %d 0 R>>", f1, f2, f3, f4)
	loopContent := "BT /F1 12 Tf 72 600 Td (Loop) Tj ET /Loop Do"
	b.set(loop, fmt.Sprintf("<</Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources <</Font %s /XObject <</Loop %d 0 R>>>> /Length %d>>\nstream\n%s\nendstream",
		fonts, loop, len(loopContent), loopContent))
	b.streams[loop] = true
	root := b.pages(fmt.Sprintf("<</Font %s /XObject <</Fm1 %d 0 R /Loop %d 0 R>>>>", fonts, fm1, loop), content)
	return b.bytes(root, "")
}

// TestContent runs content streams through the interpreter and checks the
// lines it rebuilds.
func TestContent(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"Tj and T*", "BT /F1 12 Tf 72 700 Td 14 TL (Jane Example) Tj T* (jane@example.com) Tj ET",
			"Jane Example\njane@example.com\n"},
		{"TJ kerning and word gaps", "BT /F1 12 Tf 72 700 Td [(Jo) -20 (hn) -300 (Smith)] TJ ET",
			"John Smith\n"},
		{"TJ digit groups", "BT /F1 12 Tf 72 700 Td [(+44) -278 (20) -278 (7946) -278 (0958)] TJ ET",
			"+44 20 7946 0958\n"},
		{"quote operators", "BT /F1 12 Tf 72 700 Td 14 TL (one) Tj (two) ' 0 0 (three) \" ET",
			"one\ntwo\nthree\n"},
		{"Tm placement out of order", "BT /F1 12 Tf 1 0 0 1 200 700 Tm (right) Tj 1 0 0 1 72 700 Tm (left) Tj 1 0 0 1 72 720 Tm (top) Tj ET",
			"top\nleft\tright\n"},
		{"cm and q/Q", "q 1 0 0 1 0 -100 cm BT /F1 12 Tf 72 700 Td (lower) Tj ET Q BT /F1 12 Tf 72 700 Td (upper) Tj ET",
			"upper\nlower\n"},
		{"Type 0 font with ToUnicode", "BT /F2 12 Tf 72 700 Td <0001000200030004> Tj <0005> Tj ( ) Tj <001000110012> Tj ET",
			"Janefi 411\n"},
		{"Differences encoding", "BT /F3 12 Tf 72 700 Td (ABCD) Tj ET", "Jane\n"},
		{"one-byte ToUnicode", "BT /F4 12 Tf 72 700 Td (AB) Tj ET", "XY\n"},
		{"Form XObject", "BT /F1 12 Tf 72 700 Td (Body) Tj ET q 1 0 0 1 0 0 cm /Fm1 Do Q",
			"Body\nFooter +44 20 7946 0958\n"},
		{"form drawing itself", "/Loop Do", strings.Repeat("Loop\n", 1)},
		{"inline image", "BT /F1 12 Tf 72 700 Td (before) Tj ET BI /W 4 /H 1 /CS /G /BPC 8 ID \x00(Tj)EI\xff\n EI BT /F1 12 Tf 72 680 Td (after) Tj ET",
			"before\nafter\n"},
		{"text before any Tf", "BT 72 700 Td (plain) Tj ET", "plain\n"},
		{"unknown font", "BT /F9 12 Tf 72 700 Td (plain) Tj ET", "plain\n"},
		{"invisible text (OCR layer)", "BT 3 Tr /F1 12 Tf 72 700 Td (hidden layer) Tj ET", "hidden layer\n"},
		{"control characters", "BT /F1 12 Tf 72 700 Td (a\\nb\\001c) Tj ET", "abc\n"},
		{"upside down", "BT /F1 12 Tf -1 0 0 -1 300 300 Tm (down) Tj ET BT /F1 12 Tf 72 700 Td (up) Tj ET",
			"up\ndown\n"},
		{"unterminated hex string", "BT /F1 12 Tf 72 700 Td (kept) Tj <4142", "kept\n"},
		{"unterminated string and array", "BT /F1 12 Tf 72 700 Td (kept) Tj [(x", "kept\n"},
		{"stray delimiters and garbage", ") > ] }} BT /F1 12 Tf 72 700 Td 1.2.3 (still) Tj ET", "still\n"},
		{"operands without operator", strings.Repeat("1 ", 10000) + "BT /F1 12 Tf 72 700 Td (ok) Tj ET", "ok\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // also shows, under -race, that readers share no state
			got, err := extractBytes(t, &Reader{}, contentDoc(tt.content), true)
			if err != nil {
				t.Fatal(err)
			}
			if got.pages["page 1"] != tt.want {
				t.Fatalf("got %q\nwant %q", got.pages["page 1"], tt.want)
			}
		})
	}
}

// TestNoResources reads a page without /Resources that selects a font.
func TestNoResources(t *testing.T) {
	b := &builder{}
	c := b.flate("", []byte("BT /F1 12 Tf 72 700 Td (no resources) Tj ET"))
	pagesObj := b.add("")
	pg := b.add(fmt.Sprintf("<</Type /Page /Parent %d 0 R /Contents %d 0 R>>", pagesObj, c))
	b.set(pagesObj, fmt.Sprintf("<</Type /Pages /Kids [%d 0 R] /Count 1>>", pg))
	got, err := extractBytes(t, &Reader{}, b.bytes(b.add(fmt.Sprintf("<</Type /Catalog /Pages %d 0 R>>", pagesObj)), ""), true)
	if err != nil || got.pages["page 1"] != "no resources\n" {
		t.Fatalf("got %q, %v", got.pages, err)
	}
}

// TestContentArray reads a page whose /Contents is an array of streams
// split between tokens.
func TestContentArray(t *testing.T) {
	b := &builder{}
	f1 := b.add(helvetica)
	s1 := b.flate("", []byte("BT /F1 12 Tf"))
	s2 := b.stream("", []byte("72 700 Td (Hello) Tj"))
	s3 := b.flate("", []byte("( world) Tj ET"))
	pagesObj := b.add("")
	pg := b.add(fmt.Sprintf("<</Type /Page /Parent %d 0 R /Resources <</Font <</F1 %d 0 R>>>> /Contents [%d 0 R %d 0 R %d 0 R]>>", pagesObj, f1, s1, s2, s3))
	b.set(pagesObj, fmt.Sprintf("<</Type /Pages /Kids [%d 0 R] /Count 1>>", pg))
	root := b.add(fmt.Sprintf("<</Type /Catalog /Pages %d 0 R>>", pagesObj))
	got, err := extractBytes(t, &Reader{}, b.bytes(root, ""), true)
	if err != nil {
		t.Fatal(err)
	}
	if got.pages["page 1"] != "Hello world\n" {
		t.Fatalf("got %q", got.pages["page 1"])
	}
}

// TestInheritedResources reads pages that take their resources from an
// intermediate /Pages node, in a nested tree, and a page without content.
func TestInheritedResources(t *testing.T) {
	b := &builder{}
	f1 := b.add(helvetica)
	root := b.add("")
	inner := b.add("")
	c1 := b.flate("", []byte("BT /F1 12 Tf 72 700 Td (first) Tj ET"))
	c2 := b.flate("", []byte("BT /F1 12 Tf 72 700 Td (second) Tj ET"))
	p1 := b.add(fmt.Sprintf("<</Type /Page /Parent %d 0 R /Contents %d 0 R>>", inner, c1))
	p2 := b.add(fmt.Sprintf("<</Type /Page /Parent %d 0 R>>", inner)) // blank
	p3 := b.add(fmt.Sprintf("<</Type /Page /Parent %d 0 R /Contents %d 0 R>>", root, c2))
	b.set(inner, fmt.Sprintf("<</Type /Pages /Parent %d 0 R /Kids [%d 0 R %d 0 R] /Count 2>>", root, p1, p2))
	b.set(root, fmt.Sprintf("<</Type /Pages /Kids [%d 0 R %d 0 R] /Count 3 /Resources <</Font <</F1 %d 0 R>>>>>>", inner, p3, f1))
	cat := b.add(fmt.Sprintf("<</Type /Catalog /Pages %d 0 R>>", root))
	got, err := extractBytes(t, &Reader{}, b.bytes(cat, ""), true)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.parts, ",") != "page 1,page 3" || got.pages["page 1"] != "first\n" || got.pages["page 3"] != "second\n" {
		t.Fatalf("got %q %q", got.parts, got.pages)
	}
}

// TestObjectStreams reads the same pages from a classic file and from one
// with object streams.
func TestObjectStreams(t *testing.T) {
	for _, objStm := range []bool{false, true} {
		got, err := extractBytes(t, &Reader{}, bigPages(t, 3, objStm), true)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.parts) != 3 {
			t.Fatalf("object streams %v: parts %q", objStm, got.parts)
		}
		lines := strings.Split(strings.TrimSuffix(got.pages["page 3"], "\n"), "\n")
		if len(lines) != 40 || lines[39] != "Customer 3-39 phone +44 20 7946 0958 card 4111 1111 1111 1111" {
			t.Fatalf("object streams %v: %d lines, last %q", objStm, len(lines), lines[len(lines)-1])
		}
	}
}

// TestLargePage checks the chunking of a page larger than blockSize: whole
// lines per chunk, each chunk's Loc.Line the number of its first line,
// and a line longer than a chunk cut in pieces that share its number.
func TestLargePage(t *testing.T) {
	var lines []string
	for i := range 8000 {
		lines = append(lines, fmt.Sprintf("line %04d phone +44 20 7946 0958", i+1))
	}
	long := strings.Repeat("x", 300<<10)
	lines = append(lines, long, "last")
	b, root := doc(textPage(lines...))
	got, err := extractBytes(t, &Reader{}, b.bytes(root, ""), true)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(lines, "\n") + "\n"; got.pages["page 1"] != want {
		t.Fatalf("page text differs (%d bytes, want %d)", len(got.pages["page 1"]), len(want))
	}
	line := 1
	for i, c := range got.chunks {
		if len(c.Data) > blockSize || c.Loc.Line != line {
			t.Fatalf("chunk %d: %d bytes at line %d, want line %d", i, len(c.Data), c.Loc.Line, line)
		}
		if c.Data[len(c.Data)-1] != '\n' && i != len(got.chunks)-1 && !bytes.HasPrefix(got.chunks[i+1].Data, []byte("x")) {
			t.Fatalf("chunk %d cuts a line that is not over-long", i)
		}
		line += bytes.Count(c.Data, []byte{'\n'})
	}
	if len(got.chunks) < 3 || line != 8003 {
		t.Fatalf("%d chunks, %d lines", len(got.chunks), line-1)
	}
}
