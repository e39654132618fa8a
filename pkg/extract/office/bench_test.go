package office

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// benchDocx is a Word body of 20,000 paragraphs as Word writes them
// (paragraph and run properties, text split across runs), some 8 MB of
// XML, built once.
var benchDocx = sync.OnceValues(func() ([]byte, int) {
	var b strings.Builder
	for i := range 20_000 {
		fmt.Fprintf(&b, `<w:p w:rsidR="00A1%04d"><w:pPr><w:pStyle w:val="Normal"/><w:spacing w:after="120"/></w:pPr>`+
			`<w:r><w:rPr><w:rFonts w:ascii="Calibri"/><w:sz w:val="22"/></w:rPr><w:t xml:space="preserve">Person %d Example, person%d@example.com, phone </w:t></w:r>`+
			`<w:r><w:rPr><w:b/><w:sz w:val="22"/></w:rPr><w:t>+44 20 79</w:t></w:r><w:proofErr w:type="gramStart"/>`+
			`<w:r><w:rPr><w:sz w:val="22"/></w:rPr><w:t xml:space="preserve">46 0958 and some ordinary words to make a sentence.</w:t></w:r></w:p>`, i%10000, i, i)
	}
	return docxZip(&testing.T{}, b.String()), b.Len()
})

// benchOds is a sheet of 20,000 rows of 10 cells, as LibreOffice writes
// them.
var benchOds = sync.OnceValues(func() ([]byte, int) {
	var b strings.Builder
	b.WriteString(`<office:spreadsheet><table:table table:name="People"><table:table-row>`)
	for _, h := range []string{"Name", "Email", "Phone", "Card", "City", "Joined", "Balance", "Postcode", "Notes", "ID"} {
		fmt.Fprintf(&b, `<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>`, h)
	}
	b.WriteString(`</table:table-row>`)
	for i := range 20_000 {
		b.WriteString(`<table:table-row table:style-name="ro1">`)
		for _, v := range []string{fmt.Sprintf("Person %d Example", i), fmt.Sprintf("person%d@example.com", i), "+44 20 7946 0958", "4111 1111 1111 1111", "Leeds"} {
			fmt.Fprintf(&b, `<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>%s</text:p></table:table-cell>`, v)
		}
		fmt.Fprintf(&b, `<table:table-cell office:value-type="date" office:date-value="2020-01-%02d"><text:p>%02d/01/2020</text:p></table:table-cell>`, i%28+1, i%28+1)
		fmt.Fprintf(&b, `<table:table-cell office:value-type="float" office:value="%d.25"><text:p>%d.25</text:p></table:table-cell>`, i, i)
		b.WriteString(`<table:table-cell office:value-type="string"><text:p>ZZ9 9ZZ</text:p></table:table-cell><table:table-cell/>`)
		fmt.Fprintf(&b, `<table:table-cell office:value-type="float" office:value="%d"><text:p>%d</text:p></table:table-cell></table:table-row>`, i, i)
	}
	b.WriteString(`<table:table-row table:number-rows-repeated="1028576"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet>`)
	return odfZip(&testing.T{}, mtSheet, b.String(), ""), b.Len()
})

func BenchmarkDocx(b *testing.B) { benchRead(b, Docx, benchDocx) }
func BenchmarkOds(b *testing.B)  { benchRead(b, Ods, benchOds) }

// benchRead reports MB/s of inflated XML read.
func benchRead(b *testing.B, f Format, doc func() ([]byte, int)) {
	data, xmlLen := doc()
	b.SetBytes(int64(xmlLen))
	b.ReportAllocs()
	var chunks int
	for b.Loop() {
		chunks = 0
		in := extract.Input{Name: "bench", R: bytes.NewReader(data), RA: bytes.NewReader(data), Size: int64(len(data))}
		if err := (Reader{Format: f}).Extract(context.Background(), in, func(*extract.Chunk) error { chunks++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(chunks), "chunks/op")
	b.ReportMetric(float64(len(data))/1e6, "zipMB")
}
