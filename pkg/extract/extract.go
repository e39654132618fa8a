package extract

import (
	"context"
	"errors"
	"io"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// Kind tells a consumer how to interpret Chunk.Data.
type Kind uint8

const (
	// Lines: Data holds one or more whole lines of text ('\n'-separated;
	// a final line may lack its '\n'). Loc.Line is the number of the
	// first line; the consumer counts newlines to locate later lines.
	// A line longer than the reader's block size is split into several
	// chunks, each with the same Loc.Line.
	Lines Kind = iota
	// Cell: Data is the value of one field of a table (CSV row/column or
	// spreadsheet cell). Loc is the cell's exact location and Header the
	// column's header text ("" when the table has no header row).
	Cell
)

// Chunk is a piece of a file's text, already decoded to UTF-8.
// Data is only valid during the yield call: readers reuse the buffer.
type Chunk struct {
	Kind   Kind
	Data   []byte
	Loc    finding.Location
	Header string
}

// Yield receives chunks in file order. Returning an error stops the reader,
// which returns that error unchanged.
type Yield func(*Chunk) error

// Input is an opened file handed to a reader.
type Input struct {
	// Name is the file's display path, used in error messages only.
	Name string
	// R reads the file's raw bytes from the start.
	R io.Reader
	// Size is the file's size in bytes (-1 if unknown).
	Size int64
	// RA, when non-nil, reads the same bytes as R at any offset (the scan
	// sets it for a regular file). Readers that need random access pass it
	// to spool.Open, which copies R only when RA is nil.
	RA io.ReaderAt
}

// Extractor reads one file format.
type Extractor interface {
	Extract(ctx context.Context, in Input, yield Yield) error
}

// ErrCorrupt marks input a reader could not parse. Readers wrap it with
// detail so that the scan reports the file as an error and goes on.
var ErrCorrupt = errors.New("corrupt or unsupported content")
