// Command gensample writes testdata/sample/, the synthetic "office share"
// that the README's demo and the end-to-end tests scan. Every value comes
// from pkg/synth (valid checksums, reserved or fictional ranges), so none
// belongs to a real person; the output is the same on every run.
//
// Usage: go run ./scripts/gensample [-out testdata/sample]
//
// File modes and ages are not kept by git: testdata/sample.meta lists them
// and scripts/apply-meta.sh (or the tests) apply them to a copy.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/datahygiene/datahygiene/pkg/synth"
)

func main() {
	out := flag.String("out", filepath.Join("testdata", "sample"), "output folder")
	flag.Parse()
	if err := os.RemoveAll(*out); err != nil {
		log.Fatal(err)
	}
	g := synth.New(2026)
	w := &writer{root: *out}

	// Sales: a comma CSV export, a semicolon European export, a workbook.
	var b strings.Builder
	b.WriteString("customer_id,first_name,last_name,email,phone,card_number,city\n")
	for i := 0; i < 12; i++ {
		first, last := g.Name()
		fmt.Fprintf(&b, "C-%05d,%s,%s,%s,%s,%s,%s\n", 10001+i, first, last, g.Email(first, last), g.Phone(), g.Card(synth.Spaced), pick(i, "London", "Leeds", "Madrid", "Utrecht"))
	}
	w.file("Sales/customers_export.csv", b.String())

	b.Reset()
	b.WriteString("order_no;date;amount;iban;customer_email;notes\n")
	for i := 0; i < 8; i++ {
		first, last := g.Name()
		notes := ""
		if i == 2 {
			notes = "\"deliver after 5pm;\nring the bell twice\""
		}
		fmt.Fprintf(&b, "%s;%s;%d,%02d;%s;%s;%s\n", g.OrderNumber(), g.Date(), 100+i*37, i*7%100, g.IBAN(pick(i, "NL", "DE", "ES", "FR")), g.Email(first, last), notes)
	}
	w.file("Sales/orders_eu.csv", b.String())
	w.workbook("Sales/customer_list.xlsx", g)

	// Meetings: notes mention a customer's contact details in passing.
	f1, l1 := g.Name()
	f2, _ := g.Name()
	w.file("Meetings/2024-03-12 account review.md", fmt.Sprintf(`# Account review, 12 March 2024

Present: sales team, support lead.

- %s %s complained about invoice INV-2024-0117; write to %s.
- Call %s on mobile %s before Friday.
- Renewal price 1,299.00 EUR, version 4.2.1 of the contract template.
- Next review: 2024-06-12 10:00.
`, f1, l1, g.Email(f1, l1), f2, g.PhoneNational("GB")))

	// Logs: timestamps, request ids and client IPs, now and then a login.
	b.Reset()
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "2024-05-%02dT%02d:%02d:%02d.%03dZ INFO req=%s ", 1+i%28, i%24, i%60, (i*7)%60, i%1000, g.UUID())
		switch {
		case i%25 == 0:
			first, last := g.Name()
			fmt.Fprintf(&b, "login ok user=%s from %s\n", g.Email(first, last), g.IPv4())
		case i%10 == 0:
			fmt.Fprintf(&b, "GET /api/orders 200 client=%s 35ms\n", g.IPv4())
		default:
			fmt.Fprintf(&b, "GET /static/app.js 304 %dms build=%s\n", 3+i%40, g.Version())
		}
	}
	w.file("Logs/app.log", b.String())

	// Config: a real-looking password next to placeholders that are not.
	w.file("Config/app.conf", fmt.Sprintf(`[database]
host = db.internal
user = shop
password = %s
pool_size = 20

[admin]
admin_password = ${ADMIN_PASSWORD}
pin_length = 4
`, g.Password()))

	// HR: a TSV with national IDs, an Excel "Unicode text" export (UTF-16LE)
	// and a Windows-1252 letter.
	b.Reset()
	b.WriteString("name\tssn\tnino\tbsn\tsalary\n")
	for i := 0; i < 6; i++ {
		first, last := g.Name()
		fmt.Fprintf(&b, "%s %s\t%s\t%s\t%s\t%d\n", first, last, g.SSN(), g.NINO(), g.BSN(), 42000+i*1500)
	}
	w.file("HR/employees.tsv", b.String())

	b.Reset()
	b.WriteString("Name\tBank account\tNI number\r\n")
	for i := 0; i < 4; i++ {
		first, last := g.Name()
		fmt.Fprintf(&b, "%s %s\t%s\t%s\r\n", first, last, g.IBANGrouped("GB"), g.NINO())
	}
	w.raw("HR/payroll (Unicode text).txt", utf16LE(b.String()))

	first, last := g.Name()
	letter, err := charmap.Windows1252.NewEncoder().String(fmt.Sprintf(
		"Contrato de trabajo\r\nSeñor %s %s, con DNI %s, domiciliado en Málaga.\r\nFirmado en España.\r\n", first, last, g.DNI()))
	if err != nil {
		log.Fatal(err)
	}
	w.raw("HR/Contracts/contrato_es.txt", []byte(letter))

	// Archive: an old export nobody deleted (stale once sample.meta ages it).
	b.Reset()
	b.WriteString("Name,E-mail,Telephone\n")
	for i := 0; i < 5; i++ {
		first, last := g.Name()
		fmt.Fprintf(&b, "%s %s,%s,%s\n", first, last, g.Email(first, last), g.Phone())
	}
	w.file("Archive/2019_newsletter.csv", b.String())

	// Public: a sign-up list anyone may change (0666 in sample.meta).
	b.Reset()
	b.WriteString("email,signed_up\n")
	for i := 0; i < 3; i++ {
		first, last := g.Name()
		fmt.Fprintf(&b, "%s,%s\n", g.Email(first, last), g.Date())
	}
	w.file("Public/signups.csv", b.String())

	// Clean: look-alikes that must not be reported.
	b.Reset()
	b.WriteString("Spring catalogue\n\n")
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&b, "Item %s, ISBN %s, EAN %s, price %s, updated %s, order %s\n", g.UUID()[:8], g.ISBN13(), g.EAN13(), g.Price(), g.Timestamp(), g.OrderNumber())
		fmt.Fprintf(&b, "Store at %s, firmware %s, checksum %s, ref %s\n", g.Coordinates(), g.Version(), g.SHA1Hex(), g.LuhnFailing16())
	}
	b.WriteString("Retina logo: logo@2x.png; mail relay: postmaster@localhost\n")
	w.file("Clean/catalogue.txt", b.String())
	b.Reset()
	b.WriteString("sku,ean,price,stock,updated\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "SKU-%04d,%s,%d.%02d,%d,%s\n", i+1, g.EAN13(), 3+i, i*3%100, i*11, g.Date())
	}
	w.file("Clean/inventory.csv", b.String())
	w.raw("Clean/logo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"))
	w.file("README.txt", "Shared drive of ACME Ltd (synthetic test data; no real person's data).\n")
	w.file(".datahygieneignore", "# build output is regenerated, never holds customer data\ntmp/\n")
	w.file("tmp/cache.txt", "cached session for "+g.Email(g.Name())+"\n")
}

func pick(i int, xs ...string) string { return xs[i%len(xs)] }

type writer struct{ root string }

func (w *writer) file(rel, content string) { w.raw(rel, []byte(content)) }

func (w *writer) raw(rel string, b []byte) {
	p := filepath.Join(w.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

func (w *writer) workbook(rel string, g *synth.Gen) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Customers"))
	rows := [][]any{{"Name", "Email", "Mobile", "IBAN"}}
	for i := 0; i < 10; i++ {
		first, last := g.Name()
		rows = append(rows, []any{first + " " + last, g.Email(first, last), g.Phone(), g.IBANGrouped(pick(i, "NL", "BE", "DE"))})
	}
	setRows(f, "Customers", rows, must)
	_, err := f.NewSheet("Payments")
	must(err)
	rows = [][]any{{"Date", "Card", "Amount"}}
	for i := 0; i < 6; i++ {
		rows = append(rows, []any{g.Date(), g.Card(synth.Compact), 19.99 + float64(i)})
	}
	setRows(f, "Payments", rows, must)
	_, err = f.NewSheet("Summary")
	must(err)
	setRows(f, "Summary", [][]any{{"Quarter", "Revenue"}, {"Q1 2024", 125000}, {"Q2 2024", 131500.5}}, must)
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	must(err)
	w.raw(rel, buf.Bytes())
}

func setRows(f *excelize.File, sheet string, rows [][]any, must func(error)) {
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		must(err)
		must(f.SetSheetRow(sheet, cell, &r))
	}
}

func utf16LE(s string) []byte {
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xFE})
	for _, u := range utf16.Encode([]rune(s)) {
		_ = binary.Write(&b, binary.LittleEndian, u)
	}
	return b.Bytes()
}
