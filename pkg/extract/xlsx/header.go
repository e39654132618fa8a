package xlsx

import (
	"strconv"
	"strings"
	"unicode"
)

// maxHeaderLen is the longest cell, in bytes, that may be a column header:
// headers are labels, and a long cell in the first row is data.
const maxHeaderLen = 64

// looksLikeHeader reports whether the first non-empty row of a sheet is a
// header row: every non-empty cell contains a letter, none contains '@' (an
// e-mail address is data) or reads as a number, none is longer than
// maxHeaderLen bytes, and at least half of the row's cells (from column A
// to its last non-empty cell) are non-empty. A wrong "yes" hides one row of
// data from the detectors, so the rules lean towards "no".
//
// The CSV reader has its own copy of these rules; extract readers do not
// import each other.
func looksLikeHeader(cells []string) bool {
	filled := 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		filled++
		if len(c) > maxHeaderLen || strings.IndexByte(c, '@') >= 0 || looksLikeNumber(c) || !hasLetter(c) {
			return false
		}
	}
	return filled > 0 && 2*filled >= len(cells)
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// looksLikeNumber reports whether s parses as a number. The cells it is
// asked about contain a letter, so this catches "1E+15" and "0x1F" and
// leaves "Inf" and "NaN", which have no digit, to count as words.
func looksLikeNumber(s string) bool {
	if strings.IndexAny(s, "0123456789") < 0 {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
