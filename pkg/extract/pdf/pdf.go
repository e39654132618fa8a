package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	lpdf "github.com/ledongthuc/pdf"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/spool"
	"github.com/datahygiene/datahygiene/pkg/finding"
)

// blockSize is the largest chunk yielded: a page's lines go out in chunks
// of whole lines up to this size, as the text reader's.
const blockSize = 256 << 10

// Reader extracts the text layer of PDF files, page by page. The zero
// value is ready to use.
type Reader struct {
	Limits Limits

	now func() time.Time // for tests; nil means time.Now
}

var _ extract.Extractor = (*Reader)(nil)

// Extract yields each page's lines as extract.Lines chunks with Loc.Part
// "page N" and Loc.Line counting lines within the page. Errors wrap
// ErrLimit (a limit stopped the reading; the pages before it, and the text
// of the page it stopped in, were yielded), ErrEncrypted (nothing was
// yielded), extract.ErrCorrupt (the file could not be opened, or a page
// could not be read: the other pages were read and yielded first, and
// the error names the first bad page), or are ctx's error or the error
// yield returned.
func (r *Reader) Extract(ctx context.Context, in extract.Input, yield extract.Yield) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	lim := r.Limits.withDefaults()
	s := &session{name: in.Name, b: newBudget(ctx, lim, r.now), limits: lim}
	f, err := spool.Open(ctx, in.R, in.RA, in.Size, spool.Options{Max: lim.MaxBytes})
	if err != nil {
		if errors.Is(err, spool.ErrTooLarge) {
			return s.wrap(&LimitError{Limit: LimitBytes, Value: lim.MaxBytes})
		}
		return fmt.Errorf("%s: reading PDF: %w", in.Name, err)
	}
	defer f.Release()
	return s.read(f, f.Size, yield)
}

// session is one Extract call.
type session struct {
	name    string
	b       *budget
	limits  Limits
	fonts   fontCache
	defFont *font
	lexers  []*lexer
	out     []byte
}

// libError is a failure inside the PDF library, its message already
// reduced to a safe description.
type libError struct{ msg string }

func (e *libError) Error() string { return e.msg }

func (s *session) read(f io.ReaderAt, size int64, yield extract.Yield) error {
	gf := newGuardedFile(f, s.b)
	var st *structure
	if err := s.protect(func() (err error) {
		st, err = checkStructure(gf, size, s.b)
		return err
	}); err != nil {
		return s.wrap(err)
	}
	var doc *lpdf.Reader
	if err := s.protect(func() error {
		var err error
		doc, err = lpdf.NewReaderEncrypted(gf, size, nil)
		if err != nil && !errors.Is(err, lpdf.ErrInvalidPassword) {
			return &libError{sanitize(err.Error())}
		}
		return err
	}); err != nil {
		return s.wrap(err)
	}
	if !st.verified {
		return s.wrap(&libError{"encrypted object streams the reader cannot check"})
	}
	var tree *pageTree
	if err := s.protect(func() error {
		tree = newPageTree(doc, s.limits.MaxPages)
		return nil
	}); err != nil {
		return s.wrap(err)
	}
	var pg page
	// A page that cannot be read does not hide the pages after it: its
	// error is kept and returned once the others are read.
	var bad error
	badPage, bads := 0, 0
	for n := 1; ; n++ {
		if err := s.b.check(); err != nil {
			return s.wrap(err)
		}
		var v, res lpdf.Value
		var ok bool
		if err := s.protect(func() (err error) {
			v, res, ok, err = tree.next()
			return err
		}); err != nil {
			return s.wrapPage(n, err)
		}
		if !ok {
			break
		}
		if n > s.limits.MaxPages {
			return s.wrap(&LimitError{Limit: LimitPages, Value: int64(s.limits.MaxPages)})
		}
		pg.reset()
		perr := s.protect(func() error {
			return s.content(&pg, v.Key("Contents"), res, gstate{ctm: identity, th: 1}, 0)
		})
		// Text read before a failure still counts.
		if err := s.emit(&pg, n, yield); err != nil {
			return err
		}
		switch {
		case perr == nil:
		case s.b.stopped() != nil, errors.Is(perr, ErrLimit):
			return s.wrap(perr)
		default:
			if bads++; bad == nil {
				bad, badPage = perr, n
			}
		}
	}
	if bad != nil {
		if bads > 1 {
			bad = fmt.Errorf("%w (and %d more pages)", bad, bads-1)
		}
		return s.wrapPage(badPage, bad)
	}
	return nil
}

// protect runs fn, turning a panic (the library reports most problems by
// panicking) into an error. A panic caused by the budget (a read refused
// by guardedFile) is reported as the budget's error.
func (s *session) protect(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if serr := s.b.stopped(); serr != nil {
				err = serr
				return
			}
			var msg string
			switch x := p.(type) {
			case runtime.Error:
				msg = "PDF reader crashed: " + x.Error() // the runtime's words and numbers only
			case error:
				msg = sanitize(x.Error())
			case string:
				msg = sanitize(x)
			default:
				msg = "PDF library failed"
			}
			err = &libError{msg}
		}
	}()
	return fn()
}

// wrap adds the file's name and classifies err: limits, encryption and
// the context's errors as they are, anything else as corrupt content.
func (s *session) wrap(err error) error {
	if serr := s.b.stopped(); serr != nil {
		err = serr
	}
	switch {
	case errors.Is(err, ErrLimit), errors.Is(err, ErrUnsupported), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", s.name, err)
	case errors.Is(err, lpdf.ErrInvalidPassword):
		return fmt.Errorf("%s: %w", s.name, ErrEncrypted)
	}
	return fmt.Errorf("%s: %w: %v", s.name, extract.ErrCorrupt, err)
}

func (s *session) wrapPage(n int, err error) error {
	if serr := s.b.stopped(); serr != nil || errors.Is(err, ErrLimit) {
		return s.wrap(err)
	}
	return s.wrap(fmt.Errorf("page %d: %w", n, err))
}

// stream opens the decompressed data of stream v, metered: at most limit
// bytes (then errStreamTooLarge), all charged to the budget. A value that
// is not a stream reads as empty.
func (s *session) stream(v lpdf.Value, limit int64) (io.Reader, error) {
	if v.Kind() != lpdf.Stream {
		return strings.NewReader(""), nil
	}
	// The library allocates two rows of /Columns bytes for a predictor.
	params := v.Key("DecodeParms")
	for i := 0; i < max(1, params.Len()); i++ {
		p := params
		if params.Kind() == lpdf.Array {
			p = params.Index(i)
		}
		if p.Key("Columns").Int64() > maxColumns {
			return nil, errors.New("stream predictor with too many columns")
		}
	}
	return &meteredReader{r: v.Reader(), b: s.b, left: limit, over: errStreamTooLarge}, nil
}

var errStreamTooLarge = errors.New("stream too large")

// emit yields a page's lines in chunks of whole lines.
func (s *session) emit(p *page, n int, yield extract.Yield) error {
	s.out, _ = p.lines(s.out[:0])
	part := "page " + strconv.Itoa(n)
	line := 1
	for data := s.out; len(data) > 0; {
		end := len(data)
		if end > blockSize {
			if cut := bytes.LastIndexByte(data[:blockSize], '\n'); cut >= 0 {
				end = cut + 1
			} else {
				end = blockSize
				for end > 0 && !utf8.RuneStart(data[end]) {
					end--
				}
			}
		}
		ch := extract.Chunk{Kind: extract.Lines, Data: data[:end], Loc: finding.Location{Part: part, Line: line}}
		if err := yield(&ch); err != nil {
			return err
		}
		line += bytes.Count(data[:end], []byte{'\n'})
		data = data[end:]
	}
	return nil
}

// libMessages are the library's error messages, or their fixed starts,
// that carry no content of the file, with what to say for them ("" for
// the start itself). Its messages sometimes go on to quote the file (a
// token, a buffer), which must not reach a report, so only the fixed part
// of a known message is kept.
var libMessages = []struct{ start, say string }{
	{"not a PDF file: invalid header", ""},
	{"not a PDF file: missing %%EOF", ""},
	{"not a PDF file", ""},
	{"malformed PDF file: missing final startxref", ""},
	{"malformed PDF file: missing startxref", ""},
	{"malformed PDF file: startxref not followed by integer", ""},
	{"malformed PDF: cross-reference table not found", ""},
	{"malformed PDF: xref stream does not have type XRef", ""},
	{"malformed PDF: xref stream missing Size", ""},
	{"malformed PDF: xref table not followed by trailer dictionary", ""},
	{"malformed PDF: trailer missing /Size entry", ""},
	{"malformed PDF: missing ID in trailer", ""},
	{"malformed PDF: missing O= or U= encryption parameters", ""},
	{"malformed PDF: reading at offset", "malformed PDF: read failed"},
	{"malformed PDF: encryption revision", ""},
	{"malformed PDF: malformed xref table", ""},
	{"malformed PDF", ""},
	{"unsupported PDF: encryption", "encryption not supported by the PDF library (it reads RC4 and AES-128, revisions 2 to 4)"},
	{"unsupported filter", ""},
	{"unknown filter", ""},
	{"malformed hex string", ""},
	{"invalid escape sequence", ""},
	{"unexpected delimiter", ""},
	{"malformed name", ""},
	{"invalid integer", ""},
	{"invalid real", ""},
	{"invalid octal escape", ""},
	{"unexpected keyword", ""},
	{"missing endobj", ""},
	{"stream keyword not followed by newline", ""},
	{"unexpected non-name key", ""},
	{"object nesting exceeds maximum depth", ""},
	{"not a stream", "object stream missing"},
	{"not an object stream", ""},
	{"missing First", "object stream without /First"},
	{"cannot find object in stream", ""},
	{"loading", "object not found where the cross-reference table points"},
	{"unexpected value type", ""},
	{"Encrypted text shorter", "encrypted string shorter than the AES block"},
	{"AES", "AES decryption failed"},
	{"pred", "unsupported stream predictor"},
	{"not expected DecodeParms", "unsupported ASCII85 parameters"},
	{"stream not present", ""},
	{"malformed PNG-Up encoding", ""},
	{"zlib: invalid header", ""},
	{"zlib: invalid checksum", ""},
	{"zlib: invalid dictionary", ""},
	{"flate: corrupt input", ""},
	{"unexpected EOF", ""},
}

// sanitize reduces a library message to what libMessages says for its
// longest known start.
func sanitize(msg string) string {
	best := -1
	for i, m := range libMessages {
		if strings.HasPrefix(msg, m.start) && (best < 0 || len(m.start) > len(libMessages[best].start)) {
			best = i
		}
	}
	switch {
	case best < 0:
		return "PDF library failed"
	case libMessages[best].say != "":
		return libMessages[best].say
	}
	return libMessages[best].start
}
