package xls

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/richardlehane/mscfb"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/spool"
)

// DefaultMaxCells is the cell cap of a Reader whose MaxCells is not set,
// the same as the xlsx reader's.
const DefaultMaxCells = 50_000_000

// Limits on the container, checked before any cell is read.
const (
	// maxFileSize caps the compound file. Excel 97-2003 sheets hold
	// 65,536 rows by 256 columns, and real workbooks stay well under
	// 100 MB; a stream arriving without random access is copied to
	// memory (32 MiB) or to a private temporary file (spool) first.
	maxFileSize = 256 << 20
	// cfbBudget caps the bytes mscfb reads while it opens the file
	// (header, DIFAT, directory, mini-stream chains), each read counted
	// as one 512-byte sector at least, so at most 32,768 reads. Real
	// files need a few dozen; hostile chains could otherwise make mscfb
	// follow millions of links or build millions of directory entries,
	// several times the file's size in memory.
	cfbBudget = 16 << 20
)

var (
	// ErrEncrypted means the workbook is password-protected: its globals
	// hold a FILEPASS record (RC4 or XOR obfuscation), or the compound
	// file is an encrypted OOXML package. Nothing was yielded.
	ErrEncrypted = errors.New("workbook is encrypted")
	// ErrTooManyCells means the workbook has more non-empty cells than
	// Reader.MaxCells; chunks yielded before the cap was hit stand.
	ErrTooManyCells = errors.New("too many cells")
	// ErrTooLarge means the workbook exceeds a size limit: 256 MiB of
	// file, 128 MiB of shared-string text or 16 Mi shared strings
	// (nothing was yielded), or 64 MiB of text in one row.
	ErrTooLarge = errors.New("workbook too large")
)

// Reader reads Excel 97-2003 (BIFF8) and Excel 5.0/95 (BIFF5/7) workbooks.
// The zero value is ready to use.
type Reader struct {
	// MaxCells caps the non-empty cells read, header cells included;
	// 0 or less means DefaultMaxCells.
	MaxCells int64
	// Workbook, when set, is the file OpenWorkbook opened: Extract reads
	// it instead of in.R and in.RA (in.Name still names it), without
	// parsing the compound file again.
	Workbook *Workbook

	// allRows (tests) turns off header detection.
	allRows bool
}

var _ extract.Extractor = (*Reader)(nil)

// Extract yields every non-empty cell of every worksheet, in workbook
// order and row by row. Errors wrap extract.ErrCorrupt, ErrEncrypted,
// ErrTooLarge or ErrTooManyCells, or are ctx's error or the error yield
// returned.
func (r *Reader) Extract(ctx context.Context, in extract.Input, yield extract.Yield) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	rd, ra, size := in.R, in.RA, in.Size
	if wb := r.Workbook; wb != nil {
		rd, ra, size = nil, wb.ra, wb.size
	}
	f, err := spool.Open(ctx, rd, ra, size, spool.Options{Max: maxFileSize})
	if err != nil {
		if errors.Is(err, spool.ErrTooLarge) {
			return fmt.Errorf("%s: %w: %v", in.Name, ErrTooLarge, err)
		}
		return fmt.Errorf("%s: %w", in.Name, err)
	}
	defer f.Release()
	w := newWalker(in.Name, r.MaxCells, r.allRows, yield)
	// The parsers index into hostile data, and mscfb has panicked on
	// broken files in other readers' hands: a panic there is a corrupt
	// file, not a crash. A panic inside yield is the consumer's bug and
	// goes on unchanged.
	defer func() {
		if p := recover(); p != nil {
			if w.inYield {
				panic(p)
			}
			err = corrupt(in.Name, fmt.Errorf("reader panicked: %v", p))
		}
	}()
	var src io.ReadSeeker
	var n int64
	if wb := r.Workbook; wb != nil {
		// OpenWorkbook read the first record: start over.
		src, n = wb.stream, wb.n
		if _, err := src.Seek(0, io.SeekStart); err != nil {
			return w.fail(ctx, "", errors.New("cannot rewind the workbook stream"))
		}
	} else if src, n, err = openStream(f, f.Size, cfbBudget); err != nil {
		return w.fail(ctx, "", err)
	}
	return readWorkbook(ctx, src, n, w)
}

// readWorkbook reads a workbook stream: the globals, then each worksheet
// in the order of the BOUNDSHEET records, which is the order of the tabs.
func readWorkbook(ctx context.Context, src io.ReadSeeker, size int64, w *walker) error {
	s := &stream{rr: newRecordReader(src, size), ctx: ctx}
	b, err := s.readGlobals()
	if err != nil {
		return w.fail(ctx, "workbook globals", err)
	}
	// Each substream is read once: a sheet that starts inside one read
	// before would yield its cells again, or make a loop of a few bytes
	// cost as much as the whole stream once per BOUNDSHEET record.
	spans := [][2]int64{{0, s.rr.pos}}
	for i := range b.sheets {
		sh := &b.sheets[i]
		if sh.kind != 0 && sh.kind != 1 {
			continue // charts and VBA modules hold no cells
		}
		for _, sp := range spans {
			if sp[0] <= sh.pos && sh.pos < sp[1] {
				return w.fail(ctx, fmt.Sprintf("sheet %q", sh.name), errOverlap)
			}
		}
		if err := s.readSheet(w, b, sh); err != nil {
			return w.fail(ctx, fmt.Sprintf("sheet %q", sh.name), err)
		}
		spans = append(spans, [2]int64{sh.pos, s.rr.pos})
	}
	return nil
}

// fail wraps an error met while reading: yield's error and ctx's go on
// unchanged, limits keep their own error, anything else is a corrupt file.
func (w *walker) fail(ctx context.Context, where string, err error) error {
	switch {
	case w.yieldErr != nil:
		return w.yieldErr
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return err
	case errors.Is(err, ErrTooManyCells):
		return err
	}
	if where != "" {
		err = fmt.Errorf("%s: %w", where, err)
	}
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrEncrypted) {
		return fmt.Errorf("%s: %w", w.name, err)
	}
	return corrupt(w.name, err)
}

func corrupt(name string, err error) error {
	return fmt.Errorf("%s: %w: %v", name, extract.ErrCorrupt, err)
}

// openStream finds the workbook stream at the top of the compound file:
// "Workbook" (BIFF8), or "Book" (BIFF5/7) when there is none, as Excel
// does for a file saved in both formats.
func openStream(ra io.ReaderAt, size, openBudget int64) (io.ReadSeeker, int64, error) {
	var magic [8]byte
	if _, err := ra.ReadAt(magic[:], 0); err != nil || string(magic[:]) != cfbMagic {
		return nil, 0, errors.New("not an OLE2 compound file")
	}
	budget := &budgetReaderAt{ra: ra, left: openBudget}
	doc, err := mscfb.New(budget)
	if err != nil {
		if budget.exhausted {
			return nil, 0, errors.New("compound file directory too large")
		}
		// mscfb's messages end with a value read from the file: leave
		// it out, as the file's content stays out of every error.
		msg, _, _ := strings.Cut(err.Error(), ";")
		return nil, 0, fmt.Errorf("broken compound file: %s", msg)
	}
	budget.left = -1 // streams are bounded by their size instead
	var workbook, book *mscfb.File
	encrypted := false
	for _, e := range doc.File {
		if len(e.Path) != 0 || e.FileInfo().IsDir() {
			continue
		}
		switch strings.ToLower(e.Name) {
		case "workbook":
			workbook = e
		case "book":
			book = e
		case "encryptedpackage":
			encrypted = true
		}
	}
	if workbook == nil {
		workbook = book
	}
	switch {
	case workbook == nil && encrypted:
		return nil, 0, fmt.Errorf("%w: an encrypted Office Open XML package", ErrEncrypted)
	case workbook == nil:
		return nil, 0, errors.New("no Workbook stream: not an Excel workbook")
	case workbook.Size > size:
		return nil, 0, fmt.Errorf("workbook stream of %d bytes in a %d-byte file", workbook.Size, size)
	}
	return workbook, workbook.Size, nil
}

// cfbMagic starts every OLE2 compound file.
const cfbMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"

// budgetReaderAt fails once it has read left bytes; left < 0 turns it off.
// (mscfb keeps only the text of the errors it meets, hence exhausted.)
type budgetReaderAt struct {
	ra        io.ReaderAt
	left      int64
	exhausted bool
}

func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if b.left >= 0 {
		cost := max(int64(len(p)), 512)
		if cost > b.left {
			b.exhausted = true
			return 0, errors.New("read budget exhausted")
		}
		b.left -= cost
	}
	return b.ra.ReadAt(p, off)
}

// Workbook is a compound file that OpenWorkbook has opened and found to
// hold a workbook stream. Handing it to Reader.Workbook lets Extract read
// that stream without parsing the compound file again: the scan asks
// whether a legacy Office file is a workbook before it picks a reader, and
// the directory is the costly part of both questions. One Extract at a
// time may read a Workbook: it holds the stream's read position.
type Workbook struct {
	ra     io.ReaderAt
	size   int64
	stream io.ReadSeeker // the Workbook (or Book) stream
	n      int64         // its size
}

// OpenWorkbook opens the compound file in ra (size bytes) and returns it
// if it holds a workbook stream ("Workbook" or "Book") that starts with a
// BOF record, nil otherwise: whether Reader, rather than a reader of other
// legacy Office files, should read it. It reads only the directory and the
// first record. ra must stay readable until the Workbook is read.
func OpenWorkbook(ra io.ReaderAt, size int64) (wb *Workbook) {
	defer func() {
		if recover() != nil {
			wb = nil
		}
	}()
	src, n, err := openStream(ra, size, cfbBudget)
	if err != nil {
		return nil
	}
	if _, _, err := (&stream{rr: newRecordReader(src, n), ctx: context.Background()}).bof(); err != nil {
		return nil
	}
	return &Workbook{ra: ra, size: size, stream: src, n: n}
}
