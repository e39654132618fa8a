package office

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/archive"
	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
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
	x     *xmlscan.Scanner     // reused from part to part
}

// openZip checks the entry count, then opens the zip.
func openZip(ctx context.Context, name string, ra io.ReaderAt, size int64, lim Limits) (*doc, error) {
	if archive.ZipHasMoreEntries(ra, size, lim.MaxEntries) {
		return nil, fmt.Errorf("%s: %w: more than %d zip entries", name, ErrTooLarge, lim.MaxEntries)
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
func (d *doc) open(part string) (*xmlscan.Scanner, io.Closer, error) {
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
		d.x = xmlscan.New(m, scanOptions(d.lim.MaxDepth))
	} else {
		d.x.Reset(m, scanOptions(d.lim.MaxDepth))
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
