package pdf

import (
	"bytes"
	"io"
)

// guardedFile is the file as the PDF library sees it. Every read checks the
// budget first, so that a loop in the library that keeps reading (a /Prev
// or /Extends cycle) ends at the deadline or when the context is cancelled:
// the library turns the failed read into a panic, which Extract recovers.
//
// It also shows a PDF 2.0 header as "%PDF-1.7": the library refuses any
// other version than 1.x, although the syntax it reads is the same.
type guardedFile struct {
	ra     io.ReaderAt
	b      *budget
	pdf20  bool
	header [8]byte
}

func newGuardedFile(ra io.ReaderAt, b *budget) *guardedFile {
	g := &guardedFile{ra: ra, b: b}
	var head [9]byte
	if n, _ := ra.ReadAt(head[:], 0); n == len(head) && bytes.HasPrefix(head[:], []byte("%PDF-2.")) {
		g.pdf20 = true
		copy(g.header[:], "%PDF-1.7")
	}
	return g
}

func (g *guardedFile) ReadAt(p []byte, off int64) (int, error) {
	if err := g.b.check(); err != nil {
		return 0, err
	}
	n, err := g.ra.ReadAt(p, off)
	if g.pdf20 && off < int64(len(g.header)) && n > 0 {
		copy(p[:n], g.header[off:])
	}
	return n, err
}

// meteredReader charges what it reads to the budget and stops when the
// budget or its own cap (max bytes for this one stream) runs out. The
// streams it wraps come decompressed out of the library (Value.Reader), so
// this is where a deflate bomb is stopped.
type meteredReader struct {
	r    io.Reader
	b    *budget
	left int64 // bytes this stream may still yield
	over error // returned when left runs out
}

func (m *meteredReader) Read(p []byte) (int, error) {
	if err := m.b.check(); err != nil {
		return 0, err
	}
	if m.left <= 0 {
		// The cap is reached: the stream may still end right here.
		var probe [1]byte
		if n, err := m.r.Read(probe[:]); n == 0 && err != nil {
			return 0, err
		}
		return 0, m.over
	}
	if int64(len(p)) > m.left {
		p = p[:m.left]
	}
	n, err := m.r.Read(p)
	m.left -= int64(n)
	if serr := m.b.spend(n); serr != nil {
		return n, serr
	}
	return n, err
}
