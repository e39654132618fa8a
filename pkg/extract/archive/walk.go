package archive

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// Entry is one regular file inside an archive.
type Entry struct {
	// Name is the entry's path inside the archive, cleaned: forward
	// slashes, never absolute, no "." or ".." elements, no control
	// characters. It is a display name only: nothing is ever written to
	// disk. The scan reports the entry as OUTER!Name.
	Name string
	// Size is the uncompressed size the archive declares, -1 if unknown
	// (a gzip stream). Readers enforce it where the format allows.
	Size int64
	// Modified is the entry's own timestamp, zero if the archive has none.
	// The scan reports entries with the outer file's mtime (the one the
	// filesystem vouches for); this is for information.
	Modified time.Time
	// Encrypted is set for an entry that cannot be read without a
	// password; R then returns an error wrapping ErrEncrypted.
	Encrypted bool
	// R reads the entry's uncompressed bytes, bounded by the Budget: a
	// Read that would exceed a limit returns a *LimitError (LimitEntrySize
	// for this entry alone; LimitBytes or LimitRatio for the archive),
	// corrupt data an error wrapping extract.ErrCorrupt. R is valid only
	// during the callback; the entry need not be read to the end.
	R io.Reader
}

// Walk reads the archive in and calls fn for each regular file in it, in
// archive order: directories, links, devices and other special entries are
// skipped. It reads one level only; an entry that is itself an archive is
// for the caller to Walk, with b.Nested().
//
// in.R is read through ReadAt from offset 0 if it implements io.ReaderAt
// and in.Size is known (the scan can pass the *os.File after sniffing its
// head); otherwise sequentially, and zip and 7z, which need random access,
// are first copied to memory or to a private temporary file (see spool).
//
// Walk returns fn's error unchanged, ctx.Err() when cancelled, a
// *LimitError (errors.Is ErrLimit) when the archive exceeds a limit, an
// error wrapping ErrEncrypted for an archive that cannot be listed without
// a password, and an error wrapping extract.ErrCorrupt for anything it
// cannot parse. Entries yielded before an error were valid.
func Walk(ctx context.Context, in extract.Input, f Format, b *Budget, fn func(*Entry) error) error {
	if b == nil {
		b = NewBudget(Limits{})
	}
	if b.depth > b.limits.MaxDepth {
		return &LimitError{Limit: LimitDepth, Value: float64(b.limits.MaxDepth)}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	w := &walker{ctx: ctx, in: in, format: f, b: b, fn: fn}
	switch f {
	case Zip:
		return w.zip()
	case SevenZip:
		return w.sevenZip()
	case Tar:
		return w.tar(w.sequential(), true)
	case Gzip, Bzip2, XZ:
		return w.stream()
	}
	return fmt.Errorf("%w: not an archive format Walk reads (%q)", extract.ErrCorrupt, f)
}

// walker holds one Walk call's state.
type walker struct {
	ctx     context.Context
	in      extract.Input
	format  Format
	b       *Budget
	fn      func(*Entry) error
	entries int // headers seen, for MaxEntries
}

// sequential returns a reader of the input from its first byte.
func (w *walker) sequential() io.Reader {
	if ra, ok := w.in.R.(io.ReaderAt); ok && w.in.Size >= 0 {
		return io.NewSectionReader(ra, 0, w.in.Size)
	}
	return w.in.R
}

// next counts one more header of the archive and checks the limits that
// apply before an entry: cancellation, the entry count and an exhausted
// budget (a walk over a spent budget would only yield entries that fail on
// their first read).
func (w *walker) next() error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	w.entries++
	if w.entries > w.b.limits.MaxEntries {
		return w.b.errEntries()
	}
	if w.b.exhausted() {
		return w.b.errBytes()
	}
	return nil
}

// yield hands one entry to fn.
func (w *walker) yield(e *Entry) error {
	e.Name = cleanName(e.Name)
	return w.fn(e)
}

// cleanName turns an archive's path for an entry into a display name:
// slashes only, no leading "/", no "." or ".." elements (so
// "../../etc/passwd" is "etc/passwd"), no control characters, valid UTF-8.
func cleanName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '\\':
			return '/'
		case unicode.IsControl(r) || r == utf8.RuneError:
			return '?'
		}
		return r
	}, name)
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	if name == "" {
		return "?"
	}
	return name
}
