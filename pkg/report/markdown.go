package report

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// The markdown format is GitHub-flavoured Markdown for a pull-request
// comment: a summary line, the files holding personal data by risk, the
// findings by detector, the issues, and the files not scanned. A comment
// is read by everyone on the pull request, so it shows no samples and no
// values at all, only where data is and what is wrong.
//
// Everything taken from the share (paths, reasons) is shown in code spans:
// there Markdown, HTML, links, @mentions and #references are inert. Each
// table is capped (mdMaxRows, then "and N more") and long cells are
// shortened, which keeps the comment under GitHub's 65,536-character limit
// however large the share.

const (
	// mdMaxRows caps each table.
	mdMaxRows = 50
	// mdMaxDetectors caps the detectors listed in one file's row.
	mdMaxDetectors = 5
)

type markdownWriter struct{}

func (markdownWriter) Write(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("markdown report: no report")
	}
	var b bytes.Buffer
	markdown(&b, r)
	_, err := w.Write(b.Bytes())
	return err
}

func markdown(b *bytes.Buffer, r *Report) {
	var withData, notScanned []*finding.FileResult
	var warnings [][2]string
	files := sortedFiles(r)
	for _, f := range files {
		if len(f.Findings) > 0 || len(f.Issues) > 0 {
			withData = append(withData, f)
		}
		if f.Status != finding.Scanned {
			notScanned = append(notScanned, f)
		}
		for _, w := range f.Warnings {
			warnings = append(warnings, [2]string{f.Path, w})
		}
	}
	slices.SortStableFunc(withData, func(a, b *finding.FileResult) int { return cmp.Compare(b.Risk, a.Risk) })
	slices.SortStableFunc(notScanned, func(a, b *finding.FileResult) int {
		return cmp.Compare(statusRank(a.Status), statusRank(b.Status))
	})

	tool := cmp.Or(r.Tool.Name, "datahygiene")
	b.WriteString("### " + escape.MarkdownText(tool) + " report\n\n")
	mdSummary(b, r, len(withData))

	if len(withData) > 0 {
		b.WriteString("\n| Risk | File | Data | Issues |\n|---|---|---|---|\n")
		for _, f := range capRows(withData) {
			var data []string
			for i, fd := range sortedFindings(f.Findings) {
				if i == mdMaxDetectors {
					data = append(data, fmt.Sprintf("%d more", len(f.Findings)-i))
					break
				}
				data = append(data, escape.MarkdownCode(fd.Detector, true)+" ×"+strconv.Itoa(fd.Count))
			}
			var kinds []string
			for _, is := range sortedIssues(f.Issues) {
				if k := escape.MarkdownText(string(is.Kind)); !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
			risk := escape.MarkdownText(f.Risk.String())
			if f.Risk >= finding.High {
				risk = "**" + risk + "**"
			} else if f.Risk == finding.SeverityNone {
				risk = "-"
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", risk, escape.MarkdownCode(f.Path, true),
				orDash(strings.Join(data, ", ")), orDash(strings.Join(kinds, ", ")))
		}
		moreRows(b, len(withData), "files")
	}

	s := &r.Summary
	if len(s.ByDetector) > 0 {
		b.WriteString("\n#### Findings by detector\n\n| Detector | Occurrences |\n|---|---:|\n")
		detectors := slices.SortedFunc(maps.Keys(s.ByDetector), func(a, b string) int {
			return cmp.Or(cmp.Compare(s.ByDetector[b], s.ByDetector[a]), strings.Compare(a, b))
		})
		for _, d := range capRows(detectors) {
			fmt.Fprintf(b, "| %s | %d |\n", escape.MarkdownCode(d, true), s.ByDetector[d])
		}
		moreRows(b, len(detectors), "detectors")
	}

	if len(s.ByIssue) > 0 {
		b.WriteString("\n#### Issues\n\n| Issue | Files | Meaning |\n|---|---:|---|\n")
		kinds := sortedKinds(slices.Collect(maps.Keys(s.ByIssue)))
		for _, k := range capRows(kinds) {
			fmt.Fprintf(b, "| %s | %d | %s |\n", escape.MarkdownText(k), s.ByIssue[k], orDash(escape.MarkdownText(explainIssue(finding.IssueKind(k)))))
		}
		moreRows(b, len(kinds), "issues")
	}

	if accepted := acceptedIssues(files); len(accepted) > 0 {
		b.WriteString("\n#### Accepted by policy exceptions\n\nLeft out of the issues and the risk above.\n\n| File | Issue | Exception |\n|---|---|---|\n")
		for _, a := range capRows(accepted) {
			fmt.Fprintf(b, "| %s | %s | %s |\n", escape.MarkdownCode(a.Path, true), escape.MarkdownText(string(a.Kind)), orDash(escape.MarkdownCode(a.Reason, true)))
		}
		moreRows(b, len(accepted), "accepted issues")
	}

	if len(notScanned) > 0 {
		b.WriteString("\n#### Not scanned\n\n| File | Status | Reason |\n|---|---|---|\n")
		for _, f := range capRows(notScanned) {
			status := escape.MarkdownText(string(f.Status))
			if f.Status == finding.Encrypted {
				status += " (good)"
			}
			fmt.Fprintf(b, "| %s | %s | %s |\n", escape.MarkdownCode(f.Path, true), status, orDash(escape.MarkdownCode(f.Reason, true)))
		}
		moreRows(b, len(notScanned), "files")
	}

	if len(warnings) > 0 {
		b.WriteString("\n#### Warnings\n\nThese files may hold more than reported.\n\n| File | Warning |\n|---|---|\n")
		for _, w := range capRows(warnings) {
			fmt.Fprintf(b, "| %s | %s |\n", escape.MarkdownCode(w[0], true), escape.MarkdownCode(w[1], true))
		}
		moreRows(b, len(warnings), "warnings")
	}
}

// mdSummary writes the line a reader sees first: how many files hold
// personal data and at which risk, then the run's totals.
func mdSummary(b *bytes.Buffer, r *Report, filesWithData int) {
	s := &r.Summary
	if filesWithData == 0 {
		b.WriteString("**No personal data found.**")
	} else {
		var risks []string
		for _, sev := range []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low} {
			if n := s.ByRisk[sev.String()]; n > 0 {
				risks = append(risks, fmt.Sprintf("%d %s", n, sev))
			}
		}
		fmt.Fprintf(b, "**%s personal data**", plural(filesWithData, "file holds", "files hold"))
		if len(risks) > 0 {
			b.WriteString(" (risk: " + strings.Join(risks, ", ") + ")")
		}
		b.WriteString(".")
	}
	fmt.Fprintf(b, " %s in %s scanned", plural(s.Findings, "finding", "findings"), plural(s.FilesScanned, "file", "files"))
	if s.FilesSeen > 0 {
		fmt.Fprintf(b, " of %d seen", s.FilesSeen)
	}
	if s.BytesScanned > 0 {
		fmt.Fprintf(b, " (%s)", formatBytes(s.BytesScanned))
	}
	if r.Root != "" {
		b.WriteString(" under " + escape.MarkdownCode(r.Root, false))
	}
	b.WriteString(".")
	var not []string
	if s.Errors > 0 {
		not = append(not, plural(s.Errors, "error", "errors"))
	}
	if s.Skipped > 0 {
		not = append(not, fmt.Sprintf("%d skipped", s.Skipped))
	}
	if s.Encrypted > 0 {
		not = append(not, fmt.Sprintf("%d encrypted", s.Encrypted))
	}
	if len(not) > 0 {
		b.WriteString(" Not scanned: " + strings.Join(not, ", ") + ".")
	}
	b.WriteString("\n")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func capRows[T any](rows []T) []T {
	return rows[:min(len(rows), mdMaxRows)]
}

// moreRows notes the rows capRows left out.
func moreRows(b *bytes.Buffer, n int, what string) {
	if n > mdMaxRows {
		fmt.Fprintf(b, "\n_and %d more %s_\n", n-mdMaxRows, what)
	}
}
