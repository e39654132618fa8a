// Package csv reads CSV and TSV files for the detectors: Reader pushes one
// extract.Cell chunk per non-blank field to a yield callback, located by
// row, column name and physical line.
//
// Input goes through text.Decode first, so UTF-16 exports ("Unicode text")
// and Windows-1252 files read like UTF-8. Without an explicit delimiter,
// Sniff picks one of ',', ';', '\t' and '|' from the first 64 KiB.
//
// The parser is hand-written rather than encoding/csv. It is a byte-level
// state machine over one reused 256 KiB block buffer, and it yields each
// field as a slice of that buffer unless the field straddles two blocks or
// holds doubled quotes, in which case the field is copied once. Measured
// with BenchmarkReader and BenchmarkEncodingCSV (a 1M-row, 84 MB file of
// names, e-mails, phones, card numbers, cities and amounts; one core):
// about 550 MB/s and no allocation per field, against about 450 MB/s and one
// allocation per record (85 MB per run) for encoding/csv with ReuseRecord,
// LazyQuotes and FieldPos. Speed was not the deciding factor, as both are far
// above what detection needs: encoding/csv holds a whole record in memory
// however long it is, while this parser caps each field at MaxFieldBytes
// (1 MiB; the rest of the field is skipped and parsing goes on), so memory
// stays bounded on any input, and it lets us choose the leniency below.
//
// Parsing follows RFC 4180 (quoted fields with delimiters, doubled quotes and
// newlines; any number of fields per record) and is lenient where real
// exports are not: a quote inside an unquoted field is an ordinary character;
// text after a closing quote continues the field as unquoted text, so a stray
// quote cannot swallow the rest of the file; blanks before an opening quote
// are skipped; and an unterminated quote ends at the end of the file. The
// delimiter must be ASCII.
//
// Numbering is what a spreadsheet shows for the file: Loc.Row counts records
// from 1, including the header and blank lines; Loc.Line is the physical line
// ('\n'-terminated) where the field starts, which differs from the row after
// a field with embedded newlines. The first non-blank record is the header
// when extract.LooksLikeHeader says so; it is not yielded, and its trimmed text names
// the columns (Loc.Column and Chunk.Header). Columns without a header name are
// called "column N", 1-based, with Header "". Yielded data is trimmed of
// ASCII white space (so the '\r' of "\r\n" endings goes), and fields that are
// then empty are skipped.
package csv
