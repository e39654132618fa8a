package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// spoolInMemory is how much of an archive that needs random access (zip,
// 7z) is copied into memory when it arrives as a stream, as a nested
// archive does. Larger ones go to a temporary file. 32 MiB keeps the
// common case (a zip attachment, an export) off the disk, while the memory
// held stays small next to the 2-3 levels x workers that may spool at once.
// A variable only so that a test can exercise the file path cheaply.
var spoolInMemory int64 = 32 << 20

// randomAccess returns the input as an io.ReaderAt with its size, and a
// function that releases what it took. An input that is not already an
// io.ReaderAt of known size is copied, first into memory and past
// spoolInMemory into a 0600 file in a fresh 0700 directory, removed by
// release. The copy never exceeds the bytes the budget has left: nested
// inputs are metered, and so is the top-level stream here.
func (w *walker) randomAccess() (ra io.ReaderAt, size int64, release func(), err error) {
	if ra, ok := w.in.R.(io.ReaderAt); ok && w.in.Size >= 0 {
		return ra, w.in.Size, func() {}, nil
	}
	left := w.b.remaining()
	src := io.LimitReader(w.in.R, left+1)
	var buf bytes.Buffer
	if w.in.Size > 0 && w.in.Size <= spoolInMemory {
		buf.Grow(int(w.in.Size) + 1)
	}
	n, err := copyCtx(w, &buf, io.LimitReader(src, spoolInMemory+1))
	if err != nil {
		return nil, 0, nil, w.spoolErr(err)
	}
	if n <= spoolInMemory {
		if n > left {
			return nil, 0, nil, w.b.errBytes()
		}
		return bytes.NewReader(buf.Bytes()), n, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "datahygiene-archive-")
	if err != nil {
		return nil, 0, nil, fmt.Errorf("archive spool: %w", err)
	}
	release = func() { os.RemoveAll(dir) }
	f, err := os.OpenFile(dir+"/spool", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		release()
		return nil, 0, nil, fmt.Errorf("archive spool: %w", err)
	}
	release = func() { f.Close(); os.RemoveAll(dir) }
	if _, err := f.Write(buf.Bytes()); err != nil {
		release()
		return nil, 0, nil, fmt.Errorf("archive spool: %w", err)
	}
	buf = bytes.Buffer{}
	m, err := copyCtx(w, f, src)
	if err != nil {
		release()
		return nil, 0, nil, w.spoolErr(err)
	}
	if n+m > left {
		release()
		return nil, 0, nil, w.b.errBytes()
	}
	return f, n + m, release, nil
}

// errSpool marks a failure to write the temporary copy: a local problem
// (disk full), not the archive's.
var errSpool = errors.New("archive spool")

// spoolErr keeps limits, cancellation and spool failures as they are;
// anything else while reading a nested archive's bytes is corruption.
func (w *walker) spoolErr(err error) error {
	if errors.Is(err, errSpool) {
		return err
	}
	return corrupt(w.format, err)
}

// copyCtx copies src to dst in blocks, checking ctx between them.
func copyCtx(w *walker, dst io.Writer, src io.Reader) (int64, error) {
	buf := make([]byte, 64<<10)
	var n int64
	for {
		if err := w.ctx.Err(); err != nil {
			return n, err
		}
		k, err := src.Read(buf)
		if k > 0 {
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return n, fmt.Errorf("%w: %w", errSpool, werr)
			}
			n += int64(k)
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
