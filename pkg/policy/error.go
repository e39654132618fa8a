package policy

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a problem in a policy section. Callers branch on it with
// errors.As (the CLI maps it to exit code 2); they never match on text.
type Error struct {
	File string // source name as given, or "builtin:policy.yaml"
	Line int    // 1-based
	Key  string // dotted key path, e.g. "policy.retention.default"; may be empty
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxQuoted bounds how much of a value from a policy file a message
// echoes: enough to recognise it, not enough to dump a file that was never
// meant to be a policy.
const maxQuoted = 48

// quote renders text from a policy file for a message: Go-quoted, so
// control characters cannot reach the terminal raw, and cut to maxQuoted.
func quote(s string) string {
	if len(s) > maxQuoted {
		cut := maxQuoted
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}
