// Package escape makes untrusted text safe to show in each output
// format. File names, folder names, column headers and reasons come from
// the scanned share, which anyone may have named: a name can hold terminal
// escape sequences, Markdown that renders as a link, or a spreadsheet
// formula. Every writer of reports and inventories goes through here.
package escape

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMarkdownCell is the longest text MarkdownCode shows; longer text is
// shortened in the middle.
const MaxMarkdownCell = 120

// Printable escapes what a terminal would act on rather than show:
// control characters (a file name can hold ESC sequences or newlines),
// other non-printing runes and invalid UTF-8. Everything else, including
// non-ASCII text, is shown as given.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		s = s[size:]
	}
	return b.String()
}

// Shorten cuts s to at most n runes by replacing its middle with "…".
func Shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	head := n / 3
	tail := n - head - 1
	return string(runes[:head]) + "…" + string(runes[len(runes)-tail:])
}

// MarkdownCode shows untrusted text as a code span: control characters escaped,
// long text shortened in the middle, the fence longer than any backtick
// run inside. In a table cell (inTable) pipes are escaped too: GitHub
// splits cells on "|" even inside code spans, and shows "\|" there as "|".
func MarkdownCode(s string, inTable bool) string {
	s = Shorten(Printable(s), MaxMarkdownCell)
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	// A span starting or ending in a backtick needs a blank to separate it
	// from the fence; one blank each side is stripped again, so text that
	// starts and ends with blanks gets one more each side to keep them.
	if s[0] == '`' || s[len(s)-1] == '`' || (s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != "") {
		s = " " + s + " "
	}
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return fence + s + fence
}

// MarkdownText escapes every ASCII punctuation character in words we generate
// from our own vocabulary (issue kinds, statuses), so that even a new
// value cannot turn into markup.
func MarkdownText(s string) string {
	s = Printable(s)
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && strings.ContainsRune("\\`*_{}[]()<>#+-.!|~&:@\"'$%^=,;?/", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CSVCell makes a cell safe to open in a spreadsheet. Paths, column names
// and reasons come from the scanned share, which anyone may have named:
// a cell starting with = + - @ would run as a formula, so it gets a
// leading apostrophe, as OWASP's CSV injection guidance recommends.
// Control characters and invalid UTF-8 are escaped first, as in the table
// format, so a cell never starts with the tab or carriage return some
// spreadsheets skip before a formula.
func CSVCell(s string) string {
	s = Printable(s)
	if s != "" && strings.IndexByte("=+-@", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
