package scan

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/archive"
	"github.com/datahygiene/datahygiene/pkg/extract/mail"
	"github.com/datahygiene/datahygiene/pkg/extract/text"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/sniff"
)

// mailFormat tells whether src is an email message or a mailbox.
func mailFormat(t sniff.Type, src source) mail.Format {
	if t != sniff.Text {
		return mail.None
	}
	return mail.Sniff(src.name, src.head)
}

// walkMail reads a message or a mailbox like an archive: an .eml file's
// own text (headers and bodies) gives its own findings; a mailbox's
// messages are members OUTER!msg-N, and attachments are members
// OUTER!NAME or OUTER!msg-N/NAME, read recursively (a zip or a workbook
// attached is opened like any file). b bounds the depth: mail in a zip in
// mail counts every level.
func (s *scanner) walkMail(ctx context.Context, src source, f mail.Format, b *archive.Budget, outer *finding.FileResult) error {
	if b.Depth() > b.Limits().MaxDepth {
		outer.Status, outer.Reason = finding.Skipped, (&archive.LimitError{Limit: archive.LimitDepth, Value: float64(b.Limits().MaxDepth)}).Error()
		return nil
	}
	lim := mail.DefaultLimits()
	lim.MaxTotalBytes = b.Limits().MaxTotalBytes
	var r io.Reader = io.MultiReader(bytes.NewReader(src.head), src.rest)
	if src.ra != nil {
		r = readerAt{Reader: r, ReaderAt: src.ra}
	}
	own := s.engine.NewFile()
	err := mail.Walk(ctx, extract.Input{Name: src.name, R: r, Size: src.size}, f, lim, func(p *mail.Part) error {
		if p.Name == "" && p.Text {
			if p.Err != nil {
				outer.Warnings = append(outer.Warnings, errReason(p.Err))
			}
			return (&text.Reader{}).Extract(ctx, extract.Input{Name: src.name, R: p.R, Size: p.Size}, own.Add)
		}
		res := member(src, p.Name, p.Size, outer)
		switch {
		case p.Err != nil:
			res.Status, res.Reason = finding.Error, errReason(p.Err)
			if errors.Is(p.Err, mail.ErrLimit) {
				res.Status = finding.Skipped
			}
		case p.Text:
			file := s.engine.NewFile()
			err := (&text.Reader{}).Extract(ctx, extract.Input{Name: res.Path, R: p.R, Size: p.Size}, file.Add)
			if err != nil {
				res.Status, res.Reason = finding.Error, errReason(err)
				break
			}
			res.Type, res.Bytes = string(sniff.Text), p.Size
			res.Findings, res.Warnings, res.Suppressed = file.Findings(), file.Warnings, file.Suppressed()
		default:
			s.memberContent(ctx, src, p.R, b, &res)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		s.judge(&res, src.disk)
		*src.members = append(*src.members, res)
		return nil
	})
	outer.Findings, outer.Suppressed = own.Findings(), own.Suppressed()
	outer.Warnings = append(outer.Warnings, own.Warnings...)
	if errors.Is(err, mail.ErrLimit) {
		outer.Status, outer.Reason = finding.Skipped, err.Error()
		return nil
	}
	return err
}

// member starts the result of an archive entry or attachment: a file of
// its own, OUTER!NAME, as exposed as the file that holds it (same mode
// and mtime).
func member(src source, name string, size int64, outer *finding.FileResult) finding.FileResult {
	return finding.FileResult{
		Path: src.name + "!" + name, Type: "file", Size: size,
		Modified: outer.Modified, Mode: outer.Mode, Status: finding.Scanned,
		Findings: []finding.Finding{}, Issues: []finding.Issue{},
	}
}

// memberContent reads an archive entry or an attachment as a file of its
// own, recursively: the nested budget bounds depth and bytes across
// levels.
func (s *scanner) memberContent(ctx context.Context, src source, r io.Reader, b *archive.Budget, res *finding.FileResult) {
	head, err := readHead(r)
	if err == nil {
		err = s.content(ctx, source{name: res.Path, head: head, rest: r, size: res.Size, disk: src.disk, members: src.members}, res, b)
	}
	if err = archiveOutcome(err, res); err != nil && ctx.Err() == nil {
		res.Status, res.Reason = finding.Error, errReason(err)
		res.Findings = []finding.Finding{}
	}
}
