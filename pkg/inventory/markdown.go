package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"io"
	"strings"
)

// The markdown format helps fill a records-of-processing register (GDPR
// article 30: categories of personal data held, where, and how
// protected). It is ready to paste: a summary paragraph, then a section
// per data class with a table of the folders holding it, their counts and
// their protection in plain words, then the encrypted files and the files
// that could not be read. Like the report's markdown it shows no samples
// or values (an Inventory holds none), and folder names are code spans.

const (
	// mdMaxRows caps each table (folder names are shortened by
	// escape.MarkdownCode).
	mdMaxRows = 100
)

type markdownWriter struct{}

func (markdownWriter) Write(w io.Writer, inv *Inventory) error {
	if inv == nil {
		return errors.New("markdown inventory: no inventory")
	}
	var b bytes.Buffer
	t := &inv.Totals
	b.WriteString("## Personal data held\n\n")
	fmt.Fprintf(&b, "Scanned location: %s. Folders are grouped %s.\n\n", escape.MarkdownCode(orDash(inv.Root), false), groupWords(inv.Depth))
	if t.Files == 0 {
		b.WriteString("**No personal data was found.**")
	} else {
		verb := "hold"
		if t.Files == 1 {
			verb = "holds"
		}
		fmt.Fprintf(&b, "**%s in %s %s personal data of %s (%s).**", plural(t.Files, "file", "files"),
			plural(t.Folders, "folder", "folders"), verb,
			plural(t.DataClasses, "kind", "kinds"), plural(t.Occurrences, "occurrence", "occurrences"))
		if p := protection(&t.Counts); p != "" {
			b.WriteString(" Protection: " + p + ".")
		}
	}
	if t.EncryptedFiles > 0 {
		fmt.Fprintf(&b, " %s encrypted and could not be read, which is how personal data should be kept.",
			plural(t.EncryptedFiles, "file is", "files are"))
	}
	if t.NotScannedFiles > 0 {
		fmt.Fprintf(&b, " %s not be read for other reasons and may hold more.", plural(t.NotScannedFiles, "file could", "files could"))
	}
	b.WriteString("\n")

	for i := range inv.Classes {
		c := &inv.Classes[i]
		fmt.Fprintf(&b, "\n### %s", escape.MarkdownText(className(c)))
		if c.Category != "" {
			fmt.Fprintf(&b, " (%s)", escape.MarkdownText(strings.ReplaceAll(c.Category, "_", " ")))
		}
		fmt.Fprintf(&b, "\n\nDetector %s: %s in %s, %s.", escape.MarkdownCode(c.Detector, false),
			plural(c.Occurrences, "occurrence", "occurrences"), plural(c.Files, "file", "files"),
			plural(len(c.Folders), "folder", "folders"))
		if !c.Oldest.IsZero() {
			if day(c.Oldest) == day(c.Newest) {
				fmt.Fprintf(&b, " Files last changed %s.", day(c.Oldest))
			} else {
				fmt.Fprintf(&b, " Files last changed between %s and %s.", day(c.Oldest), day(c.Newest))
			}
		}
		b.WriteString("\n\n| Folder | Files | Occurrences | Protection |\n|---|---:|---:|---|\n")
		var rows []string
		for j := range inv.Folders {
			fo := &inv.Folders[j]
			for k := range fo.Classes {
				fc := &fo.Classes[k]
				if fc.Category == c.Category && fc.Detector == c.Detector {
					rows = append(rows, fmt.Sprintf("| %s | %d | %d | %s |\n", escape.MarkdownCode(fo.Path, true), fc.Files, fc.Occurrences,
						orText(protection(&fc.Counts), "no issue found")))
				}
			}
		}
		writeRows(&b, rows, "folders")
	}

	var enc, not []string
	for i := range inv.Folders {
		fo := &inv.Folders[i]
		if fo.EncryptedFiles > 0 {
			enc = append(enc, fmt.Sprintf("| %s | %d |\n", escape.MarkdownCode(fo.Path, true), fo.EncryptedFiles))
		}
		if fo.NotScannedFiles > 0 {
			not = append(not, fmt.Sprintf("| %s | %d |\n", escape.MarkdownCode(fo.Path, true), fo.NotScannedFiles))
		}
	}
	if len(enc) > 0 {
		b.WriteString("\n### Encrypted files\n\nThese files are encrypted, so their content could not be read. That is how personal data should be kept.\n\n| Folder | Encrypted files |\n|---|---:|\n")
		writeRows(&b, enc, "folders")
	}
	if len(not) > 0 {
		b.WriteString("\n### Files not read\n\nThese files could not be read (errors, size or archive limits) and may hold personal data not listed above.\n\n| Folder | Files not read |\n|---|---:|\n")
		writeRows(&b, not, "folders")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// protection says in plain words how many of a count's files have each
// issue: "1 of 2 files not encrypted; 1 readable by other users". It is
// empty when no file has an issue. Kinds without words of their own are
// escaped as Markdown text.
func protection(c *Counts) string {
	var parts []string
	for _, k := range c.Kinds() {
		n := c.Issues[k].Files
		if n == 0 {
			continue
		}
		if len(parts) == 0 && c.Files > 0 {
			parts = append(parts, fmt.Sprintf("%d of %s %s", n, plural(c.Files, "file", "files"), escape.MarkdownText(words(k))))
		} else {
			parts = append(parts, fmt.Sprintf("%d %s", n, escape.MarkdownText(words(k))))
		}
	}
	return strings.Join(parts, "; ")
}

func groupWords(depth int) string {
	switch {
	case depth == 0:
		return "as one (the whole tree)"
	case depth < 0:
		return "by their full path"
	case depth == 1:
		return "by top-level folder"
	}
	return fmt.Sprintf("to %d levels below it", depth)
}

func writeRows(b *bytes.Buffer, rows []string, what string) {
	for _, r := range rows[:min(len(rows), mdMaxRows)] {
		b.WriteString(r)
	}
	if len(rows) > mdMaxRows {
		fmt.Fprintf(b, "\n_and %d more %s_\n", len(rows)-mdMaxRows, what)
	}
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
