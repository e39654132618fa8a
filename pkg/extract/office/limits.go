package office

import "errors"

var (
	// ErrEncrypted means the document is password-protected: an ODF
	// package whose content.xml the manifest lists as encrypted, or a zip
	// with encrypted entries. Nothing was yielded. (A password-protected
	// OOXML file is an OLE2 compound file, which pkg/sniff recognises.)
	ErrEncrypted = errors.New("document is encrypted")
	// ErrTooLarge means the document exceeds one of the Limits. Most are
	// checked before anything is inflated; the caps on inflated bytes and
	// cells are met while reading, and chunks yielded before stand.
	ErrTooLarge = errors.New("document too large")
)

// Limits bound the work one document may cause. A zero field takes its
// default; see DefaultLimits for the values and why.
type Limits struct {
	// MaxFileSize caps the compressed document, which is spooled for
	// random access (a zip is read from its end).
	MaxFileSize int64
	// MaxPartSize caps the inflated bytes of one XML part.
	MaxPartSize int64
	// MaxTotalSize caps the inflated bytes of all the parts read.
	MaxTotalSize int64
	// MaxEntries caps the zip's entries, counted before archive/zip
	// parses its directory.
	MaxEntries int
	// MaxRatio caps a part's declared inflated size per compressed byte,
	// checked for parts over ratioFloor before they are inflated.
	MaxRatio int64
	// MaxDepth caps the nesting of XML elements.
	MaxDepth int
	// MaxCells caps the spreadsheet cells yielded (ods), repeats expanded.
	MaxCells int64
}

const (
	// A 256 MiB document is already far beyond what people write by hand;
	// the xlsx reader uses the same cap.
	defaultMaxFileSize = 256 << 20
	// Document XML inflates 5:1 to 15:1; 256 MiB of one part is a
	// document body of some 50 million words.
	defaultMaxPartSize = 256 << 20
	// The parts read together (body, headers, notes, slides): at the
	// reader's ~100 MB/s, 1 GiB is ten seconds of work for one file.
	defaultMaxTotalSize = 1 << 30
	// Real documents hold tens to a few thousand entries (one per slide,
	// image, layout); archive/zip spends some 250 bytes per entry before
	// anything can be checked.
	defaultMaxEntries = 20_000
	// Deflate cannot beat ~1032:1, and a bomb is a run of one byte near
	// that ratio. Repetitive spreadsheet XML reaches 50:1 to 100:1, hence
	// the margin over the archive reader's 100.
	defaultMaxRatio = 200
	// Word and LibreOffice nest a few dozen levels (tables in text boxes
	// in tables); the scanner's stack costs a few bytes a level.
	defaultMaxDepth = 512
	// The xlsx reader's cap (xlsx.DefaultMaxCells).
	defaultMaxCells = 50_000_000
)

// ratioFloor is the declared size below which a part's ratio is not
// checked: a small part of repeated markup compresses very well and
// harmlessly.
const ratioFloor = 1 << 20

// DefaultLimits returns the limits of a Reader whose Limits are zero.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize:  defaultMaxFileSize,
		MaxPartSize:  defaultMaxPartSize,
		MaxTotalSize: defaultMaxTotalSize,
		MaxEntries:   defaultMaxEntries,
		MaxRatio:     defaultMaxRatio,
		MaxDepth:     defaultMaxDepth,
		MaxCells:     defaultMaxCells,
	}
}

// withDefaults fills the zero (or negative) fields of l.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxPartSize <= 0 {
		l.MaxPartSize = d.MaxPartSize
	}
	if l.MaxTotalSize <= 0 {
		l.MaxTotalSize = d.MaxTotalSize
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxCells <= 0 {
		l.MaxCells = d.MaxCells
	}
	return l
}
