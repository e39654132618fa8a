// Command genxlsx writes a folder of workbooks for measuring the xlsx
// reader: a few hundred files of a few thousand to a few tens of thousands
// of cells, as exports and office users make them. Each sheet has a header
// row and typed columns (names, order numbers, amounts and percentages
// under number formats, dates and date-times under date formats, booleans,
// categories, notes, identifiers), sparse synthetic PII (e-mail addresses,
// phone numbers, card numbers, IBANs, SSNs: about one value in a hundred),
// blank cells and gap rows. Most files are written like Excel writes them
// (shared strings); one in four with excelize's stream writer (inline
// strings), as programs export. Deterministic for a seed, so runs compare;
// nothing large is committed.
//
// Usage:
//
//	go run ./scripts/genxlsx -out DIR [-files 300] [-cells 3000000] [-seed 1] [-writer mixed]
//
// -files 1 writes one workbook with all the cells, for measuring memory
// on a single large file: with -writer inline (the stream writer, fast)
// -cells 5000000 makes about 50 MB; -writer shared makes a large
// shared-string table, but excelize needs some GB of memory to write it.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/synth"
)

func main() {
	out := flag.String("out", "", "output folder (required)")
	files := flag.Int("files", 300, "number of workbooks")
	cells := flag.Int("cells", 3_000_000, "total number of cells, about")
	seed := flag.Uint64("seed", 1, "random seed")
	writer := flag.String("writer", "mixed", "how strings are stored: shared (as Excel), inline (stream writer), or mixed (one file in four inline)")
	flag.Parse()
	if *out == "" || *files < 1 || *cells < *files || (*writer != "mixed" && *writer != "shared" && *writer != "inline") {
		flag.Usage()
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	g := &gen{Gen: synth.New(*seed)}
	g.pools()
	total := 0
	for i := range *files {
		// Sizes vary from a quarter to nearly twice the mean.
		n := *cells / *files
		if *files > 1 {
			n = n/4 + g.IntN(n*3/2+1)
		}
		stream := *writer == "inline" || *writer == "mixed" && i%4 == 3
		name := filepath.Join(*out, fmt.Sprintf("dept%02d", i%10), fmt.Sprintf("book%04d.xlsx", i))
		written, err := g.workbook(name, n, stream)
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		total += written
	}
	fmt.Printf("%d workbooks, %d cells in %s\n", *files, total, *out)
}

type gen struct {
	*synth.Gen
	phones, cities, statuses, products []string
}

// pools draws the values that are slow to make (phone numbers go through
// libphonenumber) or that repeat in real sheets (categories).
func (g *gen) pools() {
	for range 300 {
		g.phones = append(g.phones, g.Phone())
	}
	g.cities = []string{"Leeds", "Bristol", "Norwich", "Utrecht", "Lyon", "Porto", "Graz", "Cork", "Bergen", "Turku"}
	g.statuses = []string{"open", "paid", "overdue", "cancelled", "refunded", "on hold"}
	for range 200 {
		g.products = append(g.products, fmt.Sprintf("%s %s %d", []string{"Widget", "Gadget", "Bracket", "Cable", "Panel"}[g.IntN(5)],
			[]string{"Pro", "Mini", "XL", "Basic", "Plus"}[g.IntN(5)], 100+g.IntN(900)))
	}
}

// column is one typed column: its header, a value maker and a style.
type column struct {
	header string
	value  func(row int) any
	style  int
}

func (g *gen) columns(f *excelize.File) []column {
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			log.Fatal(err)
		}
		return id
	}
	amount := style(&excelize.Style{NumFmt: 4})                            // #,##0.00
	currency := style(&excelize.Style{CustomNumFmt: ptr(`"£"#,##0.00`)})   // custom currency
	percent := style(&excelize.Style{NumFmt: 10})                          // 0.00%
	date := style(&excelize.Style{NumFmt: 14})                             // mm-dd-yy
	isoDate := style(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")})     // custom date
	ukDate := style(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})      // custom date
	stamp := style(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm")}) // date-time
	bold := style(&excelize.Style{Font: &excelize.Font{Bold: true}})       // General
	text := style(&excelize.Style{NumFmt: 49})                             // @
	epoch := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	serial := func(t time.Time) float64 {
		return float64(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC))) / float64(24*time.Hour)
	}

	all := []column{
		{"Customer", func(int) any { f, l := g.Name(); return f + " " + l }, 0},
		{"Email", func(r int) any {
			if g.IntN(100) < 2 {
				f, l := g.Name()
				return g.Email(f, l)
			}
			return nil
		}, 0},
		{"Phone", func(r int) any {
			switch n := g.IntN(100); {
			case n < 1:
				return g.phones[g.IntN(len(g.phones))]
			case n < 2:
				return 447700900000 + g.IntN(999) // a phone stored as a number
			}
			return nil
		}, 0},
		{"Card", func(int) any {
			if g.IntN(200) == 0 {
				return g.Card(synth.Spaced)
			}
			return nil
		}, 0},
		{"IBAN", func(int) any {
			if g.IntN(200) == 0 {
				return g.IBAN("NL")
			}
			return nil
		}, text},
		{"SSN", func(int) any {
			if g.IntN(300) == 0 {
				return g.SSN()
			}
			return nil
		}, 0},
		{"Order", func(int) any { return g.OrderNumber() }, 0},
		{"Product", func(int) any { return g.products[g.IntN(len(g.products))] }, 0},
		{"Quantity", func(int) any { return 1 + g.IntN(40) }, 0},
		{"Unit price", func(int) any { return float64(g.IntN(100000)) / 100 }, amount},
		{"Total", func(int) any { return float64(g.IntN(10000000)) / 100 }, currency},
		{"Discount", func(int) any { return float64(g.IntN(30)) / 100 }, percent},
		{"Ordered", func(int) any { return serial(epoch.AddDate(0, 0, g.IntN(2000))) }, date},
		{"Shipped", func(int) any { return serial(epoch.AddDate(0, 0, g.IntN(2000))) }, isoDate},
		{"Invoiced", func(int) any { return serial(epoch.AddDate(0, 0, g.IntN(2000))) }, ukDate},
		{"Updated", func(int) any {
			return serial(epoch.Add(time.Duration(g.IntN(2000*24*60)) * time.Minute))
		}, stamp},
		{"Paid", func(int) any { return g.IntN(3) > 0 }, 0},
		{"Status", func(int) any { return g.statuses[g.IntN(len(g.statuses))] }, 0},
		{"City", func(int) any { return g.cities[g.IntN(len(g.cities))] }, 0},
		{"Notes", func(int) any {
			if g.IntN(4) == 0 {
				return strings.Repeat("synthetic remark ", 1+g.IntN(3))
			}
			return nil
		}, 0},
		{"Account", func(int) any { return 10000000 + g.IntN(90000000) }, bold},
		{"Ref", func(int) any { return g.UUID() }, 0},
	}
	// Each workbook keeps the name, order and total columns and a
	// random selection of the others, 8 to 16 in all.
	keep := map[int]bool{0: true, 6: true, 10: true}
	for len(keep) < 8+g.IntN(9) {
		keep[g.IntN(len(all))] = true
	}
	var cols []column
	for i, c := range all {
		if keep[i] {
			cols = append(cols, c)
		}
	}
	return cols
}

// workbook writes one workbook of about n cells and returns the number of
// non-empty cells written.
func (g *gen) workbook(name string, n int, stream bool) (int, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return 0, err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheets := 1
	if !stream && n > 4000 {
		sheets += g.IntN(3)
	}
	written := 0
	for s := range sheets {
		sheet := "Sheet1"
		if s > 0 {
			sheet = fmt.Sprintf("Data %d", s+1)
			if _, err := f.NewSheet(sheet); err != nil {
				return 0, err
			}
		}
		w, err := g.sheet(f, sheet, g.columns(f), n/sheets, stream)
		if err != nil {
			return 0, err
		}
		written += w
	}
	return written, f.SaveAs(name)
}

// sheet writes a header row and rows of cols until about n cells are
// written, and returns the number written.
func (g *gen) sheet(f *excelize.File, sheet string, cols []column, n int, stream bool) (int, error) {
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.header
	}
	var sw *excelize.StreamWriter
	if stream {
		var err error
		if sw, err = f.NewStreamWriter(sheet); err != nil {
			return 0, err
		}
		if err := sw.SetRow("A1", header); err != nil {
			return 0, err
		}
	} else if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return 0, err
	}
	written := len(cols)
	row := make([]any, len(cols))
	for r := 2; written < n; r++ {
		if g.IntN(50) == 0 {
			r++ // a gap row
		}
		for i, c := range cols {
			v := c.value(r)
			row[i] = v
			if v == nil {
				continue
			}
			written++
			if c.style != 0 {
				row[i] = excelize.Cell{StyleID: c.style, Value: v}
			}
		}
		ref, err := excelize.CoordinatesToCellName(1, r)
		if err != nil {
			return 0, err
		}
		if stream {
			err = sw.SetRow(ref, row)
		} else {
			err = g.setRow(f, sheet, r, cols, row)
		}
		if err != nil {
			return 0, err
		}
	}
	if stream {
		return written, sw.Flush()
	}
	return written, nil
}

// setRow writes a row with the regular API, which keeps strings in the
// shared-string table, and styles the cells that have a style.
func (g *gen) setRow(f *excelize.File, sheet string, r int, cols []column, row []any) error {
	for i, v := range row {
		if v == nil {
			continue
		}
		ref, err := excelize.CoordinatesToCellName(i+1, r)
		if err != nil {
			return err
		}
		if c, ok := v.(excelize.Cell); ok {
			if err := f.SetCellValue(sheet, ref, c.Value); err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, ref, ref, c.StyleID); err != nil {
				return err
			}
			continue
		}
		if err := f.SetCellValue(sheet, ref, v); err != nil {
			return err
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
