package sniff

import (
	"encoding/binary"
	"strings"
)

// officeEncrypted tells an encrypted Office document among compound files
// from the streams at the top of its tree:
//
//   - OOXML (xlsx, docx, pptx) saved with a password is not a zip but a
//     compound file with an EncryptedPackage stream ([MS-OFFCRYPTO] 2.3.4).
//   - An Excel 97-2003 workbook has a FILEPASS record in the globals
//     substream of its Workbook (or, Excel 5/95, Book) stream, right
//     after the BOF record ([MS-XLS] 2.4.117, 2.1.7.20.1).
//   - A Word 97-2003 document has the fEncrypted bit in the FibBase at the
//     start of its WordDocument stream ([MS-DOC] 2.5.2).
//   - A PowerPoint 97-2003 presentation has the encrypted token in the
//     CurrentUserAtom of its Current User stream ([MS-PPT] 2.3.2).
//
// Other compound files (msi, msg, plain Office documents) are not
// encrypted as far as this can tell.
func officeEncrypted(name string, s *source) (Encryption, bool, error) {
	c, err := openCFB(s)
	if err != nil {
		return Encryption{}, false, err
	}
	if _, ok := c.stream("EncryptedPackage"); ok {
		return encryption(KindOOXML, "password-protected "+ooxmlWhat(name)+" (OOXML EncryptedPackage)"), true, nil
	}
	if e, ok := c.stream("WordDocument"); ok {
		fib, err := c.read(e, 12)
		if err != nil {
			return Encryption{}, false, err
		}
		if len(fib) == 12 && binary.LittleEndian.Uint16(fib) == 0xA5EC { // wIdent
			if flags := binary.LittleEndian.Uint16(fib[10:]); flags&0x0100 != 0 { // F: fEncrypted
				if flags&0x8000 != 0 { // M: fObfuscated
					return encryption(KindDOC, "password-protected Word 97-2003 document (FIB fEncrypted, XOR obfuscation)"), true, nil
				}
				return encryption(KindDOC, "password-protected Word 97-2003 document (FIB fEncrypted)"), true, nil
			}
		}
		return Encryption{}, false, nil
	}
	for _, stream := range []string{"Workbook", "Book"} {
		if e, ok := c.stream(stream); ok {
			b, err := c.read(e, 4096)
			if err != nil {
				return Encryption{}, false, err
			}
			if filePass(b) {
				return encryption(KindXLS, "password-protected Excel 97-2003 workbook (FILEPASS record)"), true, nil
			}
			return Encryption{}, false, nil
		}
	}
	if e, ok := c.stream("Current User"); ok {
		if _, ok := c.stream("PowerPoint Document"); ok {
			atom, err := c.read(e, 16)
			if err != nil {
				return Encryption{}, false, err
			}
			// RecordHeader (recType 0x0FF6), size, headerToken.
			if len(atom) == 16 && binary.LittleEndian.Uint16(atom[2:]) == 0x0FF6 &&
				binary.LittleEndian.Uint32(atom[12:]) == 0xF3D1C4DF {
				return encryption(KindPPT, "password-protected PowerPoint 97-2003 presentation (encrypted CurrentUserAtom)"), true, nil
			}
		}
	}
	return Encryption{}, false, nil
}

// filePass walks the BIFF records at the start of a workbook stream, from
// its BOF to the end of the globals substream or of b, looking for
// FILEPASS. Record headers stay in the clear when the workbook is
// encrypted, so the walk works either way.
func filePass(b []byte) bool {
	const (
		recBOF      = 0x0809 // BIFF8; BIFF5 uses the same id
		recEOF      = 0x000A
		recFilePass = 0x002F
	)
	if len(b) < 4 || binary.LittleEndian.Uint16(b) != recBOF {
		return false
	}
	for len(b) >= 4 {
		typ := binary.LittleEndian.Uint16(b)
		n := int(binary.LittleEndian.Uint16(b[2:]))
		switch typ {
		case recFilePass:
			return n >= 2 // wEncryptionType, then its details
		case recEOF:
			return false
		}
		if len(b) < 4+n {
			return false
		}
		b = b[4+n:]
	}
	return false
}

// ooxmlWhat names the document an encrypted package holds, by the
// extension it was saved with: the package's content is what is encrypted.
func ooxmlWhat(name string) string {
	switch e := strings.ToLower(Ext(name)); e {
	case ".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xlam":
		return "Excel workbook"
	case ".docx", ".docm", ".dotx", ".dotm":
		return "Word document"
	case ".pptx", ".pptm", ".potx", ".potm", ".ppsx", ".ppsm":
		return "PowerPoint presentation"
	}
	return "Office document"
}
