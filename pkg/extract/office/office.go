package office

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/spool"
)

// Reader reads the text of one document. The zero value reads any of the
// formats, telling them apart by their content, with DefaultLimits.
type Reader struct {
	// Format is the document's format, as Sniff tells it; Unknown means
	// the reader decides from the package's content.
	Format Format
	// Limits bound the work; zero fields take their defaults.
	Limits Limits
}

var _ extract.Extractor = Reader{}

// Extract yields the document's text: extract.Lines chunks for word
// processing documents and presentations, extract.Cell chunks for
// spreadsheets. Errors wrap extract.ErrCorrupt, ErrEncrypted or
// ErrTooLarge and name the file and the part, or are ctx's error (wrapped)
// or the error yield returned (unchanged).
func (r Reader) Extract(ctx context.Context, in extract.Input, yield extract.Yield) (err error) {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", in.Name, err)
	}
	lim := r.Limits.withDefaults()
	f, err := spool.Open(ctx, in.R, in.RA, in.Size, spool.Options{Max: lim.MaxFileSize})
	if err != nil {
		if errors.Is(err, spool.ErrTooLarge) {
			return fmt.Errorf("%s: %w: %w", in.Name, ErrTooLarge, err)
		}
		return fmt.Errorf("%s: %w", in.Name, err)
	}
	defer f.Release()
	e := &emitter{yield: yield}
	// A panic while parsing hostile input is a corrupt file, not a
	// crash; a panic inside yield is the consumer's and goes on.
	defer func() {
		if p := recover(); p != nil {
			if e.inYield {
				panic(p)
			}
			err = corrupt(in.Name, "", fmt.Sprintf("reader panicked: %v", p))
		}
	}()
	err = r.extract(ctx, in.Name, f, f.Size, lim, e)
	var ye *yieldError
	if errors.As(err, &ye) {
		return ye.err
	}
	return err
}

func (r Reader) extract(ctx context.Context, name string, ra io.ReaderAt, size int64, lim Limits, e *emitter) error {
	d, err := openZip(ctx, name, ra, size, lim)
	if err != nil {
		return err
	}
	format := r.Format
	if format == Unknown {
		if format, err = d.detect(); err != nil {
			return err
		}
	}
	switch format {
	case Docx:
		return d.docx(newSinks(e))
	case Pptx:
		return d.pptx(newSinks(e))
	case Odt, Ods, Odp:
		return d.odf(format, e)
	}
	return corrupt(name, "", "not a document this reader knows")
}

// detect tells the format from the package: the ODF mimetype entry, or
// where the OOXML main part lives.
func (d *doc) detect() (Format, error) {
	if f := d.file("mimetype"); f != nil && f.UncompressedSize64 <= 128 {
		rc, err := f.Open()
		if err != nil {
			return Unknown, corrupt(d.name, "mimetype", err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, 128))
		rc.Close()
		if err != nil {
			return Unknown, corrupt(d.name, "mimetype", err)
		}
		if f, ok := odfMediaTypes[strings.TrimSpace(string(b))]; ok {
			return f, nil
		}
		return Unknown, corrupt(d.name, "mimetype", "not a text, spreadsheet or presentation document")
	}
	rs, err := d.rels("", func(t string) bool { return t == "officeDocument" })
	if err != nil {
		return Unknown, err
	}
	for _, r := range rs {
		switch {
		case strings.HasPrefix(normPath(r.target), "word/"):
			return Docx, nil
		case strings.HasPrefix(normPath(r.target), "ppt/"):
			return Pptx, nil
		}
	}
	switch {
	case d.file("word/document.xml") != nil:
		return Docx, nil
	case d.file("ppt/presentation.xml") != nil:
		return Pptx, nil
	case d.file(contentPath) != nil:
		return Odt, nil
	}
	return Unknown, corrupt(d.name, "", "not a Word, PowerPoint or OpenDocument package")
}
