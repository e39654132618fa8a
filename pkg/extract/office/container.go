package office

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// doc is one opened document: its zip, its limits and what has been read.
type doc struct {
	ctx   context.Context
	name  string // display name, for errors
	lim   Limits
	zr    *zip.Reader
	files map[string]*zip.File // by normalised path
	seen  map[string]bool      // parts already read
	total int64                // inflated bytes so far
	x     *xmlScanner          // reused from part to part
}

// openZip checks the entry count, then opens the zip.
func openZip(ctx context.Context, name string, ra io.ReaderAt, size int64, lim Limits) (*doc, error) {
	if err := countEntries(ra, size, lim.MaxEntries); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return nil, corrupt(name, "", err)
	}
	d := &doc{ctx: ctx, name: name, lim: lim, zr: zr, files: make(map[string]*zip.File, len(zr.File)), seen: map[string]bool{}}
	for _, f := range zr.File {
		k := normPath(f.Name)
		if _, dup := d.files[k]; !dup {
			d.files[k] = f
		}
	}
	return d, nil
}

// normPath is the key of a part name: OOXML part names are ASCII
// case-insensitive (OPC, ECMA-376 part 2, 9.1.1.1), some writers use
// backslashes, and a leading slash means the package root.
func normPath(p string) string {
	return strings.ToLower(strings.TrimLeft(strings.ReplaceAll(p, `\`, "/"), "/"))
}

func (d *doc) file(p string) *zip.File { return d.files[normPath(p)] }

// open checks a part's flags, declared size and ratio, and returns a
// scanner over its inflated bytes, metered against the limits. The caller
// closes the returned closer.
func (d *doc) open(part string) (*xmlScanner, io.Closer, error) {
	if err := d.ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", d.name, err)
	}
	f := d.file(part)
	if f == nil {
		return nil, nil, corrupt(d.name, part, "part missing")
	}
	if f.Flags&0x1 != 0 {
		// Zip-level encryption (ZipCrypto or AES): Office and LibreOffice
		// never write it, but the part is unreadable all the same.
		return nil, nil, fmt.Errorf("%s: %w (zip encryption)", d.name, ErrEncrypted)
	}
	size := f.UncompressedSize64
	if size > uint64(d.lim.MaxPartSize) {
		return nil, nil, fmt.Errorf("%s: %s: %w: declared %d bytes inflated, limit %d", d.name, part, ErrTooLarge, size, d.lim.MaxPartSize)
	}
	if size > ratioFloor && f.Method != zip.Store && size/max(f.CompressedSize64, 1) > uint64(d.lim.MaxRatio) {
		return nil, nil, fmt.Errorf("%s: %s: %w: declared compression ratio over %d:1 (zip bomb?)", d.name, part, ErrTooLarge, d.lim.MaxRatio)
	}
	if int64(size) > d.lim.MaxTotalSize-d.total {
		return nil, nil, fmt.Errorf("%s: %s: %w: parts inflate to over %d bytes", d.name, part, ErrTooLarge, d.lim.MaxTotalSize)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, corrupt(d.name, part, err)
	}
	m := &meter{d: d, r: rc, part: part}
	if d.x == nil {
		d.x = newXMLScanner(m, d.lim.MaxDepth)
	} else {
		d.x.reset(m, d.lim.MaxDepth)
	}
	return d.x, rc, nil
}

// once reports whether part is read for the first time, and marks it: a
// part referenced twice (two slide ids, one slide) is read once, so that
// references cannot multiply the work.
func (d *doc) once(part string) bool {
	k := normPath(part)
	if d.seen[k] {
		return false
	}
	d.seen[k] = true
	return true
}

// fail wraps an error met while reading part: limits, ctx and I/O errors
// keep their identity, anything else marks the document corrupt.
func (d *doc) fail(part string, err error) error {
	var le *limitError
	switch {
	case isYieldErr(err):
		return err
	case errors.As(err, &le):
		return fmt.Errorf("%s: %s: %w", d.name, part, le.err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", d.name, err)
	case errors.Is(err, ErrTooLarge):
		return fmt.Errorf("%s: %s: %w", d.name, part, err)
	}
	return corrupt(d.name, part, err)
}

// corrupt is an extract.ErrCorrupt error naming the document and part.
// detail never carries document content.
func corrupt(name, part string, detail any) error {
	if part == "" {
		return fmt.Errorf("%s: %w: %v", name, extract.ErrCorrupt, detail)
	}
	return fmt.Errorf("%s: %w: %s: %v", name, extract.ErrCorrupt, part, detail)
}

// limitError carries an ErrTooLarge or ctx error out of the scanner
// unchanged by the corrupt-file wrapping.
type limitError struct{ err error }

func (e *limitError) Error() string { return e.err.Error() }
func (e *limitError) Unwrap() error { return e.err }

// meter is the reader every inflated byte passes through: it enforces the
// part and total caps as the bytes come (Go's zip reader already fails a
// part that inflates beyond its declared size) and checks ctx.
type meter struct {
	d    *doc
	r    io.Reader
	part string
	n    int64
}

func (m *meter) Read(p []byte) (int, error) {
	if err := m.d.ctx.Err(); err != nil {
		return 0, &limitError{err}
	}
	n, err := m.r.Read(p)
	m.n += int64(n)
	m.d.total += int64(n)
	switch {
	case m.n > m.d.lim.MaxPartSize:
		return n, &limitError{fmt.Errorf("%w: inflates to over %d bytes", ErrTooLarge, m.d.lim.MaxPartSize)}
	case m.d.total > m.d.lim.MaxTotalSize:
		return n, &limitError{fmt.Errorf("%w: parts inflate to over %d bytes", ErrTooLarge, m.d.lim.MaxTotalSize)}
	}
	return n, err
}

// countEntries counts the records of the zip's central directory without
// parsing them and fails with ErrTooLarge past maxEntries. archive/zip
// reads every record into a File (some 250 bytes each) whatever count the
// end record declares, so a 256 MiB zip of empty entries would cost
// gigabytes before any check. What this walk does not understand is left
// for archive/zip to report.
func countEntries(ra io.ReaderAt, size int64, maxEntries int) error {
	const eocdLen, maxComment = 22, 65535
	tooMany := fmt.Errorf("%w: more than %d zip entries", ErrTooLarge, maxEntries)
	tailLen := min(size, eocdLen+maxComment)
	if tailLen < eocdLen {
		return nil
	}
	tail := make([]byte, tailLen)
	if _, err := ra.ReadAt(tail, size-tailLen); err != nil && err != io.EOF {
		return nil
	}
	i := len(tail)
	for {
		i = bytes.LastIndex(tail[:i], []byte("PK\x05\x06"))
		if i < 0 {
			return nil
		}
		if len(tail)-i >= eocdLen && int(binary.LittleEndian.Uint16(tail[i+20:]))+eocdLen+i <= len(tail) {
			break
		}
	}
	eocd := tail[i:]
	eocdOff := size - tailLen + int64(i)
	records := uint64(binary.LittleEndian.Uint16(eocd[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(eocd[12:]))
	dirOff := uint64(binary.LittleEndian.Uint32(eocd[16:]))
	if records == 0xFFFF || dirSize == 0xFFFFFFFF || dirOff == 0xFFFFFFFF {
		var loc [20]byte
		if eocdOff < 20 {
			return nil
		}
		if _, err := ra.ReadAt(loc[:], eocdOff-20); err != nil || !bytes.HasPrefix(loc[:], []byte("PK\x06\x07")) {
			return nil
		}
		var end [56]byte
		endOff := binary.LittleEndian.Uint64(loc[8:])
		if endOff > uint64(size) {
			return nil
		}
		if _, err := ra.ReadAt(end[:], int64(endOff)); err != nil || !bytes.HasPrefix(end[:], []byte("PK\x06\x06")) {
			return nil
		}
		records = binary.LittleEndian.Uint64(end[32:])
		dirSize = binary.LittleEndian.Uint64(end[40:])
		dirOff = binary.LittleEndian.Uint64(end[48:])
	}
	if records > uint64(maxEntries) {
		return tooMany
	}
	// As archive/zip: the directory may be relative to a prefix.
	start := int64(-1)
	for _, off := range []uint64{dirOff, uint64(eocdOff) - dirSize} {
		var sig [4]byte
		if off < uint64(size) {
			if _, err := ra.ReadAt(sig[:], int64(off)); err == nil && string(sig[:]) == "PK\x01\x02" {
				start = int64(off)
				break
			}
		}
	}
	if start < 0 {
		return nil
	}
	br := bufio.NewReaderSize(io.NewSectionReader(ra, start, size-start), 64<<10)
	var rec [46]byte
	for n := 0; ; n++ {
		if _, err := io.ReadFull(br, rec[:]); err != nil || string(rec[:4]) != "PK\x01\x02" {
			return nil
		}
		if n >= maxEntries {
			return tooMany
		}
		skip := int(binary.LittleEndian.Uint16(rec[28:])) + int(binary.LittleEndian.Uint16(rec[30:])) + int(binary.LittleEndian.Uint16(rec[32:]))
		if _, err := br.Discard(skip); err != nil {
			return nil
		}
	}
}
