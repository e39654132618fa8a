// Package office reads the text of Office Open XML documents (Word .docx,
// .docm, .dotx; PowerPoint .pptx, .pptm, .potx) and OpenDocument files
// (.odt, .ods, .odp and their templates) for the detectors.
//
// Word and Writer documents yield extract.Lines chunks, one line per
// paragraph (list items and table cells are paragraphs too), with tabs as
// spaces and line breaks as line ends, so that a line number counts
// paragraphs. The body has Part ""; headers and footers have Part "header"
// and "footer", footnotes and endnotes "footnotes", comments "comments",
// each numbering its lines across the XML parts it is made of.
// Presentations yield Lines per slide, Part "slide N" in presentation order,
// and "slide N notes" for the speaker notes. Spreadsheets (ods) yield
// extract.Cell chunks with the sheet, the A1 reference and, when the first
// non-empty row looks like one (extract.LooksLikeHeader), the column's
// header, as the xlsx reader does; a cell's value is its displayed text,
// or its stored value when it has none.
//
// Text is what the file holds, not only what a reader sees: deleted text
// kept for change tracking is read, and text split across runs (a phone
// number in two fonts) joins up in one line. Not read: embedded objects
// (charts, OLE objects, SmartArt data parts), images, macros, document
// properties (author, title), slide masters and layouts, pptx comments,
// field codes and the alt text of images.
//
// # Design: a small streaming XML scanner
//
// Parts are streamed from the zip through the shared tokenizer
// (internal/xmlscan) with a bounded window, never held whole: text comes out
// in pieces, and the Lines writer (lines.go) yields 64 KiB blocks. Namespace
// prefixes are resolved, so that a file written with unusual prefixes reads
// the same; both the transitional and the strict OOXML namespaces are known.
//
// Documents are untrusted input. The reader bounds the file size, the zip's
// entry count (counted before archive/zip parses the directory), each
// part's declared size and compression ratio before it is inflated, the
// bytes inflated per part and in total as they come, the XML nesting depth,
// the tag length, the cells of a spreadsheet and the copies of repeated
// cells (Limits, container.go, ods.go). ctx is checked as bytes are
// inflated. A password-protected ODF file (its manifest lists content.xml
// with encryption data) fails with ErrEncrypted; password-protected OOXML
// is an OLE2 compound file, recognised by pkg/sniff before this reader is
// chosen. Malformed input and panics become errors wrapping
// extract.ErrCorrupt that name the part but never quote the document.
package office
