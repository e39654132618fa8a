package inventory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"io"
	"strconv"
	"time"
)

// The csv format is one flat table for spreadsheets and pivot tables. Each
// row is one record:
//
//	folder        a folder's totals (category, detector, name empty)
//	folder_class  one class within a folder
//	class         one class over the whole tree (folder empty)
//	total         the whole tree (folder, category, detector, name empty)
//
// Rows come folder by folder (its folder row, then its classes), then the
// class rows, then the total. Issue counts have a column pair for each of
// IssueKinds; other kinds are in the JSON only. New columns may be added at
// the end; the existing ones keep their names and order.
var csvHeader = func() []string {
	h := []string{"record", "folder", "category", "detector", "name", "risk", "files", "occurrences", "oldest", "newest"}
	for _, k := range IssueKinds {
		h = append(h, k+"_files", k+"_occurrences")
	}
	return append(h, "encrypted_files", "not_scanned_files")
}()

type csvWriter struct{}

func (csvWriter) Write(w io.Writer, inv *Inventory) error {
	if inv == nil {
		return errors.New("csv inventory: no inventory")
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	rows := [][]string{csvHeader}
	for i := range inv.Folders {
		fo := &inv.Folders[i]
		rows = append(rows, csvRow("folder", fo.Path, nil, fo.Risk.String(), &fo.Counts, fo.EncryptedFiles, fo.NotScannedFiles))
		for j := range fo.Classes {
			c := &fo.Classes[j]
			rows = append(rows, csvRow("folder_class", fo.Path, c, "", &c.Counts, -1, -1))
		}
	}
	for i := range inv.Classes {
		c := &inv.Classes[i]
		rows = append(rows, csvRow("class", "", c, "", &c.Counts, -1, -1))
	}
	t := &inv.Totals
	rows = append(rows, csvRow("total", "", nil, "", &t.Counts, t.EncryptedFiles, t.NotScannedFiles))
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("csv inventory: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv inventory: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// csvRow builds one record; counts of -1 (not known for a class) are left
// empty, as is the risk "none".
func csvRow(record, folder string, c *Class, risk string, n *Counts, encrypted, notScanned int) []string {
	row := []string{record, folder, "", "", "", "", strconv.Itoa(n.Files), strconv.Itoa(n.Occurrences), csvTime(n.Oldest), csvTime(n.Newest)}
	if c != nil {
		row[2], row[3], row[4] = c.Category, c.Detector, c.Name
	}
	if risk != "none" {
		row[5] = risk
	}
	for _, k := range IssueKinds {
		t := n.Issues[k]
		row = append(row, strconv.Itoa(t.Files), strconv.Itoa(t.Occurrences))
	}
	row = append(row, count(encrypted), count(notScanned))
	for i, cell := range row {
		row[i] = escape.CSVCell(cell)
	}
	return row
}

func count(n int) string {
	if n < 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
