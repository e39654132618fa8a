package archive

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/bodgit/sevenzip"
)

// sevenZip walks a 7z archive with bodgit/sevenzip. Before the library
// sees the archive, checkSevenZipHeader recognises encrypted headers
// (7z -mhe), which the library reports only as an unclear failure, and
// refuses header counts the library would allocate for before reading them.
// Declared sizes are checked against the limits before anything is
// decompressed; the library then yields exactly the declared size of each
// file.
//
// In a solid archive, files share one compressed stream, so skipping the
// rest of a file means decompressing it anyway to reach the next one. The
// walk does that itself, through the meter, so that the skipped bytes are
// charged and ratio-checked like the rest.
func (w *walker) sevenZip() error {
	ra, size, release, err := w.randomAccess()
	if err != nil {
		return err
	}
	defer release()
	if err := checkSevenZipHeader(ra, size, w.b.limits.MaxEntries, w.b.limits.MaxTotalBytes); err != nil {
		return err
	}
	zr, err := newSevenZipReader(ra, size)
	if err != nil {
		var re *sevenzip.ReadError
		if errors.As(err, &re) && re.Encrypted {
			return fmt.Errorf("7z headers: %w", ErrEncrypted)
		}
		return corrupt(SevenZip, err)
	}
	shares := sharedStreams(zr.File)
	if err := w.checkSevenZipDeclared(zr.File, shares, size); err != nil {
		return err
	}
	arch := &archiveTotal{size: size}
	maxEntry := w.b.limits.MaxEntrySize
	for i, f := range zr.File {
		if err := w.next(); err != nil {
			return err
		}
		if !f.FileInfo().Mode().IsRegular() {
			continue
		}
		e := &Entry{Name: f.Name, Size: clampInt64(f.UncompressedSize), Modified: f.Modified}
		oversize := f.UncompressedSize > uint64(maxEntry)
		drain := shares[i]
		var m *meter
		var rc io.ReadCloser
		var err error
		if !oversize || drain {
			rc, err = openSevenZip(f)
			if err == nil {
				m = &meter{ctx: w.ctx, r: rc, b: w.b, format: SevenZip, charge: true, arch: arch, max: maxEntry}
			}
		}
		switch {
		case oversize:
			e.R = errReader{w.b.errEntrySize()}
		case errors.Is(err, ErrEncrypted):
			e.Encrypted, e.R = true, errReader{err}
		case err != nil:
			e.R = errReader{err}
		default:
			br := bufio.NewReaderSize(m, 32<<10)
			// A password-protected file fails on its first block;
			// find out before handing it over.
			if _, err := br.Peek(1); errors.Is(err, ErrEncrypted) {
				e.Encrypted, e.R = true, errReader{err}
			} else {
				e.R = br
			}
		}
		err = w.yield(e)
		if m != nil && err == nil && drain {
			// Drain through the meter, without the entry size
			// limit: the declared total has passed the budget.
			m.max = 0
			_, err = io.Copy(io.Discard, m)
			if errors.Is(err, ErrEncrypted) || (err != nil && !errors.Is(err, ErrLimit) && w.ctx.Err() == nil) {
				// The entry was reported as it is; the next one
				// will fail in its own right if the stream is bad.
				err = nil
			}
		}
		if rc != nil {
			rc.Close()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// sharedStreams reports for each file whether the next file with data
// after it is in the same solid stream, in one pass from the end (asking
// each file in turn would be quadratic in a run of empty files).
func sharedStreams(files []*sevenzip.File) []bool {
	shares := make([]bool, len(files))
	next := -1 // stream of the next file with data
	for i := len(files) - 1; i >= 0; i-- {
		shares[i] = next >= 0 && files[i].Stream == next
		if files[i].UncompressedSize > 0 {
			next = files[i].Stream
		}
	}
	return shares
}

// checkSevenZipDeclared applies the limits to the declared sizes. Every
// file with data counts, skipped or not, since in a solid stream reaching
// a file means decompressing those before it; only a file too large to
// read that no later file shares a stream with is never decompressed.
func (w *walker) checkSevenZipDeclared(files []*sevenzip.File, shares []bool, size int64) error {
	if len(files) > w.b.limits.MaxEntries {
		return w.b.errEntries()
	}
	var total int64
	for i, f := range files {
		if f.UncompressedSize > uint64(w.b.limits.MaxEntrySize) && !shares[i] {
			continue
		}
		u := clampInt64(f.UncompressedSize)
		if u > w.b.remaining()-total {
			return w.b.errBytes()
		}
		total += u
	}
	if w.b.overRatio(total, size) {
		return w.b.errRatio()
	}
	return nil
}

// newSevenZipReader opens the archive, turning a library panic into an
// error.
func newSevenZipReader(ra io.ReaderAt, size int64) (zr *sevenzip.Reader, err error) {
	defer func() {
		if v := recover(); v != nil {
			zr, err = nil, fmt.Errorf("7z reader panic: %v", v)
		}
	}()
	return sevenzip.NewReader(ra, size)
}

// openSevenZip opens one file for reading; its reader reports encryption
// as ErrEncrypted.
func openSevenZip(f *sevenzip.File) (rc io.ReadCloser, err error) {
	defer func() {
		if v := recover(); v != nil {
			rc, err = nil, corrupt(SevenZip, fmt.Errorf("7z reader panic: %v", v))
		}
	}()
	rc, err = f.Open()
	if err != nil {
		return nil, sevenZipErr(err)
	}
	return sevenZipFile{rc}, nil
}

type sevenZipFile struct{ io.ReadCloser }

func (f sevenZipFile) Read(p []byte) (int, error) {
	n, err := f.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = sevenZipErr(err)
	}
	return n, err
}

func sevenZipErr(err error) error {
	var re *sevenzip.ReadError
	if errors.As(err, &re) && re.Encrypted {
		return fmt.Errorf("7z entry: %w", ErrEncrypted)
	}
	return corrupt(SevenZip, err)
}
