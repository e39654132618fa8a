// Package xls reads legacy Excel workbooks (.xls): Excel 97-2003 (BIFF8)
// and Excel 5.0/95 (BIFF5/7), stored in an OLE2 compound file. It yields
// one extract.Cell chunk per non-empty cell, worksheet by worksheet in tab
// order (the BOUNDSHEET records), row by row and, within a row, column by
// column. As in the xlsx reader, the first non-empty row of a sheet is its
// header row when it reads as one (extract.LooksLikeHeader): its cells are
// not yielded, and later cells carry their column's header text in
// Chunk.Header and Loc.Column.
//
// # Design: a small record reader over mscfb
//
// The Go BIFF readers at hand (extrame/xls, shakinm/xlsReader) panicked on
// valid workbooks, and a scanner needs only cell text, so this package
// reads the records itself ([MS-XLS]). github.com/richardlehane/mscfb
// opens the compound file and finds the "Workbook" stream ("Book" for
// BIFF5/7, when there is no Workbook); the stream is read record by record
// through one reused 64 KiB buffer (record.go), never whole. Only the
// shared-string table (SST) is held in memory, because cells refer to it
// by index. Each sheet is found at the offset its BOUNDSHEET record gives.
// OpenWorkbook opens the compound file and checks for a workbook stream,
// which is how the scan tells a workbook from other OLE2 files; a Reader
// given its result (Reader.Workbook) reads on from there, so the
// directory is parsed once.
//
// Read: shared strings, continued over CONTINUE records (strings cut in
// two, whose continuation starts with a flag byte that may switch between
// one and two bytes a character; formatting runs and phonetic data are
// skipped; strings.go), LABELSST, LABEL and RSTRING text, NUMBER, RK and
// MULRK numbers, and the cached result of a FORMULA: a number, or text
// from the STRING record after it. BIFF5 text is decoded with the
// workbook's CODEPAGE (codepage.go); BIFF8 text is UTF-16.
//
// Numbers are yielded as stored, not as Excel displays them (number.go):
// an integral value as its digits, so that a 16-digit card number typed
// into a numeric cell comes out whole rather than as 4.11111111111111E+15,
// anything else as Go's shortest decimal. Dates come out as their serial
// numbers ("45356"): dates are not what the detectors look for, and
// number formats (FORMAT, XF) are not read.
//
// Not read: booleans, error values and blank cells; cell comments, text
// boxes, charts, headers and footers, defined names, hyperlinks, VBA,
// embedded objects and document properties; chart sheets and VBA modules.
// Hidden sheets are read. BIFF2-4 files, which have no compound file, are
// reported as corrupt.
//
// Workbooks are untrusted input. The reader bounds the file (256 MiB), the
// reads mscfb makes to open it, the shared strings (16 Mi strings, 128 MiB
// of text), one row (65,536 cells, 64 MiB of text), the nesting of
// substreams, and the cells yielded (Reader.MaxCells); it reads each
// substream once, checks ctx every 1,024 records, and never trusts a count
// to size an allocation. A workbook with a FILEPASS record is
// password-protected (ErrEncrypted), and is not decrypted. Malformed input
// and panics become errors that wrap extract.ErrCorrupt and name the file,
// the sheet and the record, never a cell's value.
package xls
