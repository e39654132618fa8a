package office

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// tokens renders what the scanner reads from doc, wanting text
// throughout: "<ns:local>" for starts (ns as a number, attributes listed
// when asked for), "</local>" for ends, quoted text.
func tokens(doc string, r io.Reader, maxDepth int, attrs ...string) (string, error) {
	if r == nil {
		r = strings.NewReader(doc)
	}
	x := newXMLScanner(r, maxDepth)
	x.wantText = true
	var b strings.Builder
	for n := 0; n < 10000; n++ {
		k, err := x.next()
		if err != nil {
			return b.String(), err
		}
		switch k {
		case tokEOF:
			return b.String(), nil
		case tokStart:
			fmt.Fprintf(&b, "<%d:%s", x.ns, x.local)
			for _, a := range attrs {
				ns, local, _ := strings.Cut(a, "|")
				id := nsNone
				if ns != "" {
					id = namespaceOf([]byte(ns))
				}
				if v, ok, err := x.attr(id, local); err != nil {
					return b.String(), err
				} else if ok {
					fmt.Fprintf(&b, " %s=%q", local, v)
				}
			}
			b.WriteString(">")
		case tokEnd:
			fmt.Fprintf(&b, "</%s>", x.local)
		case tokText:
			fmt.Fprintf(&b, "%q", x.text)
		}
	}
	return b.String(), errors.New("no end")
}

const textNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

func TestScanner(t *testing.T) {
	tests := []struct {
		name, doc string
		attrs     []string
		want      string
		err       error
	}{
		{name: "namespaces", doc: `<?xml version="1.0"?><a xmlns="` + textNS + `" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p/><b xmlns=""><c/></b><p/></a>`,
			want: `<10:a><2:p></p><0:b><0:c></c></b><10:p></p></a>`},
		{name: "prefix rebound in scope", doc: `<t:a xmlns:t="` + textNS + `"><t:b xmlns:t="urn:x"><t:c/></t:b><t:d/></t:a>`,
			want: `<10:a><1:b><1:c></c></b><10:d></d></a>`},
		{name: "undeclared prefix", doc: `<q:a/>`, want: `<1:a></a>`},
		{name: "text, entities, CDATA", doc: `<a>x &amp; &lt;&gt;&quot;&apos; &#65;&#x42;<![CDATA[<&>]]>y</a>`,
			want: `<0:a>"x & <>\"' AB""<&>""y"</a>`},
		{name: "comments, PI, DOCTYPE with subset", doc: `<!DOCTYPE a [<!ENTITY e "x>y">]><!-- <b> --><a><?pi <b>?>t<!--c--></a>`,
			want: `<0:a>"t"</a>`},
		{name: "attributes", doc: `<a xmlns:t="` + textNS + `" t:c="3" c='1&amp;2' d="x>y"/>`, attrs: []string{textNS + "|c", "|c", "|d"},
			want: `<0:a c="3" c="1&2" d="x>y"></a>`},
		{name: "text outside the root is skipped", doc: "junk <a>in</a> more", want: `<0:a>"in"</a>`},
		{name: "byte order mark", doc: "\xEF\xBB\xBF<a>b</a>", want: `<0:a>"b"</a>`},
		{name: "Latin-1 declared", doc: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xE9</a>", want: `<0:a>"café"</a>`},
		{name: "mismatched end tag", doc: `<a><b></a>`, want: `<0:a><0:b>`, err: errSyntax},
		{name: "end tag without start", doc: `<a></a></b>`, want: `<0:a></a>`, err: errSyntax},
		{name: "truncated in a tag", doc: `<a><b attr="x`, want: `<0:a>`, err: errTruncated},
		{name: "truncated in content", doc: `<a><b>text`, want: `<0:a><0:b>"text"`, err: errTruncated},
		{name: "truncated in an entity", doc: `<a>x&am`, want: `<0:a>`, err: errTruncated},
		{name: "unknown entity", doc: `<a>&nbsp;</a>`, want: `<0:a>`, err: errSyntax},
		{name: "bad character reference", doc: `<a>&#x110000;</a>`, want: `<0:a>`, err: errSyntax},
		{name: "no root", doc: `just text`, err: errNoRoot},
		{name: "empty", doc: ``, err: errNoRoot},
		{name: "empty name", doc: `<a>< b/></a>`, want: `<0:a>`, err: errSyntax},
		{name: "unquoted attribute", doc: `<a b=c/>`, attrs: []string{"|b"}, want: `<0:a`, err: errSyntax},
		{name: "too deep", doc: strings.Repeat("<a>", 9), want: strings.Repeat("<0:a>", 8), err: errSyntax},
		{name: "name too long", doc: "<a><" + strings.Repeat("n", maxNameLen+1) + "/></a>", want: "<0:a>", err: errSyntax},
		{name: "too many declarations", doc: "<a" + strings.Repeat(` xmlns:p="urn:x"`, maxBindings+1) + "/>", err: errSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []io.Reader{nil, iotest.OneByteReader(strings.NewReader(tt.doc))} {
				got, err := tokens(tt.doc, r, 8, tt.attrs...)
				if !errors.Is(err, tt.err) {
					t.Errorf("error %v, want %v", err, tt.err)
				}
				// One byte at a time, text comes in more pieces.
				if r != nil {
					got = strings.ReplaceAll(got, `""`, "")
					tt.want = strings.ReplaceAll(tt.want, `""`, "")
				}
				if got != tt.want {
					t.Errorf("got  %s\nwant %s", got, tt.want)
				}
			}
		})
	}
}

func TestScannerLimits(t *testing.T) {
	// A tag over maxTagLen fails without growing the window further.
	long := `<a b="` + strings.Repeat("x", maxTagLen+100) + `"/>`
	x := newXMLScanner(strings.NewReader(long), 8)
	if _, err := x.next(); !errors.Is(err, errSyntax) || !strings.Contains(err.Error(), "tag too long") {
		t.Errorf("long tag: %v", err)
	}
	if len(x.buf) > maxTagLen+maxEntityLen {
		t.Errorf("window grew to %d", len(x.buf))
	}

	// Long text comes in pieces of at most maxTextPiece bytes.
	text := strings.Repeat("0123456789", 10_000)
	x = newXMLScanner(strings.NewReader("<a>"+text+"&amp;</a>"), 8)
	x.wantText = true
	var got strings.Builder
	pieces := 0
	for {
		k, err := x.next()
		if err != nil {
			t.Fatal(err)
		}
		if k == tokEOF {
			break
		}
		if k == tokText {
			pieces++
			if len(x.text) > maxTextPiece {
				t.Errorf("piece of %d bytes", len(x.text))
			}
			got.Write(x.text)
		}
	}
	if got.String() != text+"&" || pieces < 4 {
		t.Errorf("got %d bytes in %d pieces", got.Len(), pieces)
	}

	// Text is skipped unless wanted.
	x = newXMLScanner(strings.NewReader("<a>skipped<b/>x</a>"), 8)
	for {
		k, err := x.next()
		if err != nil || k == tokEOF {
			break
		}
		if k == tokText {
			t.Errorf("text %q though not wanted", x.text)
		}
	}

	// A reader that never returns anything is given up on.
	x = newXMLScanner(iotest.ErrReader(nil), 8)
	if _, err := x.next(); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("stuck reader: %v", err)
	}
}

func TestSkip(t *testing.T) {
	x := newXMLScanner(strings.NewReader(`<a><b><c>x</c><c/></b><d>y</d></a>`), 8)
	x.wantText = true
	x.next() // <a>
	x.next() // <b>
	if err := x.skip(); err != nil {
		t.Fatal(err)
	}
	if k, _ := x.next(); k != tokStart || string(x.local) != "d" || !x.wantText {
		t.Errorf("after skip: %v %s", k, x.local)
	}
}
