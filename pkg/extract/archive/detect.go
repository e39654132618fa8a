package archive

import (
	"bytes"
	"path"
	"strings"
)

// Format is an archive or compression format Walk reads.
type Format string

const (
	Unknown  Format = ""
	Zip      Format = "zip"
	Tar      Format = "tar"
	Gzip     Format = "gzip" // a gzip stream: one file, or a tar inside (.tar.gz, .tgz)
	Bzip2    Format = "bzip2"
	XZ       Format = "xz"
	SevenZip Format = "7z"
)

// display is the format's name in messages.
func (f Format) display() string {
	if f == Unknown {
		return "archive"
	}
	return string(f)
}

// tarBlock is the size of a tar header; the ustar magic sits at magicOff.
const (
	tarBlock = 512
	magicOff = 257
)

// Detect returns the archive format of the file called name whose first
// bytes are head, or Unknown. Content decides, as in pkg/sniff: a magic
// number for the compressed and zip formats, the ustar magic at offset 257
// for tar. The name matters only for a pre-POSIX (v7) tar, which has no
// magic: a .tar name whose first block has a valid header checksum.
//
// In the scan, pkg/sniff has checked the zip, gzip and 7z magic numbers
// already. Detect checks them again on purpose: it must tell bzip2, xz and
// tar, which sniff does not know, and the three extra comparisons keep it
// a whole answer for a caller that has not sniffed, and this package free
// of sniff's types.
//
// Detect sees only the outer layer: a .tar.gz is Gzip, and Walk finds the
// tar inside once it has decompressed the first block. A zip named .xlsx
// or .docx is Zip too; the scan keeps pkg/sniff's decision for workbooks.
func Detect(name string, head []byte) Format {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")),
		bytes.HasPrefix(head, []byte("PK\x05\x06")), // empty zip
		bytes.HasPrefix(head, []byte("PK\x07\x08")): // spanned zip marker
		return Zip
	case bytes.HasPrefix(head, []byte("\x1F\x8B")):
		return Gzip
	case isBzip2(head):
		return Bzip2
	case bytes.HasPrefix(head, []byte("\xFD7zXZ\x00")):
		return XZ
	case bytes.HasPrefix(head, sevenZipMagic):
		return SevenZip
	case isTar(head, name):
		return Tar
	}
	return Unknown
}

// isBzip2 wants "BZh", a block size digit, and then the magic of a block
// (the digits of pi) or of the end of stream (sqrt(pi), an empty file):
// "BZh" alone starts too many text files.
func isBzip2(head []byte) bool {
	if len(head) < 10 || !bytes.HasPrefix(head, []byte("BZh")) || head[3] < '1' || head[3] > '9' {
		return false
	}
	m := head[4:10]
	return bytes.Equal(m, []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}) ||
		bytes.Equal(m, []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90})
}

// isTar recognises a tar header block: POSIX ustar or GNU magic, or for a
// file named like a tar, a valid header checksum.
func isTar(head []byte, name string) bool {
	if len(head) < tarBlock {
		return false
	}
	magic := head[magicOff : magicOff+8]
	if bytes.HasPrefix(magic, []byte("ustar\x00")) || bytes.Equal(magic, []byte("ustar  \x00")) {
		return tarChecksumOK(head[:tarBlock])
	}
	return tarName(name) && tarChecksumOK(head[:tarBlock])
}

// tarName reports whether name says the file is, or decompresses to, a tar.
func tarName(name string) bool {
	n := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	for _, ext := range []string{".tar", ".tgz", ".taz", ".tbz", ".tbz2", ".tb2", ".txz",
		".tar.gz", ".tar.bz2", ".tar.xz"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// tarChecksumOK checks a header block's checksum: the sum of its bytes with
// the checksum field (148-155) counted as spaces, stored as octal. Signed
// sums are accepted too, as old tars wrote them.
func tarChecksumOK(b []byte) bool {
	field := bytes.Trim(b[148:156], " \x00")
	if len(field) == 0 {
		return false
	}
	var want int64
	for _, c := range field {
		if c < '0' || c > '7' {
			return false
		}
		want = want*8 + int64(c-'0')
	}
	var unsigned, signed int64
	for i, c := range b {
		if i >= 148 && i < 156 {
			c = ' '
		}
		unsigned += int64(c)
		signed += int64(int8(c))
	}
	return want == unsigned || want == signed
}

// streamEntryName is the name of the one file in a compressed stream: the
// outer file's base name without the compression extension (data.csv.gz is
// data.csv, backup.tgz is backup.tar). outer may be an OUTER!INNER path.
func streamEntryName(outer string) string {
	if i := strings.LastIndexByte(outer, '!'); i >= 0 { // OUTER!INNER
		outer = outer[i+1:]
	}
	base := path.Base(strings.ReplaceAll(outer, `\`, "/"))
	lower := strings.ToLower(base)
	for _, s := range []struct{ ext, repl string }{
		{".tgz", ".tar"}, {".taz", ".tar"}, {".tbz2", ".tar"}, {".tbz", ".tar"}, {".tb2", ".tar"}, {".txz", ".tar"},
		{".gz", ""}, {".gzip", ""}, {".z", ""}, {".bz2", ""}, {".bz", ""}, {".xz", ""},
	} {
		if strings.HasSuffix(lower, s.ext) && len(base) > len(s.ext) {
			return base[:len(base)-len(s.ext)] + s.repl
		}
	}
	if base == "." || base == "/" || base == "" {
		return "data"
	}
	return base
}
