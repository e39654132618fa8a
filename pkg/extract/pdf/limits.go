package pdf

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// Limits bound the work one PDF may cause. A zero field takes its default
// (DefaultLimits); Check rejects negative values.
type Limits struct {
	// MaxPages is how many pages are read. Default 5,000: a page of 40
	// lines takes 0.2-0.4 ms of CPU (BenchmarkReader), so 5,000 pages
	// take a few seconds and pages ten times denser still fit in MaxTime;
	// longer documents (archived statements, log dumps) are rare enough
	// to be reported as skipped.
	MaxPages int
	// MaxTime is the time one file may take, checked between pages, every
	// thousand content-stream operators and on every read of the file.
	// Default 60 s: a hostile file (a page tree that keeps reopening the
	// same object stream, a content stream of millions of tiny runs)
	// should cost one worker a minute, not the scan.
	MaxTime time.Duration
	// MaxBytes caps the file's size and, separately, the decompressed
	// bytes read out of it (content streams, fonts' CMaps, object
	// streams), so that a deflate bomb costs at most this much inflation.
	// Default 1 GiB, the archive reader's byte limit: real documents
	// hold a few hundred KB of content a page at most.
	MaxBytes int64
}

const (
	defaultMaxPages = 5000
	defaultMaxTime  = 60 * time.Second
	defaultMaxBytes = 1 << 30
)

// DefaultLimits returns the limits a Reader with zero Limits uses.
func DefaultLimits() Limits {
	return Limits{MaxPages: defaultMaxPages, MaxTime: defaultMaxTime, MaxBytes: defaultMaxBytes}
}

// Check reports a negative limit, naming its flag; the CLI calls it once
// when it parses the flags.
func (l Limits) Check() error {
	switch {
	case l.MaxPages < 0:
		return fmt.Errorf("--pdf-max-pages: negative value %d", l.MaxPages)
	case l.MaxTime < 0:
		return fmt.Errorf("--pdf-max-time: negative value %v", l.MaxTime)
	case l.MaxBytes < 0:
		return fmt.Errorf("--pdf-max-bytes: negative value %d", l.MaxBytes)
	}
	return nil
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxPages <= 0 {
		l.MaxPages = d.MaxPages
	}
	if l.MaxTime <= 0 {
		l.MaxTime = d.MaxTime
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	return l
}

// Limit names the limit in a LimitError.
type Limit string

const (
	LimitPages Limit = "max-pages"
	LimitTime  Limit = "max-time"
	LimitBytes Limit = "max-bytes"
	// LimitPageText is fixed (maxPageText bytes, maxRuns text runs): the
	// text of one page is held while its lines are rebuilt.
	LimitPageText Limit = "page-text"
	// LimitObjStm is fixed (maxObjStm bytes): the library parses objects
	// out of an object stream with no bound of its own (structure.go).
	LimitObjStm Limit = "object-stream"
)

var (
	// ErrLimit is matched (errors.Is) by every *LimitError. The scan
	// reports the file as skipped; chunks yielded before stand.
	ErrLimit = errors.New("PDF limit reached")
	// ErrEncrypted means the PDF needs a user password to open (pkg/sniff
	// normally catches these first). Nothing was yielded.
	ErrEncrypted = errors.New("PDF needs a password")
	// ErrUnsupported: the file opens without a password (an owner
	// password only restricts printing or copying) but uses encryption
	// the PDF library cannot decrypt (AES-256, 40-bit RC4). Its text is
	// readable to anyone with a PDF viewer, just not to us yet.
	ErrUnsupported = errors.New("PDF encryption not supported")
)

// LimitError says which limit stopped the reading. Its message names the
// limit and its value, never the file's content.
type LimitError struct {
	Limit Limit
	// Value is the configured maximum in the limit's unit (pages,
	// nanoseconds, bytes).
	Value int64
}

func (e *LimitError) Error() string {
	switch e.Limit {
	case LimitPages:
		return fmt.Sprintf("PDF has more than --pdf-max-pages %d pages", e.Value)
	case LimitTime:
		return fmt.Sprintf("PDF took longer than --pdf-max-time %v", time.Duration(e.Value))
	case LimitBytes:
		return fmt.Sprintf("PDF exceeds --pdf-max-bytes %d (file size or decompressed content)", e.Value)
	case LimitObjStm:
		return fmt.Sprintf("PDF object stream larger than %d bytes decompressed", e.Value)
	case LimitPageText:
		return fmt.Sprintf("PDF page holds more than %d bytes or %d runs of text", maxPageText, maxRuns)
	}
	return fmt.Sprintf("PDF exceeds %s %d", e.Limit, e.Value)
}

// Is makes errors.Is(err, ErrLimit) true for every LimitError.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// budget is what one Extract call may still spend: its deadline, its
// context and the decompressed bytes left. It is checked from the reader's
// own loops and from guardedFile, which the PDF library reads through, so
// that a loop inside the library ends too. The first failure is kept
// (sticky), because the library turns a failed read into a panic or a vague
// error, and the budget's reason is the one to report.
type budget struct {
	ctx      context.Context
	now      func() time.Time
	deadline time.Time
	limits   Limits
	used     int64
	err      atomic.Pointer[error]
}

func newBudget(ctx context.Context, l Limits, now func() time.Time) *budget {
	if now == nil {
		now = time.Now
	}
	return &budget{ctx: ctx, now: now, deadline: now().Add(l.MaxTime), limits: l}
}

// check returns the sticky error, or sets it if the context ended or the
// deadline passed.
func (b *budget) check() error {
	if p := b.err.Load(); p != nil {
		return *p
	}
	if err := b.ctx.Err(); err != nil {
		return b.fail(err)
	}
	if b.now().After(b.deadline) {
		return b.fail(&LimitError{Limit: LimitTime, Value: int64(b.limits.MaxTime)})
	}
	return nil
}

// spend charges n decompressed bytes.
func (b *budget) spend(n int) error {
	b.used += int64(n)
	if b.used > b.limits.MaxBytes {
		return b.fail(&LimitError{Limit: LimitBytes, Value: b.limits.MaxBytes})
	}
	return nil
}

// fail records err as the budget's error unless one is set, and returns
// the one that is.
func (b *budget) fail(err error) error {
	b.err.CompareAndSwap(nil, &err)
	return *b.err.Load()
}

// stopped returns the sticky error, if any.
func (b *budget) stopped() error {
	if p := b.err.Load(); p != nil {
		return *p
	}
	return nil
}
