package pdf

import (
	"math"
	"testing"
)

// r is a run for the layout tests: text from x along a horizontal
// baseline at y, 10 points high, advancing w points.
type r struct {
	text    string
	x, y, w float64
}

func pageOf(runs ...r) *page {
	p := &page{}
	for _, x := range runs {
		start := len(p.text)
		p.text = append(p.text, x.text...)
		p.runs = append(p.runs, run{x0: x.x, y0: x.y, x1: x.x + x.w, y1: x.y, size: 10, start: start, end: len(p.text)})
	}
	return p
}

func TestLines(t *testing.T) {
	tests := []struct {
		name  string
		page  *page
		want  string
		lines int
	}{
		{"empty", pageOf(), "", 0},
		{"one run", pageOf(r{"Jane", 0, 0, 20}), "Jane\n", 1},
		{"touching runs join", pageOf(r{"Jo", 0, 0, 10}, r{"hn", 10.5, 0, 10}), "John\n", 1},
		{"gap of a space", pageOf(r{"+44", 0, 0, 15}, r{"20", 17.8, 0, 10}, r{"7946", 30.6, 0, 20}), "+44 20 7946\n", 1},
		{"wide gap is a tab", pageOf(r{"Name", 0, 0, 20}, r{"Jane", 60, 0, 20}), "Name\tJane\n", 1},
		{"drawn right to left", pageOf(r{"32", 60, 0, 10}, r{"GB82", 0, 0, 20}, r{"WEST", 23, 0, 25}, r{"1234", 51, 0, 6}), "GB82 WEST 1234 32\n", 1},
		{"lines top to bottom", pageOf(r{"low", 0, 0, 15}, r{"high", 0, 40, 20}, r{"middle", 0, 20, 30}), "high\nmiddle\nlow\n", 3},
		{"baseline jitter", pageOf(r{"a", 0, 100, 5}, r{"b", 5, 97, 5}, r{"c", 10, 102, 5}), "abc\n", 1},
		{"sub and superscript", pageOf(r{"x", 0, 100, 5}, r{"2", 5, 104, 3}, r{"i", 8, 97, 3}), "x2i\n", 1},
		{"lines a size apart", pageOf(r{"one", 0, 110, 15}, r{"two", 0, 100, 15}, r{"three", 0, 90, 25}), "one\ntwo\nthree\n", 3},
		{"superscript joins its line", pageOf(r{"mc", 0, 100, 10}, r{"2", 10, 104, 4}), "mc2\n", 1},
		{"drawn twice", pageOf(r{"Bold", 0, 0, 20}, r{"Bold", 0.3, 0, 20}), "Bold\n", 1},
		{"no double space", pageOf(r{"a ", 0, 0, 10}, r{"b", 12, 0, 5}, r{" c", 20, 0, 5}), "a b c\n", 1},
		{"blank runs make no line", pageOf(r{"   ", 0, 50, 10}, r{"text", 0, 0, 20}), "text\n", 1},
		{"leading and trailing space trimmed", pageOf(r{"  x  ", 0, 0, 25}), "x\n", 1},
		{"tab gap trims spaces", pageOf(r{"Name ", 0, 0, 25}, r{" Jane", 80, 0, 25}), "Name\tJane\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := tt.page.lines(nil)
			if string(got) != tt.want || n != tt.lines {
				t.Fatalf("got %q (%d lines), want %q (%d)", got, n, tt.want, tt.lines)
			}
		})
	}
}

// TestLinesRotated places runs along each of the four directions: each
// direction is its own set of lines, upright first.
func TestLinesRotated(t *testing.T) {
	p := &page{}
	add := func(text string, x0, y0, x1, y1 float64) {
		start := len(p.text)
		p.text = append(p.text, text...)
		p.runs = append(p.runs, run{x0: x0, y0: y0, x1: x1, y1: y1, size: 10, start: start, end: len(p.text)})
	}
	add("up 7946", 100, 120, 100, 150) // 90 degrees, second run of its line
	add("up +44", 100, 90, 100, 116)
	add("upright", 0, 0, 30, 0)
	add("down", 300, 300, 280, 300)  // 180 degrees
	add("falling", 50, 300, 50, 270) // 270 degrees
	got, n := p.lines(nil)
	want := "upright\nup +44 up 7946\ndown\nfalling\n"
	if string(got) != want || n != 4 {
		t.Fatalf("got %q (%d lines), want %q", got, n, want)
	}
}

// TestLinesNonFinite checks that runs at NaN or infinite places (a
// degenerate matrix) neither panic nor vanish.
func TestLinesNonFinite(t *testing.T) {
	p := pageOf(r{"a", math.NaN(), 0, 5}, r{"b", math.Inf(1), math.Inf(-1), 5})
	got, _ := p.lines(nil)
	if len(got) == 0 {
		t.Fatal("runs at non-finite places were dropped")
	}
}
