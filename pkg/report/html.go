package report

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/internal/numfmt"
	"github.com/datahygiene/datahygiene/pkg/inventory"
)

// The html format is one self-contained page for people who will never
// open a terminal: a manager, a data-protection officer, the owner of a
// share, reading it from an email attachment. It explains the scan in plain
// words (how many files hold personal data, of which kinds, how many are
// unencrypted, unprotected, stale or prohibited, and the encrypted files as
// the good sign), draws the data classes, the risks by folder and, given a
// history, the trend over past runs, and lists the riskiest files.
//
// Design choices:
//
//   - Nothing is fetched. The CSS and the small sorting script are inlined
//     and the charts are SVG drawn here, in Go, so the page works offline,
//     shows the same in every mail client's viewer, and holds no code that
//     computes from the data. A Content-Security-Policy (default-src 'none',
//     the style and script allowed by their SHA-256 only) makes any URL
//     that slipped in inert, and the page works without the script.
//   - html/template escapes everything taken from the share (paths,
//     reasons, column names): a file named <script>.csv is shown as text.
//     Control characters are shown escaped, as in the table format.
//   - Samples are masked upstream; the page shows them only when Verbose.
//     Raw values (a --show-values scan) appear only when Verbose too, and
//     then only in one section that says what it is.
//   - Every table and chart is capped, so a report over 100,000 files
//     makes a page of bounded size.
//
// The folder chart and the data map come from pkg/inventory, which is why
// this package imports it (inventory imports only pkg/finding).

// Caps on what the page lists; the rest is counted ("and 12 more").
const (
	htmlTopFiles    = 50  // rows in the riskiest-files table
	htmlNotScanned  = 50  // rows in the not-scanned table
	htmlMaxWarnings = 50  // rows in the warnings table
	htmlMaxFolders  = 500 // rows in the data map
	htmlRawValues   = 200 // rows in the raw-values section
	htmlMaxTrend    = 100 // runs in the trend (the newest)
	htmlMaxCell     = 200 // runes of a path or reason (the middle gives way)
	htmlMaxList     = 8   // detectors or folders listed in one cell
)

// TrendPoint is one past run for the trend chart. The command fills it
// from the state's history: NewTrendPoint(run.StartedAt, run.Summary).
type TrendPoint struct {
	Time time.Time
	// FilesSeen counts the files the run looked at.
	FilesSeen int
	// Files counts files with findings; Findings the occurrences.
	Files    int
	Findings int
	// ByIssue counts files per issue kind; Encrypted encrypted files.
	ByIssue   map[string]int
	Encrypted int
}

// NewTrendPoint makes the trend point of a run from its summary.
func NewTrendPoint(t time.Time, s Summary) TrendPoint {
	return TrendPoint{
		Time: t, FilesSeen: s.FilesSeen, Files: s.FilesWithFindings, Findings: s.Findings,
		ByIssue: s.ByIssue, Encrypted: s.Encrypted,
	}
}

// HTMLWriter writes the html format. The zero value is what `--format
// html` uses for a scan; the inventory command sets Inventory, and a
// command with a history sets Trend.
type HTMLWriter struct {
	// Inventory adds the data map (what each folder holds) and titles the
	// page as an inventory; its folders also feed the folder chart. When
	// nil, the chart uses an inventory of the report's top-level folders.
	Inventory *inventory.Inventory
	// Trend lists past runs, in any order; the page draws the newest
	// htmlMaxTrend of them, by time. The caller includes the current run
	// if it wants it drawn.
	Trend []TrendPoint
	// Verbose adds each file's masked samples and, when the report
	// carries raw values (--show-values), a clearly labelled section
	// with them. Without it the page shows neither.
	Verbose bool
}

func (h HTMLWriter) Write(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("html report: no report")
	}
	kit, err := htmlKitOnce()
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	p := h.page(r)
	p.CSS, p.JS = kit.css, kit.js
	var b bytes.Buffer
	if err := kit.tmpl.Execute(&b, p); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

//go:embed assets/report.html.tmpl assets/report.css assets/report.js
var htmlAssets embed.FS

// htmlPage is everything the template shows, computed here so that the
// template only lays it out.
type htmlPage struct {
	Title, Root, Tool, Scanned, Took string
	CSS                              template.CSS
	JS                               template.JS

	S          Summary
	Headline   string
	Kinds      string // "Email address, IBAN and 3 more kinds"
	NotRead    int    // errors + skipped
	Issues     []htmlIssueKind
	Classes    *barChart
	Folders    *barChart
	Files      []htmlFile
	FilesMore  int
	NotScanned []htmlFile
	// Accepted lists the issues policy exceptions accepted: path, kind,
	// exception.
	Accepted     [][3]string
	AcceptedMore int
	NotMore      int
	Warnings     [][2]string
	WarnMore     int
	Inventory    *htmlInventory
	Trend        []*lineChart
	TrendSpan    string
	Raw          []htmlRaw
	RawMore      int
}

type htmlIssueKind struct {
	Kind, Title, Explain string
	Files                int
	TestID               string
}

type htmlFile struct {
	Path, Risk, Status, Reason string
	RiskRank, Occurrences      int
	Data                       []string
	Issues                     []finding.Issue
	Samples                    []string
}

type htmlInventory struct {
	Depth   string
	Folders []htmlFolder
	More    int
	Classes []htmlClass
}

type htmlFolder struct {
	Path, Data, Oldest, Newest                string
	Files, Occurrences, Encrypted, NotScanned int
	Issues                                    []int // files per kind, in htmlKinds order
}

type htmlClass struct {
	Name, Detector, Category, Folders string
	Files, Occurrences                int
}

type htmlRaw struct {
	Path, Detector string
	Values         []string
}

// htmlKindWords give each issue kind the words a non-specialist needs.
var htmlKindWords = map[finding.IssueKind]struct{ title, explain string }{
	finding.Unencrypted: {"Not encrypted", "Anyone who can open these files can read the personal data in them."},
	finding.Unprotected: {"Open to others", "File permissions let other users of the computer or share read or change them."},
	finding.Stale:       {"Kept too long", "Not changed for longer than the retention period: delete or archive what is no longer needed."},
	finding.Prohibited:  {"Prohibited", "Data the policy says must not be kept here, or at all."},
}

// htmlKinds are the issue kinds the summary always explains: those of
// finding.IssueKinds with words here, in that order. Other kinds a report
// carries are listed after them with the table format's explanation, if
// any.
var htmlKinds = func() []htmlIssueKind {
	var ks []htmlIssueKind
	for _, k := range finding.IssueKinds {
		if w, ok := htmlKindWords[k]; ok {
			ks = append(ks, htmlIssueKind{Kind: string(k), Title: w.title, Explain: w.explain})
		}
	}
	return ks
}()

func (h HTMLWriter) page(r *Report) *htmlPage {
	s := r.Summary
	p := &htmlPage{
		Title:   "Personal data report",
		Root:    htmlText(r.Root),
		Tool:    strings.TrimSpace(cmp.Or(r.Tool.Name, "datahygiene") + " " + r.Tool.Version),
		S:       s,
		NotRead: s.Errors + s.Skipped,
	}
	if !r.StartedAt.IsZero() {
		p.Scanned = htmlTime(r.StartedAt)
	}
	if d, ok := duration(r.StartedAt, r.FinishedAt); ok {
		p.Took = d
	}
	if h.Inventory != nil {
		p.Title = "Personal data inventory"
	}
	switch s.FilesWithFindings {
	case 0:
		p.Headline = "No personal data found"
	case 1:
		p.Headline = "1 file holds personal data"
	default:
		p.Headline = num(s.FilesWithFindings) + " files hold personal data"
	}

	inv := h.Inventory
	if inv == nil {
		inv = inventory.Build(r.Files, inventory.Options{Root: r.Root, Depth: 1})
	}
	// Classes are tree-wide whatever the inventory's depth.
	classes := inv.Classes
	p.Kinds = kindsSentence(classes)
	p.Classes = classChart(classes)
	p.Folders = folderChart(inv.Folders)

	known := map[string]bool{}
	for _, k := range htmlKinds {
		k.Files = s.ByIssue[k.Kind]
		k.TestID = k.Kind
		p.Issues = append(p.Issues, k)
		known[k.Kind] = true
	}
	for _, k := range sortedKinds(mapKeys(s.ByIssue)) {
		if !known[k] {
			p.Issues = append(p.Issues, htmlIssueKind{Kind: k, Title: htmlText(k), Explain: explainIssue(finding.IssueKind(k)), Files: s.ByIssue[k]})
		}
	}

	var withData, notScanned []*finding.FileResult
	files := sortedFiles(r)
	for _, f := range files {
		if len(f.Findings) > 0 || len(f.Issues) > 0 {
			withData = append(withData, f)
		}
		if f.Status != finding.Scanned {
			notScanned = append(notScanned, f)
		}
		for _, w := range f.Warnings {
			if len(p.Warnings) < htmlMaxWarnings {
				p.Warnings = append(p.Warnings, [2]string{htmlText(f.Path), htmlText(w)})
			} else {
				p.WarnMore++
			}
		}
	}
	slices.SortStableFunc(withData, func(a, b *finding.FileResult) int {
		return cmp.Or(cmp.Compare(b.Risk, a.Risk), cmp.Compare(b.Occurrences(), a.Occurrences()))
	})
	slices.SortStableFunc(notScanned, func(a, b *finding.FileResult) int {
		return cmp.Compare(statusRank(a.Status), statusRank(b.Status))
	})
	for _, f := range withData[:min(len(withData), htmlTopFiles)] {
		p.Files = append(p.Files, h.file(f))
	}
	p.FilesMore = len(withData) - len(p.Files)
	for _, f := range notScanned[:min(len(notScanned), htmlNotScanned)] {
		p.NotScanned = append(p.NotScanned, htmlFile{Path: htmlText(f.Path), Status: string(f.Status), Reason: htmlText(f.Reason)})
	}
	p.NotMore = len(notScanned) - len(p.NotScanned)
	accepted := acceptedIssues(files)
	for _, a := range accepted[:min(len(accepted), htmlNotScanned)] {
		p.Accepted = append(p.Accepted, [3]string{htmlText(a.Path), htmlText(string(a.Kind)), htmlText(a.Reason)})
	}
	p.AcceptedMore = len(accepted) - len(p.Accepted)

	if h.Inventory != nil {
		p.Inventory = inventoryView(h.Inventory)
	}
	p.Trend, p.TrendSpan = trendCharts(h.Trend)
	if h.Verbose {
		for _, f := range withData {
			for _, fd := range sortedFindings(f.Findings) {
				if len(fd.Values) == 0 {
					continue
				}
				if len(p.Raw) == htmlRawValues {
					p.RawMore++
					continue
				}
				vals := make([]string, len(fd.Values))
				for i, v := range fd.Values {
					vals[i] = escape.Printable(v)
				}
				p.Raw = append(p.Raw, htmlRaw{Path: htmlText(f.Path), Detector: htmlText(fd.Detector), Values: vals})
			}
		}
	}
	return p
}

func (h HTMLWriter) file(f *finding.FileResult) htmlFile {
	hf := htmlFile{
		Path: htmlText(f.Path), Risk: f.Risk.String(), RiskRank: int(f.Risk),
		Occurrences: f.Occurrences(), Status: string(f.Status),
	}
	if f.Risk == finding.SeverityNone {
		hf.Risk = "none"
	}
	for i, fd := range sortedFindings(f.Findings) {
		if i == htmlMaxList {
			hf.Data = append(hf.Data, fmt.Sprintf("and %d more", len(f.Findings)-i))
			break
		}
		hf.Data = append(hf.Data, htmlText(fd.Detector)+" ×"+num(fd.Count))
		if h.Verbose {
			for _, s := range fd.Samples {
				hf.Samples = append(hf.Samples, escape.Printable(s))
			}
		}
	}
	for _, is := range sortedIssues(f.Issues) {
		hf.Issues = append(hf.Issues, finding.Issue{Kind: finding.IssueKind(htmlText(string(is.Kind))), Severity: is.Severity, Reason: htmlText(is.Reason)})
	}
	return hf
}

func inventoryView(inv *inventory.Inventory) *htmlInventory {
	v := &htmlInventory{}
	switch {
	case inv.Depth == 0:
		v.Depth = "the whole tree as one"
	case inv.Depth < 0:
		v.Depth = "every folder"
	case inv.Depth == 1:
		v.Depth = "top-level folders"
	default:
		v.Depth = "folders " + strconv.Itoa(inv.Depth) + " levels deep"
	}
	for i := range inv.Folders {
		if len(v.Folders) == htmlMaxFolders {
			v.More = len(inv.Folders) - i
			break
		}
		fo := &inv.Folders[i]
		var data []string
		for j, c := range fo.Classes {
			if j == htmlMaxList {
				data = append(data, fmt.Sprintf("and %d more", len(fo.Classes)-j))
				break
			}
			data = append(data, htmlText(c.Detector)+" ×"+num(c.Occurrences))
		}
		hf := htmlFolder{
			Path: htmlText(fo.Path), Data: strings.Join(data, ", "), Oldest: day(fo.Oldest), Newest: day(fo.Newest),
			Files: fo.Files, Occurrences: fo.Occurrences, Encrypted: fo.EncryptedFiles, NotScanned: fo.NotScannedFiles,
		}
		for _, k := range htmlKinds {
			hf.Issues = append(hf.Issues, fo.Issues[k.Kind].Files)
		}
		v.Folders = append(v.Folders, hf)
	}
	for i := range inv.Classes {
		c := &inv.Classes[i]
		folders := c.Folders
		var list []string
		for j, f := range folders {
			if j == htmlMaxList {
				list = append(list, fmt.Sprintf("and %d more", len(folders)-j))
				break
			}
			list = append(list, htmlText(f))
		}
		v.Classes = append(v.Classes, htmlClass{
			Name: htmlText(cmp.Or(c.Name, c.Detector)), Detector: htmlText(c.Detector),
			Category: htmlText(strings.ReplaceAll(c.Category, "_", " ")),
			Folders:  strings.Join(list, ", "), Files: c.Files, Occurrences: c.Occurrences,
		})
	}
	return v
}

// kindsSentence names the classes found, most occurrences first:
// "Email address, Payment card number and 3 more kinds".
func kindsSentence(classes []inventory.Class) string {
	cs := slices.Clone(classes)
	slices.SortStableFunc(cs, func(a, b inventory.Class) int { return cmp.Compare(b.Occurrences, a.Occurrences) })
	var names []string
	for i, c := range cs {
		if i == 4 {
			names = append(names, plural(len(cs)-i, "more kind", "more kinds"))
			break
		}
		names = append(names, htmlText(cmp.Or(c.Name, c.Detector)))
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// htmlText shows untrusted text as the table format does (control
// characters escaped), shortened in the middle; html/template then
// escapes it for HTML.
func htmlText(s string) string {
	return escape.Shorten(escape.Printable(s), htmlMaxCell)
}

func htmlTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// num prints n with thousands separators: 1,234,567.
func num(n int) string { return numfmt.Thousands(int64(n)) }

func mapKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// htmlKit is the parsed page template and the assets it inlines.
type htmlKit struct {
	tmpl *template.Template
	css  template.CSS
	js   template.JS
}

// htmlKitOnce parses the page once. The Content-Security-Policy names
// the inline style and script by hash, so it is computed from the
// embedded assets and put into the template's text before parsing: a
// change to either asset cannot leave a stale hash behind.
var htmlKitOnce = sync.OnceValues(func() (*htmlKit, error) {
	css, err := htmlAssets.ReadFile("assets/report.css")
	if err != nil {
		return nil, err
	}
	js, err := htmlAssets.ReadFile("assets/report.js")
	if err != nil {
		return nil, err
	}
	text, err := htmlAssets.ReadFile("assets/report.html.tmpl")
	if err != nil {
		return nil, err
	}
	csp := "default-src 'none'; style-src '" + sriHash(css) + "'; script-src '" + sriHash(js) +
		"'; img-src 'none'; base-uri 'none'; form-action 'none'"
	src := strings.Replace(string(text), "CONTENT_SECURITY_POLICY", csp, 1)
	tmpl, err := template.New("report.html").Funcs(template.FuncMap{"num": num}).Parse(src)
	if err != nil {
		return nil, err
	}
	return &htmlKit{tmpl: tmpl, css: template.CSS(css), js: template.JS(js)}, nil
})

func sriHash(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}
