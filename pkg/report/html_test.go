package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/inventory"
)

// hostile names a file and its reasons with markup that must stay text:
// a script, an image and a link with external URLs (a canary host that
// the browser test checks is never asked for), an attribute break-out,
// and control characters.
const (
	hostileScript = `<script>alert("x")</script>.csv`
	hostileImg    = `"><img src="http://canary.invalid/i.png" onerror=alert(1)>/a.txt`
	hostileLink   = `<a href="https://canary.invalid/">x</a>`
)

func hostileReport() *Report {
	r := sampleReport()
	r.Files = append(r.Files,
		finding.FileResult{
			Path: "uploads/" + hostileScript, Type: "csv", Status: finding.Scanned, Risk: finding.High, Modified: mtime, Mode: 0o644,
			Findings: []finding.Finding{{Detector: "email", Name: hostileLink, Category: finding.Contact, Severity: finding.Medium, Count: 1,
				Samples: []string{`<b>j***@example.com</b>`}}},
			Issues: []finding.Issue{{Kind: "prohibited", Severity: finding.High, Reason: hostileLink}},
		},
		finding.FileResult{
			Path: hostileImg, Type: "text", Status: finding.Error, Reason: "<style>body{display:none}</style>\x1b[31m",
			Warnings: []string{`<iframe src="https://canary.invalid/f">`},
		},
	)
	r.Tally()
	return r
}

func sampleTrend() []TrendPoint {
	var tr []TrendPoint
	// Given newest first, as state.Runs lists them.
	for i := 5; i >= 0; i-- {
		tr = append(tr, TrendPoint{Time: started.Add(time.Duration(i) * 24 * time.Hour), Files: 2 + i%3, Findings: 10 + 3*i})
	}
	return tr
}

func renderHTML(t *testing.T, h HTMLWriter, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := h.Write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHTMLGoldens(t *testing.T) {
	t.Parallel()
	empty := &Report{Tool: Tool{Name: "datahygiene", Version: "0.1.0-test"}, Root: "/srv/empty", StartedAt: started, FinishedAt: started}
	empty.Tally()
	inv := inventory.Build(sampleReport().Files, inventory.Options{Root: "/srv/share", Depth: 1})
	tests := []struct {
		name string
		h    HTMLWriter
		r    *Report
	}{
		{"report.html.golden", HTMLWriter{}, sampleReport()},
		{"report-verbose.html.golden", HTMLWriter{Verbose: true}, sampleReport()},
		{"inventory.html.golden", HTMLWriter{Inventory: inv, Trend: sampleTrend()}, sampleReport()},
		{"edge.html.golden", HTMLWriter{}, edgeReport()},
		{"empty.html.golden", HTMLWriter{}, empty},
	}
	for _, tt := range tests {
		golden(t, tt.name, []byte(renderHTML(t, tt.h, tt.r)))
	}
	// The registered format is the zero HTMLWriter (Verbose from Options).
	if got := string(render(t, "html", Options{}, sampleReport())); got != renderHTML(t, HTMLWriter{}, sampleReport()) {
		t.Error("format html differs from HTMLWriter{}")
	}
}

var testIDPattern = regexp.MustCompile(`data-testid="([a-z-]+)"[^>]*>([0-9,]+)<`)

// testIDs returns the numbers the page marks with data-testid.
func testIDs(t *testing.T, page string) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, m := range testIDPattern.FindAllStringSubmatch(page, -1) {
		n, err := strconv.Atoi(strings.ReplaceAll(m[2], ",", ""))
		if err != nil {
			t.Fatalf("data-testid %s: %v", m[1], err)
		}
		if _, dup := got[m[1]]; dup {
			t.Errorf("data-testid %s appears twice", m[1])
		}
		got[m[1]] = n
	}
	return got
}

// summaryIDs are the numbers each data-testid must show.
func summaryIDs(s Summary) map[string]int {
	return map[string]int{
		"total-files": s.FilesSeen, "files-scanned": s.FilesScanned, "files-with-findings": s.FilesWithFindings,
		"findings": s.Findings, "encrypted": s.Encrypted,
		"unencrypted": s.ByIssue["unencrypted"], "unprotected": s.ByIssue["unprotected"],
		"stale": s.ByIssue["stale"], "prohibited": s.ByIssue["prohibited"],
	}
}

func TestHTMLKeyNumbers(t *testing.T) {
	t.Parallel()
	r := hostileReport()
	r.Summary.FilesSeen, r.Summary.Findings = 1234567, 7654 // thousands separators
	got := testIDs(t, renderHTML(t, HTMLWriter{}, r))
	want := summaryIDs(r.Summary)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("data-testid numbers:\n got %v\nwant %v", got, want)
	}
	if want["prohibited"] != 1 || want["total-files"] != 1234567 {
		t.Fatalf("fixture: want one prohibited file and a large total, got %v", want)
	}
}

// TestHTMLEscapesHostileNames: markup in file names, reasons, rule names
// and samples is shown as text, and the page holds only the elements and
// attributes the template writes.
func TestHTMLEscapesHostileNames(t *testing.T) {
	t.Parallel()
	for _, verbose := range []bool{false, true} {
		page := renderHTML(t, HTMLWriter{Verbose: verbose, Inventory: inventory.Build(hostileReport().Files, inventory.Options{Depth: -1})}, hostileReport())
		checkMarkup(t, page)
		for _, want := range []string{
			`uploads/&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;.csv`,
			`&#34;&gt;&lt;img src=&#34;http://canary.invalid/i.png&#34; onerror=alert(1)&gt;/a.txt`,
			`&lt;a href=&#34;https://canary.invalid/&#34;&gt;x&lt;/a&gt;`,
			`&lt;style&gt;body{display:none}&lt;/style&gt;\x1b[31m`,
			`&lt;iframe src=&#34;https://canary.invalid/f&#34;&gt;`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("verbose=%v: page lacks the escaped text %s", verbose, want)
			}
		}
		if verbose != strings.Contains(page, `&ldquo;&lt;b&gt;j***@example.com&lt;/b&gt;&rdquo;`) {
			t.Errorf("verbose=%v: escaped masked sample shown = %v", verbose, !verbose)
		}
	}
}

// allowedTags and allowedAttrs are what the template writes; anything
// else in a page came from the data.
var (
	allowedTags = map[string]bool{
		"!DOCTYPE": true, "html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
		"header": true, "h1": true, "h2": true, "p": true, "code": true, "section": true, "div": true, "strong": true,
		"span": true, "ul": true, "li": true, "b": true, "svg": true, "g": true, "text": true, "rect": true,
		"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "em": true, "figure": true,
		"figcaption": true, "line": true, "polyline": true, "circle": true, "footer": true, "script": true,
	}
	allowedAttrs = map[string]bool{
		"lang": true, "charset": true, "http-equiv": true, "content": true, "name": true, "class": true,
		"id": true, "data-testid": true, "data-key": true, "role": true, "aria-label": true, "viewBox": true,
		"width": true, "height": true, "x": true, "y": true, "dx": true, "dy": true, "x1": true, "y1": true,
		"x2": true, "y2": true, "cx": true, "cy": true, "r": true, "points": true, "text-anchor": true,
	}
	tagPattern = regexp.MustCompile(`<(/?)([!A-Za-z][A-Za-z0-9-]*)([^>]*)>`)
	// Attributes are always double-quoted by the template and values
	// never hold a raw quote (html/template writes &#34;).
	attrPattern = regexp.MustCompile(`\s+([A-Za-z][A-Za-z0-9-]*)(?:="[^"]*")?`)
)

// checkMarkup checks a page's tags and attributes against the allowlists
// (which have no src, href or style), that the only script and style are
// the page's own (one each, matching the hashes in its
// Content-Security-Policy), and that neither refers to a URL.
func checkMarkup(t *testing.T, page string) {
	t.Helper()
	style := between(t, page, "<style>", "</style>")
	script := between(t, page, "<script>", "</script>")
	if strings.Count(page, "<script") != 1 || strings.Count(page, "<style") != 1 {
		t.Errorf("want exactly one <script and one <style, got %d and %d", strings.Count(page, "<script"), strings.Count(page, "<style"))
	}
	csp := regexp.MustCompile(`style-src 'sha256-([^']+)'; script-src 'sha256-([^']+)'`).FindStringSubmatch(page)
	if csp == nil || csp[1] != b64sha(style) || csp[2] != b64sha(script) {
		t.Errorf("Content-Security-Policy hashes %q do not match the inline style and script", csp)
	}
	// Markup outside the style and script.
	rest := strings.Replace(strings.Replace(page, style, "", 1), script, "", 1)
	for _, m := range tagPattern.FindAllStringSubmatch(rest, -1) {
		if !allowedTags[m[2]] {
			t.Errorf("unexpected tag <%s%s>", m[1], m[2])
		}
		attrs := m[3]
		if m[2] == "!DOCTYPE" {
			continue
		}
		left := attrPattern.ReplaceAllStringFunc(attrs, func(a string) string {
			name := attrPattern.FindStringSubmatch(a)[1]
			if !allowedAttrs[name] {
				t.Errorf("<%s>: unexpected attribute %q", m[2], name)
			}
			return ""
		})
		if strings.TrimSpace(left) != "" {
			t.Errorf("<%s>: unparsed attribute text %q", m[2], left)
		}
	}
	if strings.Contains(style, "url(") || strings.Contains(style, "@import") || strings.Contains(script, "http") {
		t.Error("inline style or script refers to a URL")
	}
}

func between(t *testing.T, s, open, close string) string {
	t.Helper()
	i := strings.Index(s, open)
	if i < 0 {
		t.Fatalf("no %s", open)
	}
	s = s[i+len(open):]
	j := strings.Index(s, close)
	if j < 0 {
		t.Fatalf("no %s after %s", close, open)
	}
	return s[:j]
}

func b64sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// TestHTMLValuesAndSamples: raw values only with Verbose and only in the
// labelled section; masked samples only with Verbose.
func TestHTMLValuesAndSamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                     string
		h                        HTMLWriter
		r                        *Report
		values, section, samples bool
	}{
		{"values, not verbose", HTMLWriter{}, withValues(), false, false, false},
		{"values, verbose", HTMLWriter{Verbose: true}, withValues(), true, true, true},
		{"no values, verbose", HTMLWriter{Verbose: true}, withoutValues(), false, false, true},
	}
	for _, tt := range tests {
		// html/template writes "+" as &#43;: compare the text.
		page := html.UnescapeString(renderHTML(t, tt.h, tt.r))
		for _, raw := range rawValues {
			if strings.Contains(page, raw) != tt.values {
				t.Errorf("%s: raw value %q shown = %v", tt.name, raw, !tt.values)
			}
		}
		if got := strings.Contains(page, `id="raw-values"`); got != tt.section {
			t.Errorf("%s: raw values section = %v", tt.name, got)
		}
		if tt.values {
			// Every raw value sits after the section's heading.
			at := strings.Index(page, `id="raw-values"`)
			for _, raw := range rawValues {
				if strings.Index(page, raw) < at {
					t.Errorf("%s: raw value %q outside the raw values section", tt.name, raw)
				}
			}
		}
		if got := strings.Contains(page, "4111 **** **** 1111"); got != tt.samples {
			t.Errorf("%s: masked sample shown = %v", tt.name, got)
		}
	}
}

func TestHTMLCapsTables(t *testing.T) {
	t.Parallel()
	r := &Report{Root: "/big"}
	for i := range 1000 {
		r.Files = append(r.Files, finding.FileResult{
			Path: fmt.Sprintf("d%03d/f.csv", i), Status: finding.Scanned, Risk: finding.Low,
			Findings: []finding.Finding{{Detector: fmt.Sprintf("det%02d", i%40), Count: 1 + i%7}},
			Issues:   []finding.Issue{{Kind: "unencrypted"}},
		}, finding.FileResult{Path: fmt.Sprintf("d%03d/x.bin", i), Status: finding.Error, Reason: "denied"})
	}
	r.Tally()
	var trend []TrendPoint
	for i := range 300 {
		trend = append(trend, TrendPoint{Time: started.Add(time.Duration(i) * time.Hour), Files: i})
	}
	page := renderHTML(t, HTMLWriter{Trend: trend, Inventory: inventory.Build(r.Files, inventory.Options{Depth: 1})}, r)
	files := between(t, page, `<section id="files">`, `</section>`)
	if n := strings.Count(files, "<tr>"); n != htmlTopFiles+1 {
		t.Errorf("riskiest files: %d rows, want %d and a header", n, htmlTopFiles)
	}
	for _, want := range []string{
		"and 950 more files holding personal data", "and 950 more files</p>", "and 500 more folders", "and 25 more kinds",
		"and 985 more folders", "100 runs, from 2025-03-09 to 2025-03-13",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if len(page) > 1<<20 {
		t.Errorf("page is %d bytes for 2000 files, want under 1 MiB", len(page))
	}
}

func TestTrendCharts(t *testing.T) {
	t.Parallel()
	if c, _ := trendCharts(nil); c != nil {
		t.Error("trend without points drawn")
	}
	one, span := trendCharts([]TrendPoint{{Time: started, Files: 3, Findings: 0}})
	if span != "1 run, from 2025-03-01 to 2025-03-01" || one[0].Points != "196,14" || one[1].Points != "196,140" {
		t.Errorf("one point: span %q, points %q %q", span, one[0].Points, one[1].Points)
	}
	cs, _ := trendCharts(sampleTrend())
	// Oldest first whatever the input order; Files 2,3,4,2,3,4 on a 0..4
	// axis from y=140 up to y=14, runs evenly from x=48 to x=344.
	const want = "48,77 107,46 166,14 225,77 284,46 344,14"
	if cs[0].Points != want || cs[0].Max != "4" || cs[0].Mid != "2" {
		t.Errorf("files series: points %q max %q mid %q, want %q 4 2", cs[0].Points, cs[0].Max, cs[0].Mid, want)
	}
	if cs[1].Max != "25" || cs[1].Mid != "12.5" || cs[1].Dots[5].Title != "2025-03-06 08:00 UTC: 25" {
		t.Errorf("findings series: max %q mid %q last %q", cs[1].Max, cs[1].Mid, cs[1].Dots[5].Title)
	}
}

func TestFolderChartStacksIssues(t *testing.T) {
	t.Parallel()
	inv := inventory.Build(hostileReport().Files, inventory.Options{Depth: 1})
	ch := folderChart(inv.Folders)
	if ch == nil || len(ch.Bars) != 5 {
		t.Fatalf("chart = %+v, want 5 folders with issues", ch)
	}
	first := ch.Bars[0]
	// finance: unencrypted and unprotected (1 file each): the longest bar.
	if first.Label != "finance" || len(first.Segs) != 2 || first.Segs[0].Class != "k-unencrypted" || first.Segs[1].Class != "k-unprotected" ||
		first.Segs[1].X+first.Segs[1].W != chartLabelW+chartBarMax {
		t.Errorf("first bar = %+v", first)
	}
	for _, b := range ch.Bars {
		x := chartLabelW
		for _, s := range b.Segs {
			if s.X != x || s.W <= 0 {
				t.Errorf("%s: segments not contiguous: %+v", b.Label, b.Segs)
			}
			x += s.W
		}
		if x > chartLabelW+chartBarMax {
			t.Errorf("%s: bar %d px longer than the chart", b.Label, x-chartLabelW-chartBarMax)
		}
	}
}

func TestNum(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := num(n); got != want {
			t.Errorf("num(%d) = %q, want %q", n, got, want)
		}
	}
}

// FuzzHTML renders reports whose names, reasons, rule names, samples and
// issue kinds are arbitrary, and checks that the page keeps its own
// markup only: allowed tags and attributes, one script and one style
// matching the policy's hashes, no reference to any resource.
func FuzzHTML(f *testing.F) {
	f.Add("a.csv", "denied", "email", "contact", "stale", "j***@example.com")
	f.Add(hostileScript, hostileLink, "<b>", `"'><svg onload=x>`, "</style>", hostileImg)
	f.Add("\xff\xfe\x00", "]]>", "--", "{{.}}", "<!--", "</script><script>")
	f.Fuzz(func(t *testing.T, path, reason, detector, category, kind, sample string) {
		r := &Report{
			Root: path,
			Files: []finding.FileResult{
				{
					Path: path, Status: finding.Scanned, Risk: finding.High,
					Findings: []finding.Finding{{Detector: detector, Name: reason, Category: finding.Category(category), Count: 2,
						Samples: []string{sample}, Values: []string{sample}}},
					Issues:   []finding.Issue{{Kind: finding.IssueKind(kind), Reason: reason}},
					Warnings: []string{reason},
				},
				{Path: path + "/x", Status: finding.Skipped, Reason: reason},
			},
		}
		r.Tally()
		inv := inventory.Build(r.Files, inventory.Options{Root: path, Depth: -1})
		page := renderHTML(t, HTMLWriter{Verbose: true, Inventory: inv, Trend: []TrendPoint{{Files: 1}}}, r)
		checkMarkup(t, page)
		if got, want := testIDs(t, page), summaryIDs(r.Summary); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("data-testid numbers %v, want %v", got, want)
		}
	})
}
