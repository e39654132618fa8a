package xmlscan

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

const (
	textNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	wNS    = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
)

// testNamespaces numbers two namespaces as the office reader does.
var testNamespaces = map[string]NS{wNS: 2, textNS: 10}

// officeOptions and sheetOptions are the two ways the readers set the
// scanner up.
func officeOptions(maxDepth int) Options {
	return Options{MaxDepth: maxDepth, Namespaces: testNamespaces, EmptyEnd: true, RequireRoot: true}
}

// tokens renders what the scanner reads from r, wanting text throughout:
// "<ns:local>" for starts (attributes listed when asked for, as
// "uri|local"), "</local>" for ends, quoted text.
func tokens(r io.Reader, o Options, attrs ...string) (string, error) {
	x := New(r, o)
	x.SetWantText(true)
	var b strings.Builder
	for n := 0; n < 10000; n++ {
		k, err := x.Next()
		if err != nil {
			return b.String(), err
		}
		switch k {
		case EOF:
			return b.String(), nil
		case Start:
			fmt.Fprintf(&b, "<%d:%s", x.NS(), x.Local())
			for _, a := range attrs {
				uri, local, _ := strings.Cut(a, "|")
				id := NoNS
				if uri != "" {
					id = testNamespaces[uri]
				}
				if v, ok, err := x.Attr(id, local); err != nil {
					return b.String(), err
				} else if ok {
					fmt.Fprintf(&b, " %s=%q", local, v)
				}
			}
			b.WriteString(">")
		case End:
			fmt.Fprintf(&b, "</%s>", x.Local())
		case Text:
			fmt.Fprintf(&b, "%q", x.Text())
		}
	}
	return b.String(), errors.New("no end")
}

func TestScanner(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		attrs     []string
		want      string
		err       error
	}{
		{name: "namespaces", doc: `<?xml version="1.0"?><a xmlns="` + textNS + `" xmlns:w="` + wNS + `"><w:p/><b xmlns=""><c/></b><p/></a>`,
			want: `<10:a><2:p></p><0:b><0:c></c></b><10:p></p></a>`},
		{name: "prefix rebound in scope", doc: `<t:a xmlns:t="` + textNS + `"><t:b xmlns:t="urn:x"><t:c/></t:b><t:d/></t:a>`,
			want: `<10:a><1:b><1:c></c></b><10:d></d></a>`},
		{name: "undeclared prefix", doc: `<q:a/>`, want: `<1:a></a>`},
		{name: "text, entities, CDATA", doc: `<a>x &amp; &lt;&gt;&quot;&apos; &#65;&#x42;<![CDATA[<&>]]>y</a>`,
			want: `<0:a>"x & <>\"' AB""<&>""y"</a>`},
		{name: "line ends", doc: "<a>x\r\ny\rz<![CDATA[\r\n]]></a>", want: `<0:a>"x\ny\nz""\n"</a>`},
		{name: "comments, PI, DOCTYPE with subset", doc: `<!DOCTYPE a [<!ENTITY e "x>y">]><!-- <b> --><a><?pi <b>?>t<!--c--></a>`,
			want: `<0:a>"t"</a>`},
		{name: "attributes", doc: `<a xmlns:t="` + textNS + `" t:c="3" c='1&amp;2' d="x>y"/>`, attrs: []string{textNS + "|c", "|c", "|d"},
			want: `<0:a c="3" c="1&2" d="x>y"></a>`},
		{name: "text outside the root is skipped", doc: "junk <a>in</a> more", want: `<0:a>"in"</a>`},
		{name: "byte order mark", doc: "\xEF\xBB\xBF<a>b</a>", want: `<0:a>"b"</a>`},
		{name: "UTF-16 byte order mark", doc: "\xFF\xFE<\x00a\x00>\x00\xE9\x00<\x00/\x00a\x00>\x00", want: `<0:a>"é"</a>`},
		{name: "Latin-1 declared", doc: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xE9</a>", want: `<0:a>"café"</a>`},
		{name: "unknown encoding", doc: `<?xml version="1.0" encoding="no-such"?><a/>`, err: ErrSyntax},
		{name: "XML 1.1", doc: `<?xml version="1.1"?><a/>`, err: ErrSyntax},
		{name: "mismatched end tag", doc: `<a><b></a>`, want: `<0:a><0:b>`, err: ErrSyntax},
		{name: "end tag without start", doc: `<a></a></b>`, want: `<0:a></a>`, err: ErrSyntax},
		{name: "truncated in a tag", doc: `<a><b attr="x`, want: `<0:a>`, err: ErrTruncated},
		{name: "truncated in content", doc: `<a><b>text`, want: `<0:a><0:b>"text"`, err: ErrTruncated},
		{name: "truncated in an entity", doc: `<a>x&am`, want: `<0:a>`, err: ErrTruncated},
		{name: "truncated in CDATA", doc: `<a><![CDATA[x`, want: `<0:a>`, err: ErrTruncated},
		{name: "unknown entity", doc: `<a>&nbsp;</a>`, want: `<0:a>`, err: ErrSyntax},
		{name: "bad character reference", doc: `<a>&#x110000;</a>`, want: `<0:a>`, err: ErrSyntax},
		{name: "NUL by reference", doc: `<a>&#0;</a>`, want: `<0:a>`, err: ErrSyntax},
		{name: "control character", doc: "<a>\x01</a>", want: `<0:a>`, err: ErrSyntax},
		{name: "not UTF-8", doc: "<a>\xff</a>", want: `<0:a>`, err: ErrSyntax},
		{name: "]]> in text", doc: `<a>a ]]> b</a>`, want: `<0:a>`, err: ErrSyntax},
		{name: "< in attribute value", doc: `<a b="<"/>`, attrs: []string{"|b"}, want: `<0:a`, err: ErrSyntax},
		{name: "< in tag", doc: `<a b="1"<c>`, err: ErrSyntax},
		{name: "bad <![ section", doc: `<a><![foo[x]]></a>`, want: `<0:a>`, err: ErrSyntax},
		{name: "no root", doc: `just text`, err: ErrNoRoot},
		{name: "empty", doc: ``, err: ErrNoRoot},
		{name: "empty name", doc: `<a>< b/></a>`, want: `<0:a>`, err: ErrSyntax},
		{name: "name starting with a digit", doc: `<a><1b/></a>`, want: `<0:a>`, err: ErrSyntax},
		{name: "two colons", doc: `<a><b:c:d/></a>`, want: `<0:a>`, err: ErrSyntax},
		{name: "unquoted attribute", doc: `<a b=c/>`, attrs: []string{"|b"}, want: `<0:a`, err: ErrSyntax},
		{name: "too deep", doc: strings.Repeat("<a>", 9), want: strings.Repeat("<0:a>", 8), err: ErrSyntax},
		{name: "self-closing counts towards depth", doc: strings.Repeat("<a>", 8) + "<b/>", want: strings.Repeat("<0:a>", 8), err: ErrSyntax},
		{name: "name too long", doc: "<a><" + strings.Repeat("n", maxNameLen+1) + "/></a>", want: "<0:a>", err: ErrSyntax},
		{name: "too many declarations", doc: "<a" + strings.Repeat(` xmlns:p="urn:x"`, maxBindings+1) + "/>", err: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, r := range []io.Reader{strings.NewReader(tt.doc), iotest.OneByteReader(strings.NewReader(tt.doc))} {
				got, err := tokens(r, officeOptions(8), tt.attrs...)
				if !errors.Is(err, tt.err) {
					t.Errorf("error %v, want %v", err, tt.err)
				}
				// Read one byte at a time, text comes in more pieces.
				got = strings.ReplaceAll(got, `""`, "")
				if want := strings.ReplaceAll(tt.want, `""`, ""); got != want {
					t.Errorf("got  %s\nwant %s", got, want)
				}
			}
		})
	}
}

// TestErrorsQuoteNothing checks that no error carries document content.
func TestErrorsQuoteNothing(t *testing.T) {
	t.Parallel()
	const secret = "4111111111111111"
	for _, doc := range []string{
		"<a>" + secret + "&x" + secret + ";</a>", "<a " + secret + "/>", "<a" + secret + "></b" + secret + ">",
		"<a b='" + secret + "<'/>", "<?xml version='" + secret + "'?><a/>", "<?xml version='1.0' encoding='" + secret + "'?><a/>",
	} {
		_, err := tokens(strings.NewReader(doc), officeOptions(8), "|b")
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("%q: %v", doc, err)
		}
	}
}

// TestSelfClosingWithoutEnd checks the encoding/xml-like set-up: no End
// for a self-closing element, no error without a root.
func TestSelfClosingWithoutEnd(t *testing.T) {
	t.Parallel()
	got, err := tokens(strings.NewReader(`<a><b/>x<c>y</c></a>`), Options{})
	if err != nil || got != `<0:a><0:b>"x"<0:c>"y"</c></a>` {
		t.Errorf("got %s, %v", got, err)
	}
	if got, err := tokens(strings.NewReader(`<!-- nothing -->`), Options{}); err != nil || got != "" {
		t.Errorf("no root: %q, %v", got, err)
	}
}

func TestScannerLimits(t *testing.T) {
	t.Parallel()
	// A tag over MaxTagLen fails without growing the window further.
	long := `<a b="` + strings.Repeat("x", MaxTagLen+100) + `"/>`
	x := New(strings.NewReader(long), officeOptions(8))
	if _, err := x.Next(); !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "tag too long") {
		t.Errorf("long tag: %v", err)
	}
	if len(x.Window()) > MaxTagLen {
		t.Errorf("window grew to %d", len(x.Window()))
	}

	// Long text and CDATA come in pieces of at most MaxText bytes, cut
	// between characters.
	text := strings.Repeat("0123456789é", 10_000)
	for _, doc := range []string{"<a>" + text + "&amp;</a>", "<a><![CDATA[" + text + "&]]></a>"} {
		x = New(strings.NewReader(doc), officeOptions(8))
		x.SetWantText(true)
		var got strings.Builder
		pieces := 0
		for {
			k, err := x.Next()
			if err != nil {
				t.Fatal(err)
			}
			if k == EOF {
				break
			}
			if k == Text {
				pieces++
				if len(x.Text()) > DefaultMaxText {
					t.Errorf("piece of %d bytes", len(x.Text()))
				}
				got.Write(x.Text())
			}
		}
		if got.String() != text+"&" || pieces < 4 {
			t.Errorf("got %d bytes in %d pieces", got.Len(), pieces)
		}
	}

	// Text is skipped unless wanted.
	x = New(strings.NewReader("<a>skipped<b/>x<![CDATA[y]]></a>"), officeOptions(8))
	for {
		k, err := x.Next()
		if err != nil || k == EOF {
			break
		}
		if k == Text {
			t.Errorf("text %q though not wanted", x.Text())
		}
	}

	// A reader that never returns anything is given up on.
	x = New(iotest.ErrReader(nil), officeOptions(8))
	if _, err := x.Next(); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("stuck reader: %v", err)
	}
}

func TestSkip(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{officeOptions(8), {}} {
		x := New(strings.NewReader(`<a><b><c>x</c><c/></b><d>y</d></a>`), o)
		x.SetWantText(true)
		x.Next() // <a>
		x.Next() // <b>
		if err := x.Skip(); err != nil {
			t.Fatal(err)
		}
		if k, _ := x.Next(); k != Start || string(x.Local()) != "d" || !x.WantText() {
			t.Errorf("after skip: %v %s", k, x.Local())
		}
	}
}

func TestCollectText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		doc, want string
		max       int
		err       error
	}{
		{doc: `<v>1<x>no</x>2<y/>3<![CDATA[4]]><!--c-->5</v><w/>`, want: "12345", max: 100},
		{doc: `<v/><w/>`, want: "", max: 100},
		{doc: `<v>123456</v>`, want: "", max: 5, err: ErrTextTooLong}, // one piece of 6 bytes: nothing appended
		{doc: `<v>12<x/>3456</v>`, want: "12", max: 5, err: ErrTextTooLong},
		{doc: `<v>12`, want: "12", max: 5, err: ErrTruncated},
	}
	for _, o := range []Options{officeOptions(8), {}} {
		for _, tt := range tests {
			x := New(strings.NewReader(tt.doc), o)
			if k, err := x.Next(); k != Start || err != nil {
				t.Fatalf("%q: %v %v", tt.doc, k, err)
			}
			got, err := x.CollectText(nil, tt.max)
			if !errors.Is(err, tt.err) || string(got) != tt.want {
				t.Errorf("%q: %q, %v", tt.doc, got, err)
			}
			if err == nil {
				if k, _ := x.Next(); k != Start || string(x.Local()) != "w" {
					t.Errorf("%q: then %v %s", tt.doc, k, x.Local())
				}
			}
		}
	}
}

// TestAttrDecoding checks that Attr and EachAttr decode only the values
// asked for, that names are checked up to the match, and that the values
// of one pass do not pile up in the scanner's buffer.
func TestAttrDecoding(t *testing.T) {
	t.Parallel()
	const doc = `<a xmlns:t="` + textNS + `" xmlns:w="` + wNS + `" bad="&bogus;" t:c="1&amp;2" w:c="x&#x41;" c="&lt;3"/>`
	tests := []struct {
		name  string
		doc   string
		ns    NS
		local string
		want  string
		found bool
		err   error
	}{
		{name: "escaped, after a bad value", doc: doc, ns: testNamespaces[textNS], local: "c", want: "1&2", found: true},
		{name: "other namespace", doc: doc, ns: testNamespaces[wNS], local: "c", want: "xA", found: true},
		{name: "unprefixed", doc: doc, ns: NoNS, local: "c", want: "<3", found: true},
		{name: "absent", doc: doc, ns: NoNS, local: "d"},
		{name: "the bad value asked for", doc: doc, ns: NoNS, local: "bad", err: ErrSyntax},
		{name: "bad name before the match", doc: `<a 1x="v" c="1"/>`, ns: NoNS, local: "c", err: ErrSyntax},
		{name: "bad name after the match", doc: `<a c="1" 1x="v"/>`, ns: NoNS, local: "c", want: "1", found: true},
		{name: "bad syntax before the match", doc: `<a b=v c="1"/>`, ns: NoNS, local: "c", err: ErrSyntax},
	}
	for _, tt := range tests {
		x := New(strings.NewReader(tt.doc), officeOptions(8))
		if k, err := x.Next(); k != Start || err != nil {
			t.Fatalf("%s: %v %v", tt.name, k, err)
		}
		v, found, err := x.Attr(tt.ns, tt.local)
		if !errors.Is(err, tt.err) || found != tt.found || string(v) != tt.want {
			t.Errorf("%s: %q %v %v, want %q %v %v", tt.name, v, found, err, tt.want, tt.found, tt.err)
		}
	}

	// The same lookups again and again keep the buffer at one value.
	x := New(strings.NewReader(doc), officeOptions(8))
	x.Next()
	for range 4 {
		if v, _, err := x.Attr(testNamespaces[textNS], "c"); err != nil || string(v) != "1&2" {
			t.Fatalf("t:c: %q %v", v, err)
		}
		if v, _, err := x.Attr(testNamespaces[wNS], "c"); err != nil || string(v) != "xA" {
			t.Fatalf("w:c: %q %v", v, err)
		}
	}
	if len(x.attrBuf) != len("xA") {
		t.Errorf("buffer holds %d bytes", len(x.attrBuf))
	}
	// Attrs checks every value; after it, values are not decoded twice.
	if _, err := x.Attrs(); !errors.Is(err, ErrSyntax) {
		t.Errorf("Attrs: %v", err)
	}
	x = New(strings.NewReader(`<a b="&amp;amp;" c="&lt;"/>`), Options{})
	x.Next()
	if attrs, err := x.Attrs(); err != nil || len(attrs) != 2 || string(attrs[0].Value) != "&amp;" {
		t.Fatalf("Attrs: %q %v", attrs, err)
	}
	if v, _, err := x.Attr(NoNS, "b"); err != nil || string(v) != "&amp;" {
		t.Errorf("Attr after Attrs: %q %v", v, err)
	}
	if attrs, _ := x.Attrs(); string(attrs[0].Value) != "&amp;" || string(attrs[1].Value) != "<" {
		t.Errorf("Attrs after Attr: %q", attrs)
	}
}
