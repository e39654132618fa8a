package office

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
)

// Fuzzing tip: run with -fuzzminimizetime=20x. The seeds are whole
// documents, and minimising every new input for the default 60 s leaves
// little time to fuzz (go test -fuzz FuzzReader -fuzztime 20s ...).

// FuzzReader runs the reader on whole files (seeded with the fixtures
// and hand-built documents): every error is one the scan knows how to
// report and every chunk is well-formed.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range partSeeds {
		f.Add(wrapPart(f, s.kind, []byte(s.xml)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip("seeds and mutations stay small")
		}
		checkReader(t, data)
	})
}

// FuzzParts puts fuzzed XML into a document of each kind, where the
// walkers see it without zip and deflate in the way.
func FuzzParts(f *testing.F) {
	for _, s := range partSeeds {
		f.Add(s.kind, []byte(s.xml))
	}
	for _, fx := range []struct {
		kind uint8
		file string
		part string
	}{{0, "letter.docx", "word/document.xml"}, {1, "deck.pptx", "ppt/slides/slide1.xml"}, {2, "letter.odt", "content.xml"}, {3, "people.ods", "content.xml"}, {4, "deck.odp", "content.xml"}} {
		if b, err := os.ReadFile(filepath.Join("testdata", fx.file)); err == nil {
			if x, err := partOf(b, fx.part); err == nil {
				f.Add(fx.kind, x)
			}
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, xml []byte) {
		if len(xml) > 1<<20 {
			t.Skip()
		}
		checkReader(t, wrapPart(t, kind%5, xml))
	})
}

var partSeeds = []struct {
	kind uint8
	xml  string
}{
	{0, `<w:document ` + wNS + `><w:body><w:p><w:r><w:t>a</w:t><w:tab/><w:br/></w:r><mc:AlternateContent><mc:Fallback/></mc:AlternateContent></w:p></w:body></w:document>`},
	{1, `<p:sld ` + pNS + `><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>x</a:t></a:r><a:br/></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`},
	{2, `<office:document-content ` + odfNS + `><office:body><office:text><text:p>a<text:s text:c="3"/><text:note><text:note-body><text:p>n</text:p></text:note-body></text:note><office:annotation><text:p>c</text:p></office:annotation></text:p></office:text></office:body></office:document-content>`},
	{3, `<office:document-content ` + odfNS + `><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2" office:value="1"/><table:covered-table-cell><text:p>x</text:p></table:covered-table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`},
	{4, `<office:document-content ` + odfNS + `><office:body><office:presentation><draw:page><draw:frame><draw:text-box><text:p>s</text:p></draw:text-box></draw:frame><presentation:notes><text:p>n</text:p></presentation:notes></draw:page></office:presentation></office:body></office:document-content>`},
}

// wrapPart makes a document of kind 0-4 (docx, pptx, odt, ods, odp)
// around xml.
func wrapPart(t testing.TB, kind uint8, xml []byte) []byte {
	switch kind {
	case 0:
		return buildZip(t, entry{name: "word/document.xml", body: string(xml)})
	case 1:
		return buildZip(t,
			entry{name: "ppt/presentation.xml", body: `<p:presentation ` + pNS + `><p:sldIdLst><p:sldId r:id="rId1"/></p:sldIdLst></p:presentation>`},
			entry{name: "ppt/_rels/presentation.xml.rels", body: rels("rId1", "slide", "slides/slide1.xml")},
			entry{name: "ppt/slides/slide1.xml", body: string(xml)})
	}
	mt := []string{mtText, mtSheet, mtPres}[min(int(kind)-2, 2)]
	return buildZip(t, entry{name: "mimetype", body: mt}, entry{name: "content.xml", body: string(xml)})
}

func partOf(doc []byte, name string) ([]byte, error) {
	d, err := openZip(context.Background(), "x", bytes.NewReader(doc), int64(len(doc)), DefaultLimits())
	if err != nil {
		return nil, err
	}
	rc, err := d.file(name).Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(rc)
	return b.Bytes(), err
}

func checkReader(t *testing.T, data []byte) {
	r := Reader{Limits: Limits{MaxCells: 20_000, MaxTotalSize: 64 << 20}}
	in := extract.Input{Name: "fuzz", R: bytes.NewReader(data), Size: int64(len(data))}
	err := r.Extract(context.Background(), in, func(c *extract.Chunk) error {
		if !utf8.Valid(c.Data) {
			t.Errorf("%v: invalid UTF-8", c.Loc)
		}
		switch c.Kind {
		case extract.Lines:
			if c.Loc.Line < 1 || c.Loc.Sheet != "" || len(c.Data) == 0 || len(c.Data) > blockSize+xmlscan.DefaultMaxText+maxSpaces {
				t.Errorf("malformed lines chunk at %+v, %d bytes", c.Loc, len(c.Data))
			}
			if c.Loc.Part != "" && !strings.HasPrefix(c.Loc.Part, "slide ") && !strings.Contains("header footer footnotes comments", c.Loc.Part) {
				t.Errorf("unexpected part %q", c.Loc.Part)
			}
		case extract.Cell:
			if c.Loc.Sheet == "" && c.Loc.Cell == "" || c.Loc.Row < 1 || c.Loc.Column != c.Header || isBlank(c.Data) {
				t.Errorf("malformed cell chunk at %+v", c.Loc)
			}
		default:
			t.Errorf("kind %d", c.Kind)
		}
		return nil
	})
	if err != nil && !errors.Is(err, extract.ErrCorrupt) && !errors.Is(err, ErrEncrypted) && !errors.Is(err, ErrTooLarge) {
		t.Fatalf("unexpected error: %v", err)
	}
}
