package extract

import (
	"strconv"
	"strings"
	"unicode"
)

// One judgement for every tabular reader: a CSV export and the same data
// saved as a workbook must get the same header, hence the same context.

// Limits of what LooksLikeHeader accepts as a row of column names.
const (
	// MaxHeaderLen: column names are short; longer text is data.
	MaxHeaderLen = 64
	// MaxHeaderFields is Excel's column limit: a wider first record is
	// taken as data, which also bounds what the reader holds while it
	// decides.
	MaxHeaderFields = 16384
)

// LooksLikeHeader reports whether the first row of a table (a CSV record,
// a spreadsheet's first non-empty row) reads as column names: it has at least one field, at least half of its fields are
// non-empty, and every non-empty field (spaces trimmed) is at most 64 bytes,
// contains a letter, contains no '@', and does not look like a number or a
// date. A field with at least six digits and more digits than letters counts
// as a number: it is more likely an identifier (an IBAN, a passport number)
// than a column name, while "Q1 2024" still reads as one.
func LooksLikeHeader(fields []string) bool {
	if len(fields) == 0 || len(fields) > MaxHeaderFields {
		return false
	}
	nonEmpty := 0
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		nonEmpty++
		if len(f) > MaxHeaderLen || strings.ContainsRune(f, '@') {
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
