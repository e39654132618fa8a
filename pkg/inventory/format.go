package inventory

import (
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"io"
	"strconv"
	"strings"
	"time"
)

// Writer renders an inventory in one format.
type Writer interface {
	Write(w io.Writer, inv *Inventory) error
}

// formats lists the writers in the order Formats reports them. The html
// rendering is report.HTMLWriter (with its Inventory set), which sits
// above this package.
var formats = []struct {
	name string
	w    Writer
}{
	{"table", tableWriter{}},
	{"json", jsonWriter{}},
	{"csv", csvWriter{}},
	{"markdown", markdownWriter{}},
}

// Formats lists the valid format names, the default (table) first.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// NewWriter returns the writer for format, or an error naming the valid
// formats.
func NewWriter(format string) (Writer, error) {
	for _, f := range formats {
		if f.name == format {
			return f.w, nil
		}
	}
	names := Formats()
	return nil, fmt.Errorf("unknown inventory format %q (want %s or %s)", format,
		strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// issueWords says in plain words what each issue kind means for the data,
// as a records-of-processing entry or a table heading puts it.
var issueWords = map[string]string{
	"unencrypted": "not encrypted",
	"unprotected": "readable by other users",
	"stale":       "kept past the retention period",
	"prohibited":  "held where policy forbids it",
}

func words(kind string) string {
	if w, ok := issueWords[kind]; ok {
		return w
	}
	return escape.Printable(kind)
}

// day prints a time as a date, or "" for the zero time.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// className is how a class is named for people: its rule's name when
// the report has one, else the detector.
func className(c *Class) string {
	if c.Name != "" {
		return c.Name
	}
	return c.Detector
}
