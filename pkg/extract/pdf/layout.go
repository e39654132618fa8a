package pdf

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Lines are rebuilt from runs the way they look on the page, not the way
// the content stream happens to draw them: producers show a line in
// pieces (one per word, per kerning pair, per table cell) and in any
// order. Runs are grouped by their baseline (within half the largest font
// size of the line from its mean baseline), each line is ordered left to right, and a separator goes between
// two runs where the page shows a gap:
//
//   - none when they touch (a gap under spaceGap em: kerning, or a
//     number shown digit group by digit group with its own spaces);
//   - a space for a gap of up to tabGap em: between words, or the groups
//     of "+44 20 7946 0958" or an IBAN drawn as separate runs;
//   - a tab for a wider gap: between table columns, so that a detector
//     does not read the last digits of one cell and the first of the
//     next as one number.
//
// Text drawn at 90, 180 or 270 degrees is grouped in its own direction,
// after the upright text. A run drawn twice at the same place (fake bold)
// is kept once.

const (
	spaceGap = 0.15
	tabGap   = 3.0
)

type placed struct {
	dir     int     // 0, 1, 2, 3: baseline at 0, 90, 180, 270 degrees
	u0, u1  float64 // along the baseline
	v       float64 // across it (up is larger)
	size    float64
	text    string
	ordinal int // content order, to keep ties stable
}

// lines appends the page's lines to out, each ending in '\n', and returns
// it with the number of lines.
func (p *page) lines(out []byte) ([]byte, int) {
	if len(p.runs) == 0 {
		return out, 0
	}
	ps := make([]placed, 0, len(p.runs))
	for i, r := range p.runs {
		ps = append(ps, place(r, string(p.text[r.start:r.end]), i))
	}
	slices.SortStableFunc(ps, func(a, b placed) int {
		if a.dir != b.dir {
			return a.dir - b.dir
		}
		if a.v != b.v {
			if a.v > b.v {
				return -1
			}
			return 1
		}
		return 0
	})
	n := 0
	var line []placed
	for i := 0; i < len(ps); {
		// A run joins the line while it sits within half a font size
		// of the line's mean baseline so far.
		first := ps[i]
		sum, size := first.v, first.size
		j := i + 1
		for ; j < len(ps) && ps[j].dir == first.dir; j++ {
			size = math.Max(size, ps[j].size)
			if sum/float64(j-i)-ps[j].v > 0.5*size {
				break
			}
			sum += ps[j].v
		}
		line = append(line[:0], ps[i:j]...)
		i = j
		before := len(out)
		out = appendLine(out, line)
		if len(out) > before {
			out = append(out, '\n')
			n++
		}
	}
	return out, n
}

// place turns a run's baseline into the coordinates of its direction.
func place(r run, text string, ordinal int) placed {
	x0, y0, x1, y1, size := finite(r.x0), finite(r.y0), finite(r.x1), finite(r.y1), finite(r.size)
	if size <= 0 {
		size = 1
	}
	dx, dy := x1-x0, y1-y0
	dir := 0
	if math.Abs(dy) > math.Abs(dx) {
		dir = 1
		if dy < 0 {
			dir = 3
		}
	} else if dx < 0 {
		dir = 2
	}
	// Rotate so that the baseline runs left to right.
	rot := func(x, y float64) (float64, float64) {
		switch dir {
		case 1:
			return y, -x
		case 2:
			return -x, -y
		case 3:
			return -y, x
		}
		return x, y
	}
	u0, v := rot(x0, y0)
	u1, _ := rot(x1, y1)
	return placed{dir: dir, u0: u0, u1: max(u0, u1), v: v, size: size, text: text, ordinal: ordinal}
}

func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// appendLine orders one line's runs and appends their text with the
// separators its gaps call for, without trailing white space.
func appendLine(out []byte, line []placed) []byte {
	slices.SortStableFunc(line, func(a, b placed) int {
		switch {
		case a.u0 < b.u0:
			return -1
		case a.u0 > b.u0:
			return 1
		}
		return a.ordinal - b.ordinal
	})
	start := len(out)
	var prev *placed
	end := math.Inf(-1)
	for i := range line {
		r := &line[i]
		if prev != nil {
			if r.text == prev.text && math.Abs(r.u0-prev.u0) < 0.1*r.size && math.Abs(r.v-prev.v) < 0.1*r.size {
				continue // drawn twice: fake bold, or a shadow
			}
			em := math.Max(r.size, prev.size)
			gap := (r.u0 - end) / em
			last, _ := utf8.DecodeLastRune(out[start:])
			spaced := len(out) == start || last == ' ' || last == '\t' || strings.HasPrefix(r.text, " ")
			switch {
			case gap >= tabGap:
				out = trimSpaces(out, start)
				if len(out) > start {
					out = append(out, '\t')
				}
				r.text = strings.TrimLeft(r.text, " ")
			case gap >= spaceGap && !spaced:
				out = append(out, ' ')
			}
		}
		out = append(out, r.text...)
		end = math.Max(end, r.u1)
		prev = r
	}
	out = trimSpaces(out, start)
	lead := start
	for lead < len(out) && (out[lead] == ' ' || out[lead] == '\t') {
		lead++
	}
	return append(out[:start], out[lead:]...)
}

func trimSpaces(out []byte, start int) []byte {
	for len(out) > start && (out[len(out)-1] == ' ' || out[len(out)-1] == '\t') {
		out = out[:len(out)-1]
	}
	return out
}
