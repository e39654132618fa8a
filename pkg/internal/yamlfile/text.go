package yamlfile

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuoted bounds how much of a key or value from a file a message
// echoes: enough to recognise it, not enough to dump a file that was
// never meant to be YAML (a symlink swapped in, say).
const MaxQuoted = 48

// Quote renders text from a file for a message: Go-quoted, so that
// control characters cannot reach the terminal as escape sequences, and
// cut to MaxQuoted bytes (at a rune boundary, marked with …).
func Quote(s string) string {
	if len(s) > MaxQuoted {
		cut := MaxQuoted
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

// Printable returns s, or s Go-quoted when it holds anything a terminal
// could take as a control sequence (a file name can). `config show` uses
// it for source names and origins.
func Printable(s string) string {
	if IsPrintable(s) {
		return s
	}
	return strconv.Quote(s)
}

// IsPrintable reports whether every rune of s is printable and valid.
func IsPrintable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) || r == unicode.ReplacementChar {
			return false
		}
	}
	return true
}

// MaskControls replaces each control character in s with '?', keeping the
// rest as it is. `policy show` and policy syntax errors use it, where a
// quoted origin would read as part of the YAML it annotates.
func MaskControls(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}
