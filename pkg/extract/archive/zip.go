package archive

import (
	"archive/zip"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/klauspost/compress/flate"
)

// zipMethodBzip2 is the zip method id of bzip2 (APPNOTE 4.4.5), which
// archive/zip does not register but compress/bzip2 reads.
const zipMethodBzip2 = 12

// zipMethodAES is the method id WinZip AES encryption puts in the header,
// with the real method in its 0x9901 extra field.
const zipMethodAES = 99

// zip walks a zip archive. archive/zip parses the central directory; the
// declared sizes are checked against the limits before any entry is
// inflated, and each entry is inflated through a meter, since headers can
// lie. archive/zip itself fails an entry that inflates past its declared
// size or whose CRC does not match.
func (w *walker) zip() error {
	ra, size, release, err := w.randomAccess()
	if err != nil {
		return err
	}
	defer release()
	if ZipHasMoreEntries(ra, size, w.b.limits.MaxEntries) {
		return w.b.errEntries()
	}
	cra := &counterAt{r: ra}
	zr, err := zip.NewReader(cra, size)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		// ErrInsecurePath (only with GODEBUG=zipinsecurepath=0) comes
		// with a usable reader: names are cleaned for display anyway.
		return corrupt(Zip, err)
	}
	// klauspost's inflate is about twice as fast as compress/flate.
	zr.RegisterDecompressor(zip.Deflate, flate.NewReader)
	zr.RegisterDecompressor(zipMethodBzip2, func(r io.Reader) io.ReadCloser {
		return io.NopCloser(bzip2.NewReader(r))
	})
	if err := w.checkZipDeclared(zr, size); err != nil {
		return err
	}
	arch := &archiveTotal{size: size}
	maxEntry := w.b.limits.MaxEntrySize
	for _, f := range zr.File {
		if err := w.next(); err != nil {
			return err
		}
		if !f.Mode().IsRegular() {
			continue
		}
		e := &Entry{Name: f.Name, Size: clampInt64(f.UncompressedSize64), Modified: f.Modified}
		var rc io.ReadCloser
		switch {
		case zipEncrypted(f):
			e.Encrypted = true
			e.R = errReader{fmt.Errorf("zip entry: %w", ErrEncrypted)}
		case f.UncompressedSize64 > uint64(maxEntry):
			e.R = errReader{w.b.errEntrySize()}
		default:
			rc, err = f.Open()
			if err != nil {
				e.R = errReader{corrupt(Zip, err)}
				break
			}
			start := cra.n.Load()
			e.R = &meter{ctx: w.ctx, r: rc, b: w.b, format: Zip, charge: true,
				in: func() int64 { return cra.n.Load() - start }, arch: arch, max: maxEntry}
		}
		err := w.yield(e)
		if rc != nil {
			rc.Close()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkZipDeclared applies the limits to what the central directory
// declares, before anything is inflated: the entry count, each entry's
// ratio, and the total against the budget and the archive's size. Entries
// that will not be inflated (encrypted, or skipped for their size) do not
// count.
func (w *walker) checkZipDeclared(zr *zip.Reader, size int64) error {
	if len(zr.File) > w.b.limits.MaxEntries {
		return w.b.errEntries()
	}
	var total int64
	for _, f := range zr.File {
		if !f.Mode().IsRegular() || zipEncrypted(f) || f.UncompressedSize64 > uint64(w.b.limits.MaxEntrySize) {
			continue
		}
		u := int64(f.UncompressedSize64) // <= MaxEntrySize
		if w.b.overRatio(u, clampInt64(f.CompressedSize64)) {
			return w.b.errRatio()
		}
		total += u
		if total > w.b.remaining() {
			return w.b.errBytes()
		}
	}
	if w.b.overRatio(total, size) {
		return w.b.errRatio()
	}
	return nil
}

// zipEncrypted recognises traditional PKWARE encryption (general purpose
// flag bit 0, which strong encryption sets too) and WinZip AES (method 99,
// extra field 0x9901), without a password.
func zipEncrypted(f *zip.File) bool {
	return f.Flags&0x1 != 0 || f.Method == zipMethodAES || hasExtra(f.Extra, 0x9901)
}

// hasExtra reports whether the extra-field block holds a field with id.
func hasExtra(extra []byte, id uint16) bool {
	for len(extra) >= 4 {
		tag := binary.LittleEndian.Uint16(extra)
		n := int(binary.LittleEndian.Uint16(extra[2:]))
		if tag == id {
			return true
		}
		if n > len(extra)-4 {
			return false
		}
		extra = extra[4+n:]
	}
	return false
}

func clampInt64(v uint64) int64 {
	if v > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(v)
}
