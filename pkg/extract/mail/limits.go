package mail

import (
	"errors"
	"fmt"
)

// Limits bound the work and memory one mail file may cost. A zero field
// takes its default (DefaultLimits); Check rejects negative values.
type Limits struct {
	// MaxMessages caps the messages read from one mbox; after that many the
	// walk stops with a *LimitError. Default 100,000, like the archive
	// reader's MaxEntries: each message becomes a result of the scan, and
	// the limit is there for the mailbox whose results alone would exhaust
	// memory, not for a large export (a busy inbox holds tens of thousands).
	MaxMessages int
	// MaxParts caps the MIME entities of one message, multipart containers
	// and the message itself included. Default 1,000: real mail has a
	// handful, a newsletter with inline images a few dozen. A message with
	// more is reported (Part.Err) and the rest of it skipped.
	MaxParts int
	// MaxDepth caps multipart nesting. Default 10: clients nest three or
	// four levels (mixed, alternative, related, and a signed or encrypted
	// wrapper). A deeper multipart is reported and skipped; its siblings
	// are read. A forwarded message (message/rfc822) is not nesting here:
	// it becomes an attachment, which the scan walks with its own limits.
	MaxDepth int
	// MaxHeaderBytes caps one header block, the message's or a part's.
	// Default 1 MiB: long Received chains and recipient lists stay well
	// under 100 KiB. Header bytes beyond it are read but not kept, and
	// the message is reported.
	MaxHeaderBytes int
	// MaxTextBytes caps the text Part of one message (headers and bodies,
	// as UTF-8), which is held in memory. Default 16 MiB: a long
	// conversation is tens of KiB of text. Text beyond it is cut and the
	// message is reported.
	MaxTextBytes int
	// MaxPartBytes caps the decoded size of one attachment; a larger one is
	// yielded with Err set and nothing to read, and the walk goes on.
	// Default 256 MiB, the scan's default --max-file-size, so that a file
	// is read the same whether or not it was mailed; the scan should set
	// it from --max-file-size.
	MaxPartBytes int64
	// MaxAttachments caps the attachments of one file, all messages
	// together. Default 100,000, for the same reason as MaxMessages.
	MaxAttachments int
	// MaxTotalBytes caps the decoded bytes of all Parts of one file, and
	// the size of an input that arrives as a stream and must be copied for
	// random access (see Walk). Default 8 GiB: decoding never inflates
	// (base64 shrinks by a quarter, a charset conversion at most triples
	// single bytes), so this bounds work only, and lets a multi-gigabyte
	// mailbox export through.
	MaxTotalBytes int64
}

const (
	defaultMaxMessages    = 100_000
	defaultMaxParts       = 1_000
	defaultMaxDepth       = 10
	defaultMaxHeaderBytes = 1 << 20
	defaultMaxTextBytes   = 16 << 20
	defaultMaxPartBytes   = 256 << 20
	defaultMaxAttachments = 100_000
	defaultMaxTotalBytes  = 8 << 30
)

// DefaultLimits returns the limits Walk uses for zero fields.
func DefaultLimits() Limits {
	return Limits{
		MaxMessages:    defaultMaxMessages,
		MaxParts:       defaultMaxParts,
		MaxDepth:       defaultMaxDepth,
		MaxHeaderBytes: defaultMaxHeaderBytes,
		MaxTextBytes:   defaultMaxTextBytes,
		MaxPartBytes:   defaultMaxPartBytes,
		MaxAttachments: defaultMaxAttachments,
		MaxTotalBytes:  defaultMaxTotalBytes,
	}
}

// Check reports a negative limit, naming it.
func (l Limits) Check() error {
	for _, v := range []struct {
		limit Limit
		value int64
	}{
		{LimitMessages, int64(l.MaxMessages)},
		{LimitParts, int64(l.MaxParts)},
		{LimitDepth, int64(l.MaxDepth)},
		{LimitHeader, int64(l.MaxHeaderBytes)},
		{LimitText, int64(l.MaxTextBytes)},
		{LimitPartBytes, l.MaxPartBytes},
		{LimitAttachments, int64(l.MaxAttachments)},
		{LimitBytes, l.MaxTotalBytes},
	} {
		if v.value < 0 {
			return fmt.Errorf("mail limit %s: negative value %d", v.limit, v.value)
		}
	}
	return nil
}

// withDefaults fills zero (and, defensively, negative) fields.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.MaxMessages, d.MaxMessages)
	pick(&l.MaxParts, d.MaxParts)
	pick(&l.MaxDepth, d.MaxDepth)
	pick(&l.MaxHeaderBytes, d.MaxHeaderBytes)
	pick(&l.MaxTextBytes, d.MaxTextBytes)
	pick(&l.MaxAttachments, d.MaxAttachments)
	if l.MaxPartBytes <= 0 {
		l.MaxPartBytes = d.MaxPartBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = d.MaxTotalBytes
	}
	return l
}

// Limit names one of the limits in a LimitError.
type Limit string

const (
	LimitMessages    Limit = "max-messages"
	LimitParts       Limit = "max-parts"
	LimitDepth       Limit = "max-depth"
	LimitHeader      Limit = "max-header-bytes"
	LimitText        Limit = "max-text-bytes"
	LimitPartBytes   Limit = "max-part-bytes"
	LimitAttachments Limit = "max-attachments"
	LimitBytes       Limit = "max-bytes"
)

// ErrLimit is matched (errors.Is) by every *LimitError.
var ErrLimit = errors.New("mail limit exceeded")

// LimitError says which limit a file, a message or an attachment exceeded.
// Its message names the limit and its value, never mail content.
type LimitError struct {
	Limit Limit
	// Value is the configured maximum, in the limit's unit.
	Value int64
}

func (e *LimitError) Error() string {
	switch e.Limit {
	case LimitMessages:
		return fmt.Sprintf("mailbox has more than %d messages (mail %s)", e.Value, e.Limit)
	case LimitParts:
		return fmt.Sprintf("message has more than %d MIME parts (mail %s)", e.Value, e.Limit)
	case LimitDepth:
		return fmt.Sprintf("multipart nested deeper than %d levels (mail %s)", e.Value, e.Limit)
	case LimitHeader:
		return fmt.Sprintf("header block larger than %s (mail %s)", size(e.Value), e.Limit)
	case LimitText:
		return fmt.Sprintf("message text larger than %s, cut (mail %s)", size(e.Value), e.Limit)
	case LimitPartBytes:
		return fmt.Sprintf("attachment larger than --max-file-size (over %s decoded)", size(e.Value))
	case LimitAttachments:
		return fmt.Sprintf("mail file has more than %d attachments (mail %s)", e.Value, e.Limit)
	case LimitBytes:
		return fmt.Sprintf("mail file decodes to more than %s (mail %s)", size(e.Value), e.Limit)
	}
	return fmt.Sprintf("mail %s %d exceeded", e.Limit, e.Value)
}

// Is makes errors.Is(err, ErrLimit) true for every LimitError.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// size formats a byte count for messages.
func size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
