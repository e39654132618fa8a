package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
)

// scanWindow is the scanner's initial window, which the long cases of
// TestScannerSplits outgrow.
const scanWindow = 64 << 10

// sheetEvents dumps what sheetParser reads from r, for comparing reads of
// one document through readers that split it differently.
func sheetEvents(r io.Reader) string {
	p := &sheetParser{x: newXMLScanner(r, maxStringLen)}
	var b strings.Builder
	for {
		ev, err := p.next()
		if err != nil {
			fmt.Fprintf(&b, "error %v\n", errors.Is(err, xmlscan.ErrSyntax) || errors.Is(err, xmlscan.ErrTruncated) || errors.Is(err, ErrTooLarge))
			return b.String()
		}
		switch ev {
		case evEOF:
			b.WriteString("eof\n")
			return b.String()
		case evRow:
			fmt.Fprintf(&b, "row %d %v\n", p.rowNum, p.rowErr)
		case evSheetDataEnd:
			b.WriteString("end\n")
		case evCell:
			c := &p.c
			fmt.Fprintf(&b, "cell r=%q s=%d t=%q v=%q f=%v is=%v %q %q dropped=%v\n",
				c.ref, c.style, c.typ, c.v, c.hasF, c.hasIS, c.isT, c.isRuns, c.dropped)
		}
	}
}

// splitReaders read a document in pieces of every size.
var splitReaders = map[string]func([]byte) io.Reader{
	"one byte": func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
	"half":     func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
	"data+EOF": func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) },
}

// TestScannerSplits checks that where the input breaks between reads
// changes nothing: entities, "\r\n", "]]>", comments, CDATA and tags cut
// in two, and values and tags longer than the scanner's window.
func TestScannerSplits(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x&amp;y\r\n]]", scanWindow/5)
	docs := map[string]string{
		"long value": `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + long + `</t></is></c></row></sheetData></worksheet>`,
		"long tag":   `<worksheet><sheetData><row r="1" spans="` + strings.Repeat("1:2 ", scanWindow/2) + `"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
		"long comment": `<worksheet><!--` + strings.Repeat("- -", scanWindow) + `--><sheetData><row><c><v><![CDATA[` +
			strings.Repeat("]]", scanWindow/3) + "\r\n" + `]]></v></c></row></sheetData></worksheet>`,
		"directive": `<!DOCTYPE w [<!ENTITY a "<>"> <!-- c --> ]><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
	}
	for name, rows := range handWrittenSheets {
		docs["rows "+name] = `<worksheet><sheetData>` + rows + `</sheetData></worksheet>`
	}
	for name, doc := range handWrittenDocuments {
		docs["doc "+name] = doc
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := sheetEvents(bytes.NewReader([]byte(doc)))
			if strings.HasPrefix(name, "long") && strings.Contains(want, "error") {
				t.Fatalf("whole: %s", want)
			}
			for how, split := range splitReaders {
				if got := sheetEvents(split([]byte(doc))); got != want {
					t.Errorf("%s:\n%s\nwhole:\n%s", how, got, want)
				}
			}
		})
	}
}

// TestScannerLimits checks the bounds on one tag and one value.
func TestScannerLimits(t *testing.T) {
	t.Parallel()
	tag := `<worksheet><sheetData><row r="1" x="` + strings.Repeat("a", xmlscan.MaxTagLen) + `"/></sheetData></worksheet>`
	if got := sheetEvents(strings.NewReader(tag)); got != "error true\n" {
		t.Errorf("tag over %d bytes: %q", xmlscan.MaxTagLen, got)
	}
	value := `<worksheet><sheetData><row r="1"><c><v>` + strings.Repeat("1", maxStringLen+1) + `</v></c></row></sheetData></worksheet>`
	if got := sheetEvents(strings.NewReader(value)); got != "row 1 <nil>\nerror true\n" {
		t.Errorf("value over %d bytes: %q", maxStringLen, got)
	}
}

// TestScannerErrors lists malformed input the scanner must refuse.
func TestScannerErrors(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		`<worksheet><sheetData><row></sheetData></worksheet>`, // mismatched end tag
		`<worksheet><sheetData>`,                              // truncated
		`<worksheet><c><v>1 &bogus; 2</v></c></worksheet>`,    // unknown entity
		`<worksheet><c><v>&#xZZ;</v></c></worksheet>`,         // bad reference
		`<worksheet><c><v>a ]]> b</v></c></worksheet>`,        // ]]> in text
		"<worksheet><c><v>\x01</v></c></worksheet>",           // not an XML character
		"<worksheet><c><v>\xff</v></c></worksheet>",           // not UTF-8
		`<worksheet><c r="A1' s="1"><v>1</v></c></worksheet>`,
		`<worksheet><c r=A1><v>1</v></c></worksheet>`,
		`<worksheet><c r="<"><v>1</v></c></worksheet>`,
		`<worksheet><1c/></worksheet>`,
		`<worksheet><a:b:c/></worksheet>`,
		`<worksheet><![CDATA[x</worksheet>`,
		`<worksheet><![foo[x]]></worksheet>`,
		`<?xml version="1.1"?><worksheet/>`,
		`<?xml version="1.0" encoding="no-such-charset"?><worksheet/>`,
		`</worksheet>`,
	} {
		got := sheetEvents(strings.NewReader(doc))
		if !strings.HasSuffix(got, "error true\n") {
			t.Errorf("%q: %q", doc, got)
		}
	}
}
