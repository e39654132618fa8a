package report

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// Streamer writes a report while the scan runs: the scan hands it each
// file as that file finishes, in completion order, and the finished report
// at the end. Only ndjson really streams; for every other format the
// streamer keeps nothing per file and renders the whole report at Close, so
// that a caller can use one code path for all formats.
//
// A Streamer is safe for concurrent use, so scan workers may call File
// directly.
type Streamer interface {
	// File adds one file's result. Files for which Reportable is false
	// (clean scanned files) are ignored, so the caller may pass every file.
	File(f finding.FileResult) error
	// Close writes what only the finished report knows (ndjson: the
	// summary line; other formats: everything). r must be the finished
	// report, holding the same files as were streamed. File must not be
	// called after Close.
	Close(r *Report) error
}

// streamFormats names the formats whose output is written file by file.
var streamFormats = map[string]func(io.Writer) Streamer{
	"ndjson": func(w io.Writer) Streamer { return &ndjsonStreamer{w: &stickyWriter{w: w}} },
}

// Streams tells whether format writes each file as the scan finishes it,
// rather than everything at the end.
func Streams(format string) bool {
	_, ok := streamFormats[format]
	return ok
}

// NewStreamer returns a Streamer writing format to w, or an error naming
// the valid formats. opts tune the human-oriented formats as in NewWriter.
func NewStreamer(format string, w io.Writer, opts Options) (Streamer, error) {
	if w == nil {
		return nil, errors.New("report streamer: no writer")
	}
	if s, ok := streamFormats[format]; ok {
		return s(w), nil
	}
	wr, err := NewWriter(format, opts)
	if err != nil {
		return nil, err
	}
	return &batchStreamer{w: w, wr: wr}, nil
}

// batchStreamer adapts a batch Writer: the files arrive again in the
// finished report, so File has nothing to do.
type batchStreamer struct {
	w  io.Writer
	wr Writer

	mu     sync.Mutex
	closed bool
}

func (b *batchStreamer) File(finding.FileResult) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return errStreamClosed
	}
	return nil
}

func (b *batchStreamer) Close(r *Report) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return errStreamClosed
	}
	b.closed = true
	return b.wr.Write(b.w, r)
}

var errStreamClosed = errors.New("report streamer: already closed")

// stickyWriter remembers the first write error, so that a streamer whose
// output broke (a full disk, a closed pipe) reports it on every later call
// instead of writing half-lines after a gap.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		s.err = fmt.Errorf("writing report: %w", err)
	}
	return n, s.err
}
