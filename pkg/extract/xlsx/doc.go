// Package xlsx reads Office Open XML workbooks (.xlsx, .xlsm) and yields one
// extract.Cell chunk per non-empty cell, sheet by sheet in workbook order.
//
// It yields values as Excel formats them (dates as dates, "(000) 000-0000"
// phone formats with their punctuation), because that is the text a person
// reading the file sees and copies, and exactly as excelize's row iterator
// renders them, which is what this reader did before and what its tests
// hold it to. One exception: Excel keeps 15 significant digits, and
// excelize imitates it, so a 16-digit card number stored as a number would
// come out as "4.11111111111111E+15". Programs that export workbooks
// (pandas, database tools) store all the digits, which are as exposed as if
// they were text, so for such numbers the reader yields the digits stored
// in the file (digits.go).
//
// # Design: a tokenizer for the sheets, excelize for the rest
//
// Reading cells was the slow part of a scan: excelize's iterator decodes
// each worksheet with encoding/xml, which allocates a token, names and
// attributes for every element, and formats numbers by parsing their
// format code again for every cell; about 4 µs a cell, 10-80 µs for a
// date. So the reader splits the work:
//
//   - excelize opens a copy of the package that holds only its structure
//     (relationships, workbook.xml, styles.xml; workbook.go) and provides
//     sheet names and order, cell styles, number formats and the 1904 date
//     setting, as it always has;
//   - the worksheets and the shared-string table are streamed from the zip
//     through the shared XML scanner (internal/xmlscan) with a bounded
//     window, never held whole; sheet.go reproduces excelize's row
//     iterator on top of it, rules and quirks included (row numbering, cell
//     placement, which cells are kept), and sst.go keeps the shared strings
//     compactly, spilling large tables to a private temporary directory;
//   - values are formatted as excelize's getValueFrom does (format.go):
//     text, unstyled numbers and the General format by its rules; the
//     common number, percentage and date formats natively (numfmt.go),
//     with excelize's arithmetic, the first values of each style checked
//     against excelize; and any other format by excelize itself, in a
//     scratch sheet, cached per value.
//
// The excelize-based reader is kept, unexported (reference.go), and a
// differential test and a fuzz target (FuzzSheetXML) check that both yield
// the same chunks, cell for cell. In BenchmarkReader (go test -bench .)
// the reader takes about 0.5 µs a cell, the excelize-based reader 4.4 µs
// and a bare excelize loop over the same cells 10.6 µs.
//
// The first non-empty row of a sheet is taken as its header row when it looks
// like one (see extract.LooksLikeHeader). Header cells are not yielded; later cells
// carry their column's header text in Chunk.Header and Loc.Column, which
// lets detectors use a "Phone" or "IBAN" column as context.
//
// Workbooks are untrusted input. The reader bounds the file size, the total
// decompressed size of the zip parts, one tag, one value and one row of the
// XML, the number of shared strings and the part of them held in memory
// (container.go, internal/xmlscan, sst.go, sheet.go), caps the number of
// cells (Reader.MaxCells), recognises password-protected workbooks
// (ErrEncrypted) without trying to decrypt them, and turns malformed XML,
// excelize failures and panics into errors that wrap extract.ErrCorrupt.
// Where excelize silently stops reading a malformed sheet, this reader
// reports it as corrupt; errors never quote the file's content.
package xlsx
