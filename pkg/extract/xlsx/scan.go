package xlsx

import (
	"errors"
	"fmt"
	"io"

	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
)

// xmlScanner is the shared tokenizer set up for the parts read in bulk
// (worksheets, the shared-string table), with the few helpers the readers
// add on top. It reads as encoding/xml does: no namespace resolution
// (names are matched as written, as excelize's struct tags match them), a
// self-closing element gives only its start tag, and a part without a
// root element is empty rather than malformed.
type xmlScanner struct {
	xmlscan.Scanner
	// maxText caps the text one value collects.
	maxText int
}

var scanOptions = xmlscan.Options{MaxDepth: maxDepth}

const (
	// maxDepth caps element nesting: a worksheet nests seven deep.
	maxDepth = 256
	// maxTagLen caps one tag, comment or processing instruction, and so
	// the scanner's window.
	maxTagLen = xmlscan.MaxTagLen
	// scanWindow is the scanner's initial window.
	scanWindow = 64 << 10
)

var (
	errSyntax    = xmlscan.ErrSyntax
	errTruncated = xmlscan.ErrTruncated
)

// syntaxError describes a problem without quoting the document, which is
// the data we audit.
func syntaxError(what string) error { return fmt.Errorf("%w: %s", errSyntax, what) }

var errValueTooLong = fmt.Errorf("%w: a text value over %d bytes", ErrTooLarge, maxStringLen)

func newXMLScanner(r io.Reader, maxText int) *xmlScanner {
	x := &xmlScanner{maxText: maxText}
	x.Reset(r, scanOptions)
	return x
}

// reset points x at a new input, keeping its buffers.
func (x *xmlScanner) reset(r io.Reader) {
	x.Reset(r, scanOptions)
}

// next advances to the next start or end tag; text is skipped.
func (x *xmlScanner) next() (xmlscan.Kind, error) {
	return x.Next()
}

// skipElement skips the content of the element whose start tag was just
// read, up to and including its end tag.
func (x *xmlScanner) skipElement() error {
	return x.Skip()
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
