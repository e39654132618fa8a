// Package mail splits mail files into readable parts for the detectors: an
// RFC 5322/MIME message saved as .eml, or an mbox mailbox (mboxo and
// mboxrd, "From " separated, Thunderbird's extensionless folders and Google
// Takeout exports included). Sniff tells the format from a file's name and
// head; Walk pushes, for each message, first its text and then each of its
// attachments to a callback, like pkg/extract/archive's Walk does with the
// entries of an archive.
//
// A message's text is what identifies people in it: the From, To, Cc, Bcc,
// Reply-To and Sender fields, the Subject and the Date (RFC 2047
// encoded-words decoded), then its text/plain bodies, transfer encoding
// and charset undone (legacy charsets through go-message's charset
// package, an unknown or wrong label falling back to UTF-8 or
// Windows-1252). A text/html body is turned into plain text, with line
// structure kept, where an alternative offers no plain version. Every
// other leaf part, message/rfc822 included, is an attachment: a Part with
// its decoded bytes and a cleaned, unique file name, which the scan
// treats like an archive entry (it may be a zip, a workbook, another .eml).
//
// # One pass per message, then the attachments
//
// Parts are yielded text first, but a message's text bodies may come after
// its attachments, and an attachment may be larger than memory. So each
// message is read once, line by line in pieces of at most 64 KiB, keeping
// only its header fields and text (bounded) and the byte range of each
// attachment's encoded body; after the text Part, each attachment's R
// decodes its range from the file, streaming. A file is thus read about
// once for text and once more for attachment bodies, and memory stays
// bounded by the limits, whatever the size of the mailbox. Random access
// comes from the input (the scan passes the open file) or, for a stream
// such as an archive entry, from a spooled copy.
//
// The parser is lenient where mail clients are, since real mail is often
// malformed and the content still matters: a missing closing boundary ends
// a multipart where an enclosing one goes on; a multipart whose boundary
// never occurs is reported and its body read as text; lenient base64,
// quoted-printable, RFC 2231 and parameter parsing never drop a body for
// a syntax error. Limits (DefaultLimits) bound messages per mailbox, MIME
// parts and nesting per message, header and text sizes, attachment size,
// attachment count and decoded bytes per file. A message that exceeds one
// is reported in its Part.Err (never naming a header value) and the walk
// goes on with the next; the file-wide limits stop the walk with a
// *LimitError. Nothing is ever written except a spooled copy of a stream.
package mail
