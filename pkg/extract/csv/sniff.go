package csv

import (
	"strconv"
	"strings"
	"unicode"
)

const (
	// SniffBytes is how much of the start of a file Sniff looks at.
	SniffBytes = 64 << 10
	// sniffRecords is how many records Sniff counts delimiters in: enough
	// to see past a title line or two, few enough to stay in the head.
	sniffRecords = 50
)

// candidates are the delimiters Sniff chooses from, in order of preference
// when the evidence is equal.
var candidates = [...]byte{',', ';', '\t', '|'}

// Sniff guesses the delimiter of a CSV/TSV file from its head (only the
// first SniffBytes are read). For each candidate (',', ';', '\t', '|') it
// counts the delimiters outside quoted fields in each of the first 50
// records, quoting as the parser would with that delimiter. The winner is the
// candidate whose most common non-zero count occurs on the most records; a
// tie goes to the higher count, then to the earlier candidate. Without any
// evidence, Sniff returns ','.
//
// An incomplete last record is ignored unless it is the only one, since a
// head cut at SniffBytes usually ends inside a record.
func Sniff(head []byte) rune {
	if len(head) > SniffBytes {
		head = head[:SniffBytes]
	}
	best, bestFreq, bestMode := ',', 0, 0
	for _, c := range candidates {
		var counts [sniffRecords]int
		n := countDelims(head, c, counts[:])
		mode, freq := modeOf(counts[:n])
		if freq > bestFreq || (freq == bestFreq && freq > 0 && mode > bestMode) {
			best, bestFreq, bestMode = rune(c), freq, mode
		}
	}
	return best
}

// countDelims scans head as a CSV with delimiter comma and stores the number
// of delimiters of each non-blank record in counts, returning how many it
// stored. It follows the same quoting rules as the parser.
func countDelims(head []byte, comma byte, counts []int) int {
	n := 0
	state := stFieldStart
	delims, blank := 0, true
	for _, c := range head {
		if n == len(counts) {
			return n
		}
		switch state {
		case stFieldStart, stUnquoted:
			switch {
			case c == comma:
				delims++
				blank = false
				state = stFieldStart
			case c == '\n':
				if !blank {
					counts[n] = delims
					n++
				}
				delims, blank = 0, true
				state = stFieldStart
			case state == stFieldStart && c == '"':
				blank = false
				state = stQuoted
			case state == stFieldStart && isLeadingSpace(c, comma):
			default:
				if !isSpace(c) {
					blank = false
				}
				state = stUnquoted
			}
		case stQuoted:
			if c == '"' {
				state = stQuoteSeen
			}
		case stQuoteSeen:
			switch c {
			case '"':
				state = stQuoted
			case comma:
				delims++
				state = stFieldStart
			case '\n':
				counts[n] = delims
				n++
				delims, blank = 0, true
				state = stFieldStart
			default:
				state = stUnquoted
			}
		}
	}
	if n == 0 && !blank && n < len(counts) {
		counts[n] = delims
		n++
	}
	return n
}

// modeOf returns the most common non-zero value in counts (the larger one on
// a tie) and how often it occurs.
func modeOf(counts []int) (mode, freq int) {
	for i, c := range counts {
		if c == 0 {
			continue
		}
		f := 0
		for _, d := range counts[i:] {
			if d == c {
				f++
			}
		}
		if f > freq || (f == freq && c > mode) {
			mode, freq = c, f
		}
	}
	return mode, freq
}

// Limits of what LooksLikeHeader accepts as a column name.
const (
	// maxHeaderFieldLen: column names are short; longer text is data.
	maxHeaderFieldLen = 64
	// maxHeaderFields is Excel's column limit: a wider first record is
	// taken as data, which also bounds what the reader holds while it
	// decides.
	maxHeaderFields = 16384
)

// LooksLikeHeader reports whether the first record of a file reads as column
// names: it has at least one field, at least half of its fields are
// non-empty, and every non-empty field (spaces trimmed) is at most 64 bytes,
// contains a letter, contains no '@', and does not look like a number or a
// date. A field with at least six digits and more digits than letters counts
// as a number: it is more likely an identifier (an IBAN, a passport number)
// than a column name, while "Q1 2024" still reads as one.
func LooksLikeHeader(fields []string) bool {
	if len(fields) == 0 || len(fields) > maxHeaderFields {
		return false
	}
	nonEmpty := 0
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		nonEmpty++
		if len(f) > maxHeaderFieldLen || strings.ContainsRune(f, '@') {
			return false
		}
		letters, digits := 0, 0
		for _, r := range f {
			switch {
			case unicode.IsLetter(r):
				letters++
			case unicode.IsDigit(r):
				digits++
			}
		}
		if letters == 0 || (digits > letters && digits >= 6) || looksNumeric(f) || looksLikeDate(f) {
			return false
		}
	}
	return nonEmpty*2 >= len(fields)
}

// looksNumeric reports whether s, which has letters, is still a number:
// "1e5", "0x1F", "-2.5E+3".
func looksNumeric(s string) bool {
	if !strings.ContainsAny(s, "0123456789") {
		return false // "NaN", "Inf": words that ParseFloat would take
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	_, err := strconv.ParseInt(s, 0, 64)
	return err == nil
}

// dateWords are the words that may appear in a date or a time.
var dateWords = func() map[string]bool {
	m := map[string]bool{"t": true, "z": true, "am": true, "pm": true, "utc": true, "gmt": true,
		"st": true, "nd": true, "rd": true, "th": true, "of": true}
	for _, w := range []string{"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
		"friday", "saturday", "sunday"} {
		m[w] = true
		m[w[:3]] = true
	}
	m["sept"], m["tues"], m["thur"], m["thurs"] = true, true, true, true
	return m
}()

// looksLikeDate reports whether s is made of digits and date words only:
// "12 Jan 2024", "2024-01-05T10:00:00Z", "Monday, March 4th".
func looksLikeDate(s string) bool {
	hasDigit := false
	word := strings.Builder{}
	check := func() bool {
		ok := word.Len() == 0 || dateWords[strings.ToLower(word.String())]
		word.Reset()
		return ok
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			word.WriteRune(r)
			continue
		case unicode.IsDigit(r):
			hasDigit = true
		}
		if !check() {
			return false
		}
	}
	return check() && hasDigit
}
