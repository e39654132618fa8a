package text

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
)

// DefaultBlockSize is the block size of a zero Reader: large enough that the
// per-chunk cost (one yield, one newline count) disappears next to the
// detectors' work, small enough to keep many workers well under the memory
// budget.
const DefaultBlockSize = 256 << 10

// splitWindow is how far back from the end of a full block Reader looks for
// whitespace at which to cut a line that does not fit in the block. Tokens the
// detectors look for (numbers, e-mail addresses, keys) are far shorter.
const splitWindow = 4 << 10

// Reader extracts plain text. The zero value is ready to use.
type Reader struct {
	// BlockSize is the size of the read buffer and so the largest chunk
	// Reader yields; 0 means DefaultBlockSize.
	BlockSize int
}

var _ extract.Extractor = Reader{}

// bufPool recycles block buffers across files, so scanning many small files
// does not allocate a block per file.
var bufPool sync.Pool // of *[]byte

// Extract decodes in.R with Decode and yields chunks of Kind extract.Lines.
// Each chunk ends with '\n', or at the end of the input, or where a line
// longer than the block was cut; Loc.Line is the number of the chunk's first
// line, and every piece of a cut line carries that line's number.
func (r Reader) Extract(ctx context.Context, in extract.Input, yield extract.Yield) error {
	size := r.BlockSize
	if size <= 0 {
		size = DefaultBlockSize
	}
	bp, _ := bufPool.Get().(*[]byte)
	if bp == nil || cap(*bp) < size {
		b := make([]byte, size)
		bp = &b
	}
	defer bufPool.Put(bp)
	buf := (*bp)[:size]

	src := Decode(in.R)
	var ch extract.Chunk
	line := 1
	n := 0 // bytes held in buf
	eof := false
	for {
		for empty := 0; n < size && !eof; {
			m, err := src.Read(buf[n:])
			n += m
			switch {
			case err == io.EOF:
				eof = true
			case err != nil:
				return fmt.Errorf("%s: reading text: %w", in.Name, err)
			case m == 0:
				if empty++; empty == maxEmptyReads {
					return fmt.Errorf("%s: reading text: %w", in.Name, errNoProgress)
				}
			}
		}
		if n == 0 {
			return nil
		}
		end := n // at the end of the input, everything left
		if !eof {
			if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
				end = i + 1
			} else {
				end = splitPoint(buf[:n])
			}
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		data := buf[:end]
		lines := bytes.Count(data, newline)
		ch = extract.Chunk{Kind: extract.Lines, Data: data, Loc: finding.Location{Line: line}}
		if err := yield(&ch); err != nil {
			return err
		}
		line += lines
		n = copy(buf, buf[end:n])
	}
}

var newline = []byte{'\n'}

// splitPoint says where to cut a full block b that holds no '\n': just after
// the last whitespace byte within splitWindow of its end, or else at its end,
// moved back so as not to cut a UTF-8 sequence in two. It is always > 0.
func splitPoint(b []byte) int {
	lo := max(len(b)-splitWindow, 0)
	for i := len(b) - 1; i >= lo; i-- {
		switch b[i] {
		case ' ', '\t', '\r', '\v', '\f':
			return i + 1
		}
	}
	if t := incompleteTail(b); t > 0 && t < len(b) {
		return len(b) - t
	}
	return len(b)
}
