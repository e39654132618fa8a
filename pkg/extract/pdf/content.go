package pdf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	lpdf "github.com/ledongthuc/pdf"
)

// The content interpreter runs a page's content streams (ISO 32000-1, 8-9)
// far enough to know where each string is shown: the graphics state's
// matrix (cm, q, Q), the text state (BT, Tf, Tc, Tw, Tz, TL, Ts) and the
// text positioning operators (Td, TD, Tm, T*, ', "). Each string shown
// becomes a run: its text and where its baseline starts and ends on the
// page. Form XObjects (Do) are followed, nested at most maxFormDepth
// deep, because headers, footers and stamped fields often live there.
// Paths, colours, images and everything else are skipped.
//
// It does not use the library's Page.Content or GetTextByRow: those hold
// every operand, parse fonts' CMaps again for every Tf, and stop at the
// first malformed operator.

const (
	maxPageText   = 8 << 20 // bytes of text held for one page
	maxRuns       = 1 << 18 // text runs held for one page
	maxOperands   = 256     // operands before an operator: beyond, garbage
	maxGStack     = 256     // q nesting
	maxFormDepth  = 8       // Form XObjects inside Form XObjects
	maxForms      = 4096    // Form XObjects run for one page
	maxStreams    = 4096    // content streams of one page
	checkInterval = 1024    // operators between budget checks
)

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m×n: m applied first, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

type gstate struct {
	ctm                        matrix
	font                       *font
	size, tc, tw, th, tl, rise float64
}

// run is one shown string: its text (page.text[start:end]) and baseline.
type run struct {
	x0, y0, x1, y1 float64
	size           float64 // font size in user space
	start, end     int
}

// page collects the runs of one page.
type page struct {
	runs  []run
	text  []byte
	forms int
}

func (p *page) reset() {
	p.runs, p.text, p.forms = p.runs[:0], p.text[:0], 0
}

// defaultFont stands in when text is shown before any Tf, or with a font
// the resources do not have: printable ASCII, average widths. Each session
// has its own, since fonts cache what they decode.
func (s *session) defaultFont() *font {
	if s.defFont == nil {
		s.defFont = &font{simple: true, scale: 0.001, missing: 500}
	}
	return s.defFont
}

// content runs the content stream (or array of streams) strm with the
// resources res, starting from g, adding runs to p.
func (s *session) content(p *page, strm lpdf.Value, res lpdf.Value, g gstate, depth int) error {
	r, err := s.contentReader(strm)
	if err != nil {
		return err
	}
	for len(s.lexers) <= depth {
		s.lexers = append(s.lexers, newLexer(nil))
	}
	l := s.lexers[depth]
	l.reset(r)
	var (
		stack  []any
		gstack []gstate
		fonts  *fontSet
		tm     = identity
		tlm    = identity
		ops    int
	)
	for {
		t, err := l.next()
		if err != nil {
			if errors.Is(err, errSyntax) {
				stack = stack[:0]
				continue
			}
			return s.contentErr(err)
		}
		switch t.kind {
		case tEOF:
			if err := l.readErr(); err != nil {
				if serr := s.b.stopped(); serr != nil {
					return serr
				}
				// A damaged stream (bad zlib data, cut short) ends
				// here; the text before it is good.
			}
			return nil
		case tArrayClose, tDictClose:
			continue
		case tKeyword:
			if !isLiteralKeyword(t.data) {
				break
			}
			fallthrough
		default:
			v, err := l.object(t, false, 0)
			if err != nil {
				if errors.Is(err, errSyntax) {
					stack = stack[:0]
					continue
				}
				return s.contentErr(err)
			}
			if len(stack) >= maxOperands {
				stack = stack[:0]
			}
			stack = append(stack, v)
			continue
		}
		if ops++; ops%checkInterval == 0 {
			if err := s.b.check(); err != nil {
				return err
			}
		}
		op := string(t.data)
		args := stack
		stack = stack[:0]
		switch op {
		case "q":
			if len(gstack) < maxGStack {
				gstack = append(gstack, g)
			}
		case "Q":
			if n := len(gstack); n > 0 {
				g, gstack = gstack[n-1], gstack[:n-1]
			}
		case "cm":
			if m, ok := matrixArgs(args); ok {
				g.ctm = m.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tc":
			g.tc = numArg(args, 0, 1, g.tc)
		case "Tw":
			g.tw = numArg(args, 0, 1, g.tw)
		case "Tz":
			g.th = numArg(args, 0, 1, g.th*100) / 100
		case "TL":
			g.tl = numArg(args, 0, 1, g.tl)
		case "Ts":
			g.rise = numArg(args, 0, 1, g.rise)
		case "Tf":
			if len(args) == 2 {
				name, _ := args[0].(pdfName)
				if fonts == nil {
					fonts = s.fonts.set(res)
				}
				g.font = s.fonts.font(fonts, string(name), s)
				g.size = numArg(args, 1, 2, g.size)
			}
		case "Td", "TD":
			if len(args) == 2 {
				tx, ty := numArg(args, 0, 2, 0), numArg(args, 1, 2, 0)
				if op == "TD" {
					g.tl = -ty
				}
				tlm = matrix{1, 0, 0, 1, tx, ty}.mul(tlm)
				tm = tlm
			}
		case "Tm":
			if m, ok := matrixArgs(args); ok {
				tm, tlm = m, m
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
			tm = tlm
		case "Tj", "'", "\"":
			if len(args) == 0 {
				break
			}
			str, ok := args[len(args)-1].(pdfString)
			if !ok {
				break
			}
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = numArg(args, 0, 3, g.tw), numArg(args, 1, 3, g.tc)
			}
			if op != "Tj" {
				tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
				tm = tlm
			}
			if err := s.show(p, &g, &tm, str); err != nil {
				return err
			}
		case "TJ":
			if len(args) != 1 {
				break
			}
			arr, _ := args[0].(pdfArray)
			for _, e := range arr {
				switch v := e.(type) {
				case pdfString:
					if err := s.show(p, &g, &tm, v); err != nil {
						return err
					}
				case int64, float64:
					tx := -toFloat(v) / 1000 * g.size * g.th
					tm[4] += tx * tm[0]
					tm[5] += tx * tm[1]
				}
			}
		case "Do":
			if len(args) == 1 {
				name, _ := args[0].(pdfName)
				if err := s.form(p, res, string(name), g, depth); err != nil {
					return err
				}
			}
		case "BI":
			if err := skipInlineImage(l); err != nil {
				return s.contentErr(err)
			}
		}
	}
}

// contentErr reports what stopped the lexer: the budget, or a token no
// document has.
func (s *session) contentErr(err error) error {
	if serr := s.b.stopped(); serr != nil {
		return serr
	}
	return fmt.Errorf("content stream: %w", err)
}

// show adds the run of one shown string and moves the text matrix past it.
func (s *session) show(p *page, g *gstate, tm *matrix, str []byte) error {
	f := g.font
	if f == nil {
		f = s.defaultFont()
	}
	start := len(p.text)
	trm := matrix{g.size * g.th, 0, 0, g.size, 0, g.rise}.mul(*tm).mul(g.ctm)
	x0, y0 := trm[4], trm[5]
	size := math.Hypot(trm[2], trm[3])
	for i := 0; i < len(str); {
		code, n := f.next(str[i:])
		i += n
		p.text = append(p.text, f.text(code, n)...)
		tx := f.width(code, n)*g.size + g.tc
		if f.isSpaceCode(code, n) {
			tx += g.tw
		}
		tx *= g.th
		tm[4] += tx * tm[0]
		tm[5] += tx * tm[1]
	}
	if len(p.text) > maxPageText {
		p.text = p.text[:start]
		return &LimitError{Limit: LimitPageText, Value: maxPageText}
	}
	if len(p.text) == start {
		return nil
	}
	if len(p.runs) >= maxRuns {
		p.text = p.text[:start]
		return &LimitError{Limit: LimitPageText, Value: maxPageText}
	}
	end := matrix{g.size * g.th, 0, 0, g.size, 0, g.rise}.mul(*tm).mul(g.ctm)
	p.runs = append(p.runs, run{x0: x0, y0: y0, x1: end[4], y1: end[5], size: size, start: start, end: len(p.text)})
	return nil
}

// form runs the Form XObject res names name, if it is one.
func (s *session) form(p *page, res lpdf.Value, name string, g gstate, depth int) error {
	if depth+1 >= maxFormDepth || p.forms >= maxForms {
		return nil
	}
	xo := res.Key("XObject").Key(name)
	if xo.Kind() != lpdf.Stream || xo.Key("Subtype").Name() != "Form" {
		return nil
	}
	p.forms++
	if m, ok := matrixValue(xo.Key("Matrix")); ok {
		g.ctm = m.mul(g.ctm)
	}
	fres := xo.Key("Resources")
	if fres.Kind() != lpdf.Dict {
		fres = res
	}
	return s.content(p, xo, fres, g, depth+1)
}

// contentReader opens a content stream, or the streams of an array one
// after another with a line break between them (a content stream may be
// split between tokens only, 7.8.2).
func (s *session) contentReader(strm lpdf.Value) (io.Reader, error) {
	if strm.Kind() != lpdf.Array {
		return s.stream(strm, 1<<62)
	}
	n := min(strm.Len(), maxStreams)
	var rs []io.Reader
	for i := range n {
		r, err := s.stream(strm.Index(i), 1<<62)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r, strings.NewReader("\n"))
	}
	return io.MultiReader(rs...), nil
}

// skipInlineImage skips an inline image's parameters and data up to its
// EI: "EI" between white space (or the end), as readers find it.
func skipInlineImage(l *lexer) error {
	for {
		t, err := l.next()
		if err != nil && !errors.Is(err, errSyntax) {
			return err
		}
		if t.kind == tEOF {
			return nil
		}
		if t.kind == tKeyword && string(t.data) == "ID" {
			break
		}
	}
	l.byte() // the single white space after ID
	var prev2, prev1 byte = ' ', ' '
	for {
		c, ok := l.byte()
		if !ok {
			return nil
		}
		if c == 'I' && prev1 == 'E' && isSpace(prev2) {
			if d, ok := l.peek(); !ok || isSpace(d) || isDelim(d) {
				return nil
			}
		}
		prev2, prev1 = prev1, c
	}
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

// numArg returns args[i] as a number when args has n operands, else def.
func numArg(args []any, i, n int, def float64) float64 {
	if len(args) != n {
		return def
	}
	switch x := args[i].(type) {
	case int64:
		return float64(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return def
		}
		return x
	}
	return def
}

func matrixArgs(args []any) (matrix, bool) {
	if len(args) != 6 {
		return matrix{}, false
	}
	var m matrix
	for i, a := range args {
		switch x := a.(type) {
		case int64:
			m[i] = float64(x)
		case float64:
			m[i] = x
		default:
			return matrix{}, false
		}
	}
	return m, true
}

func matrixValue(v lpdf.Value) (matrix, bool) {
	if v.Kind() != lpdf.Array || v.Len() != 6 {
		return matrix{}, false
	}
	var m matrix
	for i := range 6 {
		m[i] = v.Index(i).Float64()
	}
	return m, true
}
