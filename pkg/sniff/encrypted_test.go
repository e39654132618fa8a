package sniff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fixtures maps each file of testdata/encrypted (written by
// scripts/genencrypted.sh with the real tools) to the kind Encrypted must
// report, or "" for a file that is not encrypted.
var fixtures = map[string]string{
	"7z-compressed-header.7z": "", // -p without -mhe: the LZMA header hides it; the archive reader reports entries
	"7z-encrypted-headers.7z": Kind7z,
	"7z-plain-header.7z":      Kind7z,
	"7z-plain.7z":             "",
	"age-armored.age":         KindAge,
	"age-binary.age":          KindAge,
	"doc-encrypted.doc":       KindDOC,
	"doc-plain.doc":           "",
	"docx-password.docx":      KindOOXML,
	"luks1.img":               KindLUKS,
	"luks2.img":               KindLUKS,
	"openssl-base64.enc":      KindOpenSSL,
	"openssl.enc":             KindOpenSSL,
	"pdf-aes128.pdf":          KindPDF,
	"pdf-aes256.pdf":          KindPDF,
	"pdf-linearized.pdf":      KindPDF,
	// Owner password only: encrypted, but OpensWithoutPassword (see ownerOnly).
	"pdf-owner-password-only.pdf":             KindPDF,
	"pdf-owner-password-only-aes128.pdf":      KindPDF,
	"pdf-owner-password-only-linearized.pdf":  KindPDF,
	"pdf-owner-password-only-r5.pdf":          KindPDF,
	"pdf-owner-password-only-rc4-40.pdf":      KindPDF,
	"pdf-owner-password-only-rc4.pdf":         KindPDF,
	"pdf-owner-password-only-xref-stream.pdf": KindPDF,
	"pdf-plain-xref-stream.pdf":               "", // its page says "trailer << /Encrypt 6 0 R >> startxref"
	"pdf-plain.pdf":                           "", // likewise
	"pdf-rc4-40.pdf":                          KindPDF,
	"pdf-rc4.pdf":                             KindPDF,
	"pdf-xref-stream.pdf":                     KindPDF,
	"pgp-public-key.asc":                      KindOpenPGP,
	"pgp-public-key.gpg":                      KindOpenPGP,
	"pgp-signed.asc":                          "", // signed, not encrypted
	"pgp-signed.gpg":                          "",
	"pgp-symmetric.asc":                       KindOpenPGP,
	"pgp-symmetric.gpg":                       KindOpenPGP,
	"ppt-encrypted.ppt":                       KindPPT,
	"ppt-plain.ppt":                           "",
	"xls-encrypted.xls":                       KindXLS,
	"xls-plain.xls":                           "",
	"xlsx-password.xlsx":                      KindOOXML,
	"zip-aes.zip":                             KindZip,
	"zip-mixed.zip":                           "", // one entry plain, one encrypted: per entry, by the archive reader
	"zip-plain.zip":                           "",
	"zip-zip64.zip":                           KindZip,
	"zip-zipcrypto.zip":                       KindZip, // with a plain directory entry
}

// reasons lists every Reason Encrypted may give: fixed text only, never
// the file's bytes. FuzzEncrypted checks it.
var reasons = []string{
	"age encrypted file",
	"age encrypted file (armored)",
	"openssl enc encrypted file (Salted__)",
	"openssl enc encrypted file (Salted__, base64)",
	"LUKS1 encrypted volume",
	"LUKS2 encrypted volume",
	"OpenPGP encrypted message",
	"OpenPGP encrypted message (ASCII armor)",
	"zip archive with every entry encrypted (ZipCrypto)",
	"zip archive with every entry encrypted (AES)",
	"zip archive with every entry encrypted (PKWARE strong encryption)",
	"zip archive with every entry encrypted (mixed methods)",
	"7z archive with encrypted headers",
	"7z archive with every folder encrypted",
	"encrypted PDF (/Encrypt dictionary)",
	"encrypted PDF that opens without a password (owner password only)",
	"password-protected Excel workbook (OOXML EncryptedPackage)",
	"password-protected Word document (OOXML EncryptedPackage)",
	"password-protected PowerPoint presentation (OOXML EncryptedPackage)",
	"password-protected Office document (OOXML EncryptedPackage)",
	"password-protected Word 97-2003 document (FIB fEncrypted)",
	"password-protected Word 97-2003 document (FIB fEncrypted, XOR obfuscation)",
	"password-protected Excel 97-2003 workbook (FILEPASS record)",
	"password-protected PowerPoint 97-2003 presentation (encrypted CurrentUserAtom)",
}

// countingReaderAt counts the bytes read through it.
type countingReaderAt struct {
	r io.ReaderAt
	n int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}

// check runs Encrypted on data as a whole file and checks the invariants
// every answer keeps: reads within the bound, no error from a reader that
// cannot fail, a known kind with a known reason.
func check(t *testing.T, name string, data []byte, size int64) (Encryption, bool) {
	t.Helper()
	ra := &countingReaderAt{r: bytes.NewReader(data)}
	e, ok, err := Encrypted(name, data[:min(len(data), HeadSize)], ra, size)
	if err != nil {
		t.Fatalf("%s: error %v", name, err)
	}
	if ra.n > MaxEncryptedRead {
		t.Fatalf("%s: read %d bytes, more than MaxEncryptedRead", name, ra.n)
	}
	if ok != (e.Kind != "") || ok != slices.Contains(reasons, e.Reason) ||
		e.OpensWithoutPassword != strings.Contains(e.Reason, "without a password") {
		t.Fatalf("%s: %v with %+v", name, ok, e)
	}
	return e, ok
}

func TestEncryptedFixtures(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "encrypted")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, de := range entries {
		seen[de.Name()] = true
		want, listed := fixtures[de.Name()]
		if !listed {
			t.Errorf("%s is not in the fixtures table", de.Name())
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		e, _ := check(t, de.Name(), data, int64(len(data)))
		if e.Kind != want {
			t.Errorf("%s: kind %q (%q), want %q", de.Name(), e.Kind, e.Reason, want)
		}
		if ownerOnly := strings.Contains(de.Name(), "owner-password-only"); e.OpensWithoutPassword != ownerOnly {
			t.Errorf("%s: OpensWithoutPassword %v, want %v", de.Name(), e.OpensWithoutPassword, ownerOnly)
		}
		// The same answer past the head: the file padded at the end
		// (most formats ignore trailing bytes) must not change a
		// head-only answer into a wrong one, and renaming never does.
		if e, _ := check(t, "renamed.bin", data, int64(len(data))); e.Kind != want {
			t.Errorf("%s renamed: kind %q, want %q", de.Name(), e.Kind, want)
		}
	}
	for name := range fixtures {
		if !seen[name] {
			t.Errorf("%s is in the table but not in %s; run scripts/genencrypted.sh", name, dir)
		}
	}
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "encrypted", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdf assembles a one-object PDF whose tail is trailer.
func pdf(body, trailer string) string {
	return "%PDF-1.7\n" + body + "\nxref\n0 1\n0000000000 65535 f \n" + trailer + "\nstartxref\n" +
		"9\n%%EOF\n"
}

// Heads that look like an encrypted format at a glance, and are not; and a
// few that are, in forms the fixtures do not cover.
func TestEncryptedHeads(t *testing.T) {
	t.Parallel()
	armored := string(fixture(t, "pgp-symmetric.asc"))
	ageArmored := string(fixture(t, "age-armored.age"))
	binaryPGP := fixture(t, "pgp-public-key.gpg")
	tests := []struct {
		name, head string
		want       string
	}{
		{"salted word", "Salted__ peanuts are better than plain ones, says the menu.\n", ""},
		{"salted later", "Recipe\nSalted__\x8f\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", ""},
		{"salted short", "Salted__\x01\x02\x03", ""},
		{"openssl base64 prose", "U2FsdGVkX1 is how base64 output of openssl enc starts.\n", ""},
		{"pgp armor in docs", "To send us a secret, paste it below:\n\n" + armored, ""},
		{"pgp armor placeholder", "-----BEGIN PGP MESSAGE-----\n\n<paste the message here>\n-----END PGP MESSAGE-----\n", ""},
		{"pgp armor of text", "-----BEGIN PGP MESSAGE-----\n\nSGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IGEgbWVzc2FnZQ==\n-----END PGP MESSAGE-----\n", ""},
		{"pgp armor with trailing text", "-----BEGIN PGP MESSAGE----- is the first line\n", ""},
		{"pgp armor after blank lines", "\n\n  \t" + armored, KindOpenPGP},
		{"pgp armor with CRLF", strings.ReplaceAll(armored, "\n", "\r\n"), KindOpenPGP},
		{"pgp armor without blank line", strings.Replace(armored, "-----\n\n", "-----\n", 1), KindOpenPGP},
		{"pgp armor with headers", strings.Replace(armored, "-----\n\n", "-----\nVersion: GnuPG v2\nComment: synthetic\n\n", 1), KindOpenPGP},
		{"pgp packet byte alone", "\x8c", ""},
		{"pgp header then garbage", "\x8c\x0d\x04\x09\x03\x02" + strings.Repeat("A", 11) + "\xd2\x00", ""},
		{"pgp esk without data", string(binaryPGP[:len(binaryPGP)/2]), ""},
		{"pgp marker then esk", "\xa8\x03PGP" + string(binaryPGP), KindOpenPGP},
		{"age in prose", "age-encryption.org/v1 is the header of an age file.\n", ""},
		{"age armor of text", "-----BEGIN AGE ENCRYPTED FILE-----\nSGVsbG8gd29ybGQ=\n-----END AGE ENCRYPTED FILE-----\n", ""},
		{"age armor in docs", "Example:\n" + ageArmored, ""},
		{"age armor after blank line", "\n" + ageArmored, KindAge},
		{"luks in prose", "LUKS is the Linux disk encryption format; see cryptsetup(8).\n" + strings.Repeat(".", 300), ""},
		{"luks magic, junk", "LUKS\xba\xbe\x00\x01" + strings.Repeat("\xff", 300), ""},
		{"luks2 bad header size", "LUKS\xba\xbe\x00\x02\x00\x00\x00\x00\x00\x00\x10\x01" + strings.Repeat("\x00", 300), ""},
		{"pdf trailer encrypt nested", pdf("", "trailer\n<< /Size 1 /Info << /Encrypt 1 0 R >> >>"), ""},
		{"pdf trailer encrypt in string", pdf("", "trailer\n<< /Size 1 /Title (/Encrypt 1 0 R) >>"), ""},
		{"pdf trailer encrypt null", pdf("", "trailer\n<< /Size 1 /Encrypt null >>"), ""},
		{"pdf trailer encrypt in array", pdf("", "trailer\n<< /Size 1 /ID [/Encrypt 1 0 R] >>"), ""},
		{"pdf encrypt key", pdf("", "trailer\n<< /Size 1 /Encrypt 1 0 R >>"), KindPDF},
		{"pdf encrypt escaped", pdf("", "trailer\n<</Size 1/Encr#79pt 1 0 R>>"), KindPDF},
		{"pdf encrypt direct", pdf("", "trailer<</Size 1/Encrypt<</Filter/Standard>>>>"), KindPDF},
		{"pdf content mentions trailer", pdf("1 0 obj<</Length 40>>stream\n(x)\ntrailer << /Encrypt 1 0 R >>\nendstream\nendobj", ""), ""},
		{"pdf without startxref", "%PDF-1.4\ntrailer << /Encrypt 1 0 R >>\n", ""},
	}
	for _, tt := range tests {
		if e, _ := check(t, tt.name, []byte(tt.head), int64(len(tt.head))); e.Kind != tt.want {
			t.Errorf("%s: kind %q (%s), want %q", tt.name, e.Kind, e.Reason, tt.want)
		}
	}
}

// TestEncryptedTextIsCheap checks the common case: text, and the plain
// formats whose answer is in the head, cost no read (and text no
// allocation).
func TestEncryptedTextIsCheap(t *testing.T) {
	for _, tt := range tests {
		switch tt.want {
		case Empty, Zip, XLSX, CFB, PDF, SevenZip:
			continue // no head, or a container that may need a read
		}
		ra := &countingReaderAt{r: bytes.NewReader(nil)}
		if _, ok, err := Encrypted(tt.file, tt.head, ra, 1<<30); ok || err != nil || ra.n != 0 {
			t.Errorf("%s: %v, %v after reading %d bytes", tt.name, ok, err, ra.n)
		}
	}
	for _, text := range []string{"Alice", "Line 1", "age: 42", "Subject", "PDF", "---\ntitle: notes"} {
		head := []byte(strings.Repeat(text+", alice@example.com\n", 200))
		if n := testing.AllocsPerRun(10, func() { _, _, _ = Encrypted("notes.txt", head, nil, 1<<30) }); n != 0 {
			t.Errorf("%q: %v allocations", text, n)
		}
	}
	// A plain zip is settled by its first local header, whatever its size.
	zip := fixture(t, "zip-plain.zip")
	ra := &countingReaderAt{r: bytes.NewReader(zip)}
	if _, ok, err := Encrypted("a.zip", zip[:200], ra, 1<<30); ok || err != nil || ra.n != 0 {
		t.Errorf("plain zip: %v, %v after reading %d bytes", ok, err, ra.n)
	}
}

// endless is a file of size bytes: pattern, then zeros. ReadAt never
// fails, so a check that reads without bound would run out its budget.
type endless struct {
	pattern []byte
	n       int64
}

func (e *endless) ReadAt(p []byte, off int64) (int, error) {
	clear(p)
	if off < int64(len(e.pattern)) {
		copy(p, e.pattern[off:])
	}
	e.n += int64(len(p))
	return len(p), nil
}

// TestEncryptedBoundsReads gives each format a huge file whose structures
// point far away or loop, and checks the reads stay within the bound.
func TestEncryptedBoundsReads(t *testing.T) {
	t.Parallel()
	zipEnc := fixture(t, "zip-zipcrypto.zip")
	cfbHead := func(dirStart uint32) []byte {
		h := make([]byte, 512)
		copy(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
		binary.LittleEndian.PutUint16(h[0x1C:], 0xFFFE)
		binary.LittleEndian.PutUint16(h[0x1E:], 9)
		binary.LittleEndian.PutUint32(h[0x30:], dirStart)
		binary.LittleEndian.PutUint32(h[0x48:], 1000)        // DIFAT sectors
		binary.LittleEndian.PutUint32(h[0x44:], 0x7FFF_0000) // far away
		return h
	}
	sevenZip := make([]byte, 32)
	copy(sevenZip, "7z\xBC\xAF\x27\x1C\x00\x04")
	binary.LittleEndian.PutUint64(sevenZip[12:], 1<<40)
	binary.LittleEndian.PutUint64(sevenZip[20:], 1<<30)
	for _, tt := range []struct {
		name    string
		pattern []byte
	}{
		{"encrypted zip, no directory at the end", zipEnc[:200]},
		{"cfb, directory past the DIFAT", cfbHead(0x00FF_FFFF)},
		{"7z, end header 1 GiB", sevenZip},
		{"pdf, no trailer", []byte("%PDF-1.7\n")},
		{"pgp armor, huge", []byte("-----BEGIN PGP MESSAGE-----\n\nhQ")},
		{"pgp esk chain", bytes.Repeat([]byte("\x8c\x0d\x04\x09\x03\x02"+strings.Repeat("\x01", 9)), 1<<12)},
	} {
		ra := &endless{pattern: tt.pattern}
		_, ok, err := Encrypted(tt.name, tt.pattern[:min(len(tt.pattern), HeadSize)], ra, 1<<40)
		if ok || err != nil || ra.n > MaxEncryptedRead {
			t.Errorf("%s: %v, %v after reading %d bytes", tt.name, ok, err, ra.n)
		}
	}
}

type failingReaderAt struct{}

var errDisk = errors.New("disk on fire")

func (failingReaderAt) ReadAt([]byte, int64) (int, error) { return 0, errDisk }

// TestEncryptedReadError checks that an I/O failure is returned, wrapped,
// and that without a reader the head alone gives a safe answer.
func TestEncryptedReadError(t *testing.T) {
	t.Parallel()
	doc := fixture(t, "doc-encrypted.doc")
	head := doc[:1024] // the directory is further on
	_, ok, err := Encrypted("a.doc", head, failingReaderAt{}, int64(len(doc)))
	if ok || !errors.Is(err, errDisk) {
		t.Errorf("failing reader: %v, %v", ok, err)
	}
	if _, ok, err := Encrypted("a.doc", head, nil, int64(len(doc))); ok || err != nil {
		t.Errorf("nil reader: %v, %v", ok, err)
	}
	ppt := fixture(t, "ppt-encrypted.ppt") // smaller than the head
	if _, ok, err := Encrypted("a.ppt", ppt, nil, int64(len(ppt))); !ok || err != nil {
		t.Errorf("nil reader, whole file in the head: %v, %v", ok, err)
	}
}

func TestPDFString(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"(abc)", "abc"},
		{"(a(b)c)", "a(b)c"},
		{`(a\)b\\c\nd\101\0e)`, "a)b\\c\nd" + "A" + "\x00e"},
		{"(line\\\ncontinued)", "linecontinued"},
		{"(cr\r\nlf)", "cr\nlf"},
		{"<41 42 4>", "AB@"},
		{"<>", ""},
	} {
		got, ok := pdfString([]byte(tt.in))
		if !ok || string(got) != tt.want {
			t.Errorf("pdfString(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "(open", "<41", "abc"} {
		if _, ok := pdfString([]byte(bad)); ok {
			t.Errorf("pdfString(%q) ok", bad)
		}
	}
}
