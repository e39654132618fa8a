package xlsx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// cellFormatter turns a rawCell into the text excelize's row iterator
// returns for it (xlsxC.getValueFrom, cell.go), which is the reference the
// reader must reproduce. Most cells need no number format: text, numbers
// in unstyled cells, and numbers in the General format, whose rules are
// short and reproduced here. The common number and date formats are
// applied natively (numfmt.go). The others are excelize's own formatter,
// some thousand lines of code that this package does not copy: excelize
// formats such a number in a scratch sheet (formatOracle), and the result
// is cached per style and stored value. For text, a format can only wrap
// the value in literals; the wrapping is learnt once per style from
// excelize and applied here.
type cellFormatter struct {
	styles *styleTable
	sst    *sharedStrings
	oracle *formatOracle

	// cache holds formatted numbers: style -> stored value -> text.
	cache      map[int]map[string]string
	cacheCells int
	// text holds each style's text template, once learnt.
	text map[int]*textTemplate

	scratch, decoded []byte
	date1904         bool
}

// maxCachedValues bounds the cache of formatted numbers; it is emptied
// when full. A few thousand distinct dates and amounts fit easily.
const maxCachedValues = 1 << 16

func newCellFormatter(styles *styleTable, sst *sharedStrings, oracle *formatOracle) *cellFormatter {
	return &cellFormatter{styles: styles, sst: sst, oracle: oracle, date1904: styles.date1904(),
		cache: map[int]map[string]string{}, text: map[int]*textTemplate{}}
}

// appendValue appends c's formatted value to dst.
func (f *cellFormatter) appendValue(dst []byte, c *rawCell) ([]byte, error) {
	switch string(c.typ) {
	case "b":
		switch string(c.v) {
		case "1":
			return append(dst, "TRUE"...), nil
		case "0":
			return append(dst, "FALSE"...), nil
		}
		return f.appendText(dst, c.style, c.v)
	case "d":
		// An ISO 8601 date cell, which excelize converts to a serial
		// number before formatting. Rare: Excel writes numbers.
		v, err := f.oracle.cell(c)
		if err != nil {
			return nil, err
		}
		return append(dst, v...), nil
	case "s":
		if len(c.v) == 0 {
			return f.appendText(dst, c.style, nil)
		}
		s, ok := f.sst.lookup(c.v)
		if !ok {
			if f.sst.err != nil {
				return nil, f.sst.err
			}
			return dst, nil // excelize: an error, so no value
		}
		return f.appendText(dst, c.style, s)
	case "str":
		return append(dst, c.v...), nil
	case "inlineStr":
		if c.hasIS {
			f.decoded = f.inlineString(f.decoded[:0], c)
			return f.appendText(dst, c.style, f.decoded)
		}
		return f.appendText(dst, c.style, c.v)
	}
	return f.appendNumber(dst, c.style, c.v)
}

// appendRaw appends c's stored value, as excelize returns it with
// RawCellValue set: the shared or inline string, or the text of <v>.
func (f *cellFormatter) appendRaw(dst []byte, c *rawCell) []byte {
	switch string(c.typ) {
	case "s":
		if len(c.v) > 0 {
			if s, ok := f.sst.lookup(c.v); ok {
				return append(dst, s...)
			}
			return dst
		}
	case "inlineStr":
		if c.hasIS {
			return f.inlineString(dst, c)
		}
	}
	return append(dst, c.v...)
}

// inlineString appends the text of c's <is>, as xlsxSI.String builds it.
func (f *cellFormatter) inlineString(dst []byte, c *rawCell) []byte {
	f.scratch = append(append(f.scratch[:0], c.isT...), c.isRuns...)
	return appendBstr(dst, f.scratch)
}

// appendText appends text v formatted with style s.
func (f *cellFormatter) appendText(dst []byte, s int, v []byte) ([]byte, error) {
	if s == 0 || f.styles.class(s) == styleRaw {
		return append(dst, v...), nil
	}
	t, err := f.template(s)
	if err != nil {
		return nil, err
	}
	return t.apply(dst, v), nil
}

// appendNumber appends the value of a number cell (any type excelize
// treats as one: n, e, none or unknown) formatted with style s.
func (f *cellFormatter) appendNumber(dst []byte, s int, v []byte) ([]byte, error) {
	start := len(dst)
	dst = appendNormalized(dst, v)
	if s == 0 {
		return dst, nil
	}
	switch f.styles.class(s) {
	case styleRaw:
		return dst, nil
	case styleGeneral:
		n := dst[start:]
		if ok, prec, num := isNumeric(n); ok && prec > 11 {
			return strconv.AppendFloat(dst[:start], num, 'G', 10, 64), nil
		}
		return dst, nil
	}
	ok, _, num := isNumeric(dst[start:])
	if !ok {
		// Not a number ("#N/A", text in a number cell), so left as it
		// was: a format treats it as text.
		return f.appendText(dst[:start], s, v)
	}
	dst = dst[:start]
	if info := f.styles.info(s); info.native != nil {
		out, ok := info.native.format(dst, num, f.date1904)
		if ok && info.checked >= nativeChecks {
			return out, nil
		}
		if ok {
			// One of the first values of this style: compare.
			want, err := f.oracle.number(s, string(v))
			if err != nil {
				return nil, err
			}
			if string(out[start:]) == want {
				info.checked++
				return out, nil
			}
			info.native = nil
			return append(dst[:start], want...), nil
		}
	}
	byValue := f.cache[s]
	if out, ok := byValue[string(v)]; ok {
		return append(dst, out...), nil
	}
	out, err := f.oracle.number(s, string(v))
	if err != nil {
		return nil, err
	}
	if f.cacheCells >= maxCachedValues {
		clear(f.cache)
		f.cacheCells = 0
	}
	if byValue = f.cache[s]; byValue == nil {
		byValue = map[string]string{}
		f.cache[s] = byValue
	}
	byValue[string(v)] = out
	f.cacheCells++
	return append(dst, out...), nil
}

// appendNormalized appends v as excelize's getCellDefault leaves it: a
// number re-printed by strconv (15 significant digits at most, as Excel
// shows it, unless it is an integer whose extra digits are zeros), or v
// unchanged.
func appendNormalized(dst, v []byte) []byte {
	if plainInteger(v) {
		return append(dst, v...) // re-printing changes nothing
	}
	ok, prec, num := isNumeric(v)
	if !ok {
		return append(dst, v...)
	}
	if prec > 15 && !numWithinPrecision(v) {
		return strconv.AppendFloat(dst, num, 'G', 15, 64)
	}
	return strconv.AppendFloat(dst, num, 'f', -1, 64)
}

// plainInteger reports whether v is an integer of at most 15 digits
// without leading zeros, which strconv prints back unchanged.
func plainInteger(v []byte) bool {
	d := v
	if len(d) > 0 && d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 15 || (d[0] == '0' && len(d) > 1) {
		return false
	}
	return allDigits(d)
}

// isNumeric is excelize's isNumeric: whether v parses as a float, and its
// precision, the length of its plain decimal form without the point
// (sign included).
func isNumeric(v []byte) (bool, int, float64) {
	if bytes.IndexByte(v, '_') >= 0 {
		return false, 0, 0
	}
	num, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return false, 0, 0
	}
	var buf [32]byte
	plain := strconv.AppendFloat(buf[:0], num, 'f', -1, 64)
	return true, len(plain) - bytes.Count(plain, []byte(".")), num
}

// numWithinPrecision is excelize's isNumWithinPrecision: an integer whose
// digits beyond the 15th are zeros.
func numWithinPrecision(v []byte) bool {
	if bytes.ContainsAny(v, ".Ee") {
		return false
	}
	v = bytes.TrimLeft(v, "+-0")
	return len(bytes.TrimRight(v, "0")) <= 15
}

// appendBstr appends s to dst, decoding the _xHHHH_ escapes Office uses
// for characters XML cannot hold, as excelize's bstrUnmarshal does:
// matches are taken left to right without overlap, "_x005F_" is "_", and
// the escape of a surrogate half is dropped.
func appendBstr(dst, s []byte) []byte {
	if bytes.Index(s, []byte("_x")) < 0 {
		return append(dst, s...)
	}
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && isHex4(s[i+2:i+6]) && s[i+6] == '_' {
			if string(s[i:i+7]) == "_x005F_" {
				dst = append(dst, '_')
			} else {
				r, _ := strconv.ParseUint(string(s[i+2:i+6]), 16, 32)
				if utf8.ValidRune(rune(r)) {
					dst = utf8.AppendRune(dst, rune(r))
				}
			}
			i += 7
			continue
		}
		dst = append(dst, s[i])
		i++
	}
	return dst
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// styleClass is what a cell style means for its value.
type styleClass uint8

const (
	styleUnknown styleClass = iota
	// styleRaw: no number format applies; excelize returns the value.
	styleRaw
	// styleGeneral: the built-in General format (ID 0).
	styleGeneral
	// styleFormat: any other format, applied by excelize.
	styleFormat
)

// styleTable classifies the workbook's cell styles the way excelize's
// formattedValue resolves them: the style's number format ID, a custom
// format with that ID if the workbook defines one, else a built-in one.
type styleTable struct {
	f      *excelize.File
	styles []styleInfo
	raw    styleInfo // for style indexes formattedValue ignores
}

type styleInfo struct {
	class styleClass
	// native applies the format without excelize (numfmt.go), nil if it
	// cannot; checked counts the results compared with excelize's.
	native  nativeFormat
	checked int
}

// builtInNumFmt reports whether excelize has a built-in code for format
// ID id (numfmt.go, builtInNumFmt). Language-specific IDs (27-36, 50-81)
// have codes only under a CultureInfo option, which the reader does not
// set, and 5-8 and 23-26 have none.
func builtInNumFmt(id int) bool {
	return 0 <= id && id <= 4 || 9 <= id && id <= 22 || 37 <= id && id <= 49
}

func (t *styleTable) class(s int) styleClass { return t.info(s).class }

func (t *styleTable) info(s int) *styleInfo {
	st := t.f.Styles
	if s < 0 || st == nil || st.CellXfs == nil || s >= len(st.CellXfs.Xf) {
		t.raw = styleInfo{class: styleRaw}
		return &t.raw
	}
	if s < len(t.styles) && t.styles[s].class != styleUnknown {
		return &t.styles[s]
	}
	if s >= len(t.styles) {
		t.styles = append(t.styles, make([]styleInfo, s+1-len(t.styles))...)
	}
	info := &t.styles[s]
	id := 0
	if p := st.CellXfs.Xf[s].NumFmtID; p != nil {
		id = *p
	}
	code, custom := "", false
	if st.NumFmts != nil {
		for _, nf := range st.NumFmts.NumFmt {
			if nf != nil && nf.NumFmtID == id {
				code, custom = nf.FormatCode, true
				if nf.FormatCode16 != "" {
					code = nf.FormatCode16
				}
				break
			}
		}
	}
	switch {
	case custom:
		info.class = styleFormat
		info.native = compileFormat(code)
	case id == 0:
		info.class = styleGeneral
	case builtInNumFmt(id):
		info.class = styleFormat
		if code, ok := builtInCodes[id]; ok {
			info.native = compileFormat(code)
		}
	default:
		info.class = styleRaw
	}
	return info
}

// date1904 is the workbook's date system, as formattedValue reads it.
func (t *styleTable) date1904() bool {
	wb := t.f.WorkBook
	return wb != nil && wb.WorkbookPr != nil && wb.WorkbookPr.Date1904
}

// textTemplate is what a number format does to text: excelize's
// textHandler writes the format's text section, its literals and the
// value for each @ (or 0) placeholder, or the value alone when the format
// has no text section.
type textTemplate struct {
	identity bool
	parts    [][]byte // literal text between placeholders
}

func (t *textTemplate) apply(dst, v []byte) []byte {
	if t.identity {
		return append(dst, v...)
	}
	for i, p := range t.parts {
		if i > 0 {
			dst = append(dst, v...)
		}
		dst = append(dst, p...)
	}
	return dst
}

// Two private-use characters stand for the value when excelize formats
// probe text: what comes back is the template.
const probeA, probeB = "\uE000", "\uE001"

var errFormat = errors.New("number format could not be applied")

// template learns style s's text template from two probes.
func (f *cellFormatter) template(s int) (*textTemplate, error) {
	if t := f.text[s]; t != nil {
		return t, nil
	}
	a, err := f.oracle.text(s, probeA)
	if err != nil {
		return nil, err
	}
	b, err := f.oracle.text(s, probeB)
	if err != nil {
		return nil, err
	}
	t := &textTemplate{identity: a == probeA && b == probeB}
	if !t.identity {
		if strings.ReplaceAll(a, probeA, probeB) != b {
			return nil, errFormat // a literal holding the probe itself
		}
		for _, p := range strings.Split(a, probeA) {
			t.parts = append(t.parts, []byte(p))
		}
	}
	f.text[s] = t
	return t, nil
}

// formatOracle has excelize format values in two scratch sheets of the
// workbook's own excelize.File (which holds its styles and its 1904 date
// setting, and nothing else): one whose cell is set and read through the
// public API, for numbers and text, and one whose XML is replaced for
// each call and read with excelize's row iterator, for anything else.
// Nothing is saved; the sheets exist in memory only.
type formatOracle struct {
	f *excelize.File
	// cellSheet is the set-and-read sheet; style its cell's style.
	cellSheet string
	style     int
	// xmlSheet and xmlPath are the replaced-XML sheet and its part.
	xmlSheet, xmlPath string
	err               error
	cells             map[string]string
}

func newFormatOracle(f *excelize.File) *formatOracle { return &formatOracle{f: f} }

// setup adds the scratch sheets on first use.
func (o *formatOracle) setup() error {
	if o.cellSheet != "" || o.err != nil {
		return o.err
	}
	names := map[string]bool{}
	for _, n := range o.f.GetSheetList() {
		names[strings.ToLower(n)] = true
	}
	add := func(base string) (name, part string, err error) {
		for i := 1; names[strings.ToLower(name)] || name == ""; i++ {
			name = fmt.Sprintf("%s %d", base, i)
		}
		before := map[any]bool{}
		o.f.Sheet.Range(func(k, _ any) bool { before[k] = true; return true })
		if _, err := o.f.NewSheet(name); err != nil {
			return "", "", err
		}
		o.f.Sheet.Range(func(k, _ any) bool {
			if !before[k] {
				part, _ = k.(string)
			}
			return true
		})
		if part == "" {
			return "", "", errors.New("scratch sheet has no part")
		}
		return name, part, nil
	}
	var err error
	if o.cellSheet, _, err = add("datahygiene cell"); err == nil {
		o.xmlSheet, o.xmlPath, err = add("datahygiene xml")
	}
	if err != nil {
		o.err = fmt.Errorf("%w: %v", errFormat, err)
		return o.err
	}
	// Rows reads a sheet's part unless the sheet is loaded; unload it.
	o.f.Sheet.Delete(o.xmlPath)
	return nil
}

func (o *formatOracle) useStyle(s int) error {
	if err := o.setup(); err != nil {
		return err
	}
	if o.style == s {
		return nil
	}
	if err := o.f.SetCellStyle(o.cellSheet, "A1", "A1", s); err != nil {
		return fmt.Errorf("%w: %v", errFormat, err)
	}
	o.style = s
	return nil
}

// number formats stored number v (numeric, as excelize's isNumeric sees
// it) with style s.
func (o *formatOracle) number(s int, v string) (string, error) {
	if err := o.useStyle(s); err != nil {
		return "", err
	}
	// SetCellDefault stores a numeric value as a number cell, whose
	// value excelize reads back through getCellDefault and
	// formattedValue, as it does for the sheet's own cell.
	if err := o.f.SetCellDefault(o.cellSheet, "A1", v); err != nil {
		return "", fmt.Errorf("%w: %v", errFormat, err)
	}
	out, err := o.f.GetCellValue(o.cellSheet, "A1")
	if err != nil {
		return "", fmt.Errorf("%w: %v", errFormat, err)
	}
	return out, nil
}

// text formats text v (not numeric) with style s.
func (o *formatOracle) text(s int, v string) (string, error) {
	return o.number(s, v) // SetCellDefault stores non-numbers as inline text
}

// cell has excelize read c through its row iterator: a one-cell sheet.
func (o *formatOracle) cell(c *rawCell) (string, error) {
	if err := o.setup(); err != nil {
		return "", err
	}
	key := strconv.Itoa(c.style) + " " + string(c.typ) + " " + string(c.v)
	if v, ok := o.cells[key]; ok {
		return v, nil
	}
	var b bytes.Buffer
	b.WriteString(`<worksheet><sheetData><row r="1"><c r="A1" s="`)
	b.WriteString(strconv.Itoa(c.style))
	b.WriteString(`" t="`)
	_ = xml.EscapeText(&b, c.typ)
	b.WriteString(`"><v>`)
	_ = xml.EscapeText(&b, c.v)
	b.WriteString(`</v></c></row></sheetData></worksheet>`)
	o.f.Pkg.Store(o.xmlPath, b.Bytes())
	rows, err := o.f.Rows(o.xmlSheet)
	if err != nil {
		return "", fmt.Errorf("%w: %v", errFormat, err)
	}
	defer rows.Close()
	out := ""
	if rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return "", fmt.Errorf("%w: %v", errFormat, err)
		}
		if len(cols) > 0 {
			out = cols[0]
		}
	}
	if o.cells == nil || len(o.cells) >= maxCachedValues {
		o.cells = map[string]string{}
	}
	o.cells[key] = out
	return out, nil
}
