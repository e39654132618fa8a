package sniff

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// Zip general-purpose flags and methods (PKWARE APPNOTE 4.4.4, 4.4.5).
const (
	zipFlagEncrypted = 1 << 0
	zipFlagStrong    = 1 << 6 // PKWARE strong encryption
	zipMethodAES     = 99     // WinZip AE-x, with extra field 0x9901
	zipExtraAES      = 0x9901
)

// zipEncrypted gives a whole-file answer: encrypted when every file entry
// of the central directory is, as in an archive made with `zip -e`.
// Directory entries do not count (zip stores them unencrypted), and an
// archive with some plain entries is not encrypted: the archive reader
// reads those and reports the others.
//
// The first local header is in the head, so a plain archive (every xlsx
// and docx) is settled without a read. Otherwise the end of central
// directory record is found in the last 64 KiB (its comment may be that
// long) and the central directory is read, within MaxEncryptedRead.
func zipEncrypted(s *source) (Encryption, bool, error) {
	head := s.head
	if has(head, "PK\x07\x08") { // spanned archive marker, then a local header
		head = head[4:]
	}
	if has(head, "PK\x03\x04") && len(head) >= 30 {
		flags := binary.LittleEndian.Uint16(head[6:])
		nameLen := int(binary.LittleEndian.Uint16(head[26:]))
		dir := 30+nameLen <= len(head) && strings.HasSuffix(string(head[30:30+nameLen]), "/")
		if flags&zipFlagEncrypted == 0 && !dir {
			return Encryption{}, false, nil
		}
	}
	cd, n, err := zipDirectory(s)
	if err != nil {
		return Encryption{}, false, err
	}
	files, aes, strong := 0, 0, 0
	for range n {
		if len(cd) < 46 || !has(cd, "PK\x01\x02") {
			return Encryption{}, false, errFormat
		}
		flags := binary.LittleEndian.Uint16(cd[8:])
		method := binary.LittleEndian.Uint16(cd[10:])
		nameLen := int(binary.LittleEndian.Uint16(cd[28:]))
		extraLen := int(binary.LittleEndian.Uint16(cd[30:]))
		commentLen := int(binary.LittleEndian.Uint16(cd[32:]))
		end := 46 + nameLen + extraLen + commentLen
		if len(cd) < end {
			return Encryption{}, false, errFormat
		}
		name, extra := cd[46:46+nameLen], cd[46+nameLen:46+nameLen+extraLen]
		cd = cd[end:]
		if bytes.HasSuffix(name, []byte("/")) && flags&zipFlagEncrypted == 0 {
			continue // a directory
		}
		if flags&zipFlagEncrypted == 0 {
			return Encryption{}, false, nil
		}
		files++
		switch {
		case method == zipMethodAES && hasExtra(extra, zipExtraAES):
			aes++
		case flags&zipFlagStrong != 0:
			strong++
		}
	}
	if files == 0 {
		return Encryption{}, false, nil
	}
	reason := "zip archive with every entry encrypted (ZipCrypto)"
	switch {
	case aes == files:
		reason = "zip archive with every entry encrypted (AES)"
	case strong == files:
		reason = "zip archive with every entry encrypted (PKWARE strong encryption)"
	case aes+strong > 0:
		reason = "zip archive with every entry encrypted (mixed methods)"
	}
	return encryption(KindZip, reason), true, nil
}

// zipDirectory reads the central directory and returns it with its entry
// count, from the end of central directory record or its zip64 version.
func zipDirectory(s *source) (cd []byte, n uint64, err error) {
	const eocdLen, maxComment = 22, 0xFFFF
	tailLen := min(s.size, eocdLen+maxComment)
	tail, err := s.readFull(s.size-tailLen, int(tailLen))
	if err != nil {
		return nil, 0, err
	}
	// The last signature whose comment length reaches the end exactly.
	i := len(tail) - eocdLen
	for ; i >= 0; i-- {
		if tail[i] == 'P' && has(tail[i:], "PK\x05\x06") &&
			i+eocdLen+int(binary.LittleEndian.Uint16(tail[i+20:])) == len(tail) {
			break
		}
	}
	if i < 0 {
		return nil, 0, errFormat
	}
	eocd := tail[i:]
	n = uint64(binary.LittleEndian.Uint16(eocd[10:]))
	size := uint64(binary.LittleEndian.Uint32(eocd[12:]))
	off := uint64(binary.LittleEndian.Uint32(eocd[16:]))
	if n == 0xFFFF || size == 0xFFFFFFFF || off == 0xFFFFFFFF {
		// Zip64: a locator just before the record points to the zip64 record.
		if i < 20 || !has(tail[i-20:], "PK\x06\x07") {
			return nil, 0, errFormat
		}
		at := binary.LittleEndian.Uint64(tail[i-20+8:])
		if at > uint64(s.size) {
			return nil, 0, errFormat
		}
		rec, err := s.readFull(int64(at), 56)
		if err != nil {
			return nil, 0, err
		}
		if !has(rec, "PK\x06\x06") {
			return nil, 0, errFormat
		}
		n = binary.LittleEndian.Uint64(rec[32:])
		size = binary.LittleEndian.Uint64(rec[40:])
		off = binary.LittleEndian.Uint64(rec[48:])
	}
	if size > uint64(s.size) || off > uint64(s.size)-size || n > size/46 {
		return nil, 0, errFormat
	}
	if size > uint64(MaxEncryptedRead) {
		return nil, 0, errBudget
	}
	cd, err = s.readFull(int64(off), int(size))
	return cd, n, err
}

// hasExtra reports whether a zip extra field block holds a field with id.
func hasExtra(extra []byte, id uint16) bool {
	for len(extra) >= 4 {
		n := int(binary.LittleEndian.Uint16(extra[2:]))
		if binary.LittleEndian.Uint16(extra) == id {
			return true
		}
		if len(extra) < 4+n {
			return false
		}
		extra = extra[4+n:]
	}
	return false
}
