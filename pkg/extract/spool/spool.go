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

// ErrWrite marks a failure to write the temporary copy (a full disk): a
// local problem, not the input's.
var ErrWrite = errors.New("spool: writing the temporary copy")

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
	// Name names the temporary directory, datahygiene-NAME-*, so that one
	// left by a killed process says what made it. "" means "spool".
	Name string
	// Dir, when set, gives an existing private directory (0700) to write
	// the copy in, for a caller that spills more than one file: Release
	// then removes the copy, and the caller the directory.
	Dir func() (string, error)
}

// File is a random-access view of an input. Release it when done.
type File struct {
	io.ReaderAt
	Size int64
	f    *os.File
	dir  string // a directory of our own, removed by Release
	path string // the copy in a caller's directory
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
	if f.path != "" {
		os.Remove(f.path)
		f.path = ""
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
	out, err := create(opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	f := out.f
	if _, err := f.Write(buf.Bytes()); err != nil {
		out.Release()
		return nil, fmt.Errorf("%w: %w", ErrWrite, err)
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

// create makes the file of a copy, 0600, in opts.Dir or a fresh 0700
// directory.
func create(opts Options) (*File, error) {
	if opts.Dir != nil {
		dir, err := opts.Dir()
		if err != nil {
			return nil, err
		}
		f, err := os.CreateTemp(dir, "input-")
		if err != nil {
			return nil, err
		}
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
		return &File{ReaderAt: f, f: f, path: f.Name()}, nil
	}
	name := opts.Name
	if name == "" {
		name = "spool"
	}
	dir, err := os.MkdirTemp("", "datahygiene-"+name+"-")
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(dir+"/spool", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &File{ReaderAt: f, f: f, dir: dir}, nil
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
				return n, fmt.Errorf("%w: %w", ErrWrite, werr)
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
