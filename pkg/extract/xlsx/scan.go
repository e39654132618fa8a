package xlsx

import (
	"errors"
	"fmt"
	"io"

	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
)

// xmlScanner is the shared tokenizer set up for the parts read in bulk
// (worksheets, the shared-string table), with the few helpers the readers
// add on top. It reads as encoding/xml does, which is what the zero
// xmlscan.Options give: no namespace resolution (names are matched as
// written, as excelize's struct tags match them), a self-closing element
// gives only its start tag, and a part without a root element is empty
// rather than malformed.
type xmlScanner struct {
	xmlscan.Scanner
	// maxText caps the text one value collects.
	maxText int
}

// syntaxError describes a problem without quoting the document, which is
// the data we audit.
func syntaxError(what string) error { return fmt.Errorf("%w: %s", xmlscan.ErrSyntax, what) }

var errValueTooLong = fmt.Errorf("%w: a text value over %d bytes", ErrTooLarge, maxStringLen)

func newXMLScanner(r io.Reader, maxText int) *xmlScanner {
	x := &xmlScanner{maxText: maxText}
	x.Reset(r, xmlscan.Options{})
	return x
}

// eachChild calls f with the local name of each child element of the
// element whose start tag was just read, up to and including its end tag;
// f must consume the child (read it whole, or Skip it).
func (x *xmlScanner) eachChild(f func(local []byte) error) error {
	if x.SelfClosing() {
		return nil
	}
	for {
		k, err := x.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmlscan.EOF:
			return xmlscan.ErrTruncated
		case xmlscan.End:
			return nil
		case xmlscan.Start:
			if err := f(x.Local()); err != nil {
				return err
			}
		}
	}
}

// directText appends to *dst the text directly inside the element whose
// start tag was just read, skipping nested elements, as encoding/xml
// fills a string or a ",chardata" field; it consumes the end tag.
func (x *xmlScanner) directText(dst *[]byte) error {
	var err error
	*dst, err = x.CollectText(*dst, x.maxText)
	if errors.Is(err, xmlscan.ErrTextTooLong) {
		return errValueTooLong
	}
	return err
}

// attrByName returns the value of the last attribute named name, prefix
// included.
func (x *xmlScanner) attrByName(name string) ([]byte, bool, error) {
	attrs, err := x.Attrs()
	if err != nil {
		return nil, false, err
	}
	var v []byte
	found := false
	for _, a := range attrs {
		if string(a.Name) == name {
			v, found = a.Value, true
		}
	}
	return v, found, nil
}
