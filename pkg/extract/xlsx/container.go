package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/spool"
)

// Limits on the container, checked before anything is decompressed. The
// reader holds the file in memory (the scan hands it a stream), reads the
// structure parts (workbook, relationships, styles) into memory through
// excelize, and streams the worksheets and the shared strings. The
// excelize-based reference reader (reference.go) instead has excelize read
// every part into memory, except worksheets and the shared-string table
// above maxPartInMemory, which it spills to temporary files; excelize's own
// default cap on the total (16 GB) is far too generous for a scanner that
// runs one reader per CPU.
const (
	// maxFileSize caps the compressed workbook, held in memory while it
	// is read (twice by the reference reader: our copy and excelize's).
	// At the usual 8:1 to 12:1 ratio of sheet XML, 256 MiB is 2-3 GB of
	// XML, more than DefaultMaxCells cells.
	maxFileSize = 256 << 20
	// maxUnzipSize caps the declared decompressed size of all parts
	// together, that is the XML the reader may have to inflate and scan
	// (excelize's UnzipSizeLimit in the reference reader). It admits a
	// sheet of DefaultMaxCells short cells (~25 bytes of XML each) and
	// stops a zip bomb before it is inflated: Go's zip reader fails an
	// entry that inflates beyond its declared size.
	maxUnzipSize = 2 << 30
	// maxPartInMemory is how much shared-string text the reader keeps in
	// memory before it spills the table to a temporary file (sst.go); in
	// the reference reader it is excelize's UnzipXMLSizeLimit (its
	// default), above which a worksheet or the shared-string table is
	// inflated to a temporary file.
	maxPartInMemory = 16 << 20
	// maxInMemory caps the declared size of the parts that are not
	// streamed: everything but the worksheets and shared strings (spilled
	// ones above). The reader only reads the structure parts among them,
	// never images or embedded objects, but the reference reader loads
	// them all, and a workbook carrying more than this is refused rather
	// than half read.
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

// spoolInput gives the workbook random access (a zip is read from its
// end): the file itself when the scan offers it (in.RA), else a copy by
// pkg/extract/spool, in memory up to spillAfter bytes and in a private
// temporary file in dir beyond (with the spilled shared strings), so that
// a large workbook does not sit in the heap while it is read. It refuses
// files above maxFileSize. The caller releases the copy and removes dir.
func spoolInput(ctx context.Context, in extract.Input, spillAfter int64, dir *spillDir) (*spool.File, error) {
	f, err := spool.Open(ctx, in.R, in.RA, in.Size, spool.Options{InMemory: spillAfter, Max: maxFileSize, Dir: dir.get})
	switch {
	case errors.Is(err, spool.ErrTooLarge):
		return nil, fmt.Errorf("%s: %w: over %d bytes", in.Name, ErrTooLarge, maxFileSize)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", in.Name, err)
	}
	return f, nil
}

// openContainer tells encrypted (ErrEncrypted), oversized (ErrTooLarge)
// and unreadable (extract.ErrCorrupt) files apart from workbooks, returns
// the zip, and reports whether excelize (in the reference reader) would
// spill parts to temporary files.
func openContainer(name string, r io.ReaderAt, size, partInMemory int64) (zr *zip.Reader, spills bool, err error) {
	head := make([]byte, len(cfbMagic))
	if n, _ := r.ReadAt(head, 0); n == len(head) && bytes.Equal(head, cfbMagic) {
		if cfbHasEncryptionInfoAt(r, size) {
			return nil, false, fmt.Errorf("%s: %w", name, ErrEncrypted)
		}
		return nil, false, corrupt(name, "OLE2 compound file, not an OOXML workbook (legacy .xls?)")
	}
	zr, err = zip.NewReader(r, size)
	if err != nil {
		return nil, false, corrupt(name, err)
	}
	var total, inMemory uint64
	for _, f := range zr.File {
		if f.Flags&0x1 != 0 {
			// Zip-level encryption (PKWARE or WinZip AES): Office never
			// writes it, but a workbook wrapped this way is unreadable
			// without the password all the same.
			return nil, false, fmt.Errorf("%s: %w (zip encryption)", name, ErrEncrypted)
		}
		size := f.UncompressedSize64
		total += size
		if size > maxUnzipSize || total > maxUnzipSize {
			return nil, false, fmt.Errorf("%s: %w: parts decompress to over %d bytes", name, ErrTooLarge, maxUnzipSize)
		}
		if size > uint64(partInMemory) && spillable(f.Name) {
			spills = true
			continue
		}
		inMemory += size
		if inMemory > maxInMemory {
			return nil, false, fmt.Errorf("%s: %w: parts held in memory decompress to over %d bytes", name, ErrTooLarge, maxInMemory)
		}
	}
	return zr, spills, nil
}

// spillable mirrors excelize's ReadZipReader: these parts go to a temporary
// file when they are larger than UnzipXMLSizeLimit.
func spillable(name string) bool {
	name = strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	return name == "xl/sharedstrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet")
}

func cfbHasEncryptionInfoAt(r io.ReaderAt, size int64) bool {
	const entrySize, nameLen, typeStream = 128, 64, 2
	want := uint16(len(encryptionInfoName) + 2)
	block := make([]byte, 64<<10) // a multiple of entrySize
	for off := int64(512); off+entrySize <= size; off += int64(len(block)) {
		n, _ := r.ReadAt(block, off)
		for i := 0; i+entrySize <= n; i += entrySize {
			e := block[i : i+entrySize]
			if bytes.HasPrefix(e, encryptionInfoName) &&
				binary.LittleEndian.Uint16(e[nameLen:]) == want &&
				e[nameLen+2] == typeStream {
				return true
			}
		}
	}
	return false
}
