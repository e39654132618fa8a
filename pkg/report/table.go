package report

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// tableWriter writes the report for people: a table of the files that hold
// personal data, the files that could not be scanned, and a summary that
// explains each issue in plain words. With Verbose it adds every finding's
// locations, samples and (when the scan kept them) raw values.
type tableWriter struct {
	opts Options
}

// issueExplain gives each issue kind the one-line explanation a
// non-specialist reads in the summary; kinds are shown in the order of
// finding.IssueKinds. A kind missing here (added to assess later) is shown
// without an explanation until one is added.
var issueExplain = map[finding.IssueKind]string{
	finding.Unencrypted: "customer data readable by anyone who can open the file",
	finding.Unprotected: "file permissions let other users read or change it",
	finding.Stale:       "kept longer than the retention period",
	finding.Prohibited:  "data the business has decided not to hold at all",
}

// ANSI SGR codes. Colour only ever repeats what the text already says, so
// the plain output loses nothing.
const (
	sgrBold   = "1"
	sgrRed    = "31"
	sgrBadRed = "1;31"
	sgrGreen  = "32"
	sgrYellow = "33"
	sgrCyan   = "36"
)

func (t tableWriter) Write(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("table report: no report")
	}
	// Render everything first, so a failure leaves no half-written report
	// and the output reaches w in a single write.
	var b bytes.Buffer
	if err := t.render(&b, r); err != nil {
		return fmt.Errorf("table report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (t tableWriter) render(b *bytes.Buffer, r *Report) error {
	var withData, notScanned []*finding.FileResult
	for i := range r.Files {
		f := &r.Files[i]
		// A file can be in both lists (say, findings kept from an archive
		// that failed half-way): show both rather than hide either.
		if len(f.Findings) > 0 || len(f.Issues) > 0 {
			withData = append(withData, f)
		}
		if f.Status != finding.Scanned {
			notScanned = append(notScanned, f)
		}
	}
	slices.SortStableFunc(withData, func(a, b *finding.FileResult) int {
		return cmp.Or(cmp.Compare(b.Risk, a.Risk), strings.Compare(a.Path, b.Path))
	})
	slices.SortStableFunc(notScanned, func(a, b *finding.FileResult) int {
		return cmp.Or(cmp.Compare(statusRank(a.Status), statusRank(b.Status)), strings.Compare(a.Path, b.Path))
	})

	if len(withData) == 0 {
		b.WriteString(t.paint(sgrGreen, "No personal data found.") + "\n")
	} else if err := t.filesTable(b, withData); err != nil {
		return err
	}
	if t.opts.Verbose && len(withData) > 0 {
		b.WriteString("\n" + t.paint(sgrBold, "Details:") + "\n")
		for _, f := range withData {
			if err := t.details(b, f); err != nil {
				return err
			}
		}
	}
	if len(notScanned) > 0 {
		b.WriteString("\n" + t.paint(sgrBold, "Not scanned:") + "\n")
		var rows [][]string
		for _, f := range notScanned {
			rows = append(rows, []string{escape.Printable(f.Path), t.status(f.Status), orDash(escape.Printable(f.Reason))})
		}
		if err := grid(b, "  ", nil, rows); err != nil {
			return err
		}
	}
	var accepted [][]string
	for _, a := range acceptedIssues(sortedFiles(r)) {
		accepted = append(accepted, []string{escape.Printable(a.Path), escape.Printable(string(a.Kind)), escape.Printable(a.Reason)})
	}
	if len(accepted) > 0 {
		b.WriteString("\n" + t.paint(sgrBold, "Accepted by policy exceptions:") + "\n")
		if err := grid(b, "  ", nil, accepted); err != nil {
			return err
		}
	}
	if len(r.Copies) > 0 {
		b.WriteString("\n" + t.paint(sgrBold, "Copies (the same file with personal data in several places):") + "\n")
		var rows [][]string
		for _, c := range r.Copies {
			for i, p := range c.Paths {
				label := ""
				if i == 0 {
					label = formatBytes(c.Size)
				}
				rows = append(rows, []string{label, escape.Printable(p)})
			}
		}
		if err := grid(b, "  ", nil, rows); err != nil {
			return err
		}
	}
	var warnings [][]string
	for _, f := range r.Files {
		for _, w := range f.Warnings {
			warnings = append(warnings, []string{escape.Printable(f.Path), escape.Printable(w)})
		}
	}
	if len(warnings) > 0 {
		b.WriteString("\n" + t.paint(sgrBold, "Warnings (these files may hold more than reported):") + "\n")
		if err := grid(b, "  ", nil, warnings); err != nil {
			return err
		}
	}
	return t.summary(b, r)
}

func (t tableWriter) filesTable(b *bytes.Buffer, files []*finding.FileResult) error {
	header := []string{"PATH", "DATA", "ISSUES", "RISK"}
	for i, h := range header {
		header[i] = t.paint(sgrBold, h)
	}
	rows := make([][]string, len(files))
	for i, f := range files {
		data := make([]string, len(f.Findings))
		for j, fd := range sortedFindings(f.Findings) {
			data[j] = escape.Printable(fd.Detector) + " ×" + strconv.Itoa(fd.Count)
		}
		issues := make([]string, 0, len(f.Issues))
		for _, is := range sortedIssues(f.Issues) {
			if !slices.Contains(issues, escape.Printable(string(is.Kind))) {
				issues = append(issues, escape.Printable(string(is.Kind)))
			}
		}
		rows[i] = []string{
			escape.Printable(f.Path),
			orDash(strings.Join(data, ", ")),
			orDash(strings.Join(issues, ", ")),
			t.severity(f.Risk),
		}
	}
	return grid(b, "", header, rows)
}

// details lists, under a file's path, each finding with its locations and
// samples, then the reason behind each issue.
func (t tableWriter) details(b *bytes.Buffer, f *finding.FileResult) error {
	fmt.Fprintf(b, "\n  %s  risk %s\n", t.paint(sgrBold, escape.Printable(f.Path)), t.severity(f.Risk))
	for _, fd := range sortedFindings(f.Findings) {
		line := fmt.Sprintf("%s ×%d  %s", escape.Printable(fd.Detector), fd.Count, t.severity(fd.Severity))
		if fd.Name != "" {
			line += "  " + escape.Printable(fd.Name)
		}
		b.WriteString("    " + line + "\n")
		locs := make([]string, len(fd.Locations))
		for i, l := range fd.Locations {
			locs[i] = escape.Printable(l.String())
		}
		if fd.LocationsOmitted > 0 {
			locs = append(locs, fmt.Sprintf("and %d more", fd.LocationsOmitted))
		}
		field(b, "at:     ", locs)
		field(b, "samples:", quoteAll(fd.Samples))
		field(b, "values: ", quoteAll(fd.Values))
	}
	if len(f.Issues) == 0 {
		return nil
	}
	b.WriteString("    issues:\n")
	var rows [][]string
	for _, is := range sortedIssues(f.Issues) {
		rows = append(rows, []string{escape.Printable(string(is.Kind)), t.severity(is.Severity), orDash(escape.Printable(is.Reason))})
	}
	return grid(b, "      ", nil, rows)
}

// field writes one labelled, comma-separated list of a finding's details,
// or nothing when the list is empty.
func field(b *bytes.Buffer, label string, items []string) {
	if len(items) > 0 {
		b.WriteString("      " + label + " " + strings.Join(items, ", ") + "\n")
	}
}

func (t tableWriter) summary(b *bytes.Buffer, r *Report) error {
	s := &r.Summary
	b.WriteString("\n" + t.paint(sgrBold, "Summary:") + "\n")
	rows := [][]string{
		{"root", orDash(escape.Printable(r.Root))},
		{"files seen", strconv.Itoa(s.FilesSeen)},
		{"files scanned", strconv.Itoa(s.FilesScanned)},
		{"files with findings", strconv.Itoa(s.FilesWithFindings)},
		{"findings", strconv.Itoa(s.Findings)},
		{"bytes scanned", formatBytes(s.BytesScanned)},
	}
	if d, ok := duration(r.StartedAt, r.FinishedAt); ok {
		rows = append(rows, []string{"duration", d})
	}
	errs := strconv.Itoa(s.Errors)
	if s.Errors > 0 {
		errs = t.paint(sgrRed, errs)
	}
	rows = append(rows, []string{"errors", errs})
	if s.Skipped > 0 {
		rows = append(rows, []string{"skipped", strconv.Itoa(s.Skipped)})
	}
	if s.Encrypted > 0 {
		rows = append(rows, []string{"encrypted", strconv.Itoa(s.Encrypted)})
	}
	if s.Copies > 0 {
		rows = append(rows, []string{"copies", strconv.Itoa(s.Copies)})
	}
	if err := grid(b, "  ", nil, rows); err != nil {
		return err
	}

	if len(r.Mounts) > 0 {
		// Where the data sits: encrypted disks and protected network
		// shares, as far as the operating system shows them.
		b.WriteString("\n" + t.paint(sgrBold, "Storage:") + "\n")
		rows = nil
		for _, m := range r.Mounts {
			rows = append(rows, []string{escape.Printable(m.Path), escape.Printable(m.FSType), escape.Printable(m.Note)})
		}
		if err := grid(b, "  ", nil, rows); err != nil {
			return err
		}
	}

	if len(s.ByDetector) > 0 {
		b.WriteString("\n" + t.paint(sgrBold, "Findings by detector:") + "\n")
		// Largest first: what most of the data is comes first.
		detectors := slices.SortedFunc(maps.Keys(s.ByDetector), func(a, b string) int {
			return cmp.Or(cmp.Compare(s.ByDetector[b], s.ByDetector[a]), strings.Compare(a, b))
		})
		rows = nil
		for _, d := range detectors {
			rows = append(rows, []string{escape.Printable(d), strconv.Itoa(s.ByDetector[d])})
		}
		if err := grid(b, "  ", nil, rows); err != nil {
			return err
		}
	}

	if len(s.ByIssue) > 0 {
		b.WriteString("\n" + t.paint(sgrBold, "Issues:") + "\n")
		rows = nil
		for _, kind := range sortedKinds(slices.Collect(maps.Keys(s.ByIssue))) {
			n := s.ByIssue[kind]
			files := strconv.Itoa(n) + " files"
			if n == 1 {
				files = "1 file"
			}
			rows = append(rows, []string{escape.Printable(kind), files, explainIssue(finding.IssueKind(kind))})
		}
		if err := grid(b, "  ", nil, rows); err != nil {
			return err
		}
	}
	return nil
}

// grid renders rows as aligned columns without borders: two blanks between
// columns, a rule under the header (if any), every line prefixed by indent
// and stripped of trailing blanks. Cells may hold ANSI colour: tablewriter
// measures them without their escape sequences.
func grid(b *bytes.Buffer, indent string, header []string, rows [][]string) error {
	var out bytes.Buffer
	tbl := tablewriter.NewTable(&out,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Settings: tw.Settings{
				Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off},
				Lines:      tw.Lines{ShowHeaderLine: tw.On},
			},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithPadding(tw.Padding{Left: "", Right: "  ", Overwrite: true}),
	)
	if header != nil {
		tbl.Header(header)
	}
	if err := tbl.Bulk(rows); err != nil {
		return err
	}
	if err := tbl.Render(); err != nil {
		return err
	}
	for line := range strings.Lines(out.String()) {
		line = strings.TrimRight(line, " \n")
		// A coloured last cell carries its padding inside the colour.
		line = trailingBlanks.ReplaceAllString(line, "$1")
		b.WriteString(indent + line + "\n")
	}
	return nil
}

// trailingBlanks matches blanks at the end of a line that only escape
// sequences follow.
var trailingBlanks = regexp.MustCompile(`[ ]+((?:\x1b\[[0-9;]*m)+)$`)

func (t tableWriter) paint(code, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (t tableWriter) severity(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return t.paint(sgrBadRed, s.String())
	case finding.High:
		return t.paint(sgrRed, s.String())
	case finding.Medium:
		return t.paint(sgrYellow, s.String())
	case finding.Low:
		return t.paint(sgrCyan, s.String())
	case finding.SeverityNone:
		return "-"
	}
	return s.String()
}

func (t tableWriter) status(s finding.Status) string {
	switch s {
	case finding.Encrypted:
		// Encryption is what we ask people to do: say so.
		return t.paint(sgrGreen, "encrypted (good)")
	case finding.Error:
		return t.paint(sgrRed, "error")
	case finding.Skipped:
		return t.paint(sgrYellow, "skipped")
	}
	return orDash(escape.Printable(string(s)))
}

// statusRank puts the files that need attention first.
func statusRank(s finding.Status) int {
	switch s {
	case finding.Error:
		return 0
	case finding.Skipped:
		return 1
	case finding.Encrypted:
		return 3
	}
	return 2
}

// sortedFindings orders findings by severity, worst first, then detector.
func sortedFindings(fs []finding.Finding) []finding.Finding {
	return slices.SortedStableFunc(slices.Values(fs), func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), strings.Compare(a.Detector, b.Detector))
	})
}

// sortedIssues orders issues by kind (finding.CompareIssueKinds).
func sortedIssues(is []finding.Issue) []finding.Issue {
	return slices.SortedStableFunc(slices.Values(is), func(a, b finding.Issue) int {
		return finding.CompareIssueKinds(a.Kind, b.Kind)
	})
}

func sortedAccepted(as []finding.Accepted) []finding.Accepted {
	return slices.SortedStableFunc(slices.Values(as), func(a, b finding.Accepted) int {
		return finding.CompareIssueKinds(a.Kind, b.Kind)
	})
}

func sortedKinds(kinds []string) []string {
	slices.SortFunc(kinds, compareKinds)
	return kinds
}

func compareKinds(a, b string) int {
	return finding.CompareIssueKinds(finding.IssueKind(a), finding.IssueKind(b))
}

func explainIssue(kind finding.IssueKind) string { return issueExplain[kind] }

// quoteAll shows samples and values in quotes, so that blanks at either end
// and empty strings stay visible.
func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + escape.Printable(s) + `"`
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// formatBytes prints a size in binary units with one decimal.
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, exp := float64(n)/unit, 0
	for v >= unit && exp < 4 {
		v /= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTP"[exp])
}

// duration prints how long the scan took, to the millisecond under a
// minute and to the second above; ok is false if a time is missing.
func duration(start, end time.Time) (string, bool) {
	if start.IsZero() || end.IsZero() || end.Before(start) {
		return "", false
	}
	d := end.Sub(start)
	if d < time.Minute {
		return d.Round(time.Millisecond).String(), true
	}
	return d.Round(time.Second).String(), true
}

// WriteGrid writes rows as the table format does (aligned columns, no
// borders, a rule under the header), for other commands' listings.
func WriteGrid(w io.Writer, header []string, rows [][]string) error {
	var b bytes.Buffer
	if err := grid(&b, "", header, rows); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
