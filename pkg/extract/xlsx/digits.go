package xlsx

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// Excel keeps 15 significant digits of a number, and excelize formats cell
// values the same way: a cell holding 4111111111111111 is rendered as
// "4.11111111111111E+15" in the General format and as "4111111111111110"
// under "0". Only programs write such cells, and they store every digit, so
// the reader looks the stored value up whenever a formatted value may have
// lost digits, and yields it when it is an integer longer than 15 digits.
// The lookup uses a second row iterator in raw mode, opened on the first
// suspect value of a sheet, so that sheets without one pay nothing.

// mayHaveLostDigits reports whether v could be excelize's rendering of an
// integer with more than 15 significant digits: scientific notation
// ("4.11111111111111E+15", "-1.2E+18") or 16 or more digits, formatted
// with separators or decimals perhaps, whose last digit is 0.
func mayHaveLostDigits(v string) bool {
	if len(v) < 5 {
		return false
	}
	if i := strings.Index(v, "E+"); i > 0 {
		return isScientific(v, i)
	}
	digits, last := 0, byte(0)
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case '0' <= c && c <= '9':
			digits++
			last = c
		case c == ',' || c == '.' || c == ' ' || c == '\'' || (c == '-' && i == 0):
		default:
			return false
		}
	}
	return digits >= 16 && last == '0'
}

// isScientific reports whether v is [-]d[.ddd]E+dd, e being the index of "E+".
func isScientific(v string, e int) bool {
	m := strings.TrimPrefix(v[:e], "-")
	if m == "" || !isDigit(m[0]) {
		return false
	}
	if len(m) > 1 && (m[1] != '.' || len(m) == 2 || !allDigits(m[2:])) {
		return false
	}
	return len(v) > e+2 && allDigits(v[e+2:])
}

// storedDigits returns raw if it is an integer literal with more than 15
// significant digits, the value excelize rounded.
func storedDigits(raw string) (string, bool) {
	d := strings.TrimPrefix(raw, "-")
	if d == "" || !allDigits(d) {
		return "", false
	}
	d = strings.TrimRight(strings.TrimLeft(d, "0"), "0")
	return raw, len(d) > 15
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// rawRows finds stored cell values in one sheet, walking forward only: the
// main loop asks for rows in increasing order.
type rawRows struct {
	f     *excelize.File
	sheet string
	rows  *excelize.Rows
	at    int // row number the iterator stands on
	row   int // row number of cells
	cells []string
}

// value returns the stored digits of the cell at row and column index col
// if they are what formatted lost, and formatted otherwise.
func (r *rawRows) value(row, col int, formatted string) (string, error) {
	if r.row != row {
		if r.rows == nil {
			rows, err := r.f.Rows(r.sheet)
			if err != nil {
				return "", err
			}
			r.rows = rows
		}
		// Next without Columns skips a row, just as in the main loop.
		for r.at < row && r.rows.Next() {
			r.at++
		}
		if r.at != row {
			return formatted, nil
		}
		cells, err := r.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return "", err
		}
		r.row, r.cells = row, cells
	}
	if col < len(r.cells) {
		if d, ok := storedDigits(r.cells[col]); ok {
			return d, nil
		}
	}
	return formatted, nil
}

func (r *rawRows) close() {
	if r.rows != nil {
		r.rows.Close()
	}
}
