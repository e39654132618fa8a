package xmlscan

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/htmlindex"
)

// FuzzScanner checks that the scanner ends on any input, keeps its bounds
// and balances start and end tokens when it succeeds, reads the same
// however the input is split between reads, and, on input that both it
// and encoding/xml accept, reads the same elements, attributes and text.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{
		`<a xmlns="urn:x" xmlns:t="` + textNS + `"><t:p t:c="2">x &amp; y<![CDATA[z]]></t:p><b/></a>`,
		`<?xml version="1.0" encoding="UTF-16"?><a/>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><a b="caf` + "\xE9" + `">caf` + "\xE9" + `</a>`,
		"\xFF\xFE<\x00a\x00/\x00>\x00",
		`<!DOCTYPE a [<!ENTITY e "v"> <!-- <x> --> ]><a>&#x1F600;</a>`,
		`<a><!-- c --><?p i?><b attr='>'>t</b></a>`,
		"<a>x\r\ny\r</a>",
		`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>v</t></is></c></row></sheetData></worksheet>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const depth = 16
		whole, ok := scanAll(t, bytes.NewReader(data), depth)
		for _, r := range []io.Reader{iotest.OneByteReader(bytes.NewReader(data)), iotest.HalfReader(bytes.NewReader(data))} {
			if got, _ := scanAll(t, r, depth); got != whole {
				t.Fatalf("split reads:\n%s\nwhole:\n%s", got, whole)
			}
		}
		if !ok {
			return
		}
		if want, ok := stdlibAll(data); ok && want != whole {
			t.Fatalf("scanner:\n%s\nencoding/xml:\n%s", whole, want)
		}
	})
}

// scanAll renders the document as a list of tokens, checking the bounds
// on the way, and reports whether it was read without an error.
func scanAll(t *testing.T, r io.Reader, depth int) (string, bool) {
	x := New(r, Options{MaxDepth: depth, EmptyEnd: true})
	var b, text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			fmt.Fprintf(&b, "%q\n", text.String())
			text.Reset()
		}
	}
	opened := 0
	for i := 0; ; i++ {
		if i > 1<<20 {
			t.Fatal("no end")
		}
		x.SetWantText(true)
		k, err := x.Next()
		if err != nil {
			fmt.Fprintf(&b, "error\n")
			return b.String(), false
		}
		if len(x.Window()) > MaxTagLen {
			t.Fatalf("window of %d bytes", len(x.Window()))
		}
		switch k {
		case EOF:
			if opened != 0 || x.Depth() != 0 {
				t.Fatalf("EOF with %d elements open", opened)
			}
			flush()
			return b.String(), true
		case Start:
			flush()
			opened++
			if x.Depth() > depth {
				t.Fatalf("depth %d", x.Depth())
			}
			fmt.Fprintf(&b, "<%s", x.Name())
			// Decoding every value one by one reads as Attrs does.
			var each strings.Builder
			eachErr := x.EachAttr(func(a RawAttr) (bool, error) {
				v, err := x.AttrValue(a)
				fmt.Fprintf(&each, " %s=%q", a.Name, v)
				return true, err
			})
			attrs, err := x.Attrs()
			if (err == nil) != (eachErr == nil) {
				t.Fatalf("Attrs: %v, EachAttr: %v", err, eachErr)
			}
			if err != nil {
				fmt.Fprintf(&b, "error\n")
				return b.String(), false
			}
			var all strings.Builder
			for _, a := range attrs {
				fmt.Fprintf(&all, " %s=%q", a.Name, a.Value)
			}
			if all.String() != each.String() {
				t.Fatalf("Attrs:%s\nEachAttr:%s", all.String(), each.String())
			}
			b.WriteString(all.String())
			b.WriteString(">\n")
		case End:
			flush()
			opened--
			fmt.Fprintf(&b, "</%s>\n", x.Name())
		case Text:
			if len(x.Text()) == 0 || len(x.Text()) > DefaultMaxText {
				t.Fatalf("text piece of %d bytes", len(x.Text()))
			}
			text.Write(x.Text())
		}
	}
}

// stdlibAll renders the document as scanAll does, with encoding/xml as
// excelize configures it; it reports whether encoding/xml accepts it.
func stdlibAll(data []byte) (string, bool) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		e, err := htmlindex.Get(label)
		if err != nil {
			return nil, err
		}
		return e.NewDecoder().Reader(r), nil
	}
	var b, text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			fmt.Fprintf(&b, "%q\n", text.String())
			text.Reset()
		}
	}
	depth := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if depth != 0 {
				return "", false
			}
			flush()
			return b.String(), true
		}
		if err != nil {
			return "", false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			flush()
			depth++
			fmt.Fprintf(&b, "<%s", rawName(tok.Name))
			for _, a := range tok.Attr {
				fmt.Fprintf(&b, " %s=%q", rawName(a.Name), a.Value)
			}
			b.WriteString(">\n")
		case xml.EndElement:
			flush()
			depth--
			fmt.Fprintf(&b, "</%s>\n", rawName(tok.Name))
		case xml.CharData:
			if depth > 0 {
				text.Write(tok)
			}
		}
	}
}

func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
