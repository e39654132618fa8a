// Package pdf reads the text layer of PDF files, page by page, and yields
// each page's lines as extract.Lines chunks: Loc.Part is "page N" (N counts
// the page tree's leaves from 1, blank pages included) and Loc.Line counts
// lines within the page.
//
// # What is read
//
// The text that content streams show, in the page's content and in the
// Form XObjects it draws (headers, footers, stamps). That includes the
// invisible text layer that scanners' OCR adds over a page image, but
// there is no OCR here: a scanned page without that layer yields nothing.
// Not read: annotations and form fields (filled-in AcroForm values),
// bookmarks, metadata (Info, XMP), attached files, text drawn as paths or
// images. Text is decoded through the font's /ToUnicode CMap, else its
// encoding (standard encodings, /Differences with glyph names), else as
// ASCII; codes with no Unicode meaning are dropped.
//
// Lines are rebuilt from where the text sits on the page, not from the
// order it is drawn in (layout.go): runs on one baseline make one line,
// left to right, with a space where the page shows a gap between words and
// a tab for a gap wider than three em, so that a phone number or an IBAN
// drawn group by group comes out as it reads, and two table cells do not
// run together into one number.
//
// A PDF with an owner password only (printing or copying restricted) opens
// with the empty user password and is read, if the library can decrypt
// it: RC4 with 128-bit keys and AES-128. It cannot decrypt 40-bit RC4 or
// AES-256, and those files fail with extract.ErrCorrupt saying so. A PDF
// that needs a user password fails with ErrEncrypted (pkg/sniff normally
// reports those first).
//
// # Design: the library for the file, this package for the pages
//
// github.com/ledongthuc/pdf parses the file's structure: cross-reference
// tables and streams, objects and object streams, decryption, the Flate
// and ASCII85 filters, and encodings. Its page API is not used: Page(n)
// walks the page tree from the root for every page and the library caches
// no object, so each step parses the kid again (in an object stream,
// inflating the stream again), and 800 pages take 15 s (classic file) to
// minutes (object streams); GetTextByRow then parses every font's CMap
// again on every page. This package walks the page tree once (pages.go),
// interprets content streams with its own bounded tokenizer (lex.go,
// content.go), parses CMaps itself (cmap.go) and shares fonts across pages
// (font.go). In BenchmarkReader (go test -bench Reader) it reads about
// 5,000 pages per CPU second from a classic file and 2,500 from one with
// object streams, flat from 10 to 800 pages.
//
// # Limits and hostile files
//
// Reader.Limits bound one file (limits.go): pages (5,000), time (60 s,
// checked between pages, every thousand operators and on every read of the
// file, so that a loop inside the library ends too) and bytes (1 GiB, for
// the file and for what is inflated out of it, which stops deflate bombs).
// A limit ends the reading with a *LimitError (errors.Is ErrLimit) after
// the text found before it has been yielded. Fixed caps bound what one
// page holds (8 MiB of text), one token (1 MiB), nesting (32 levels of
// arrays, 8 of forms) and one object stream (8 MiB inflated).
//
// The library trusts numbers in the file in ways a recover cannot undo
// (a 300-byte file can make it allocate until the process dies, or recurse
// until the stack overflows), so a structure check reads the
// cross-reference sections and object streams before the library does and
// rejects those files (structure.go). Everything else the library does
// wrong on bad input it does by panicking, which is recovered and reported
// as extract.ErrCorrupt; a page that fails so does not stop the pages
// after it, and the error, naming the first bad page, comes at the end.
// The library's messages can quote the file; only their fixed words are
// kept, so that no value read from a file reaches a report.
package pdf
