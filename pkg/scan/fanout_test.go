package scan

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/detect"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
	"github.com/datahygiene/datahygiene/pkg/synth"
)

// TestFanoutSameReport: a file large enough to be detected on several
// goroutines yields the report a single goroutine yields, byte for byte,
// for text, CSV and xlsx, with and without raw values.
func TestFanoutSameReport(t *testing.T) {
	dir := t.TempDir()
	g := synth.New(5)
	var csv, log strings.Builder
	csv.WriteString("id,email,card,note\n")
	for i := 0; csv.Len() < 600<<10; i++ {
		first, last := g.Name()
		fmt.Fprintf(&csv, "%d,%s,%s,%s\n", i, g.Email(first, last), g.Card(synth.CardFormat(i%3)), g.OrderNumber())
	}
	for i := 0; log.Len() < 600<<10; i++ {
		fmt.Fprintf(&log, "%s client=%s ssn %s user %s\n", g.Timestamp(), g.IPv4(), g.SSN(), g.UUID())
	}
	for name, s := range map[string]string{"big.csv": csv.String(), "big.log": log.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// A workbook: every cell has its own reference, sheet and header.
	wb := excelize.NewFile()
	for _, sheet := range []string{"Sheet1", "Cards"} {
		if sheet != "Sheet1" {
			if _, err := wb.NewSheet(sheet); err != nil {
				t.Fatal(err)
			}
		}
		sw, err := wb.NewStreamWriter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow("A1", []any{"email", "card", "phone"}); err != nil {
			t.Fatal(err)
		}
		for i := 2; i < 12000; i++ {
			first, last := g.Name()
			cell, _ := excelize.CoordinatesToCellName(1, i)
			if err := sw.SetRow(cell, []any{g.Email(first, last), g.Card(synth.CardFormat(i % 3)), g.OrderNumber()}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.SaveAs(filepath.Join(dir, "big.xlsx")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "big.xlsx")); err != nil || fi.Size() < 100<<10 {
		t.Fatalf("big.xlsx too small to fan out: %v %v", fi.Size(), err)
	}
	rs, err := ruleset.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	for _, d := range []detect.Options{{}, {ShowValues: true, MaxSamples: 2, MaxLocations: 7}} {
		var first string
		for _, w := range []int{1, 2, 5} {
			rep, err := Run(context.Background(), Options{Root: dir, Workers: w, Rules: rs, Detect: d, Now: now, fanoutMin: 100 << 10, batchBytes: 32 << 10})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Summary.FilesWithFindings != 3 || rep.Summary.Findings < 10000 {
				t.Fatalf("workers=%d: summary %+v", w, rep.Summary)
			}
			b, _ := json.Marshal(rep.Files)
			if first == "" {
				first = string(b)
			} else if string(b) != first {
				t.Fatalf("workers=%d, %+v: report differs from one worker's", w, d)
			}
		}
	}
}
