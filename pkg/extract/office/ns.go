package office

import "github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"

// nsID names the XML namespaces the readers look at; every other
// namespace is nsOther, and unprefixed names without a default namespace
// are nsNone.
type nsID = xmlscan.NS

const (
	nsNone  = xmlscan.NoNS
	nsOther = xmlscan.OtherNS
)

const (
	// Office Open XML (transitional and strict spellings alike).
	nsW      = xmlscan.FirstNS + iota // WordprocessingML
	nsA                               // DrawingML
	nsP                               // PresentationML
	nsM                               // Office Math
	nsR                               // relationship references (r:id)
	nsMC                              // markup compatibility (mc:AlternateContent)
	nsPkgRel                          // package relationships (_rels/*.rels)
	// OpenDocument.
	nsOffice
	nsText
	nsTable
	nsDraw
	nsPresentation
	nsStyle
	nsManifest
	nsSVG
	nsDC
)

// namespaces maps the namespace names the readers know to their nsID.
var namespaces = map[string]nsID{
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main":        nsW,
	"http://purl.oclc.org/ooxml/wordprocessingml/main":                    nsW,
	"http://schemas.openxmlformats.org/drawingml/2006/main":               nsA,
	"http://purl.oclc.org/ooxml/drawingml/main":                           nsA,
	"http://schemas.openxmlformats.org/presentationml/2006/main":          nsP,
	"http://purl.oclc.org/ooxml/presentationml/main":                      nsP,
	"http://schemas.openxmlformats.org/officeDocument/2006/math":          nsM,
	"http://purl.oclc.org/ooxml/officeDocument/math":                      nsM,
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships": nsR,
	"http://purl.oclc.org/ooxml/officeDocument/relationships":             nsR,
	"http://schemas.openxmlformats.org/markup-compatibility/2006":         nsMC,
	"http://schemas.openxmlformats.org/package/2006/relationships":        nsPkgRel,
	"urn:oasis:names:tc:opendocument:xmlns:office:1.0":                    nsOffice,
	"urn:oasis:names:tc:opendocument:xmlns:text:1.0":                      nsText,
	"urn:oasis:names:tc:opendocument:xmlns:table:1.0":                     nsTable,
	"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0":                   nsDraw,
	"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0":              nsPresentation,
	"urn:oasis:names:tc:opendocument:xmlns:style:1.0":                     nsStyle,
	"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0":                  nsManifest,
	"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0":            nsSVG,
	"http://purl.org/dc/elements/1.1/":                                    nsDC,
}

// scanOptions is how the readers read a part: namespaces resolved, a
// self-closing element closed by its own end token (<w:tab/> acts on
// its end like any other), and a part without a root element corrupt.
func scanOptions(maxDepth int) xmlscan.Options {
	return xmlscan.Options{
		MaxDepth:    maxDepth,
		Namespaces:  namespaces,
		EmptyEnd:    true,
		RequireRoot: true,
	}
}
