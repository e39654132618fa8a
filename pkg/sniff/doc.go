// Package sniff tells what a file is from its name and its first bytes, so
// that the scan can pick a reader, or skip the file, before opening it for
// real; and whether it is encrypted, so that the scan can report it as such
// instead of failing to read it.
//
// Content decides first: a magic number (zip, OLE2, PDF, gzip, 7z, images,
// executables) settles the type whatever the name says, because a renamed
// file is common and a reader fed the wrong format wastes time or fails.
// Text is what is left when no magic number matches, the head has no NUL
// byte and few control characters. The name only refines a type content has
// already settled: a zip named .xlsx is a workbook, text named .csv or .tsv
// is a table.
//
// Detect runs once per file on the scan's hot path, so it does not allocate:
// a magic number or an early NUL settles a head in nanoseconds, and text
// costs a fraction of a nanosecond per byte (see BenchmarkDetect).
//
// # Encrypted files
//
// Encrypted recognises, without a password, files that cannot be read
// without one. Each kind is anchored at offset 0 (armor may follow white
// space) and validated past its magic, because a false "encrypted" hides a
// file's content from the audit:
//
//   - ooxml: a compound file (CFB) with an EncryptedPackage stream at the
//     top of its tree: an xlsx, docx or pptx saved with a password.
//   - xls: a compound file whose Workbook (or Book) stream has a FILEPASS
//     record after its BOF. doc: a WordDocument stream whose FibBase has
//     fEncrypted. ppt: a Current User stream whose CurrentUserAtom has the
//     encrypted headerToken. Write protection ("password to modify") is
//     not encryption and is not reported.
//   - zip: every file entry of the central directory has the encryption
//     flag (ZipCrypto, AES with extra field 0x9901, or PKWARE strong
//     encryption); directory entries do not count. An archive with some
//     plain entries is not encrypted as a whole: the archive reader reports
//     its entries one by one. A plain first local header settles the answer
//     without a read.
//   - 7z: the end header is encoded with an AES coder (7z -mhe=on), or it is
//     a plain header whose every folder has one. The default header (LZMA,
//     names in the clear, content encrypted) needs a decompressor: it is
//     left to the archive reader.
//   - pdf: /Encrypt is a key of the trailer dictionary at the end of the
//     file, or of the trailer or cross-reference stream dictionary where
//     startxref points (linearized files, xref streams). A page that
//     mentions /Encrypt does not count. A PDF encrypted with an owner
//     password only (printing or copying restricted) opens without a
//     password: the standard security handler's check of the empty user
//     password (revisions 2 to 6: MD5 and RC4, SHA-256, algorithm 2.B)
//     tells it apart, and it comes with OpensWithoutPassword set, so that
//     the scan reads it. When the encryption dictionary is not within the
//     bytes already read, the PDF is taken to need a password.
//   - openpgp: binary or ASCII-armored; the packet sequence is checked: an
//     optional marker, one or more session-key packets (PKESK or SKESK)
//     with known versions, algorithms and plausible lengths, then an
//     encrypted data packet (SED, SEIPD v1 or v2, AEAD). Signed or
//     compressed messages are not encrypted.
//   - age: "age-encryption.org/v1" and a stanza, or the armor whose base64
//     decodes to that header.
//   - openssl: `openssl enc` output, "Salted__" and binary salt, or its
//     base64 form ("U2FsdGVkX1", a full first line of base64).
//   - luks: the LUKS magic with version 1 and a cipher name, or version 2
//     and a valid header size.
//
// Encrypted reads at most MaxEncryptedRead bytes beyond the head, through
// the io.ReaderAt it is given, and never the whole file: the structures it
// follows (a CFB FAT chain, a zip directory, a PDF xref) are bounded in
// bytes, entries and steps, and loops in them end the check. A file whose
// answer lies past those bounds is not encrypted as far as sniff can tell;
// its reader then tries and reports what it finds.
//
// The compound-file reader in cfb.go is a minimal one, written here rather
// than taken from richardlehane/mscfb: sniff needs the top of the
// directory and the first bytes of three streams, every read counted
// against the budget, and the package keeps to the standard library.
package sniff
