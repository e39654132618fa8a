package config

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a problem in a config file or a DATAHYGIENE_* variable. Callers
// branch on it with errors.As (the CLI maps it to exit code 2 and a hint);
// they never match on message text.
type Error struct {
	File    string // source name as given, or "env DATAHYGIENE_X"
	Line    int    // 1-based; 0 only for environment variables
	Setting string // the flag's long name, when the problem is about one
	Msg     string
	Err     error // the flag parser's error, for errors.Is/As; may be nil
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Setting != "" {
		b.WriteString("scan setting " + strconv.Quote(e.Setting) + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// maxQuoted bounds how much of a key or value written in a config file is
// echoed in a message: enough to recognise it, not enough to dump a file
// that was never meant to be a config (a symlink swapped in, say).
const maxQuoted = 48

// quote renders text from a config file for a message: Go-quoted, so that
// control characters cannot reach the terminal as escape sequences, and
// cut to maxQuoted bytes.
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
