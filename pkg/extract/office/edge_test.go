package office

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

func TestWordEdgeCases(t *testing.T) {
	tests := []struct {
		name  string
		doc   []byte
		lines map[string][]string
	}{
		{
			name: "split runs and entities",
			doc: docxZip(t, `<w:p><w:r><w:t xml:space="preserve">Call +44 20 79</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>46</w:t></w:r>`+
				`<w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve"> 0958</w:t></w:r></w:p>`+
				`<w:p><w:r><w:t>Fish &amp; &#x43;hips &lt;ltd&gt; &#8364;5</w:t></w:r></w:p>`),
			lines: map[string][]string{"": {"Call +44 20 7946 0958", "Fish & Chips <ltd> €5"}},
		},
		{
			name: "tabs and breaks",
			doc: docxZip(t, `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>`+
				`<w:r><w:t>Card:</w:t><w:tab/><w:t>4111</w:t><w:noBreakHyphen/><w:t>1111</w:t><w:br/><w:t>next</w:t><w:cr/><w:t>last</w:t></w:r></w:p>`+
				`<w:p/><w:p><w:r><w:t>after an empty paragraph</w:t></w:r></w:p>`),
			lines: map[string][]string{"": {"Card: 4111-1111", "next", "last", "", "after an empty paragraph"}},
		},
		{
			name: "text box inside a paragraph, fallback skipped",
			doc: docxZip(t, `<w:p><w:r><w:t>before</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">`+
				`<w:drawing><w:txbxContent><w:p><w:r><w:t>boxed alice@example.com</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>`+
				`<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>boxed alice@example.com</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>`+
				`</mc:AlternateContent></w:r><w:r><w:t>after</w:t></w:r></w:p>`),
			lines: map[string][]string{"": {"before", "boxed alice@example.com", "after"}},
		},
		{
			name: "tracked deletion, math, field code",
			doc: docxZip(t, `<w:p><w:del><w:r><w:delText>old 123-45-6789</w:delText></w:r></w:del><w:ins><w:r><w:t> new</w:t></w:r></w:ins>`+
				`<w:r><w:instrText> MERGEFIELD Name </w:instrText></w:r><m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath></w:p>`),
			lines: map[string][]string{"": {"old 123-45-6789 newx=1"}},
		},
		{
			name: "other prefixes and the strict namespace",
			doc: buildZip(t,
				entry{name: "_rels/.rels", body: rels("rId1", "officeDocument", "/word/main.xml")},
				entry{name: "word/main.xml", body: `<x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main"><x:body>` +
					`<x:p><x:r><x:t>strict</x:t></x:r></x:p><p xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><r><t>default namespace</t></r></p>` +
					`<w:p xmlns:w="urn:not-word"><w:r><w:t>not Word</w:t></w:r></w:p></x:body></x:document>`}),
			lines: map[string][]string{"": {"strict", "default namespace"}},
		},
		{
			name:  "no package relationships: word/document.xml",
			doc:   buildZip(t, entry{name: "word/document.xml", body: `<w:document ` + wNS + `><w:body><w:p><w:r><w:t>found</w:t></w:r></w:p></w:body></w:document>`}),
			lines: map[string][]string{"": {"found"}},
		},
		{
			name: "headers in name order, notes without separators, comments",
			doc: docxZip(t, `<w:p><w:r><w:t>body</w:t></w:r></w:p>`,
				entry{name: "word/header10.xml", body: `<w:hdr ` + wNS + `><w:p><w:r><w:t>header ten</w:t></w:r></w:p></w:hdr>`},
				entry{name: "word/header2.xml", body: `<w:hdr ` + wNS + `><w:p><w:r><w:t>header two</w:t></w:r></w:p></w:hdr>`},
				entry{name: "word/footer1.xml", body: `<w:ftr ` + wNS + `><w:p><w:r><w:t>footer</w:t></w:r></w:p></w:ftr>`},
				entry{name: "word/footnotes.xml", body: `<w:footnotes ` + wNS + `><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>` +
					`<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>` +
					`<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>a footnote</w:t></w:r></w:p></w:footnote></w:footnotes>`},
				entry{name: "word/endnotes.xml", body: `<w:endnotes ` + wNS + `><w:endnote w:id="1"><w:p><w:r><w:t>an endnote</w:t></w:r></w:p></w:endnote></w:endnotes>`},
				entry{name: "word/comments.xml", body: `<w:comments ` + wNS + `><w:comment w:id="0" w:author="Bob Example"><w:p><w:r><w:t>a comment</w:t></w:r></w:p></w:comment></w:comments>`},
			),
			lines: map[string][]string{
				"":          {"body"},
				"header":    {"header two", "header ten"},
				"footer":    {"footer"},
				"footnotes": {"a footnote", "an endnote"},
				"comments":  {"a comment"},
			},
		},
		{
			name: "UTF-16 part",
			doc: buildZip(t,
				entry{name: "_rels/.rels", body: rels("rId1", "officeDocument", "word/document.xml")},
				entry{name: "word/document.xml", body: utf16le(`<?xml version="1.0" encoding="UTF-16"?><w:document ` + wNS + `><w:body><w:p><w:r><w:t>Zoë alice@example.com</w:t></w:r></w:p></w:body></w:document>`)}),
			lines: map[string][]string{"": {"Zoë alice@example.com"}},
		},
		{
			name:  "CDATA and comments",
			doc:   docxZip(t, `<w:p><w:r><w:t><![CDATA[a<b>&c]]></w:t><!-- <w:t>hidden</w:t> --><w:t>d</w:t></w:r></w:p>`),
			lines: map[string][]string{"": {"a<b>&cd"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := collect(t, Reader{Format: Docx}, "test.docx", tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.lines, tt.lines) {
				t.Errorf("lines\n got %q\nwant %q", res.lines, tt.lines)
			}
		})
	}
}

// utf16le encodes s as UTF-16LE with a byte order mark.
func utf16le(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		if r > 0xFFFF {
			panic("BMP only")
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

func TestPresentationOrder(t *testing.T) {
	slide := func(text string) string {
		return `<p:sld ` + pNS + `><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>` + text + `</a:t></a:r><a:br/><a:fld type="slidenum"><a:t>#</a:t></a:fld></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`
	}
	doc := buildZip(t,
		entry{name: "_rels/.rels", body: rels("rId1", "officeDocument", "ppt/presentation.xml")},
		entry{name: "ppt/presentation.xml", body: `<p:presentation ` + pNS + `><p:sldIdLst>` +
			`<p:sldId id="256" r:id="rId7"/><p:sldId id="257" r:id="rId3"/><p:sldId id="258" r:id="rId9"/><p:sldId id="259" r:id="rId3"/><p:sldId id="260" r:id="rId4"/>` +
			`</p:sldIdLst></p:presentation>`},
		entry{name: "ppt/_rels/presentation.xml.rels", body: rels("rId3", "slide", "slides/slide1.xml", "rId7", "slide", "slides/slide2.xml",
			"rId4", "slide", "/ppt/slides/slide3.xml", "rId5", "slideMaster", "slideMasters/slideMaster1.xml")},
		entry{name: "ppt/slides/slide1.xml", body: slide("first file")},
		entry{name: "ppt/slides/slide2.xml", body: slide("second file")},
		entry{name: "ppt/slides/slide3.xml", body: slide("third file")},
		entry{name: "ppt/slides/_rels/slide2.xml.rels", body: rels("rId1", "notesSlide", "../notesSlides/notesSlide9.xml")},
		entry{name: "ppt/notesSlides/notesSlide9.xml", body: `<p:notes ` + pNS + `><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>notes of slide2.xml</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>`},
		entry{name: "ppt/slideMasters/slideMaster1.xml", body: slide("master text is not read")},
	)
	res, err := collect(t, Reader{Format: Pptx}, "deck.pptx", doc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"slide 1":       {"second file", "#"},
		"slide 1 notes": {"notes of slide2.xml"},
		"slide 2":       {"first file", "#"},
		// slide 3 names a missing relationship; slide 4 repeats slide 2's part.
		"slide 5": {"third file", "#"},
	}
	if !reflect.DeepEqual(res.lines, want) {
		t.Errorf("lines\n got %q\nwant %q", res.lines, want)
	}
	if wantOrder := []string{"slide 1", "slide 1 notes", "slide 2", "slide 5"}; !reflect.DeepEqual(res.parts, wantOrder) {
		t.Errorf("parts in order %q, want %q", res.parts, wantOrder)
	}
}

func TestODFTextEdgeCases(t *testing.T) {
	body := `<office:text><text:p>  Phone:<text:s text:c="3"/>+44<text:span> 20</text:span>
	7946 <text:a>0958</text:a></text:p>` +
		`<text:p>a<text:tab/>b<text:line-break/>c<text:s/></text:p>` +
		`<text:p>Photo<draw:frame><draw:text-box><text:p>caption bob@example.org</text:p></draw:text-box>` +
		`<draw:image><office:binary-data>iVBORw0KGgo=</office:binary-data><svg:title xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0">alt</svg:title></draw:image></draw:frame> here</text:p>` +
		`<text:tracked-changes><text:changed-region><text:deletion><office:change-info><dc:creator>Eve</dc:creator><text:p>change note</text:p></office:change-info>` +
		`<text:p>deleted 4111 1111 1111 1111</text:p></text:deletion></text:changed-region></text:tracked-changes>` +
		`<text:h>Note<text:note><text:note-citation>7</text:note-citation><text:note-body><text:p>foot one</text:p><text:p>foot two</text:p></text:note-body></text:note></text:h>` +
		`<text:p>x<office:annotation><dc:creator>Bob</dc:creator><dc:date>2024-01-01</dc:date><text:p>comment one</text:p></office:annotation>y</text:p>` +
		`</office:text>`
	masters := `<style:master-page style:name="Standard"><style:header><text:p>Head</text:p></style:header>` +
		`<style:header-left><text:p>Left head</text:p></style:header-left><style:footer-first><text:p>First foot</text:p></style:footer-first></style:master-page>`
	res, err := collect(t, Reader{Format: Odt}, "test.odt", odfZip(t, mtText, body, masters))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"": {
			"Phone:   +44 20 7946 0958",
			"a b", "c ",
			"Photo", "caption bob@example.org", "here", // white space starting a line collapses
			"deleted 4111 1111 1111 1111",
			"Note",
			"xy",
		},
		"footnotes": {"foot one", "foot two"},
		"comments":  {"comment one"},
		"header":    {"Head", "Left head"},
		"footer":    {"First foot"},
	}
	if !reflect.DeepEqual(res.lines, want) {
		t.Errorf("lines\n got %q\nwant %q", res.lines, want)
	}
}

func TestODPEdgeCases(t *testing.T) {
	body := `<office:presentation>` +
		`<draw:page draw:name="a"><draw:frame><draw:text-box><text:p>one</text:p></draw:text-box></draw:frame>` +
		`<office:annotation><dc:creator>Bob</dc:creator><text:p>slide comment</text:p></office:annotation>` +
		`<presentation:notes><draw:page-thumbnail/><draw:frame><draw:text-box><text:p>note one</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>` +
		`<draw:page draw:name="b"/>` +
		`<draw:page draw:name="c"><draw:custom-shape><text:p>three</text:p></draw:custom-shape></draw:page>` +
		`</office:presentation>`
	res, err := collect(t, Reader{Format: Odp}, "test.odp", odfZip(t, mtPres, body, ""))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"slide 1":          {"one"},
		"slide 1 comments": {"slide comment"},
		"slide 1 notes":    {"note one"},
		"slide 3":          {"three"},
	}
	if !reflect.DeepEqual(res.lines, want) {
		t.Errorf("lines\n got %q\nwant %q", res.lines, want)
	}
}

func TestODSEdgeCases(t *testing.T) {
	row := func(cells ...string) string {
		return `<table:table-row>` + strings.Join(cells, "") + `</table:table-row>`
	}
	cell := func(attrs, text string) string {
		if text == "" {
			return `<table:table-cell ` + attrs + `/>`
		}
		return `<table:table-cell ` + attrs + `><text:p>` + text + `</text:p></table:table-cell>`
	}
	tests := []struct {
		name  string
		sheet string
		cells []string
	}{
		{
			name: "empty repeats move references",
			sheet: row(cell("", "Name"), cell("", "Email"), cell("", "Phone"), cell("", "Notes"), cell("", "Card")) +
				`<table:table-row table:number-rows-repeated="5">` + cell(`table:number-columns-repeated="1024"`, "") + `</table:table-row>` +
				row(cell("", "Alice Example"), cell(`table:number-columns-repeated="3"`, ""), cell("", "4111 1111 1111 1111")),
			cells: []string{"S!A7 [Name] = Alice Example", "S!E7 [Card] = 4111 1111 1111 1111"},
		},
		{
			name: "huge empty repeats cost nothing",
			sheet: `<table:table-row table:number-rows-repeated="1048000">` + cell(`table:number-columns-repeated="16384"`, "") + `</table:table-row>` +
				row(cell(`table:number-columns-repeated="99999999999999999999"`, ""), cell("", "far")) +
				row(cell(`table:number-columns-repeated="16383"`, ""), cell("", "XFD")),
			// 2^30 columns (the cap) before "far": column 1073741825.
			cells: []string{"S!CLIQILM1048001 = far", "S!XFD1048002 = XFD"},
		},
		{
			name: "non-empty repeats yield their first copies",
			sheet: row(cell(`table:number-columns-repeated="2"`, "123-45-6789")) +
				`<table:table-row table:number-rows-repeated="2">` + cell("", "r") + cell(`table:number-columns-repeated="100000"`, "wide") + cell("", "end") + `</table:table-row>`,
			cells: func() []string {
				out := []string{"S!A1 = 123-45-6789", "S!B1 = 123-45-6789"}
				for r := 2; r <= 3; r++ {
					out = append(out, fmt.Sprintf("S!A%d = r", r))
					for c := 1; c <= maxCopies; c++ {
						out = append(out, fmt.Sprintf("S!%s = wide", appendCellRef(nil, c, r)))
					}
					out = append(out, fmt.Sprintf("S!EQXF%d = end", r)) // column 100002
				}
				return out
			}(),
		},
		{
			name: "covered cells, values, spaces, comments",
			sheet: row(cell("", "Card"), cell("", "Note"), cell("", "When")) +
				row(`<table:table-cell table:number-columns-spanned="2"><text:p>4111 1111 1111 1111</text:p></table:table-cell>`,
					`<table:covered-table-cell><text:p>hidden 123-45-6789</text:p></table:covered-table-cell>`,
					`<table:table-cell office:value-type="date" office:date-value="2024-01-05"/>`) +
				row(`<table:table-cell office:value-type="float" office:value="447700900123"/>`,
					`<table:table-cell><text:p>a<text:s text:c="2"/>b  c<text:tab/>d</text:p><text:p>second</text:p>`+
						`<office:annotation><dc:creator>Bob</dc:creator><text:p>comment</text:p></office:annotation></table:table-cell>`,
					`<table:table-cell office:value-type="string"><text:p> </text:p></table:table-cell>`),
			cells: []string{
				"S!A2 [Card] = 4111 1111 1111 1111",
				"S!B2 [Note] = hidden 123-45-6789",
				"S!C2 [When] = 2024-01-05",
				"S!A3 [Card] = 447700900123",
				"S!B3 [Note] = a  b c d\nsecond",
			},
		},
		{
			name: "shapes skipped, stored values",
			sheet: `<table:shapes><draw:frame><table:table><table:table-row><table:table-cell><text:p>in a shape</text:p></table:table-cell></table:table-row></table:table></draw:frame></table:shapes>` +
				row(`<table:table-cell office:value-type="boolean" office:boolean-value="true"/>`,
					`<table:table-cell office:time-value="PT12H" office:value="0.5"/>`,
					`<table:table-cell office:value-type="string" office:string-value="&lt;alice@example.com&gt;"/>`),
			cells: []string{"S!A1 = true", "S!B1 = 0.5", "S!C1 = <alice@example.com>"},
		},
		{
			name:  "header row repeated: the copies are data",
			sheet: `<table:table-row table:number-rows-repeated="2">` + cell("", "Name") + cell("", "Email") + `</table:table-row>`,
			cells: []string{"S!A2 [Name] = Name", "S!B2 [Email] = Email"},
		},
		{
			name:  "nested table inside a cell is the cell's text",
			sheet: row(`<table:table-cell><table:table><table:table-row><table:table-cell><text:p>inner 123456789</text:p></table:table-cell></table:table-row></table:table></table:table-cell>`, cell("", "next 987654321")),
			cells: []string{"S!A1 = inner 123456789", "S!B1 = next 987654321"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := `<office:spreadsheet><table:table table:name="S"><table:table-column table:number-columns-repeated="16384"/>` + tt.sheet + `</table:table></office:spreadsheet>`
			res, err := collect(t, Reader{Format: Ods}, "test.ods", odfZip(t, mtSheet, body, ""))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.cells) != len(tt.cells) {
				t.Fatalf("got %d cells, want %d; first %q", len(res.cells), len(tt.cells), res.cells[:min(len(res.cells), 5)])
			}
			for i := range res.cells {
				if res.cells[i] != tt.cells[i] {
					t.Errorf("cell %d: got %q, want %q", i, res.cells[i], tt.cells[i])
				}
			}
		})
	}
}

func TestMaxCells(t *testing.T) {
	body := `<office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="1000000000">` +
		`<table:table-cell table:number-columns-repeated="1000000000"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>`
	n := 0
	in := odfZip(t, mtSheet, body, "")
	err := Reader{Format: Ods, Limits: Limits{MaxCells: 5000}}.Extract(context.Background(),
		extract.Input{Name: "bomb.ods", R: bytes.NewReader(in), Size: int64(len(in))},
		func(*extract.Chunk) error { n++; return nil })
	if !errors.Is(err, ErrTooLarge) || n != 5000 {
		t.Fatalf("got %d cells and %v, want 5000 and ErrTooLarge", n, err)
	}
}

// rawZip writes one entry whose header is set by hand (sizes, flags),
// with compressed bytes data.
func rawZip(t testing.TB, fh *zip.FileHeader, data []byte, extra ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range extra {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	w, err := zw.CreateRaw(fh)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func deflate(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("x")
	w.Write(b)
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := zr.File[0].OpenRaw()
	if err != nil {
		t.Fatal(err)
	}
	out := new(bytes.Buffer)
	out.ReadFrom(raw)
	return out.Bytes()
}

func TestHostileInput(t *testing.T) {
	// An 8 MiB body of spaces inside a paragraph deflates ~1000:1.
	bombXML := []byte(`<w:document ` + wNS + `><w:body><w:p><w:r><w:t>` + strings.Repeat(" ", 8<<20) + `</w:t></w:r></w:p></w:body></w:document>`)
	bomb := deflate(t, bombXML)
	small := []byte(`<w:document ` + wNS + `><w:body><w:p><w:r><w:t>alice@example.com</w:t></w:r></w:p></w:body></w:document>`)
	smallDeflated := deflate(t, small)
	deep := strings.Repeat("<text:span>", 600) + "x" + strings.Repeat("</text:span>", 600)
	truncated := buildZip(t, entry{name: "mimetype", body: mtText},
		entry{name: "content.xml", body: `<office:document-content ` + odfNS + `><office:body><office:text><text:p>secret alice@example.com`})
	encManifest := `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">` +
		`<manifest:file-entry manifest:full-path="/" manifest:media-type="` + mtText + `"/>` +
		`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="4223">` +
		`<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">` +
		`<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>` +
		`<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/>` +
		`</manifest:encryption-data></manifest:file-entry></manifest:manifest>`
	odt := readFixture(t, "letter.odt")
	many := make([]entry, 50)
	for i := range many {
		many[i] = entry{name: fmt.Sprintf("f%d", i)}
	}

	tests := []struct {
		name   string
		format Format
		limits Limits
		data   []byte
		want   error
		detail string // in the message
	}{
		{name: "zip bomb part", format: Docx, want: ErrTooLarge, detail: "word/document.xml: document too large: declared compression ratio over 200:1",
			data: rawZip(t, &zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(bombXML),
				CompressedSize64: uint64(len(bomb)), UncompressedSize64: uint64(len(bombXML))}, bomb)},
		{name: "part over the part limit", format: Docx, limits: Limits{MaxPartSize: 100}, want: ErrTooLarge, detail: "_rels/.rels: document too large: declared 280 bytes inflated, limit 100",
			data: docxZip(t, `<w:p><w:r><w:t>alice@example.com</w:t></w:r></w:p>`)},
		{name: "parts over the total limit", format: Docx, limits: Limits{MaxTotalSize: 300}, want: ErrTooLarge, detail: "parts inflate to over 300 bytes",
			data: docxZip(t, `<w:p><w:r><w:t>`+strings.Repeat("x", 200)+`</w:t></w:r></w:p>`)},
		{name: "part inflating beyond its declared size", format: Docx, want: extract.ErrCorrupt, detail: "word/document.xml",
			data: rawZip(t, &zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(small),
				CompressedSize64: uint64(len(smallDeflated)), UncompressedSize64: 20}, smallDeflated)},
		{name: "zip-encrypted part", format: Docx, want: ErrEncrypted,
			data: rawZip(t, &zip.FileHeader{Name: "word/document.xml", Method: zip.Store, Flags: 1, CompressedSize64: 12, UncompressedSize64: 0}, make([]byte, 12))},
		{name: "encrypted ODF", format: Odt, want: ErrEncrypted, detail: "content.xml as encrypted",
			data: buildZip(t, entry{name: "mimetype", body: mtText}, entry{name: "content.xml", body: "\x8f\x01binary", stored: true},
				entry{name: "META-INF/manifest.xml", body: encManifest})},
		{name: "deep nesting", format: Odt, want: extract.ErrCorrupt, detail: "content.xml: malformed XML: elements nested too deep",
			data: odfZip(t, mtText, `<office:text><text:p>`+deep+`</text:p></office:text>`, "")},
		{name: "truncated XML", format: Odt, want: extract.ErrCorrupt, detail: "content.xml: XML ends early", data: truncated},
		{name: "mismatched tags", format: Odt, want: extract.ErrCorrupt, detail: "end tag does not match",
			data: odfZip(t, mtText, `<office:text><text:p>a</text:h></office:text>`, "")},
		{name: "undeclared entity", format: Odt, want: extract.ErrCorrupt, detail: "unknown entity",
			data: odfZip(t, mtText, `<office:text><text:p>&lol9;</text:p></office:text>`, "")},
		{name: "not XML", format: Odt, want: extract.ErrCorrupt, detail: "content.xml: XML has no root element",
			data: buildZip(t, entry{name: "mimetype", body: mtText}, entry{name: "content.xml", body: "just text"})},
		{name: "corrupt zip", format: Odt, want: extract.ErrCorrupt, data: odt[:len(odt)/2]},
		{name: "not a zip", format: Docx, want: extract.ErrCorrupt, data: []byte("PK\x03\x04 but nothing else")},
		{name: "no content.xml", format: Odt, want: extract.ErrCorrupt, detail: "content.xml: part missing",
			data: buildZip(t, entry{name: "mimetype", body: mtText})},
		{name: "no main part", format: Docx, want: extract.ErrCorrupt, detail: "main part missing",
			data: buildZip(t, entry{name: "_rels/.rels", body: rels("rId1", "officeDocument", "word/missing.xml")})},
		{name: "too many entries", format: Odt, limits: Limits{MaxEntries: 20}, want: ErrTooLarge, detail: "more than 20 zip entries",
			data: buildZip(t, many...)},
		{name: "file over the size limit", format: Odt, limits: Limits{MaxFileSize: 1000}, want: ErrTooLarge, data: odt},
		{name: "unknown package", want: extract.ErrCorrupt, detail: "not a Word, PowerPoint or OpenDocument package",
			data: buildZip(t, entry{name: "readme.txt", body: "hello"})},
		{name: "drawing", want: extract.ErrCorrupt, detail: "mimetype: not a text",
			data: buildZip(t, entry{name: "mimetype", body: "application/vnd.oasis.opendocument.graphics"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := collect(t, Reader{Format: tt.format, Limits: tt.limits}, "dir/doc", tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "dir/doc: ") || !strings.Contains(msg, tt.detail) {
				t.Errorf("message %q lacks the file name or %q", msg, tt.detail)
			}
			for _, pii := range []string{"alice@example.com", "secret", "lol9"} {
				if strings.Contains(msg, pii) {
					t.Errorf("message %q quotes the document", msg)
				}
			}
		})
	}
}

func TestLongParagraph(t *testing.T) {
	// 300 KB in one paragraph, built of many runs: yielded in blocks,
	// cut at spaces, each piece on line 2.
	var b strings.Builder
	var want strings.Builder
	for i := range 20000 {
		s := fmt.Sprintf("word%05d ", i)
		fmt.Fprintf(&b, `<w:r><w:t xml:space="preserve">%s</w:t></w:r>`, s)
		want.WriteString(s)
	}
	doc := docxZip(t, `<w:p><w:r><w:t>first</w:t></w:r></w:p><w:p>`+b.String()+`</w:p><w:p><w:r><w:t>last</w:t></w:r></w:p>`)
	var chunks []extract.Chunk
	in := extract.Input{Name: "long.docx", R: bytes.NewReader(doc), Size: int64(len(doc))}
	err := Reader{Format: Docx}.Extract(context.Background(), in, func(c *extract.Chunk) error {
		cp := *c
		cp.Data = append([]byte(nil), c.Data...)
		chunks = append(chunks, cp)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) < 4 {
		t.Fatalf("got %d chunks, want the long line cut", len(chunks))
	}
	var got strings.Builder
	for i, c := range chunks {
		if len(c.Data) > blockSize+splitWindow {
			t.Errorf("chunk %d is %d bytes", i, len(c.Data))
		}
		if i > 0 && i < len(chunks)-1 && c.Loc.Line != 2 {
			t.Errorf("chunk %d at line %d, want 2", i, c.Loc.Line)
		}
		if i < len(chunks)-1 && !bytes.HasSuffix(c.Data, []byte(" ")) && !bytes.HasSuffix(c.Data, []byte("\n")) {
			t.Errorf("chunk %d cut inside a word: ...%q", i, c.Data[len(c.Data)-10:])
		}
		got.Write(c.Data)
	}
	if w := "first\n" + want.String() + "\nlast\n"; got.String() != w {
		t.Errorf("text differs: %d bytes, want %d", got.Len(), len(w))
	}
	if last := chunks[len(chunks)-1]; last.Loc.Line != 2 && last.Loc.Line != 3 {
		t.Errorf("last chunk at line %d", last.Loc.Line)
	}
}

func TestYieldErrorAndContext(t *testing.T) {
	data := readFixture(t, "letter.docx")
	stop := errors.New("stop")
	n := 0
	err := Reader{}.Extract(context.Background(), extract.Input{Name: "a.docx", R: bytes.NewReader(data), Size: -1},
		func(*extract.Chunk) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("yield's error: got %v after %d chunks, want it unchanged after 1", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = Reader{}.Extract(ctx, extract.Input{Name: "a.docx", R: bytes.NewReader(data), Size: int64(len(data))},
		func(*extract.Chunk) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}

	// Cancelled while reading: the meter checks ctx between reads.
	ctx, cancel = context.WithCancel(context.Background())
	err = Reader{}.Extract(ctx, extract.Input{Name: "a.docx", R: bytes.NewReader(data), RA: bytes.NewReader(data), Size: int64(len(data))},
		func(*extract.Chunk) error { cancel(); return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while reading: got %v", err)
	}
}

func TestYieldPanicPropagates(t *testing.T) {
	data := readFixture(t, "people.ods")
	defer func() {
		if p := recover(); p != "consumer bug" {
			t.Errorf("recovered %v, want the consumer's panic", p)
		}
	}()
	Reader{}.Extract(context.Background(), extract.Input{Name: "p.ods", R: bytes.NewReader(data), Size: int64(len(data))},
		func(*extract.Chunk) error { panic("consumer bug") })
	t.Error("no panic")
}
