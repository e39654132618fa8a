package sniff

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Encryption says how a file is encrypted, for a file that cannot be read
// without a password or a key.
type Encryption struct {
	// Kind is a stable id: one of the Kind constants.
	Kind string
	// Reason is human text for the report. It is built from fixed phrases
	// only, never from the file's bytes.
	Reason string
	// OpensWithoutPassword is set for a file that is encrypted but opens
	// with the empty password, so its reader can read it: a PDF with an
	// owner password only (printing or copying restricted). The scan
	// should read such a file rather than report it as encrypted.
	OpensWithoutPassword bool
}

// The kinds of encryption Encrypted recognises.
const (
	KindOOXML   = "ooxml"   // Office 2007+ document saved with a password (CFB with EncryptedPackage)
	KindXLS     = "xls"     // Excel 97-2003 workbook with a FILEPASS record
	KindDOC     = "doc"     // Word 97-2003 document with fEncrypted in its FIB
	KindPPT     = "ppt"     // PowerPoint 97-2003 presentation with an encrypted CurrentUserAtom
	KindZip     = "zip"     // zip archive whose every file entry is encrypted
	Kind7z      = "7z"      // 7z archive whose headers (or every folder) are AES-encrypted
	KindPDF     = "pdf"     // PDF with an /Encrypt dictionary
	KindOpenPGP = "openpgp" // OpenPGP encrypted message, binary or ASCII-armored
	KindAge     = "age"     // age file, binary or armored
	KindOpenSSL = "openssl" // openssl enc output (Salted__), binary or base64
	KindLUKS    = "luks"    // LUKS1 or LUKS2 container
)

// MaxEncryptedRead is the most Encrypted reads through its io.ReaderAt for
// one file, in bytes. It covers the largest structure it looks at: a zip
// central directory of about ten thousand entries. A file whose answer
// needs more is reported as not encrypted, and its reader finds out.
const MaxEncryptedRead = 1 << 20

// Encrypted reports whether the file called name, whose first bytes are
// head (HeadSize bytes, or all of a shorter file), is encrypted so that it
// cannot be read without a password or a key. ra and size give random
// access to the whole file for the formats whose answer is not in the head
// (a CFB directory, a PDF trailer, a zip central directory, a 7z end
// header); ra may be nil, and then only the head is used.
//
// A plain file costs a switch on its first byte and no read. Other files
// cost at most MaxEncryptedRead bytes through ra, never the whole file. The
// error is for I/O failures only: a file that is damaged, truncated, or too
// big to decide within the bound is simply not encrypted, so that the
// reader for its type gets a chance at it. name only picks wording of the
// reason (a workbook or a document).
//
// ok is also true for a file that is encrypted but opens with the empty
// password (e.OpensWithoutPassword: a PDF with an owner password only);
// the scan should read that one like a plain file.
func Encrypted(name string, head []byte, ra io.ReaderAt, size int64) (Encryption, bool, error) {
	if len(head) > HeadSize {
		head = head[:HeadSize]
	}
	if len(head) == 0 {
		return Encryption{}, false, nil
	}
	if !candidate(head) {
		return Encryption{}, false, nil
	}
	s := &source{head: head, ra: ra, size: max(size, int64(len(head))), left: MaxEncryptedRead}
	e, ok, err := encrypted(name, s)
	var ioErr *readError
	if errors.As(err, &ioErr) {
		return Encryption{}, false, err
	}
	if err != nil || !ok {
		// Damaged, truncated, or past the read bound: undecided counts
		// as not encrypted.
		return Encryption{}, false, nil
	}
	return e, true, nil
}

// candidate is a first filter, cheap and free of allocations: only a head
// that starts with one of these magic numbers, a byte with the high bit set
// (CFB, OpenPGP), or a dash after white space (armor) may be encrypted.
func candidate(head []byte) bool {
	switch c := head[0]; c {
	case 'P':
		return has(head, "PK")
	case '7':
		return has(head, "7z\xBC\xAF\x27\x1C")
	case '%':
		return has(head, "%PDF-")
	case 'a':
		return has(head, ageMagic)
	case 'S':
		return has(head, "Salted__")
	case 'U':
		return has(head, "U2FsdGVkX1")
	case 'L':
		return has(head, "LUKS\xBA\xBE")
	default:
		if c&0x80 != 0 {
			return true
		}
		return has(skipSpace(head), "-----BEGIN ")
	}
}

// encrypted dispatches on the first byte, as magic does, so that text costs
// one switch. Armored formats may follow leading white space.
func encrypted(name string, s *source) (Encryption, bool, error) {
	head := s.head
	switch head[0] {
	case 0xD0:
		if has(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
			return officeEncrypted(name, s)
		}
	case 'P':
		if has(head, "PK\x03\x04") || has(head, "PK\x05\x06") || has(head, "PK\x07\x08") {
			return zipEncrypted(s)
		}
	case '7':
		if has(head, "7z\xBC\xAF\x27\x1C") {
			return sevenZipEncrypted(s)
		}
	case '%':
		if has(head, "%PDF-") {
			return pdfEncrypted(s)
		}
	case 'a':
		if has(head, ageMagic+"\n-> ") {
			return encryption(KindAge, "age encrypted file"), true, nil
		}
	case 'S':
		if has(head, "Salted__") && opensslBinary(head) {
			return encryption(KindOpenSSL, "openssl enc encrypted file (Salted__)"), true, nil
		}
	case 'U':
		if has(head, "U2FsdGVkX1") && opensslBase64(head) {
			return encryption(KindOpenSSL, "openssl enc encrypted file (Salted__, base64)"), true, nil
		}
	case 'L':
		if has(head, "LUKS\xBA\xBE") {
			return luksEncrypted(head)
		}
	}
	if head[0]&0x80 != 0 {
		// Every OpenPGP packet header has its high bit set.
		return openPGPBinary(s)
	}
	if rest := skipSpace(head); len(rest) > 0 && rest[0] == '-' {
		switch {
		case bytes.HasPrefix(rest, []byte(pgpArmor)):
			return openPGPArmored(s, len(head)-len(rest))
		case bytes.HasPrefix(rest, []byte(ageArmor)):
			return ageArmored(rest)
		}
	}
	return Encryption{}, false, nil
}

// skipSpace drops the white space armor may follow: a file pasted into an
// editor or a mail often starts with a blank line.
func skipSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n') {
		b = b[1:]
	}
	return b
}

const (
	ageMagic = "age-encryption.org/v1"
	ageArmor = "-----BEGIN AGE ENCRYPTED FILE-----"
)

// ageArmored checks that the armored body decodes to an age header, so that
// a README quoting the armor line is not an age file.
func ageArmored(rest []byte) (Encryption, bool, error) {
	body, ok := armorBody(rest[len(ageArmor):], false)
	if !ok || !bytes.HasPrefix(body, []byte(ageMagic+"\n")) {
		return Encryption{}, false, nil
	}
	return encryption(KindAge, "age encrypted file (armored)"), true, nil
}

// armorBody decodes the base64 lines that follow an armor's BEGIN line (the
// rest of which is in b), up to the checksum or END line or the end of b.
// With headers, RFC 4880 "Key: value" lines and a blank line come first.
// ok is false when the armor is malformed. The result may be a prefix of
// the real body when b is.
func armorBody(b []byte, headers bool) (body []byte, ok bool) {
	line, b, ok := cutLine(b)
	if !ok || len(bytes.TrimSpace(line)) != 0 {
		return nil, false // the BEGIN line goes on with something else
	}
	if headers {
		for {
			line, next, _ := cutLine(b)
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				b = next
				break
			}
			if i := bytes.IndexByte(line, ':'); i <= 0 || bytes.IndexByte(line[:i], ' ') >= 0 {
				break // no blank line before the body: tolerated
			}
			b = next
		}
	}
	var enc []byte
	for len(b) > 0 {
		line, b, _ = cutLine(b)
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '=' || line[0] == '-' {
			break
		}
		for _, c := range line {
			if !isBase64(c) {
				return nil, false
			}
		}
		enc = append(enc, line...)
	}
	enc = bytes.TrimRight(enc, "=")
	enc = enc[:len(enc)/4*4]
	body = make([]byte, base64.StdEncoding.DecodedLen(len(enc)))
	n, err := base64.StdEncoding.Decode(body, enc)
	if err != nil || n == 0 {
		return nil, false
	}
	return body[:n], true
}

// cutLine returns the first line of b, without its end, and the rest. ok
// is false when b holds no line end.
func cutLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return b[:i], b[i+1:], true
}

func isBase64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '='
}

// opensslBinary checks what follows "Salted__": eight bytes of salt and
// ciphertext, which are random. A text file that starts with the word has
// printable bytes there instead.
func opensslBinary(head []byte) bool {
	rest := head[len("Salted__"):]
	if len(rest) < 8+8 { // salt and at least one cipher block
		return false
	}
	for _, c := range rest[:min(len(rest), 40)] {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F {
			return true
		}
	}
	return false
}

// opensslBase64 checks the first line of `openssl enc -a` output: base64
// of "Salted__", the salt and at least one cipher block, so 44 characters
// at least (64 when the output wraps).
func opensslBase64(head []byte) bool {
	line, _, _ := cutLine(head)
	line = bytes.TrimRight(line, "\r")
	if len(line) < 44 || len(line) > 76 {
		return false
	}
	for _, c := range line {
		if !isBase64(c) {
			return false
		}
	}
	return true
}

// luksEncrypted checks a LUKS header past its magic: the version, and a
// field a random file would not hold (LUKS1: a cipher name; LUKS2: the
// header size and a checksum algorithm).
func luksEncrypted(head []byte) (Encryption, bool, error) {
	if len(head) < 256 {
		return Encryption{}, false, nil
	}
	switch binary.BigEndian.Uint16(head[6:]) {
	case 1:
		if cString(head[8:40]) { // cipher_name, e.g. "aes"
			return encryption(KindLUKS, "LUKS1 encrypted volume"), true, nil
		}
	case 2:
		hdrSize := binary.BigEndian.Uint64(head[8:])
		// The binary and JSON header together: 16 KiB to 4 MiB, a power of two.
		if hdrSize >= 16<<10 && hdrSize <= 4<<20 && hdrSize&(hdrSize-1) == 0 && cString(head[72:104]) {
			return encryption(KindLUKS, "LUKS2 encrypted volume"), true, nil
		}
	}
	return Encryption{}, false, nil
}

// cString reports whether b is a non-empty printable ASCII string padded
// with NUL bytes.
func cString(b []byte) bool {
	n := bytes.IndexByte(b, 0)
	if n <= 0 {
		return false
	}
	for _, c := range b[:n] {
		if c <= ' ' || c >= 0x7F {
			return false
		}
	}
	return len(bytes.Trim(b[n:], "\x00")) == 0
}

// source gives bounded access to a file: the head for free, the rest
// through ra while the budget lasts.
type source struct {
	head []byte
	ra   io.ReaderAt
	size int64
	left int64 // bytes ra may still read
}

// These end a check without an answer; Encrypted turns them into "not
// encrypted". Only a *readError is returned to the caller.
var (
	errBudget    = errors.New("read bound reached")
	errTruncated = errors.New("structure past the end of the file")
	errFormat    = errors.New("malformed structure")
)

// readError is an I/O failure of ra, the one error Encrypted returns.
type readError struct {
	off int64
	err error
}

func (e *readError) Error() string {
	return fmt.Sprintf("sniff: checking for encryption: read at offset %d: %v", e.off, e.err)
}

func (e *readError) Unwrap() error { return e.err }

// read returns up to n bytes at off; fewer only at the end of the file. The
// slice may alias the head: callers must not modify it.
func (s *source) read(off int64, n int) ([]byte, error) {
	if off < 0 || n < 0 || off > s.size {
		return nil, errTruncated
	}
	n = int(min(int64(n), s.size-off))
	if off+int64(n) <= int64(len(s.head)) {
		return s.head[off : off+int64(n)], nil
	}
	if s.ra == nil {
		return nil, errTruncated
	}
	if int64(n) > s.left {
		return nil, errBudget
	}
	s.left -= int64(n)
	p := make([]byte, n)
	got, err := s.ra.ReadAt(p, off)
	if got == n {
		return p, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		// The file is shorter than size said: it changed under us, or
		// size was wrong. Either way there is nothing to decide on.
		return nil, errTruncated
	}
	return nil, &readError{off, err}
}

// readFull is read that fails unless it gets all n bytes.
func (s *source) readFull(off int64, n int) ([]byte, error) {
	b, err := s.read(off, n)
	if err == nil && len(b) < n {
		err = errTruncated
	}
	return b, err
}

func encryption(kind, reason string) Encryption {
	return Encryption{Kind: kind, Reason: reason}
}
