package sniff_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/sniff"
)

// TestDetectWorkbook checks the head of a workbook excelize writes. The
// package itself uses the standard library only; excelize is a test import.
func TestDetectWorkbook(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	head := buf.Bytes()[:min(buf.Len(), sniff.HeadSize)]
	for name, want := range map[string]sniff.Type{
		"Book1.xlsx":   sniff.XLSX,
		"Book1.xlsm":   sniff.XLSX,
		"Book1.zip":    sniff.Zip,
		"Book1":        sniff.Zip,
		"Book1.csv":    sniff.Zip,
		"a.zip!b.xlsx": sniff.XLSX,
	} {
		if got := sniff.Detect(name, head); got != want {
			t.Errorf("Detect(%q, workbook) = %q, want %q", name, got, want)
		}
	}
}
