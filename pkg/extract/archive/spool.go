package archive

import (
	"errors"
	"io"

	"github.com/datahygiene/datahygiene/pkg/extract/spool"
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
// io.ReaderAt of known size is copied by pkg/extract/spool, first into
// memory and past spoolInMemory into a 0600 file in a fresh 0700
// directory, removed by release. The copy never exceeds the bytes the
// budget has left: nested inputs are metered, and so is the top-level
// stream here.
func (w *walker) randomAccess() (ra io.ReaderAt, size int64, release func(), err error) {
	if ra, ok := w.in.R.(io.ReaderAt); ok && w.in.Size >= 0 {
		return ra, w.in.Size, func() {}, nil
	}
	// spool's Max 0 means no cap: a spent budget still admits an empty
	// input, and the size check below refuses anything more.
	left := w.b.remaining()
	f, err := spool.Open(w.ctx, w.in.R, nil, w.in.Size, spool.Options{InMemory: spoolInMemory, Max: max(left, 1), Name: "archive"})
	switch {
	case err == nil && f.Size > left, errors.Is(err, spool.ErrTooLarge):
		if f != nil {
			f.Release()
		}
		return nil, 0, nil, w.b.errBytes()
	case err == nil:
		return f, f.Size, f.Release, nil
	case errors.Is(err, spool.ErrWrite), w.ctx.Err() != nil:
		return nil, 0, nil, err
	}
	return nil, 0, nil, corrupt(w.format, err)
}
