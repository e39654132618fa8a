package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/htmlindex"
)

// book is an opened package. excelize opens a copy of it that holds
// only the parts describing its structure (the package and workbook
// relationships, workbook.xml, styles.xml, the content types), so that it
// reads sheet names, order and state, the 1904 date setting, cell styles
// and number formats exactly as it always has, without inflating a single
// worksheet or the shared strings, which this package streams itself.
type book struct {
	parts map[string]*zip.File // by name, as excelize names them
	fx    *excelize.File
	// sheetParts maps sheet names to worksheet parts, as excelize's
	// getSheetMap does.
	sheetParts map[string]string
}

// Part names excelize reads at fixed paths.
const (
	partContentTypes  = "[Content_Types].xml"
	partRootRels      = "_rels/.rels"
	partStyles        = "xl/styles.xml"
	partSharedStrings = "xl/sharedStrings.xml"
)

const (
	relOfficeDocument       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relOfficeDocumentStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
)

// indexParts names the zip's entries the way excelize's ReadZipReader
// stores them: backslashes as slashes, the content types and shared
// strings under their canonical case; a later duplicate replaces an
// earlier one.
func indexParts(zr *zip.Reader) map[string]*zip.File {
	parts := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		switch strings.ToLower(name) {
		case strings.ToLower(partContentTypes):
			name = partContentTypes
		case strings.ToLower(partSharedStrings):
			name = partSharedStrings
		}
		parts[name] = f
	}
	return parts
}

// openBook opens zr's structure with excelize. Errors are excelize's
// or the package's; the caller wraps them as corrupt.
func openBook(zr *zip.Reader, tagDates bool) (wb *book, err error) {
	wb = &book{parts: indexParts(zr)}
	wbPath := wb.workbookPath()
	wbRels := relsPath(wbPath)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	seen := map[string]bool{}
	for _, name := range []string{partContentTypes, partRootRels, wbPath, wbRels, partStyles} {
		f := wb.parts[name]
		if f == nil || seen[name] {
			continue
		}
		seen[name] = true
		// Copied compressed: excelize inflates it (and checks it).
		hdr := f.FileHeader
		hdr.Name = name
		w, err := zw.CreateRaw(&hdr)
		if err != nil {
			return nil, err
		}
		r, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, r); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	fx, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if fx != nil && err != nil {
		fx.Close()
	}
	if err != nil {
		return nil, err
	}
	wb.fx = fx
	if tagDates {
		tagDateFormats(fx)
	}
	rels, err := wb.rels(wbRels)
	if err != nil {
		// excelize failed on the same part while opening, so this is
		// not reached; kept for safety.
		fx.Close()
		return nil, err
	}
	wb.sheetParts = map[string]string{}
	if fx.WorkBook != nil {
		for _, s := range fx.WorkBook.Sheets.Sheet {
			for _, rel := range rels {
				if rel.ID != s.ID {
					continue
				}
				if p := worksheetPath(wbPath, rel.Target); wb.parts[p] != nil {
					wb.sheetParts[s.Name] = p
				}
			}
		}
	}
	return wb, nil
}

func (wb *book) close() {
	if wb.fx != nil {
		wb.fx.Close()
	}
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Target string `xml:",attr"`
	Type   string `xml:",attr"`
}

// rels reads a relationships part as excelize's relsReader does: a
// missing part has none; the root must be Relationships in the OPC
// namespace.
func (wb *book) rels(name string) ([]relationship, error) {
	f := wb.parts[name]
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var doc struct {
		XMLName xml.Name       `xml:"http://schemas.openxmlformats.org/package/2006/relationships Relationships"`
		Rels    []relationship `xml:"Relationship"`
	}
	d := xml.NewDecoder(io.LimitReader(rc, maxStructurePart))
	d.CharsetReader = charsetReader
	if err := d.Decode(&doc); err != nil && err != io.EOF {
		return nil, err
	}
	return doc.Rels, nil
}

// maxStructurePart caps a relationships part read here; real ones are a
// few kilobytes.
const maxStructurePart = 16 << 20

// workbookPath is the workbook part the package relationships name, as
// excelize's getWorkbookPath finds it ("" if none).
func (wb *book) workbookPath() string {
	rels, err := wb.rels(partRootRels)
	if err != nil {
		return ""
	}
	for _, rel := range rels {
		if rel.Type == relOfficeDocument || rel.Type == relOfficeDocumentStrict {
			return strings.TrimPrefix(rel.Target, "/")
		}
	}
	return ""
}

// relsPath is the relationships part of part wbPath ("xl/workbook.xml":
// "xl/_rels/workbook.xml.rels"), as excelize's getWorkbookRelsPath.
func relsPath(wbPath string) string {
	dir := filepath.Dir(wbPath)
	if dir == "." {
		return "_rels/" + filepath.Base(wbPath) + ".rels"
	}
	return strings.TrimPrefix(dir+"/_rels/"+filepath.Base(wbPath)+".rels", "/")
}

// worksheetPath resolves a relationship target against the workbook
// part's folder, as excelize's getWorksheetPath.
func worksheetPath(wbPath, target string) string {
	if strings.HasPrefix(target, "/") {
		return filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(target), `\`, "/"), "/"))
	}
	joined := filepath.Clean(filepath.Dir(wbPath) + "/" + target)
	return filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(joined, `\`, "/"), "/"))
}

// sharedStrings reads the shared-string table excelize would read.
func (wb *book) sharedStrings(spillAfter int64, tmpDir func() (string, error)) (*sharedStrings, error) {
	f := wb.parts[partSharedStrings]
	if f == nil {
		return readSharedStrings(nil, spillAfter, tmpDir)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readSharedStrings(rc, spillAfter, tmpDir)
}

var errSheetName = errors.New("invalid sheet name")

// sheetPart returns the worksheet part of sheet, or the error excelize's
// Rows returns for it.
func (wb *book) sheetPart(sheet string) (*zip.File, error) {
	if err := checkSheetName(sheet); err != nil {
		return nil, err
	}
	p, ok := wb.sheetParts[sheet]
	if !ok {
		// excelize matches names case-insensitively.
		for _, s := range wb.fx.WorkBook.Sheets.Sheet {
			if q, found := wb.sheetParts[s.Name]; found && strings.EqualFold(s.Name, sheet) {
				p, ok = q, true
				break
			}
		}
	}
	if !ok {
		return nil, excelize.ErrSheetNotExist{SheetName: sheet}
	}
	return wb.parts[p], nil
}

// checkSheetName applies the rules excelize's Rows checks a name against.
func checkSheetName(name string) error {
	n := 0
	for _, r := range name {
		n += utf16.RuneLen(r)
	}
	if name == "" || n > excelize.MaxSheetNameLength || strings.HasPrefix(name, "'") ||
		strings.HasSuffix(name, "'") || strings.ContainsAny(name, `:\/?*[]`) {
		return fmt.Errorf("%w", errSheetName)
	}
	return nil
}

// charsetReader decodes a part that declares an encoding other than
// UTF-8, as excelize's CharsetReader does.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, err
	}
	return e.NewDecoder().Reader(r), nil
}
