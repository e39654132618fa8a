package mail

import (
	"bytes"
	"strings"
)

// Format is a mail file format Walk reads.
type Format string

const (
	None Format = ""
	// EML is one RFC 5322 message, as saved by mail clients (.eml).
	EML Format = "eml"
	// MBOX is a mailbox of messages each introduced by a "From " line
	// (mboxo, mboxrd, Thunderbird's extensionless folders, Google Takeout).
	MBOX Format = "mbox"
)

// mailFields are header fields that mark a mail message; originFields are
// those that say where one came from, which a message always has.
var (
	mailFields = map[string]bool{
		"from": true, "to": true, "cc": true, "bcc": true, "subject": true, "date": true,
		"received": true, "return-path": true, "message-id": true, "mime-version": true,
		"content-type": true, "content-transfer-encoding": true, "reply-to": true,
		"sender": true, "delivered-to": true, "in-reply-to": true, "references": true,
		"x-mailer": true, "user-agent": true, "dkim-signature": true, "x-original-to": true,
		"authentication-results": true, "thread-topic": true, "thread-index": true,
		"x-mozilla-status": true, "x-gm-thrid": true, "x-gmail-labels": true,
	}
	originFields = map[string]bool{
		"from": true, "received": true, "return-path": true, "message-id": true,
		"delivered-to": true, "x-original-to": true, "dkim-signature": true,
	}
)

// Sniff tells whether the file called name, whose first bytes are head
// (pkg/sniff reads 8 KiB), is a mail file:
//
//   - a file named .eml whose first line is a header field (or an mbox
//     "From " line) is EML;
//   - a "From " line that looks like an mbox separator (a sender, a date
//     with a time and a year) followed by header fields, one of them a
//     known mail field, is MBOX, whatever the name;
//   - any other file is EML only if its head is a well-formed header
//     block (every line a field or a continuation, up to a blank line or
//     the end of the head) with at least three distinct mail fields, one
//     of them saying where the message came from (From, Received,
//     Message-ID...), written capitalised as mail software does. A CSV
//     whose first cell is "From:", a log whose lines start with "From: x"
//     or a YAML file with from/to/subject keys is not mail.
func Sniff(name string, head []byte) Format {
	named := strings.HasSuffix(strings.ToLower(name), ".eml")
	if bytes.HasPrefix(head, []byte("From ")) {
		i := bytes.IndexByte(head, '\n')
		if i < 0 {
			return None
		}
		fields, ok := scanHeader(head[i+1:])
		known, _ := mailLike(fields)
		switch {
		case named && len(fields) > 0:
			return EML
		case ok && known >= 1 && postmark(head[:i+1]):
			return MBOX
		}
		return None
	}
	fields, ok := scanHeader(head)
	if named && len(fields) > 0 {
		return EML
	}
	if known, origin := mailLike(fields); ok && known >= 3 && origin {
		return EML
	}
	return None
}

// mailLike counts the known mail fields among fields and tells whether one
// of them is an origin field.
func mailLike(fields map[string]bool) (known int, origin bool) {
	for f := range fields {
		if mailFields[f] {
			known++
		}
		origin = origin || originFields[f]
	}
	return known, origin
}

// scanHeader reads the header block at the start of b and returns the
// distinct field names (lower case; "" stands for any name not starting
// with a capital letter), and whether the block is well formed
// up to its blank line or the end of b. A last line cut by the end of b is
// judged by its start.
func scanHeader(b []byte) (map[string]bool, bool) {
	fields := map[string]bool{}
	for len(b) > 0 {
		line, rest, complete := bytes.Cut(b, []byte("\n"))
		b = rest
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(fields) == 0 {
				return fields, false
			}
			continue
		}
		name, ok := fieldName(line)
		if !ok && !complete && bytes.IndexByte(line, ':') < 0 {
			break // cut before its colon by the end of the head
		}
		if !ok {
			return fields, false
		}
		// Mail writes field names capitalised; a lower-case key is more
		// likely YAML or a config file, and does not count as mail.
		if name[0] >= 'A' && name[0] <= 'Z' {
			fields[strings.ToLower(string(name))] = true
		} else {
			fields[""] = true
		}
	}
	return fields, len(fields) > 0
}
