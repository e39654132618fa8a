// Command gencorpus writes the benchmark tree for scripts/bench.sh: nested
// folders of CSV, TSV, logs, JSON, text and Markdown (plus a few xlsx), with
// about one synthetic PII value per 5-20 KB among look-alikes (timestamps,
// IPs in logs, UUIDs, order numbers, versions). Deterministic for a seed and
// size, so runs compare; nothing large is committed.
//
// Usage: go run ./scripts/gencorpus -out DIR [-mb 300] [-xlsx 20] [-seed 1]
//
//	go run ./scripts/gencorpus -dense ROWS -out FILE.csv
//
//	go run ./scripts/gencorpus -small FILES -out DIR
//
// -small writes FILES small log files (2-12 KB; an email address in one
// file of five), 100 per folder: the nightly re-scan scenario of
// scripts/rescan.sh.
//
// -dense writes one customer CSV instead: every row holds a name, an
// email, a phone number and a card-shaped number (half of them valid), the
// worst case for validation cost.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/synth"
)

func main() {
	out := flag.String("out", "", "output folder (required)")
	mb := flag.Int("mb", 300, "approximate size of the text part in MB")
	nx := flag.Int("xlsx", 20, "number of xlsx workbooks (5000 rows x 6 columns each)")
	seed := flag.Uint64("seed", 1, "random seed")
	dense := flag.Int("dense", 0, "write one dense customer CSV of this many rows to -out")
	small := flag.Int("small", 0, "write this many small files under -out")
	flag.Parse()
	if *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	g := synth.New(*seed)
	if *dense > 0 {
		writeDense(*out, g, *dense)
		return
	}
	if *small > 0 {
		writeSmall(*out, g, *small)
		return
	}
	// Phone generation goes through libphonenumber: draw a pool once.
	phones := make([]string, 500)
	for i := range phones {
		phones[i] = g.Phone()
	}
	// Look-alikes too: some are checked against every validator when drawn.
	pool := func(f func() string) func() string {
		xs := make([]string, 997)
		for i := range xs {
			xs[i] = f()
		}
		return func() string { return xs[g.IntN(len(xs))] }
	}
	order, stamp, version, ean, price, sha := pool(g.OrderNumber), pool(g.Timestamp), pool(g.Version), pool(g.EAN13), pool(g.Price), pool(g.SHA1Hex)
	pii := func(i int) string {
		first, last := g.Name()
		switch i % 6 {
		case 0, 1:
			return g.Email(first, last)
		case 2:
			return phones[i%len(phones)]
		case 3:
			return g.Card(synth.Spaced)
		case 4:
			return g.IBAN("NL")
		default:
			return "SSN " + g.SSN()
		}
	}
	total := int64(*mb) << 20
	var written int64
	kinds := []string{"csv", "log", "json", "txt", "md", "tsv"}
	for n := 0; written < total; n++ {
		kind := kinds[n%len(kinds)]
		dir := filepath.Join(*out, fmt.Sprintf("dept%02d", n%12), fmt.Sprintf("y%d", 2019+n%6))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("file%05d.%s", n, kind))
		f, err := os.Create(p)
		if err != nil {
			log.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		size := int64(256<<10) + int64(n%7)*(512<<10) // 256 KB .. 3.3 MB
		var fileBytes int64
		next := int64(5<<10 + g.IntN(15<<10))
		for line := 0; fileBytes < size; line++ {
			var s string
			extra := ""
			if fileBytes >= next {
				extra = pii(line)
				next = fileBytes + int64(5<<10+g.IntN(15<<10))
			}
			ts := stamp()
			switch kind {
			case "csv":
				if line == 0 {
					s = "id,created,status,amount,reference,comment\n"
				} else {
					s = fmt.Sprintf("%d,%s,shipped,%s,%s,%s\n", 100000+line, ts, price(), order(), extra)
				}
			case "tsv":
				if line == 0 {
					s = "id\tcreated\tsku\tean\tnote\n"
				} else {
					s = fmt.Sprintf("%d\t%s\tSKU-%d\t%s\t%s\n", line, ts, line%9000, ean(), extra)
				}
			case "log":
				s = fmt.Sprintf("%s INFO req=%s client=%s path=/api/v2/items/%d took=%dms %s\n", ts, g.UUID(), g.IPv4(), line, line%300, extra)
			case "json":
				s = fmt.Sprintf(`{"id":"%s","ts":"%s","version":"%s","total":%d.%02d,"note":"%s"}`+"\n", g.UUID(), ts, version(), line%999, line%100, extra)
			default:
				s = fmt.Sprintf("Minutes item %d (%s): reviewed order %s, build %s, checksum %s. %s\n", line, ts, order(), version(), sha(), extra)
			}
			w.WriteString(s)
			fileBytes += int64(len(s))
		}
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
		f.Close()
		written += fileBytes
	}
	for i := 0; i < *nx; i++ {
		writeWorkbook(filepath.Join(*out, "sheets", fmt.Sprintf("book%02d.xlsx", i)), g, phones, order, pool(g.Date))
	}
}

func writeWorkbook(p string, g *synth.Gen, phones []string, order, date func() string) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		log.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		log.Fatal(err)
	}
	_ = sw.SetRow("A1", []any{"Name", "Email", "Phone", "Order", "Amount", "Date"})
	for r := 2; r <= 5001; r++ {
		first, last := g.Name()
		email, phone := "", ""
		if r%20 == 0 {
			email = g.Email(first, last)
			phone = phones[r%len(phones)]
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		_ = sw.SetRow(cell, []any{first + " " + last, email, phone, order(), float64(r%500) + 0.99, date()})
	}
	if err := sw.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs(p); err != nil {
		log.Fatal(err)
	}
}

func writeDense(p string, g *synth.Gen, rows int) {
	f, err := os.Create(p)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	// libphonenumber makes phone generation slow: draw a large pool once.
	phones := make([]string, 20000)
	for i := range phones {
		phones[i] = g.Phone()
	}
	w.WriteString("id,name,email,phone,card,created\n")
	for i := 1; i <= rows; i++ {
		first, last := g.Name()
		card := g.Card(synth.CardFormat(i % 3))
		if i%2 == 0 {
			card = g.LuhnFailing16()
		}
		fmt.Fprintf(w, "%d,%s %s,%s,%s,%s,%s\n", i, first, last, g.Email(first, last), phones[g.IntN(len(phones))], card, g.Date())
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func writeSmall(dir string, g *synth.Gen, n int) {
	stamps := make([]string, 997)
	for i := range stamps {
		stamps[i] = g.Timestamp()
	}
	for i := 0; i < n; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", i/10000), fmt.Sprintf("s%03d", i/100%100))
		if i%100 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				log.Fatal(err)
			}
		}
		var b []byte
		size := 2<<10 + g.IntN(10<<10)
		for len(b) < size {
			b = fmt.Appendf(b, "%s INFO req=%s host=web-%02d path=/api/v2/orders/%d took=%dms\n", stamps[g.IntN(len(stamps))], g.UUID(), g.IntN(40), g.IntN(1e6), g.IntN(900))
		}
		if i%5 == 0 {
			first, last := g.Name()
			b = fmt.Appendf(b, "contact %s\n", g.Email(first, last))
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%05d.log", i)), b, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
