package office

// nsID names the XML namespaces the readers look at; every other
// namespace is nsOther, and unprefixed names without a default namespace
// are nsNone.
type nsID uint8

const (
	nsNone nsID = iota
	nsOther
	// Office Open XML (transitional and strict spellings alike).
	nsW      // WordprocessingML
	nsA      // DrawingML
	nsP      // PresentationML
	nsM      // Office Math
	nsR      // relationship references (r:id)
	nsMC     // markup compatibility (mc:AlternateContent)
	nsPkgRel // package relationships (_rels/*.rels)
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

// namespaceOf maps a namespace name to its nsID.
func namespaceOf(uri []byte) nsID {
	switch string(uri) {
	case "":
		return nsNone // xmlns="" undeclares the default namespace
	case "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
		"http://purl.oclc.org/ooxml/wordprocessingml/main":
		return nsW
	case "http://schemas.openxmlformats.org/drawingml/2006/main",
		"http://purl.oclc.org/ooxml/drawingml/main":
		return nsA
	case "http://schemas.openxmlformats.org/presentationml/2006/main",
		"http://purl.oclc.org/ooxml/presentationml/main":
		return nsP
	case "http://schemas.openxmlformats.org/officeDocument/2006/math",
		"http://purl.oclc.org/ooxml/officeDocument/math":
		return nsM
	case "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
		"http://purl.oclc.org/ooxml/officeDocument/relationships":
		return nsR
	case "http://schemas.openxmlformats.org/markup-compatibility/2006":
		return nsMC
	case "http://schemas.openxmlformats.org/package/2006/relationships":
		return nsPkgRel
	case "urn:oasis:names:tc:opendocument:xmlns:office:1.0":
		return nsOffice
	case "urn:oasis:names:tc:opendocument:xmlns:text:1.0":
		return nsText
	case "urn:oasis:names:tc:opendocument:xmlns:table:1.0":
		return nsTable
	case "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0":
		return nsDraw
	case "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0":
		return nsPresentation
	case "urn:oasis:names:tc:opendocument:xmlns:style:1.0":
		return nsStyle
	case "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0":
		return nsManifest
	case "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0":
		return nsSVG
	case "http://purl.org/dc/elements/1.1/":
		return nsDC
	}
	return nsOther
}
