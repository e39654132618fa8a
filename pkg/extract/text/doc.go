// Package text reads plain-text files for the detectors: Decode turns a
// file's bytes into UTF-8, and Reader pushes the result to a yield callback
// as chunks of whole lines.
//
// Decode strips a UTF-8 byte order mark and decodes UTF-16 with a byte order
// mark (Excel's "Unicode text" export). Anything else is taken as UTF-8,
// except that a block of DecodeBlockSize bytes that is not valid UTF-8 is
// read as Windows-1252, the usual encoding of files written by older Windows
// tools. The decision is made per block, so one stray byte does not turn a
// whole UTF-8 file into mojibake, and it depends only on the input, never on
// how the caller sizes its reads. Blocks that are valid UTF-8 (nearly all of
// them) are read straight into the caller's buffer when it is large enough.
//
// Reader works over one reused buffer of BlockSize bytes and never reads line
// by line: it reads a block, yields everything up to the block's last '\n'
// and carries the incomplete last line over to the next block. A line longer
// than the block is cut, at a whitespace byte near the end of the block when
// there is one, so that memory stays bounded whatever the input and a token
// is rarely cut in two. Lines are counted with '\n' only: in "\r\n" files the
// '\r' stays in the data, where the detectors treat it as whitespace, and a
// lone '\r' (classic Mac OS) does not start a line.
package text
