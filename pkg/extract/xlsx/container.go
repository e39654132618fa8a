package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
)

// Limits on the container, checked before excelize decompresses anything.
// excelize's OpenReader reads the whole file into memory and then every zip
// part, except worksheets and the shared-string table above maxPartInMemory,
// which it spills to temporary files. Its own default cap on the total
// (16 GB) is far too generous for a scanner that runs one reader per CPU.
const (
	// maxFileSize caps the compressed workbook, which is held in memory
	// twice while excelize opens it (our copy and its own). At the usual
	// 8:1 to 12:1 ratio of sheet XML, 256 MiB is 2-3 GB of XML, more
	// than DefaultMaxCells cells.
	maxFileSize = 256 << 20
	// maxUnzipSize caps the declared decompressed size of all parts
	// together (excelize's UnzipSizeLimit), that is memory plus temporary
	// files. It admits a sheet of DefaultMaxCells short cells (~25 bytes
	// of XML each) and stops a zip bomb before it is inflated: Go's zip
	// reader fails an entry that inflates beyond its declared size.
	maxUnzipSize = 2 << 30
	// maxPartInMemory is excelize's UnzipXMLSizeLimit (its default): a
	// worksheet or shared-string table larger than this is inflated to a
	// temporary file and streamed from there rather than kept in memory.
	maxPartInMemory = 16 << 20
	// maxInMemory caps the declared size of the parts excelize keeps in
	// memory: all parts except the spilled ones above (styles, workbook,
	// small sheets, but also images and embedded objects).
	maxInMemory = 256 << 20
)

// cfbMagic starts every OLE2 compound file (CFB). Office saves a
// password-protected OOXML workbook as a CFB holding the streams
// "EncryptionInfo" and "EncryptedPackage"; legacy .xls files are CFBs too.
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// encryptionInfoName is "EncryptionInfo" as a CFB directory entry spells it:
// UTF-16LE, NUL-terminated, 64 bytes at most.
var encryptionInfoName = utf16le("EncryptionInfo")

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

// readInput reads the whole workbook, which excelize needs anyway, refusing
// files above maxFileSize.
func readInput(name string, in io.Reader, size int64) ([]byte, error) {
	if size > maxFileSize {
		return nil, fmt.Errorf("%s: %w: %d bytes, limit %d", name, ErrTooLarge, size, maxFileSize)
	}
	var buf bytes.Buffer
	if size > 0 {
		buf.Grow(int(size) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(in, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if n > maxFileSize {
		return nil, fmt.Errorf("%s: %w: over %d bytes", name, ErrTooLarge, maxFileSize)
	}
	return buf.Bytes(), nil
}

// checkContainer tells encrypted (ErrEncrypted), oversized (ErrTooLarge)
// and unreadable (extract.ErrCorrupt) files apart from workbooks excelize may
// open, and reports whether excelize will spill parts to temporary files.
func checkContainer(name string, data []byte, partInMemory int64) (spills bool, err error) {
	if bytes.HasPrefix(data, cfbMagic) {
		if cfbHasEncryptionInfo(data) {
			return false, fmt.Errorf("%s: %w", name, ErrEncrypted)
		}
		return false, corrupt(name, "OLE2 compound file, not an OOXML workbook (legacy .xls?)")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false, corrupt(name, err)
	}
	var total, inMemory uint64
	for _, f := range zr.File {
		if f.Flags&0x1 != 0 {
			// Zip-level encryption (PKWARE or WinZip AES): Office never
			// writes it, but a workbook wrapped this way is unreadable
			// without the password all the same.
			return false, fmt.Errorf("%s: %w (zip encryption)", name, ErrEncrypted)
		}
		size := f.UncompressedSize64
		total += size
		if size > maxUnzipSize || total > maxUnzipSize {
			return false, fmt.Errorf("%s: %w: parts decompress to over %d bytes", name, ErrTooLarge, maxUnzipSize)
		}
		if size > uint64(partInMemory) && spillable(f.Name) {
			spills = true
			continue
		}
		inMemory += size
		if inMemory > maxInMemory {
			return false, fmt.Errorf("%s: %w: parts held in memory decompress to over %d bytes", name, ErrTooLarge, maxInMemory)
		}
	}
	return spills, nil
}

// spillable mirrors excelize's ReadZipReader: these parts go to a temporary
// file when they are larger than UnzipXMLSizeLimit.
func spillable(name string) bool {
	name = strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	return name == "xl/sharedstrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet")
}

// cfbHasEncryptionInfo looks for the directory entry of an EncryptionInfo
// stream. Directory entries are 128 bytes long and sectors (512 or 4096
// bytes) start at multiples of 128, so an entry can only sit at such an
// offset: the name, its byte length with the terminator at offset 64 and
// the object type (2, a stream) at offset 66. Scanning those offsets avoids
// following the sector chains of a file we do not otherwise parse.
func cfbHasEncryptionInfo(data []byte) bool {
	const entrySize, nameLen, typeStream = 128, 64, 2
	want := uint16(len(encryptionInfoName) + 2)
	for off := 512; off+entrySize <= len(data); off += entrySize {
		e := data[off : off+entrySize]
		if bytes.HasPrefix(e, encryptionInfoName) &&
			binary.LittleEndian.Uint16(e[nameLen:]) == want &&
			e[nameLen+2] == typeStream {
			return true
		}
	}
	return false
}
