package xlsx

import (
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Native number formats. Asking excelize to format a number costs some
// 5-15 µs, most of it parsing the format code again for every value, and
// in an export most numbers are formatted: amounts, percentages, dates.
// So the formats that make up nearly all of them are applied here, with
// the arithmetic excelize's numberHandler and dateTimeHandler use
// (numfmt.go), for a deliberately small grammar:
//
//   - numbers: quoted or escaped literals (or "$") around 0, 00.., or
//     #,##0, optionally with decimals (.00..) and a percent sign, in one
//     section: "0", "0.00", "#,##0.00", "0.0%", `"£"#,##0.00`, "000000";
//   - dates and times: y, m, d, h and s runs (m as excelize tells months
//     from minutes), with separators - / : , . and space, quoted or
//     escaped literals, an optional [$-409] prefix and ;@ suffix:
//     "yyyy-mm-dd", "dd/mm/yyyy", "d-mmm-yy", "yyyy-mm-dd hh:mm:ss".
//
// Anything else (other sections, AM/PM, colours, locales, fractions,
// elapsed time, scientific notation), and values outside the plain range
// (numbers of more than 15 digits, dates before 1 March 1900 where
// Excel's calendar has its quirks, negative dates), goes to excelize.
// Tests compare every native format with excelize over thousands of
// values (TestNativeFormats), and the reader checks the first values of
// each style of each workbook against excelize too (nativeChecks), so a
// format the grammar misreads falls back instead of yielding wrong text.

type nativeFormat interface {
	// format appends num (stored as value) formatted, or reports false
	// if excelize must format this value.
	format(dst []byte, num float64, date1904 bool) ([]byte, bool)
}

// nativeChecks is how many values of each style are formatted both ways
// and compared before the native result is trusted alone.
const nativeChecks = 3

// builtInCodes are excelize's codes for the built-in formats the grammar
// covers (builtInNumFmt in its numfmt.go).
var builtInCodes = map[int]string{
	1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
	14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 20: "hh:mm", 21: "hh:mm:ss",
	22: "m/d/yy hh:mm", 45: "mm:ss",
}

// compileFormat returns the native form of code, or nil.
func compileFormat(code string) nativeFormat {
	if f := compileNumber(code); f != nil {
		return f
	}
	if f := compileDate(code); f != nil {
		return f
	}
	return nil
}

// literal reads a literal at code[i:]: a quoted string or an escaped
// character. It returns the text and the index after it, or false.
func literal(code string, i int) (string, int, bool) {
	switch code[i] {
	case '"':
		j := strings.IndexByte(code[i+1:], '"')
		if j < 0 {
			return "", 0, false
		}
		return code[i+1 : i+1+j], i + 2 + j, true
	case '\\':
		if i+1 >= len(code) || code[i+1] >= 0x80 {
			return "", 0, false
		}
		return code[i+1 : i+2], i + 2, true
	case '$':
		return "$", i + 1, true
	}
	return "", 0, false
}

// numberFormat is a number pattern with literal text around it.
type numberFormat struct {
	prefix, suffix string
	intPad         int // zeros before the point
	fracPad        int // zeros after it
	comma          bool
	percent        bool
}

func compileNumber(code string) *numberFormat {
	f := &numberFormat{}
	i := 0
	for i < len(code) && (code[i] == '"' || code[i] == '\\' || code[i] == '$') {
		s, j, ok := literal(code, i)
		if !ok {
			return nil
		}
		f.prefix += s
		i = j
	}
	switch {
	case strings.HasPrefix(code[i:], "#,##0"):
		f.comma, f.intPad = true, 1
		i += 5
	case i < len(code) && code[i] == '0':
		for i < len(code) && code[i] == '0' {
			f.intPad++
			i++
		}
	default:
		return nil
	}
	if i < len(code) && code[i] == '.' {
		i++
		for i < len(code) && code[i] == '0' {
			f.fracPad++
			i++
		}
		if f.fracPad == 0 {
			return nil
		}
	}
	if i < len(code) && code[i] == '%' {
		f.percent = true
		i++
	}
	for i < len(code) {
		s, j, ok := literal(code, i)
		if !ok {
			return nil
		}
		f.suffix += s
		i = j
	}
	return f
}

func (f *numberFormat) format(dst []byte, num float64, _ bool) ([]byte, bool) {
	if math.IsInf(num, 0) || math.IsNaN(num) {
		return dst, false
	}
	// excelize's getNumberPartLen: the digits of the plain number decide
	// the widths; beyond 15 it takes another path.
	var buf [40]byte
	plain := strconv.AppendFloat(buf[:0], math.Abs(num), 'f', -1, 64)
	intPart := len(plain)
	for i, c := range plain {
		if c == '.' {
			intPart = i
			break
		}
	}
	intLen := max(intPart, f.intPad)
	if intLen+f.fracPad > 15 {
		return dst, false
	}
	width := intLen + f.fracPad
	if f.fracPad > 0 {
		width++
	}
	x := num
	if f.percent {
		x *= 100
	}
	ratio := math.Pow(10, float64(f.fracPad))
	x = math.Round(x*ratio) / ratio
	// Sprintf("%0<width>.<fracPad>f%%"), then the grouping.
	var tbuf [64]byte
	text := tbuf[:0]
	digits := strconv.AppendFloat(buf[:0], math.Abs(x), 'f', f.fracPad, 64)
	for n := len(digits); n < width; n++ {
		text = append(text, '0')
	}
	text = append(text, digits...)
	if f.percent {
		text = append(text, '%')
	}
	// A number is negative only in the format's sole section, which
	// excelize signals with a leading "-", before any literal.
	if num < 0 {
		dst = append(dst, '-')
	}
	dst = append(dst, f.prefix...)
	if f.comma {
		dst = appendCommaSep(dst, text)
	} else {
		dst = append(dst, text...)
	}
	return append(dst, f.suffix...), true
}

// appendCommaSep groups the digits before the point by three, as
// excelize's printCommaSep does (a percent sign without a point counts as
// a digit there).
func appendCommaSep(dst, text []byte) []byte {
	n := len(text)
	for i, c := range text {
		if c == '.' {
			n = i
			break
		}
	}
	for i := 0; i < n; i++ {
		if i > 0 && (n-i)%3 == 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, text[i])
	}
	return append(dst, text[n:]...)
}

// dateFormat is a sequence of date and time parts and literals.
type dateFormat struct {
	parts []datePart
}

type datePart struct {
	kind byte // 'y', 'M' (month), 'N' (minute), 'd', 'h', 's', or 0 for text
	n    int  // run length
	text string
}

func compileDate(code string) *dateFormat {
	if len(code) >= 7 && strings.EqualFold(code[:7], "[$-409]") {
		code = code[7:]
	}
	code = strings.TrimSuffix(code, ";@")
	f := &dateFormat{}
	for i := 0; i < len(code); {
		c := code[i]
		switch c {
		case 'y', 'Y', 'm', 'M', 'd', 'D', 'h', 'H', 's', 'S':
			j := i
			for j < len(code) && code[j] == c {
				j++
			}
			k := c | 0x20 // lower case
			if j < len(code) && code[j]|0x20 == k {
				return nil // mixed case within a run: leave it to excelize
			}
			f.parts = append(f.parts, datePart{kind: k, n: j - i})
			i = j
		case '-', '/', ':', ',', '.', ' ':
			f.parts = append(f.parts, datePart{text: code[i : i+1]})
			i++
		case '"', '\\':
			s, j, ok := literal(code, i)
			if !ok {
				return nil
			}
			f.parts = append(f.parts, datePart{text: s})
			i = j
		default:
			return nil
		}
	}
	fields := 0
	for i := range f.parts {
		p := &f.parts[i]
		switch p.kind {
		case 0:
			continue
		case 'm':
			// excelize reads m and mm as minutes after hours or before
			// seconds (isMonthToken); longer runs are month names.
			p.kind = 'M'
			if p.n <= 2 && !f.monthToken(i) {
				p.kind = 'N'
			}
		case 'd':
			if p.n > 4 {
				p.n = 4
			}
		}
		fields++
	}
	if fields == 0 {
		return nil
	}
	return f
}

// monthToken is excelize's isMonthToken: the part at i is a month unless
// the nearest part before it is hours or seconds or the nearest part
// after it is seconds.
func (f *dateFormat) monthToken(i int) bool {
	for j := i - 1; j >= 0; j-- {
		if k := f.parts[j].kind; k != 0 {
			if k == 'h' || k == 's' {
				return false
			}
			break
		}
	}
	for j := i + 1; j < len(f.parts); j++ {
		if k := f.parts[j].kind; k != 0 {
			return k != 's'
		}
	}
	return true
}

// Serial numbers the native path formats: from 1 March 1900, where
// Excel's calendar stops pretending 1900 was a leap year, to the end of
// 9999, its last date.
const firstPlainSerial, lastSerial = 61, 2958466

var weekdayAbbr = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

func (f *dateFormat) format(dst []byte, num float64, date1904 bool) ([]byte, bool) {
	if !(num >= firstPlainSerial && num < lastSerial) {
		return dst, false
	}
	t, err := excelize.ExcelDateToTime(num, date1904)
	if err != nil {
		return dst, false
	}
	for _, p := range f.parts {
		switch p.kind {
		case 0:
			dst = append(dst, p.text...)
		case 'y':
			y := strconv.Itoa(t.Year())
			if p.n <= 2 {
				y = y[2:]
			}
			dst = append(dst, y...)
		case 'M':
			switch m := t.Month(); {
			case p.n <= 2:
				dst = appendPadded(dst, int(m), p.n)
			case p.n == 3:
				dst = append(dst, m.String()[:3]...)
			case p.n == 5:
				dst = append(dst, m.String()[:1]...)
			default:
				dst = append(dst, m.String()...)
			}
		case 'N':
			dst = appendPadded(dst, t.Minute(), p.n)
		case 'd':
			switch p.n {
			case 1, 2:
				dst = appendPadded(dst, t.Day(), p.n)
			case 3:
				dst = append(dst, weekdayAbbr[t.Weekday()]...)
			default:
				dst = append(dst, t.Weekday().String()...)
			}
		case 'h':
			dst = appendPadded(dst, t.Hour(), min(p.n, 2))
		case 's':
			dst = appendPadded(dst, t.Second(), min(p.n, 2))
		}
	}
	return dst, true
}

// appendPadded appends v with two digits at least when width is 2.
func appendPadded(dst []byte, v, width int) []byte {
	if width >= 2 && v < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(v), 10)
}
