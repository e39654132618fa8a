package xlsx

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// excelize v2.11.1 formats a date 20-30 times slower than any other cell:
// for every day, month and year token of a format without a locale tag it
// looks the empty locale up by scanning its whole table of languages
// (getSupportedLanguageInfo in numfmt.go), some 25 µs each. A column of
// dates then costs ~80 µs a cell against ~3 µs for other cells. Tagging the
// format with Excel's en-US locale, "[$-409]", which is also what excelize
// falls back to, turns that scan into a map lookup and leaves the output
// unchanged (TestDateFormatsUnchanged checks it on every built-in date
// format and a set of custom ones).
//
// tagDateFormats does this to the workbook's styles after opening. Custom
// formats are edited in place. Built-in ones (14-22, 45-47) have no entry to
// edit, so the reader adds a custom format with the tagged code through
// NewStyle and points the styles that use the built-in at it. Nothing is
// saved: only this reader's in-memory copy of the styles changes.

// localeEnUS is the locale tag excelize uses when a format has none.
const localeEnUS = "[$-409]"

// builtInDateFormats are excelize's codes for the built-in date and time
// formats (numfmt.go, builtInNumFmt).
var builtInDateFormats = map[int]string{
	14: "mm-dd-yy",
	15: "d-mmm-yy",
	16: "d-mmm",
	17: "mmm-yy",
	18: "h:mm AM/PM",
	19: "h:mm:ss AM/PM",
	20: "hh:mm",
	21: "hh:mm:ss",
	22: "m/d/yy hh:mm",
	45: "mm:ss",
	46: "[h]:mm:ss",
	47: "mm:ss.0",
}

// tagDateFormats rewrites f's date formats as explained above. It gives up
// silently on anything unexpected: the formats then stay correct, only slow.
func tagDateFormats(f *excelize.File) {
	s := f.Styles
	if s == nil || s.CellXfs == nil {
		return
	}
	custom := map[int]bool{} // IDs the workbook defines, built-in ones included
	if s.NumFmts != nil {
		for _, nf := range s.NumFmts.NumFmt {
			if nf == nil {
				continue
			}
			custom[nf.NumFmtID] = true
			if isUntaggedDateFormat(nf.FormatCode) {
				nf.FormatCode = localeEnUS + nf.FormatCode
			}
			if isUntaggedDateFormat(nf.FormatCode16) {
				nf.FormatCode16 = localeEnUS + nf.FormatCode16
			}
		}
	}
	tagged := map[int]*int{} // built-in ID -> ID of its tagged copy
	for i, n := 0, len(s.CellXfs.Xf); i < n; i++ {
		id := s.CellXfs.Xf[i].NumFmtID
		if id == nil {
			continue
		}
		// excelize prefers a workbook's own definition of a built-in ID,
		// which the loop above has tagged already.
		code, ok := builtInDateFormats[*id]
		if !ok || custom[*id] {
			continue
		}
		newID, ok := tagged[*id]
		if !ok {
			tag := localeEnUS + code
			xf, err := f.NewStyle(&excelize.Style{CustomNumFmt: &tag})
			if err != nil || xf < 0 || xf >= len(s.CellXfs.Xf) || s.CellXfs.Xf[xf].NumFmtID == nil {
				return
			}
			newID = s.CellXfs.Xf[xf].NumFmtID
			tagged[*id] = newID
		}
		// NewStyle may have grown the slice: index it afresh.
		s.CellXfs.Xf[i].NumFmtID = newID
	}
}

// isUntaggedDateFormat reports whether code formats dates or times (it has
// a y, m, d, h or s outside quotes, escapes and brackets) and carries no
// locale or currency tag ("[$-407]", "[$€-407]") of its own. Formats with
// an "A/P" marker are left out: under a locale excelize prints it as
// "AM/PM".
func isUntaggedDateFormat(code string) bool {
	if code == "" || strings.Contains(code, "[$") || hasAP(code) {
		return false
	}
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is a literal or a padding
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return false
			}
			i += j
		case 'y', 'Y', 'm', 'M', 'd', 'D', 'h', 'H', 's', 'S':
			return true
		}
	}
	return false
}

func hasAP(code string) bool {
	for i := 0; i+3 <= len(code); i++ {
		if strings.EqualFold(code[i:i+3], "a/p") {
			return true
		}
	}
	return false
}
