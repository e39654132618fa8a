package archive

import (
	"errors"
	"fmt"
	"math"
	"sync/atomic"
)

// Limits bound the work one top-level archive may cause, nested archives
// included. A zero field takes its default (DefaultLimits); Check rejects
// negative values. Each limit has a flag, named in LimitError messages.
type Limits struct {
	// MaxDepth is how many archive levels are opened: the top-level
	// archive is level 1, an archive inside it level 2. Default 3, as in
	// the issue: real data is rarely nested deeper than a backup tarball
	// holding an export zip holding a gzipped dump, while every level
	// multiplies what a bomb can make of the bytes it has. Flag
	// --archive-max-depth.
	MaxDepth int
	// MaxTotalBytes caps the uncompressed bytes read out of one top-level
	// archive and everything nested in it, counted once in a Budget
	// shared by all levels, so that nesting cannot multiply it. Default
	// 1 GiB: antivirus engines use the same order of magnitude (ClamAV's
	// MaxScanSize is 400 MB, its MaxFileSize 100 MB), and at the scan's
	// few MB/s of detection 1 GiB is already minutes of work for one file.
	// Flag --archive-max-bytes.
	MaxTotalBytes int64
	// MaxEntries caps the entries of one archive (every header: files,
	// directories, links), checked before the first entry is yielded
	// where the format has a directory (zip, 7z) and while reading
	// otherwise (tar). Default 100,000: ClamAV stops at 10,000 files in
	// a container (MaxFiles), but real exports and backups hold tens of
	// thousands of files, and the limit is there for the million-entry
	// archive, whose directory alone costs hundreds of MB of memory and
	// whose entries would each become a result. Flag --archive-max-entries.
	MaxEntries int
	// MaxRatio caps uncompressed bytes per compressed byte, checked only
	// once ratioFloor bytes came out (small files compress very well and
	// harmlessly). Default 100: text, CSV and logs compress 3:1 to 20:1,
	// deflate cannot exceed ~1032:1, and a bomb is made of runs of one
	// byte at 1000:1 or more, so 100 sits between the two with a margin on
	// both sides, like the ratio heuristics of antivirus engines and of
	// Apache POI's ZipSecureFile (which flags archives 100x smaller than
	// their content). Flag --archive-max-ratio.
	MaxRatio float64
	// MaxEntrySize caps the uncompressed size of one entry; a larger entry
	// is reported as skipped by itself, the archive goes on. Default
	// 256 MiB, the scan's default --max-file-size, so that a file is read
	// the same whether or not it sits in an archive; the scan should set it
	// from --max-file-size.
	MaxEntrySize int64
}

const (
	defaultMaxDepth      = 3
	defaultMaxTotalBytes = 1 << 30
	defaultMaxEntries    = 100_000
	defaultMaxRatio      = 100
	defaultMaxEntrySize  = 256 << 20
)

// ratioFloor is the output below which the compression ratio is not
// checked: a 20 KiB run of spaces in a 100-byte deflate stream is a 200:1
// ratio and harmless. Above it, a bomb is stopped after at most
// max(ratioFloor, MaxRatio x compressed bytes consumed) bytes of output.
const ratioFloor = 1 << 20

// DefaultLimits returns the limits a scan uses when no flag is given.
func DefaultLimits() Limits {
	return Limits{
		MaxDepth:      defaultMaxDepth,
		MaxTotalBytes: defaultMaxTotalBytes,
		MaxEntries:    defaultMaxEntries,
		MaxRatio:      defaultMaxRatio,
		MaxEntrySize:  defaultMaxEntrySize,
	}
}

// Check reports a negative or NaN limit, naming its flag; the CLI calls it
// once when it parses the flags.
func (l Limits) Check() error {
	switch {
	case l.MaxDepth < 0:
		return fmt.Errorf("--archive-max-depth: negative value %d", l.MaxDepth)
	case l.MaxTotalBytes < 0:
		return fmt.Errorf("--archive-max-bytes: negative value %d", l.MaxTotalBytes)
	case l.MaxEntries < 0:
		return fmt.Errorf("--archive-max-entries: negative value %d", l.MaxEntries)
	case l.MaxRatio < 0 || math.IsNaN(l.MaxRatio) || math.IsInf(l.MaxRatio, 0):
		return fmt.Errorf("--archive-max-ratio: invalid value %v", l.MaxRatio)
	case l.MaxEntrySize < 0:
		return fmt.Errorf("--max-file-size: negative value %d", l.MaxEntrySize)
	}
	return nil
}

// withDefaults fills zero (and, defensively, invalid) fields with defaults.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = d.MaxTotalBytes
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if !(l.MaxRatio > 0) || math.IsInf(l.MaxRatio, 0) {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxEntrySize <= 0 {
		l.MaxEntrySize = d.MaxEntrySize
	}
	return l
}

// Limit names one of the limits in a LimitError.
type Limit string

const (
	LimitDepth     Limit = "max-depth"
	LimitBytes     Limit = "max-bytes"
	LimitEntries   Limit = "max-entries"
	LimitRatio     Limit = "max-ratio"
	LimitEntrySize Limit = "max-entry-size"
)

// ErrLimit is matched (errors.Is) by every *LimitError.
var ErrLimit = errors.New("archive limit exceeded")

// ErrEncrypted is returned by Walk for an archive that cannot be listed
// without its password (a 7z with encrypted headers), and by the reader of an
// encrypted entry.
var ErrEncrypted = errors.New("encrypted")

// LimitError says which limit an archive (or, for LimitEntrySize, one entry)
// exceeded. Its message names the flag and the configured value and never
// contains archive content.
type LimitError struct {
	Limit Limit
	// Value is the configured maximum, in the limit's unit (levels,
	// bytes, entries, ratio).
	Value float64
}

func (e *LimitError) Error() string {
	switch e.Limit {
	case LimitDepth:
		return fmt.Sprintf("archive nested deeper than --archive-max-depth %d", int64(e.Value))
	case LimitBytes:
		return fmt.Sprintf("archive exceeds --archive-max-bytes %s (uncompressed bytes read from it and the archives in it)", size(int64(e.Value)))
	case LimitEntries:
		return fmt.Sprintf("archive exceeds --archive-max-entries %d (entries in one archive)", int64(e.Value))
	case LimitRatio:
		return fmt.Sprintf("archive exceeds --archive-max-ratio %g (compression ratio over %g:1)", e.Value, e.Value)
	case LimitEntrySize:
		return fmt.Sprintf("archive entry larger than --max-file-size (over %s uncompressed)", size(int64(e.Value)))
	}
	return fmt.Sprintf("archive exceeds %s %g", e.Limit, e.Value)
}

// Is makes errors.Is(err, ErrLimit) true for every LimitError.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// size formats a byte count the way the walk's messages do.
func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v, i := float64(n)/unit, 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	if v == math.Trunc(v) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// Budget is what one top-level archive may still cost: its limits, the
// level being read, and the uncompressed bytes read so far by every level.
// The scan makes one with NewBudget per top-level archive and passes
// Nested() to the Walk of an archive found inside it. The byte count is
// shared (atomically) by a Budget and all Budgets nested from it, so a
// bomb gains nothing by nesting: every level's output is paid for from the
// same MaxTotalBytes.
type Budget struct {
	limits Limits
	depth  int
	used   *atomic.Int64
}

// NewBudget returns the budget of a top-level archive (level 1). Zero
// limits take their defaults.
func NewBudget(l Limits) *Budget {
	return &Budget{limits: l.withDefaults(), depth: 1, used: new(atomic.Int64)}
}

// Nested returns the budget for an archive found inside the one b is for:
// one level deeper, drawing on the same bytes.
func (b *Budget) Nested() *Budget {
	return &Budget{limits: b.limits, depth: b.depth + 1, used: b.used}
}

// Limits returns the limits in force (defaults filled in).
func (b *Budget) Limits() Limits { return b.limits }

// Depth returns the archive level this budget is for (1 = top level).
func (b *Budget) Depth() int { return b.depth }

// Used returns the uncompressed bytes read so far by all levels.
func (b *Budget) Used() int64 { return b.used.Load() }

// remaining returns how many more bytes may be read.
func (b *Budget) remaining() int64 { return max(0, b.limits.MaxTotalBytes-b.used.Load()) }

// exhausted reports whether every byte of the budget is spent.
func (b *Budget) exhausted() bool { return b.remaining() == 0 }

func (b *Budget) add(n int64) { b.used.Add(n) }

func (b *Budget) errBytes() error {
	return &LimitError{Limit: LimitBytes, Value: float64(b.limits.MaxTotalBytes)}
}

func (b *Budget) errRatio() error {
	return &LimitError{Limit: LimitRatio, Value: b.limits.MaxRatio}
}

func (b *Budget) errEntries() error {
	return &LimitError{Limit: LimitEntries, Value: float64(b.limits.MaxEntries)}
}

func (b *Budget) errEntrySize() error {
	return &LimitError{Limit: LimitEntrySize, Value: float64(b.limits.MaxEntrySize)}
}

// overRatio reports whether out bytes made from in bytes exceed the ratio
// limit, once out is past ratioFloor.
func (b *Budget) overRatio(out, in int64) bool {
	if out <= ratioFloor {
		return false
	}
	return float64(out) > b.limits.MaxRatio*float64(max(in, 1))
}
