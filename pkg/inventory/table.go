package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// tableWriter writes the inventory for people at a terminal: one row per
// folder (files, occurrences, the classes held, the files with each issue,
// encrypted files, the newest file), a total row, then one row per class
// with the folders holding it.
type tableWriter struct{}

const (
	// tableMaxClasses caps the classes listed in one folder's row, and
	// tableMaxFolders the folders listed in one class's row; the rest are
	// counted ("+3 more").
	tableMaxClasses = 4
	tableMaxFolders = 4
)

func (tableWriter) Write(w io.Writer, inv *Inventory) error {
	if inv == nil {
		return errors.New("table inventory: no inventory")
	}
	var b bytes.Buffer
	t := &inv.Totals
	fmt.Fprintf(&b, "Personal data inventory of %s (%s)\n\n", orDash(escape.Printable(inv.Root)), depthWords(inv.Depth))
	if t.Files == 0 {
		b.WriteString("No personal data found.\n")
	}
	if len(inv.Folders) > 0 {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		header := []string{"FOLDER", "FILES", "OCCURRENCES", "DATA"}
		for _, k := range IssueKinds {
			header = append(header, strings.ToUpper(k))
		}
		header = append(header, "ENCRYPTED", "NOT SCANNED", "NEWEST")
		writeRow(tw, header)
		for i := range inv.Folders {
			fo := &inv.Folders[i]
			var data []string
			for j, c := range fo.Classes {
				if j == tableMaxClasses {
					data = append(data, fmt.Sprintf("+%d more", len(fo.Classes)-j))
					break
				}
				data = append(data, escape.Printable(c.Detector)+" ×"+strconv.Itoa(c.Occurrences))
			}
			writeRow(tw, countsRow(escape.Printable(fo.Path), &fo.Counts, strings.Join(data, ", "), fo.EncryptedFiles, fo.NotScannedFiles))
		}
		writeRow(tw, countsRow("TOTAL", &t.Counts, plural(t.DataClasses, "class", "classes"), t.EncryptedFiles, t.NotScannedFiles))
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("table inventory: %w", err)
		}
	}
	if len(inv.Classes) > 0 {
		b.WriteString("\nData classes (issue columns count files):\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		header := []string{"  CATEGORY", "DETECTOR", "FILES", "OCCURRENCES"}
		for _, k := range IssueKinds {
			header = append(header, strings.ToUpper(k))
		}
		writeRow(tw, append(header, "FOLDERS"))
		for i := range inv.Classes {
			c := &inv.Classes[i]
			row := []string{"  " + orDash(escape.Printable(c.Category)), escape.Printable(c.Detector), strconv.Itoa(c.Files), strconv.Itoa(c.Occurrences)}
			for _, k := range IssueKinds {
				row = append(row, strconv.Itoa(c.Issues[k].Files))
			}
			var folders []string
			for j, f := range c.Folders {
				if j == tableMaxFolders {
					folders = append(folders, fmt.Sprintf("+%d more", len(c.Folders)-j))
					break
				}
				folders = append(folders, escape.Printable(f))
			}
			writeRow(tw, append(row, strings.Join(folders, ", ")))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("table inventory: %w", err)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func countsRow(label string, c *Counts, data string, encrypted, notScanned int) []string {
	row := []string{label, strconv.Itoa(c.Files), strconv.Itoa(c.Occurrences), orDash(data)}
	for _, k := range IssueKinds {
		row = append(row, strconv.Itoa(c.Issues[k].Files))
	}
	return append(row, strconv.Itoa(encrypted), strconv.Itoa(notScanned), orDash(day(c.Newest)))
}

// writeRow writes cells separated by tabs, trailing blanks trimmed by the
// tabwriter's last column having no padding. Cells are already printable,
// so they hold no tab of their own.
func writeRow(w io.Writer, cells []string) {
	fmt.Fprintln(w, strings.Join(cells, "\t"))
}

func depthWords(depth int) string {
	switch {
	case depth == 0:
		return "whole tree"
	case depth < 0:
		return "every folder"
	}
	return "folders to depth " + strconv.Itoa(depth)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
