// Package spool gives readers that need random access (zip-based
// documents, PDF, OLE2) a seekable copy of an input that arrives as a
// stream: an archive member, a mail attachment, a file behind a counting
// reader. Small inputs are held in memory, larger ones go to a 0600 file in
// a fresh 0700 temporary directory that Release removes, so that the heap
// stays small while a large document is read.
package spool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge is returned when the input exceeds Options.Max.
var ErrTooLarge = errors.New("file too large to read")

// DefaultInMemory is how much of a stream is kept in memory before it is
// copied to a temporary file.
const DefaultInMemory = 32 << 20

// Options bound a copy.
type Options struct {
	// InMemory is the most bytes held in memory; beyond it the copy goes
	// to a temporary file. 0 means DefaultInMemory.
	InMemory int64
	// Max caps the input's size; a larger input fails with ErrTooLarge
	// (after reading at most Max+1 bytes). 0 means no cap.
	Max int64
}

// File is a random-access view of an input. Release it when done.
type File struct {
	io.ReaderAt
	Size int64
	f    *os.File
	dir  string
}

// Release removes the temporary copy, if any. It is safe to call twice.
func (f *File) Release() {
	if f.f != nil {
		f.f.Close()
		f.f = nil
	}
	if f.dir != "" {
		os.RemoveAll(f.dir)
		f.dir = ""
	}
}

// Open returns r as a File. When ra is non-nil and size is known (>= 0),
// it is used as is, without a copy; otherwise r is read to its end.
func Open(ctx context.Context, r io.Reader, ra io.ReaderAt, size int64, opts Options) (*File, error) {
	if opts.InMemory <= 0 {
		opts.InMemory = DefaultInMemory
	}
	if opts.Max > 0 && size > opts.Max {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, size, opts.Max)
	}
	if ra != nil && size >= 0 {
		return &File{ReaderAt: ra, Size: size}, nil
	}
	limit := int64(-1)
	if opts.Max > 0 {
		limit = opts.Max + 1
	}
	src := r
	if limit > 0 {
		src = io.LimitReader(r, limit)
	}
	var buf bytes.Buffer
	if size > 0 && size <= opts.InMemory {
		buf.Grow(int(size) + 1)
	}
	n, err := copyCtx(ctx, &buf, io.LimitReader(src, opts.InMemory+1))
	if err != nil {
		return nil, err
	}
	if n <= opts.InMemory {
		if opts.Max > 0 && n > opts.Max {
			return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, opts.Max)
		}
		return &File{ReaderAt: bytes.NewReader(buf.Bytes()), Size: n}, nil
	}
	dir, err := os.MkdirTemp("", "datahygiene-spool-")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	out := &File{dir: dir}
	f, err := os.OpenFile(dir+"/spool", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		out.Release()
		return nil, fmt.Errorf("spool: %w", err)
	}
	out.f, out.ReaderAt = f, f
	if _, err := f.Write(buf.Bytes()); err != nil {
		out.Release()
		return nil, fmt.Errorf("spool: %w", err)
	}
	buf = bytes.Buffer{}
	m, err := copyCtx(ctx, f, src)
	if err != nil {
		out.Release()
		return nil, err
	}
	out.Size = n + m
	if opts.Max > 0 && out.Size > opts.Max {
		out.Release()
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, opts.Max)
	}
	return out, nil
}

// copyCtx copies src to dst in blocks, checking ctx between them.
func copyCtx(ctx context.Context, dst io.Writer, src io.Reader) (int64, error) {
	buf := make([]byte, 64<<10)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, err := src.Read(buf)
		if k > 0 {
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return n, fmt.Errorf("spool: %w", werr)
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
