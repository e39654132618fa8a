package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// counter counts the bytes read through it: the compressed bytes a decoder
// has consumed, read-ahead included (which only makes the measured ratio
// lower, never a false alarm).
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// counterAt counts the bytes read through ReadAt: zip and 7z readers read
// the compressed data of the entry being decoded through it.
type counterAt struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *counterAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// archiveTotal accounts for the output of a whole archive against its
// size: entries whose compressed data overlap (the "better zip bomb") each
// look reasonable, but together they make far more than the archive holds.
type archiveTotal struct {
	size int64 // compressed size of the archive
	out  int64 // bytes produced by all its entries so far
}

// meter is the reader through which every decompressed byte passes. It
// charges the shared Budget, enforces an entry size, and checks the
// compression ratio as it goes, so that a bomb is stopped after at most
// max(ratioFloor, MaxRatio x consumed) bytes rather than after all of it.
// It also turns decoder failures (panics included) into errors wrapping
// extract.ErrCorrupt, and honours ctx.
type meter struct {
	ctx    context.Context
	r      io.Reader
	b      *Budget
	format Format
	// charge: the bytes count against the Budget. False for the entries
	// of a tar inside a compressed stream, whose bytes the stream's own
	// meter has already charged.
	charge bool
	// in, when set, returns the compressed bytes consumed so far for this
	// stream, for the ratio check.
	in   func() int64
	arch *archiveTotal
	// max is the entry size limit (0: none); n the bytes produced.
	max int64
	n   int64
	err error
}

// maxZeroReads bounds how often a reader may return (0, nil) in a row.
const maxZeroReads = 100

func (m *meter) Read(p []byte) (n int, err error) {
	if m.err != nil {
		return 0, m.err
	}
	if err := m.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	room := int64(len(p))
	var limit error
	if m.charge {
		if r := m.b.remaining(); r < room {
			room, limit = r, m.b.errBytes()
		}
	}
	if m.max > 0 {
		if r := m.max - m.n; r < room {
			room, limit = r, m.b.errEntrySize()
		}
	}
	if room <= 0 {
		// At a limit: fine if the data ends here, an error if it goes on.
		// The probe byte is never handed out.
		var one [1]byte
		for range maxZeroReads {
			k, err := m.read(one[:])
			if k > 0 {
				m.err = limit
				return 0, m.err
			}
			if err != nil {
				m.err = err
				return 0, err
			}
		}
		m.err = io.ErrNoProgress
		return 0, m.err
	}
	n, err = m.read(p[:room])
	m.n += int64(n)
	if m.charge {
		m.b.add(int64(n))
	}
	if m.arch != nil {
		m.arch.out += int64(n)
		if m.b.overRatio(m.arch.out, m.arch.size) {
			m.err = m.b.errRatio()
			return n, m.err
		}
	}
	if m.in != nil && m.b.overRatio(m.n, m.in()) {
		m.err = m.b.errRatio()
		return n, m.err
	}
	if err != nil {
		m.err = err
	}
	return n, err
}

// read calls the decoder, turning its failures into ErrCorrupt.
func (m *meter) read(p []byte) (n int, err error) {
	defer func() {
		if v := recover(); v != nil {
			n, err = 0, corrupt(m.format, fmt.Errorf("decoder panic: %v", v))
		}
	}()
	n, err = m.r.Read(p)
	if err != nil && err != io.EOF {
		err = corrupt(m.format, err)
	}
	return n, err
}

// corrupt wraps a reader's failure in extract.ErrCorrupt, leaving limits,
// encryption and cancellation recognisable. Library messages describe
// structure ("invalid header"), never content.
func corrupt(f Format, err error) error {
	var le *LimitError
	switch {
	case errors.As(err, &le), errors.Is(err, ErrEncrypted), errors.Is(err, extract.ErrCorrupt),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%w: %s: %v", extract.ErrCorrupt, f.display(), err)
}

// errReader is the reader of an entry that cannot be read (encrypted,
// too large, unsupported method): every Read returns its error.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
