// Package xlsx reads Office Open XML workbooks (.xlsx, .xlsm) and yields one
// extract.Cell chunk per non-empty cell, sheet by sheet in workbook order.
//
// It streams each worksheet with excelize's row iterator, so a sheet is never
// held as a grid of cells, and it yields values as Excel formats them (dates
// as dates, "(000) 000-0000" phone formats with their punctuation), because
// that is the text a person reading the file sees and copies. One exception:
// Excel keeps 15 significant digits, and excelize imitates it, so a 16-digit
// card number stored as a number would come out as "4.11111111111111E+15".
// Programs that export workbooks (pandas, database tools) store all the
// digits, which are as exposed as if they were text, so for such numbers the
// reader yields the digits stored in the file.
//
// The first non-empty row of a sheet is taken as its header row when it looks
// like one (see extract.LooksLikeHeader). Header cells are not yielded; later cells
// carry their column's header text in Chunk.Header and Loc.Column, which
// lets detectors use a "Phone" or "IBAN" column as context.
//
// Workbooks are untrusted input. The reader bounds the file size, the total
// decompressed size of the zip parts and the part of it held in memory before
// excelize decompresses anything, caps the number of cells (Reader.MaxCells),
// recognises password-protected workbooks (ErrEncrypted) without trying to
// decrypt them, and turns excelize failures, panics included, into errors
// that wrap extract.ErrCorrupt.
package xlsx
