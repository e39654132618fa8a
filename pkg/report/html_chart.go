package report

import (
	"cmp"
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"slices"
	"strconv"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/inventory"
)

// The charts are SVG laid out here: the template only draws the shapes
// and texts it is given. Every coordinate is an integer number of pixels
// in the chart's own viewBox, so the markup is short and diffs cleanly.

const (
	chartWidth  = 760
	chartLabelW = 210 // left column for labels
	chartBarMax = 380 // the longest bar
	chartRowH   = 26
	chartBarH   = 16
	chartPad    = 8
	chartLabel  = 30 // runes of a label before it is shortened
	chartRows   = 15 // bars drawn; the rest are counted
)

// barChart is a horizontal bar chart; a bar may be stacked from segments.
type barChart struct {
	Label         string // aria-label
	Width, Height int
	Bars          []bar
	More          int
}

type bar struct {
	Y, TextY    int
	Label, Full string // shown (shortened) and full label
	Segs        []seg
	ValueX      int
	Value       string
}

type seg struct {
	X, W         int
	Class, Title string
}

// classChart draws each data class's occurrences, most first, coloured
// by category.
func classChart(classes []inventory.Class) *barChart {
	if len(classes) == 0 {
		return nil
	}
	cs := slices.Clone(classes)
	slices.SortStableFunc(cs, func(a, b inventory.Class) int { return cmp.Compare(b.Occurrences, a.Occurrences) })
	top := cs[:min(len(cs), chartRows)]
	maxV := 0
	for _, c := range top {
		maxV = max(maxV, c.Occurrences)
	}
	ch := &barChart{Label: "Occurrences of each kind of personal data", Width: chartWidth, More: len(cs) - len(top)}
	for i, c := range top {
		name := htmlText(cmp.Or(c.Name, c.Detector))
		w := scale(c.Occurrences, maxV)
		// Only the known categories have a colour; the CSS has no rule
		// for a class built from a user's category name.
		class := "cat-other"
		if slices.Contains(finding.Categories, finding.Category(c.Category)) {
			class = "cat-" + c.Category
		}
		ch.Bars = append(ch.Bars, bar{
			Y: chartPad + i*chartRowH, TextY: chartPad + i*chartRowH + chartBarH - 3,
			Label: escape.Shorten(name, chartLabel), Full: name,
			Segs: []seg{{X: chartLabelW, W: w, Class: class,
				Title: fmt.Sprintf("%s: %s occurrences in %s", name, num(c.Occurrences), plural(c.Files, "file", "files"))}},
			ValueX: chartLabelW + w + 6,
			Value:  fmt.Sprintf("%s in %s", num(c.Occurrences), plural(c.Files, "file", "files")),
		})
	}
	ch.Height = chartPad*2 + len(ch.Bars)*chartRowH
	return ch
}

// folderChart draws, for the folders with the most issues, how many
// files have each issue kind, stacked. A file with two issues counts in
// both segments: the bar measures the work to do, not the files.
func folderChart(folders []inventory.Folder) *barChart {
	type row struct {
		f     *inventory.Folder
		total int
	}
	var rows []row
	for i := range folders {
		f := &folders[i]
		total := 0
		for _, t := range f.Issues {
			total += t.Files
		}
		if total > 0 {
			rows = append(rows, row{f, total})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(b.f.Occurrences, a.f.Occurrences), strings.Compare(a.f.Path, b.f.Path))
	})
	top := rows[:min(len(rows), chartRows)]
	maxV := top[0].total
	ch := &barChart{Label: "Files with each issue, by folder", Width: chartWidth, More: len(rows) - len(top)}
	for i, r := range top {
		name := htmlText(r.f.Path)
		b := bar{
			Y: chartPad + i*chartRowH, TextY: chartPad + i*chartRowH + chartBarH - 3,
			Label: escape.Shorten(name, chartLabel), Full: name,
		}
		x, acc := chartLabelW, 0
		for _, k := range r.f.Kinds() {
			n := r.f.Issues[k].Files
			if n == 0 {
				continue
			}
			// Place each segment by the running total, so rounding never
			// makes the stack longer than the bar.
			acc += n
			end := chartLabelW + scale(acc, maxV)
			class := "k-other"
			if slices.ContainsFunc(htmlKinds, func(h htmlIssueKind) bool { return h.Kind == k }) {
				class = "k-" + k
			}
			b.Segs = append(b.Segs, seg{X: x, W: end - x, Class: class,
				Title: fmt.Sprintf("%s: %s %s", name, plural(n, "file", "files"), htmlText(k))})
			x = end
		}
		b.ValueX = x + 6
		b.Value = fmt.Sprintf("%s with data, %s", plural(r.f.Files, "file", "files"), plural(r.total, "issue", "issues"))
		ch.Bars = append(ch.Bars, b)
	}
	ch.Height = chartPad*2 + len(ch.Bars)*chartRowH
	return ch
}

// scale maps v in [0, maxV] to a bar length, at least 2 pixels for a
// non-zero value so that small counts stay visible.
func scale(v, maxV int) int {
	if v <= 0 || maxV <= 0 {
		return 0
	}
	return max(2, v*chartBarMax/maxV)
}

// lineChart is one series over runs.
type lineChart struct {
	Label, Title  string
	Class         string
	Width, Height int
	Left, Right   int // x of the plot area
	Top, Base     int // y of the plot area (Base is the zero line)
	MidY          int
	Max, Mid      string
	Points        string
	Dots          []dot
	XLabels       []xLabel
}

type dot struct {
	X, Y  int
	Title string
}

type xLabel struct {
	X      int
	Text   string
	Anchor string
}

const (
	trendWidth  = 360
	trendHeight = 170
	trendLeft   = 48
	trendRight  = trendWidth - 16
	trendTop    = 14
	trendBase   = trendHeight - 30
)

// trendCharts draws files with findings and findings per run, oldest to
// newest, runs evenly spaced (a run's date is in its label and tooltip).
// It returns nil without points, and the span of the runs drawn.
func trendCharts(points []TrendPoint) ([]*lineChart, string) {
	if len(points) == 0 {
		return nil, ""
	}
	pts := slices.Clone(points)
	slices.SortStableFunc(pts, func(a, b TrendPoint) int { return a.Time.Compare(b.Time) })
	if len(pts) > htmlMaxTrend {
		pts = pts[len(pts)-htmlMaxTrend:]
	}
	span := fmt.Sprintf("%s, from %s to %s", plural(len(pts), "run", "runs"), day(pts[0].Time), day(pts[len(pts)-1].Time))
	files := lineSeries("Files holding personal data", "files", pts, func(p TrendPoint) int { return p.Files })
	finds := lineSeries("Findings (occurrences)", "findings", pts, func(p TrendPoint) int { return p.Findings })
	return []*lineChart{files, finds}, span
}

func lineSeries(title, class string, pts []TrendPoint, value func(TrendPoint) int) *lineChart {
	maxV := 0
	for _, p := range pts {
		maxV = max(maxV, value(p))
	}
	top := max(maxV, 1)
	c := &lineChart{
		Label: title + " per run", Title: title, Class: class,
		Width: trendWidth, Height: trendHeight, Left: trendLeft, Right: trendRight, Top: trendTop, Base: trendBase,
		MidY: trendBase - (trendBase-trendTop)/2, Max: num(top), Mid: strconv.FormatFloat(float64(top)/2, 'f', -1, 64),
	}
	var xy []string
	for i, p := range pts {
		x := (trendLeft + trendRight) / 2
		if len(pts) > 1 {
			x = trendLeft + i*(trendRight-trendLeft)/(len(pts)-1)
		}
		y := trendBase - value(p)*(trendBase-trendTop)/top
		xy = append(xy, strconv.Itoa(x)+","+strconv.Itoa(y))
		c.Dots = append(c.Dots, dot{X: x, Y: y, Title: fmt.Sprintf("%s: %s", htmlTime(p.Time), num(value(p)))})
	}
	c.Points = strings.Join(xy, " ")
	first, last := c.Dots[0], c.Dots[len(c.Dots)-1]
	if len(pts) == 1 {
		c.XLabels = []xLabel{{X: first.X, Text: day(pts[0].Time), Anchor: "middle"}}
	} else {
		c.XLabels = []xLabel{
			{X: first.X, Text: day(pts[0].Time), Anchor: "start"},
			{X: last.X, Text: day(pts[len(pts)-1].Time), Anchor: "end"},
		}
	}
	return c
}
