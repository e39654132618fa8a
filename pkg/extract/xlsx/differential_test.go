package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/synth"
)

// The differential tests hold the tokenizer (Reader.Extract) to the
// excelize-based reader it replaced (extractExcelize, reference.go): on
// every workbook below both must yield the same chunks, cell for cell, or
// fail with the same kind of error.

// extractBoth runs both readers on data and compares what they yield.
func extractBoth(t *testing.T, r *Reader, data []byte) []cell {
	t.Helper()
	collect := func(ex func(context.Context, extract.Input, extract.Yield) error) ([]cell, error) {
		var got []cell
		err := ex(context.Background(), extract.Input{Name: "book.xlsx", R: bytes.NewReader(data), Size: int64(len(data))},
			func(c *extract.Chunk) error {
				got = append(got, cell{c.Loc.Sheet, c.Loc.Cell, c.Loc.Row, c.Loc.Column, c.Header, string(c.Data)})
				return nil
			})
		return got, err
	}
	want, werr := collect(r.extractExcelize)
	got, gerr := collect(r.Extract)
	if errorKind(werr) != errorKind(gerr) {
		t.Errorf("excelize: %v\ntokenizer: %v", werr, gerr)
	}
	equalCells(t, got, want)
	return got
}

// errorKind is the class of err the scan reports.
func errorKind(err error) string {
	for _, e := range []error{ErrTooManyCells, ErrTooLarge, ErrEncrypted, extract.ErrCorrupt} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

// Number formats the tests apply: built-in IDs, then custom codes.
var (
	builtInFormats = []int{0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
		37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 5, 27, 58}
	customFormats = []string{
		"yyyy-mm-dd", "dd/mm/yyyy", "d mmmm yyyy", "dddd, mmmm d, yyyy", "mmm d, yyyy h:mm",
		"yyyy-mm-dd hh:mm:ss", "m/d/yyyy h:mm:ss.000", "h:mm:ss AM/PM", "[h]:mm", "[$-409]d-mmm-yy",
		"[$-407]dd. mmmm yyyy", `yyyy"年"m"月"d"日"`, "#,##0.00", "0.0%", `"£"#,##0.00`,
		`[$€-407]#,##0.00`, "0.000E+00", "# ?/?", "000000", "(000) 000-0000", `0.00;[Red]-0.00;"zero"`,
		`#,##0;(#,##0);"-"`, "@", `"Name: "@`, `@" (text)"`, `0;-0;0;"<"@">"`, ";;;", "General",
		`_-* #,##0.00_-;-* #,##0.00_-;_-* "-"??_-;_-@_-`, "0.00_);(0.00)", `#,##0.00 "kr"`,
	}
)

// formatStyles adds one style per format above and returns their IDs.
func formatStyles(t testing.TB, f *excelize.File) []int {
	t.Helper()
	var ids []int
	for _, id := range builtInFormats {
		s, err := f.NewStyle(&excelize.Style{NumFmt: id})
		must(t, err)
		ids = append(ids, s)
	}
	for _, code := range customFormats {
		s, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(code)})
		must(t, err)
		ids = append(ids, s)
	}
	// A style with a font only: the General format, as most styled cells.
	s, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	must(t, err)
	return append(ids, s)
}

// numbers are values that stress number formatting: integers of every
// length (15, 16, 19 digits), fractions, negatives, dates and times as
// serials, Excel's 1900 leap-year day (60), values rounding at .5.
var numbers = []any{
	0, 1, -1, 7, 42, 60, 61, 999, 1000, 12345, -12345, 45356, 45356.5, 45356.999988, 0.25, 0.5, 0.125,
	1.005, 2.675, -0.5, 3.14159265358979, 1e-7, 1.5e-10, 123456789, 1234567890, 12345678901, 123456789012,
	447700900123, 999999999999999, 1000000000000000, 4111111111111111, 5555555555554444, 378282246310005,
	int64(1234567890123456789), int64(-9223372036854775807), 1e15, 1e16, 1.5e20, 1e21, 9.99e307, 2958465, 2958466,
	-45356, 0.1 + 0.2, 100.0 / 3, 86399.0 / 86400, 1.0 / 86400, math.SmallestNonzeroFloat64,
}

func TestDifferentialNumberFormats(t *testing.T) {
	t.Parallel()
	for _, date1904 := range []bool{false, true} {
		t.Run(fmt.Sprintf("date1904=%v", date1904), func(t *testing.T) {
			t.Parallel()
			data := workbook(t, func(f *excelize.File) {
				if date1904 {
					must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: ptr(true)}))
				}
				styles := formatStyles(t, f)
				set(t, f, "Sheet1", "A1", "value") // header
				for c, s := range styles {
					for r, v := range numbers {
						ref, err := excelize.CoordinatesToCellName(c+1, r+2)
						must(t, err)
						set(t, f, "Sheet1", ref, v)
						must(t, f.SetCellStyle("Sheet1", ref, ref, s))
					}
				}
			})
			got := extractBoth(t, &Reader{}, data)
			if len(got) < len(numbers) {
				t.Errorf("only %d cells", len(got))
			}
		})
	}
}

// TestDifferentialTextFormats puts text, booleans and numbers stored as
// text under every format: a format may wrap text in literals.
func TestDifferentialTextFormats(t *testing.T) {
	t.Parallel()
	texts := []any{"Alice Example", "alice@example.com", "4111 1111 1111 1111", "4111111111111111", "0012",
		" padded ", "", "  ", "x_x0041_y", "_x005F_x0041_", "multi\nline", "Ünïcødé ✓ 名前", true, false}
	data := workbook(t, func(f *excelize.File) {
		styles := formatStyles(t, f)
		for c, s := range styles {
			for r, v := range texts {
				ref, err := excelize.CoordinatesToCellName(c+1, r+1)
				must(t, err)
				set(t, f, "Sheet1", ref, v)
				must(t, f.SetCellStyle("Sheet1", ref, ref, s))
			}
		}
	})
	extractBoth(t, &Reader{}, data)
}

// TestDifferentialSynthetic is a sheet of synthetic people as an export
// would write it: shared strings, numbers, dates, a header row, blanks
// and gaps, and a second sheet written with the stream writer (inline
// strings, formulas with cached values, rich text).
func TestDifferentialSynthetic(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			g := synth.New(seed)
			data := workbook(t, func(f *excelize.File) { syntheticSheets(t, f, g, 150) })
			extractBoth(t, &Reader{}, data)
		})
	}
}

func syntheticSheets(t testing.TB, f *excelize.File, g *synth.Gen, rows int) {
	t.Helper()
	styles := formatStyles(t, f)
	must(t, f.SetSheetName("Sheet1", "People"))
	header := []any{"Name", "Email", "Phone", "Card", "IBAN", "SSN", "Joined", "Balance", "Active", "Notes", "Ref"}
	must(t, f.SetSheetRow("People", "A1", &header))
	joined := time.Date(2019, 1, 1, 9, 30, 0, 0, time.UTC)
	for r := 2; r < rows+2; r++ {
		first, last := g.Name()
		row := []any{first + " " + last, nil, nil, nil, nil, nil, joined.Add(time.Duration(g.IntN(2000*24)) * time.Hour),
			float64(g.IntN(1_000_000)) / 100, g.IntN(2) == 0, nil, g.IntN(1 << 40)}
		if r%5 == 0 {
			row[1] = g.Email(first, last)
		}
		switch r % 7 {
		case 0:
			row[2] = g.Phone()
		case 1:
			row[2] = 447700900000 + g.IntN(999)
		}
		switch r % 11 {
		case 0:
			row[3] = g.Card(synth.Spaced)
		case 1:
			row[3] = 4111111111111111
		case 2:
			row[3] = g.Card(synth.Compact)
		}
		if r%13 == 0 {
			row[4] = g.IBAN("NL")
		}
		if r%17 == 0 {
			row[5] = g.SSN()
		}
		if r%3 == 0 {
			row[9] = strings.Repeat("synthetic note ", g.IntN(4))
		}
		if r%23 == 0 {
			continue // a gap row
		}
		ref, err := excelize.CoordinatesToCellName(1, r)
		must(t, err)
		must(t, f.SetSheetRow("People", ref, &row))
		// Formats on some columns, varying by row.
		for _, c := range []int{3, 4, 7, 8, 11} {
			if g.IntN(3) == 0 {
				cref, err := excelize.CoordinatesToCellName(c, r)
				must(t, err)
				must(t, f.SetCellStyle("People", cref, cref, styles[g.IntN(len(styles))]))
			}
		}
	}

	// The stream writer's dialect: inline strings, <f> with <v>, rich text.
	_, err := f.NewSheet("Stream")
	must(t, err)
	sw, err := f.NewStreamWriter("Stream")
	must(t, err)
	must(t, sw.SetRow("B2", []any{"Customer", "Mobile", "Total", "Due"}))
	for r := 3; r < rows/2+3; r++ {
		first, last := g.Name()
		cells := []any{
			excelize.Cell{Value: first + " " + last},
			excelize.Cell{Value: g.PhoneNational("GB"), StyleID: styles[g.IntN(len(styles))]},
			excelize.Cell{Formula: "SUM(D3:D4)", Value: float64(g.IntN(100000)) / 10},
			excelize.Cell{Value: joined.AddDate(0, 0, g.IntN(900)), StyleID: styles[14+g.IntN(10)]},
			[]excelize.RichTextRun{{Text: "bold "}, {Text: g.Email(first, last)}},
			excelize.Cell{Formula: `"x"&"y"`, Value: "xy"},
		}
		if r%4 == 0 {
			cells[0] = nil
		}
		ref, err := excelize.CoordinatesToCellName(2, r)
		must(t, err)
		must(t, sw.SetRow(ref, cells))
	}
	must(t, sw.Flush())

	// Empty, header-only and hidden sheets.
	_, err = f.NewSheet("Empty")
	must(t, err)
	_, err = f.NewSheet("Header only")
	must(t, err)
	set(t, f, "Header only", "A1", "Name")
	set(t, f, "Header only", "B1", "Email")
	_, err = f.NewSheet("Hidden")
	must(t, err)
	set(t, f, "Hidden", "C3", g.Email(g.Name()))
	must(t, f.SetSheetVisible("Hidden", false))
}

// TestDifferentialFormulas has formulas without cached values (excelize
// keeps such cells, empty), shared strings, and cells set by different
// calls.
func TestDifferentialFormulas(t *testing.T) {
	t.Parallel()
	data := workbook(t, func(f *excelize.File) {
		set(t, f, "Sheet1", "A1", "Total")
		set(t, f, "Sheet1", "B1", "Count")
		must(t, f.SetCellFormula("Sheet1", "A2", "SUM(B2:B9)"))
		must(t, f.SetCellFormula("Sheet1", "B2", `CONCAT("a","b")`))
		set(t, f, "Sheet1", "C2", "after formulas")
		must(t, f.SetCellRichText("Sheet1", "A3", []excelize.RichTextRun{{Text: "Erin "}, {Text: "erin@example.net"}}))
		must(t, f.SetCellHyperLink("Sheet1", "B3", "https://example.com", "External"))
		set(t, f, "Sheet1", "B3", "link text")
		set(t, f, "Sheet1", "D4", time.Duration(90)*time.Minute)
		set(t, f, "Sheet1", "E4", []byte("bytes"))
		set(t, f, "Sheet1", "F4", float32(1.1))
		set(t, f, "Sheet1", "G4", uint64(18446744073709551615))
		set(t, f, "Sheet1", "H4", nil)
	})
	extractBoth(t, &Reader{}, data)
}

// TestDifferentialSlowDates compares the untagged date formats too.
func TestDifferentialSlowDates(t *testing.T) {
	t.Parallel()
	data := workbook(t, func(f *excelize.File) {
		styles := formatStyles(t, f)
		for c, s := range styles[13:24] {
			for r, v := range []any{45356, 45356.75, 0.3, 60} {
				ref, err := excelize.CoordinatesToCellName(c+1, r+1)
				must(t, err)
				set(t, f, "Sheet1", ref, v)
				must(t, f.SetCellStyle("Sheet1", ref, ref, s))
			}
		}
	})
	extractBoth(t, &Reader{slowDates: true}, data)
}

// stylesPart is a styles.xml for hand-written sheets: s=1 a custom date,
// s=2 "0", s=3 General with a font, s=4 text "@", s=5 a text format with
// literals, s=6 the built-in date 14, s=7 "#,##0.00", s=8 hidden (;;;).
const stylesPart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="&quot;id &quot;@"/>` +
	`<numFmt numFmtId="166" formatCode=";;;"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
	`<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="9"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="1" applyNumberFormat="1"/>` +
	`<xf numFmtId="0" fontId="1"/><xf numFmtId="49" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/>` +
	`<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="4" applyNumberFormat="1"/><xf numFmtId="166"/></cellXfs></styleSheet>`

// sstPart is a shared-string table with plain, rich, phonetic, escaped,
// spaced and empty items.
const sstPart = `<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" uniqueCount="9">` +
	`<si><t>Name</t></si>` +
	`<si><t>alice@example.com</t></si>` +
	`<si><r><rPr><b/></rPr><t>Bob </t></r><r><t xml:space="preserve">Example </t></r></si>` +
	`<si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><phoneticPr fontId="1"/></si>` +
	`<si><t>tab_x0009_and_x005F_x0041_</t></si>` +
	`<si><t xml:space="preserve">  </t></si>` +
	`<si/>` +
	`<si><t>4111111111111111</t></si>` +
	`<si><t>first</t><r><t>run</t></r><t>last</t></si>` +
	`</sst>`

// handWrittenSheets are sheetData contents as writers other than excelize
// write them (and some no writer would); they seed FuzzSheetXML too.
var handWrittenSheets = map[string]string{
	"no refs": `<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row><row><c t="s"><v>2</v></c><c/><c><v>7</v></c></row>` +
		`<row r="5"><c r="C5"><v>1</v></c><c><v>2</v></c><c r="B5"><v>3</v></c><c><v>4</v></c></row>`,
	"shared strings": `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c></row>` +
		`<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" t="s"><v>3</v></c><c r="D2" t="s"><v>4</v></c>` +
		`<c r="E2" t="s"><v>5</v></c><c r="F2" t="s"><v>6</v></c><c r="G2" t="s"><v>7</v></c><c r="H2" t="s"><v>8</v></c>` +
		`<c r="I2" t="s"><v> 1 </v></c><c r="J2" t="s"><v>x</v></c><c r="K2" t="s"><v>99</v></c><c r="L2" t="s"><v>-1</v></c>` +
		`<c r="M2" t="s"></c><c r="N2" t="s" s="5"><v>1</v></c><c r="O2" t="s" s="8"><v>1</v></c><c r="P2" t="s" s="5"/></row>`,
	"types": `<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" t="b"><v>true</v></c>` +
		`<c r="D1" t="e"><v>#N/A</v></c><c r="E1" t="str"><f>A1</f><v>from formula</v></c><c r="F1" t="str"><v>4111111111111111</v></c>` +
		`<c r="G1" t="d"><v>2024-03-05T00:00:00Z</v></c><c r="H1" t="d" s="1"><v>2024-03-05T10:20:30Z</v></c><c r="I1" t="x"><v>12.50</v></c>` +
		`<c r="J1" t="n"><v>1.0E+3</v></c><c r="K1" t="inlineStr"><v>no is</v></c><c r="L1" t="inlineStr"><is><t>a</t><t>b</t><r><t>c</t><t>d</t></r><r><t>e</t></r></is></c>` +
		`<c r="M1" t="inlineStr" s="5"><is><t>inline styled</t></is></c><c r="N1" t="e" s="7"><v>#DIV/0!</v></c><c r="O1" t="b" s="5"><v>2</v></c>` +
		`<c r="P1"><f>NOW()</f></c><c r="Q1" t="inlineStr"><is/></c><c r="R1" t="d"><v>not a date</v></c><c r="S1" t="d"><v>20240305T102030.5</v></c></row>`,
	"numbers": `<row r="1"><c r="A1"><v>01</v></c><c r="B1"><v> 5</v></c><c r="C1"><v>1e5</v></c><c r="D1"><v>0x10</v></c><c r="E1"><v>inf</v></c>` +
		`<c r="F1"><v>NaN</v></c><c r="G1"><v>1_000</v></c><c r="H1"><v>+5</v></c><c r="I1"><v>-0</v></c><c r="J1"><v>.5</v></c><c r="K1"><v>5.</v></c>` +
		`<c r="L1"><v>1e400</v></c><c r="M1"><v>00000000000000004111</v></c><c r="N1"><v>4111111111111111</v></c><c r="O1"><v>41111111111111110</v></c>` +
		`<c r="P1" s="2"><v>4111111111111111</v></c><c r="Q1" s="3"><v>447700900123</v></c><c r="R1" s="3"><v>-44770090012</v></c><c r="S1" s="7"><v>4111111111111111</v></c>` +
		`<c r="T1" s="3"><v>1234567890123456789</v></c><c r="U1" s="4"><v>12</v></c><c r="V1" s="8"><v>12</v></c><c r="W1" s="6"><v>45356</v></c>` +
		`<c r="X1" s="99"><v>45356</v></c><c r="Y1" s="-1"><v>45356</v></c><c r="Z1" s="3"><v>abc</v></c><c r="AA1" s="1"><v>#REF!</v></c></row>`,
	"escapes": `<row r="1"><c r="A1" t="inlineStr"><is><t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42;&#x1F600; &#xD800;</t></is></c>` +
		`<c r="B1" t="inlineStr"><is><t><![CDATA[<raw & text>]]> and more</t></is></c><c r="C1"><v>1<!-- c -->2<?pi x?>3</v></c>` +
		"<c r=\"D1\" t=\"inlineStr\"><is><t>line1\r\nline2\rline3</t></is></c><c r=\"E1\" t=\"inlineStr\"><is><t><![CDATA[cr\r\nin cdata]]></t></is></c>" +
		`<c r="F1" t="inlineStr"><is><t>x_x000D_y_x0000_z_xD800_w_x005f_</t></is></c><c r="G1" t="str"><v>]]</v></c>` +
		`<c r="H1" t="inlineStr"><is><t>a<b>hidden</b>c</t></is></c><c r="I1"><v>4<x>9</x>2</v></c></row>`,
	"rows": `<row r="3"><c r="A3" t="inlineStr"><is><t>Name</t></is></c></row><row><c r="A4" t="inlineStr"><is><t>Ann</t></is></c></row>` +
		`<row r="4"><c r="B4" t="inlineStr"><is><t>again</t></is></c></row><row r="2"><c r="C2" t="inlineStr"><is><t>back</t></is></c></row>` +
		`<row r="10" spans="1:3" ht="15" customHeight="1"/><row r="12"><c r="A12"><v>12</v></c></row><row r="12"><c r="D12"><v>13</v></c></row>`,
	"dropped cell": `<row r="1"><c r="A1" s="x"><v>1</v></c><c t="s" s="1.5" r="C1"><v>2</v></c><c r="B1"><v>3</v></c><c><v>4</v></c></row>`,
	"blank first rows": `<row r="1"><c r="A1" t="inlineStr"><is><t>  </t></is></c></row><row r="2"><c r="A2"><f>X</f></c></row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>Email</t></is></c><c r="C3" t="inlineStr"><is><t>Phone</t></is></c></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>a@example.com</t></is></c><c r="B4"><v>1</v></c><c r="C4"><v>447700900123</v></c><c r="D4"><v>5</v></c></row>`,
	"nested c": `<row r="1"><c r="A1"><v>1</v><c r="B1"><v>2</v></c><v>3</v></c><c r="C1"><x><v>4</v></x></c><c r="D1"><c/><v>5</v></c></row>`,
}

// TestDifferentialHandWritten covers what writers other than excelize put
// in sheets: missing r attributes, namespace prefixes, entities and
// character references, CDATA, comments, self-closing elements, odd cell
// types and values, odd row numbers.
func TestDifferentialHandWritten(t *testing.T) {
	t.Parallel()
	for name, rows := range handWrittenSheets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			extractBoth(t, &Reader{}, minimalWorkbook(rows, part{"xl/styles.xml", stylesPart}, part{"xl/sharedStrings.xml", sstPart}))
		})
	}
}

// handWrittenDocuments are whole worksheet documents; they seed
// FuzzSheetXML too.
var handWrittenDocuments = map[string]string{
	"prefixed": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
		`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Prefixed</x:t></x:is></x:c><x:c r="B1"><x:v>4111111111111111</x:v></x:c></x:row>` +
		`</x:sheetData></x:worksheet>`,
	"latin1": "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>caf\xe9 na\xefve</t></is></c></row></sheetData></worksheet>",
	"around": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr><tabColor rgb="FFFF0000"/></sheetPr>` +
		`<dimension ref="A1:B2"/><sheetViews><sheetView workbookViewId="0"><selection activeCell="B2" sqref="B2"/></sheetView></sheetViews>` +
		`<cols><col min="1" max="2" width="20" customWidth="1"/></cols><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>one</t></is></c></row><row r="2"><c r="B2"><v>2</v></c></row></sheetData>` +
		`<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><extLst><ext uri="{x}"><row r="9"><c r="A9"><v>9</v></c></row></ext></extLst></worksheet>`,
	"two sheetData": `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>` +
		`<sheetData><row r="3"><c r="A3"><v>3</v></c></row></sheetData></worksheet>`,
	"no sheetData": `<worksheet><dimension ref="A1"/></worksheet>`,
	"empty part":   ``,
	"doctype":      `<!DOCTYPE worksheet [<!ELEMENT worksheet ANY>]><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
	"self-closing": `<worksheet><sheetData/></worksheet>`,
}

// TestDifferentialDocuments varies the worksheet document around the rows:
// namespace prefixes, an XML declaration in another encoding, elements
// before and after sheetData, a second sheetData.
func TestDifferentialDocuments(t *testing.T) {
	t.Parallel()
	for name, doc := range handWrittenDocuments {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			extractBoth(t, &Reader{}, sheetPackage(doc, part{"xl/styles.xml", stylesPart}))
		})
	}
}

// sheetPackage is minimalWorkbook with a whole worksheet document.
func sheetPackage(doc string, extra ...part) []byte {
	base := minimalWorkbook("", extra...)
	src, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range src.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		if err != nil {
			panic(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			_, err = io.WriteString(w, doc)
		} else {
			var rc io.ReadCloser
			if rc, err = f.Open(); err == nil {
				_, err = io.Copy(w, rc)
				rc.Close()
			}
		}
		if err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// TestDifferentialStructure varies the package: sheet order unlike part
// order, parts named with backslashes, a relationship target with "..",
// a sheet whose part is missing, duplicate-case names.
func TestDifferentialStructure(t *testing.T) {
	t.Parallel()
	data := workbook(t, func(f *excelize.File) {
		for _, n := range []string{"Zeta", "Alpha", "Mid"} {
			_, err := f.NewSheet(n)
			must(t, err)
			set(t, f, n, "A1", n+" value")
			set(t, f, n, "B2", 42)
		}
		must(t, f.MoveSheet("Zeta", "Sheet1"))
		must(t, f.DeleteSheet("Sheet1"))
	})
	extractBoth(t, &Reader{}, data)

	missing := bytes.ReplaceAll(minimalWorkbook(`<row r="1"><c r="A1"><v>1</v></c></row>`), []byte("worksheets/sheet1.xml\""), []byte("worksheets/sheet9.xml\""))
	extractBoth(t, &Reader{}, missing)
}

// TestDifferentialLimits checks the cell cap and long values alike.
func TestDifferentialLimits(t *testing.T) {
	t.Parallel()
	data := workbook(t, func(f *excelize.File) {
		set(t, f, "Sheet1", "A1", strings.Repeat("long text ", 3000))
		for r := 2; r < 40; r++ {
			for c := 1; c < 6; c++ {
				ref, _ := excelize.CoordinatesToCellName(c, r)
				set(t, f, "Sheet1", ref, r*c)
			}
		}
		wide := make([]any, 2000)
		for i := range wide {
			wide[i] = i
		}
		must(t, f.SetSheetRow("Sheet1", "A50", &wide))
	})
	for _, max := range []int64{0, 1, 7, 150, 2500} {
		extractBoth(t, &Reader{MaxCells: max}, data)
	}
}

// TestDifferentialSpilledStrings reads a shared-string table spilled to a
// temporary file, with more strings than the lookup cache holds, looked
// up out of order.
func TestDifferentialSpilledStrings(t *testing.T) {
	t.Parallel()
	g := synth.New(7)
	data := workbook(t, func(f *excelize.File) {
		var seen []string
		for r := 1; r <= 800; r++ {
			for c := 1; c <= 4; c++ {
				ref, err := excelize.CoordinatesToCellName(c, r)
				must(t, err)
				// New strings, and every third cell one seen before,
				// which refers back into the table.
				v := g.IBAN("DE")
				if len(seen) > 0 && g.IntN(3) == 0 {
					v = seen[g.IntN(len(seen))]
				} else {
					seen = append(seen, v)
				}
				set(t, f, "Sheet1", ref, v)
			}
		}
	})
	got := extractBoth(t, &Reader{partInMemory: 4096}, data)
	if len(got) != 3200 {
		t.Errorf("%d cells", len(got))
	}
}
