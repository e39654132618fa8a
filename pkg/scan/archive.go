package scan

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/archive"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/sniff"
)

// archiveFormat tells whether src is an archive to walk. Office files are
// zips too; sniff has already told those apart (XLSX, CFB), so only what
// it calls an archive or binary is asked.
func archiveFormat(t sniff.Type, src source) archive.Format {
	switch t {
	case sniff.Zip, sniff.Gzip, sniff.SevenZip, sniff.Binary:
		return archive.Detect(src.name, src.head)
	}
	return archive.Unknown
}

// readerAt gives an archive reader both the stream (head, then the rest)
// and random access, which zip and 7z use to avoid a copy.
type readerAt struct {
	io.Reader
	io.ReaderAt
}

// walkArchive reports every entry of one archive level as a file of its
// own, OUTER!INNER, with the archive's mode and mtime (an entry is exactly
// as exposed as the archive that holds it). Nested archives recurse
// through content with b.Nested(), so depth and bytes are bounded across
// levels.
func (s *scanner) walkArchive(ctx context.Context, src source, f archive.Format, b *archive.Budget, outer *finding.FileResult) error {
	var r io.Reader = io.MultiReader(bytes.NewReader(src.head), src.rest)
	if src.ra != nil {
		r = readerAt{Reader: r, ReaderAt: src.ra}
	}
	return archive.Walk(ctx, extract.Input{Name: src.name, R: r, Size: src.size}, f, b, func(e *archive.Entry) error {
		res := member(src, e.Name, e.Size, outer)
		if e.Encrypted {
			res.Status, res.Reason = finding.Encrypted, "encrypted archive entry"
			*src.members = append(*src.members, res)
			return nil
		}
		s.memberContent(ctx, src, e.R, b, &res)
		if err := ctx.Err(); err != nil {
			return err
		}
		s.judge(&res, src.disk)
		*src.members = append(*src.members, res)
		return nil
	})
}

// archiveOutcome turns the archive errors that are statuses into them:
// a limit makes the archive (or entry) skipped, encrypted headers make it
// encrypted. Other errors are returned.
func archiveOutcome(err error, r *finding.FileResult) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, archive.ErrLimit):
		r.Status, r.Reason = finding.Skipped, err.Error()
	case errors.Is(err, archive.ErrEncrypted):
		r.Status, r.Reason = finding.Encrypted, "archive with encrypted headers"
	default:
		return err
	}
	return nil
}
