package office

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// result is what a document yielded: lines by Part (index i is line i+1),
// and cells as "Sheet!A1 [Header] = value".
type result struct {
	lines map[string][]string
	cells []string
	parts []string // Part labels in the order first yielded
}

// collect reads data with r and checks the chunk invariants: a Lines
// chunk starts at the line after what its Part yielded so far (or on the
// same line, when a long line was cut), Cell chunks carry sheet and cell.
func collect(t testing.TB, r Reader, name string, data []byte) (result, error) {
	t.Helper()
	res := result{lines: map[string][]string{}}
	// open: the Part's last line is unfinished (a chunk was cut).
	open := map[string]bool{}
	in := extract.Input{Name: name, R: bytes.NewReader(data), Size: int64(len(data))}
	err := r.Extract(context.Background(), in, func(c *extract.Chunk) error {
		switch c.Kind {
		case extract.Lines:
			part := c.Loc.Part
			got := res.lines[part]
			if _, ok := res.lines[part]; !ok {
				res.parts = append(res.parts, part)
			}
			want := len(got) + 1
			if open[part] {
				want = len(got)
			}
			if c.Loc.Line != want {
				t.Errorf("%s: part %q: chunk at line %d, want %d", name, part, c.Loc.Line, want)
			}
			text := string(c.Data)
			if open[part] {
				got[len(got)-1] += text[:strings.IndexByte(text+"\n", '\n')]
				text = text[min(len(text), strings.IndexByte(text+"\n", '\n')+1):]
			}
			open[part] = false
			if text != "" {
				ls := strings.Split(text, "\n")
				if ls[len(ls)-1] == "" {
					ls = ls[:len(ls)-1]
				} else {
					open[part] = true
				}
				got = append(got, ls...)
			}
			res.lines[part] = got
		case extract.Cell:
			if c.Loc.Sheet == "" || c.Loc.Cell == "" || c.Loc.Column != c.Header {
				t.Errorf("%s: malformed cell location %+v header %q", name, c.Loc, c.Header)
			}
			s := fmt.Sprintf("%s!%s", c.Loc.Sheet, c.Loc.Cell)
			if c.Header != "" {
				s += " [" + c.Header + "]"
			}
			res.cells = append(res.cells, s+" = "+string(c.Data))
		}
		return nil
	})
	return res, err
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// entry is a zip member of a hand-built document. Members are deflated
// unless stored is set; mimetype is always stored, as ODF requires.
type entry struct {
	name   string
	body   string
	stored bool
}

func buildZip(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		method := zip.Deflate
		if e.stored || e.name == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
		`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
		`xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"`
	pNS = `xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" ` +
		`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
		`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
		`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
		`xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
		`xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" ` +
		`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/"`
	relsNS  = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
	relBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

// rels is a relationships part: id, type (last segment), target triples.
func rels(triples ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Relationships ` + relsNS + `>`)
	for i := 0; i+2 < len(triples); i += 3 {
		fmt.Fprintf(&b, `<Relationship Id="%s" Type="%s%s" Target="%s"/>`, triples[i], relBase, triples[i+1], triples[i+2])
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

// docxZip is a Word document with body as the content of w:body and
// extra parts (with their relationships from document.xml) after it.
func docxZip(t testing.TB, body string, extra ...entry) []byte {
	t.Helper()
	var triples []string
	for i, e := range extra {
		typ := strings.TrimSuffix(strings.TrimPrefix(e.name, "word/"), ".xml")
		typ = strings.TrimRight(typ, "0123456789")
		triples = append(triples, fmt.Sprintf("rId%d", i+1), typ, strings.TrimPrefix(e.name, "word/"))
	}
	entries := []entry{
		{name: "[Content_Types].xml", body: `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{name: "_rels/.rels", body: rels("rId1", "officeDocument", "word/document.xml")},
		{name: "word/document.xml", body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wNS + `><w:body>` + body + `</w:body></w:document>`},
		{name: "word/_rels/document.xml.rels", body: rels(triples...)},
	}
	return buildZip(t, append(entries, extra...)...)
}

// odfZip is an ODF package of the given media type with content.xml's
// office:body holding body, and optional styles.xml master styles.
func odfZip(t testing.TB, mediaType, body, masterStyles string, extra ...entry) []byte {
	t.Helper()
	entries := []entry{
		{name: "mimetype", body: mediaType},
		{name: "content.xml", body: `<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + odfNS + `><office:body>` + body + `</office:body></office:document-content>`},
	}
	if masterStyles != "" {
		entries = append(entries, entry{name: "styles.xml", body: `<?xml version="1.0" encoding="UTF-8"?><office:document-styles ` + odfNS + `><office:master-styles>` + masterStyles + `</office:master-styles></office:document-styles>`})
	}
	entries = append(entries, entry{name: "META-INF/manifest.xml", body: `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="` + mediaType + `"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`})
	return buildZip(t, append(entries, extra...)...)
}

const (
	mtText  = "application/vnd.oasis.opendocument.text"
	mtSheet = "application/vnd.oasis.opendocument.spreadsheet"
	mtPres  = "application/vnd.oasis.opendocument.presentation"
)
