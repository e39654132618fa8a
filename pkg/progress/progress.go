package progress

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"golang.org/x/term"
	"golang.org/x/text/width"

	"github.com/datahygiene/datahygiene/pkg/internal/numfmt"
)

// Options configures a Progress. The zero value draws on a terminal every
// 250ms with the wall clock.
type Options struct {
	// Quiet turns the display off (--quiet, for cron).
	Quiet bool
	// Interval between redraws (default 250ms: smooth enough to look
	// alive, rare enough to cost nothing).
	Interval time.Duration
	// Now is the clock (default time.Now); tests inject a fake one.
	Now func() time.Time
	// IsTerminal tells whether w is a terminal (default: an *os.File
	// that golang.org/x/term says is one).
	IsTerminal func(io.Writer) bool
	// Width returns w's width in columns, 0 if unknown (default: x/term
	// GetSize on an *os.File). It is asked at every redraw, so a resized
	// window is followed. Unknown means 80.
	Width func(io.Writer) int
	// ExpectedFiles and ExpectedBytes are the previous run's totals, for
	// a percentage and an ETA; 0 means unknown. Bytes are preferred.
	ExpectedFiles int
	ExpectedBytes int64
}

// defaultWidth is used when the terminal's width is unknown.
const defaultWidth = 80

// window is how far back the rate looks: long enough to smooth over one
// big file, short enough to follow a change (a slow network folder).
const window = 5 * time.Second

// minRateSpan is the least history a rate (and so an ETA) is shown on;
// the first fraction of a second says nothing about the scan's speed.
const minRateSpan = time.Second

// Progress is a progress line. Its methods are safe for concurrent use,
// and do nothing on a nil or disabled Progress.
type Progress struct {
	w       io.Writer
	opts    Options
	enabled bool

	files atomic.Int64
	bytes atomic.Int64
	last  atomic.Pointer[string] // path of the last file done

	startOnce, stopOnce sync.Once
	started             bool
	done                chan struct{}
	exited              chan struct{}
	ticks               <-chan time.Time // tests set it before Start

	// Drawing state: used by the drawing goroutine only, and by Stop once
	// that has exited.
	samples []sample
	drawn   bool
}

type sample struct {
	t            time.Time
	files, bytes int64
}

// New returns a Progress writing to w (normally stderr). It is disabled,
// and never writes, when opts.Quiet is set or w is not a terminal.
func New(w io.Writer, opts Options) *Progress {
	if opts.Interval <= 0 {
		opts.Interval = 250 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IsTerminal == nil {
		opts.IsTerminal = isTerminal
	}
	if opts.Width == nil {
		opts.Width = termWidth
	}
	p := &Progress{w: w, opts: opts, done: make(chan struct{}), exited: make(chan struct{})}
	p.enabled = w != nil && !opts.Quiet && opts.IsTerminal(w)
	return p
}

// Enabled tells whether the line is drawn, for callers that must not write
// to the same terminal meanwhile.
func (p *Progress) Enabled() bool { return p != nil && p.enabled }

// File records a file as done: size bytes read (or skipped; it is the
// share's size that the ETA is about). path's folder becomes the current
// folder.
func (p *Progress) File(path string, size int64) {
	if !p.Enabled() {
		return
	}
	p.files.Add(1)
	if size > 0 {
		p.bytes.Add(size)
	}
	p.last.Store(&path)
}

// Start begins redrawing every Interval, from a goroutine of its own.
// Later calls do nothing.
func (p *Progress) Start() {
	if !p.Enabled() {
		return
	}
	p.startOnce.Do(func() {
		p.started = true
		p.samples = append(p.samples[:0], sample{t: p.opts.Now()})
		ticks := p.ticks
		var ticker *time.Ticker
		if ticks == nil {
			ticker = time.NewTicker(p.opts.Interval)
			ticks = ticker.C
		}
		go func() {
			defer close(p.exited)
			if ticker != nil {
				defer ticker.Stop()
			}
			for {
				select {
				case <-p.done:
					return
				case <-ticks:
					p.draw()
				}
			}
		}()
	})
}

// Stop ends the redraws and erases the line, so what is written next
// starts at the left margin of a clean line. Later calls do nothing.
func (p *Progress) Stop() {
	if !p.Enabled() {
		return
	}
	p.stopOnce.Do(func() {
		p.startOnce.Do(func() {}) // a Start after Stop must not begin drawing
		close(p.done)
		if p.started {
			<-p.exited
		}
		if p.drawn {
			io.WriteString(p.w, "\r\033[K")
		}
	})
}

// draw writes the current line over the previous one. Erasing after the
// text rather than before keeps the line from flickering.
func (p *Progress) draw() {
	line := p.render()
	// Write errors are ignored: progress is a comfort, and stderr
	// failing is no reason to stop a scan.
	io.WriteString(p.w, "\r"+line+"\033[K")
	p.drawn = true
}

// render builds the line for the current counters and clock, and records
// a rate sample.
func (p *Progress) render() string {
	now := p.opts.Now()
	cur := sample{t: now, files: p.files.Load(), bytes: p.bytes.Load()}
	p.addSample(cur)
	base := p.samples[0]
	span := cur.t.Sub(base.t)

	noun := " files"
	if cur.files == 1 {
		noun = " file"
	}
	parts := []string{"scanned " + numfmt.Thousands(cur.files) + noun, formatBytes(cur.bytes)}
	if p.opts.ExpectedBytes > 0 {
		parts[1] += " (" + percent(cur.bytes, p.opts.ExpectedBytes) + ")"
	} else if p.opts.ExpectedFiles > 0 {
		parts[0] += " (" + percent(cur.files, int64(p.opts.ExpectedFiles)) + ")"
	}
	eta := ""
	if span >= minRateSpan {
		secs := span.Seconds()
		byteRate := float64(cur.bytes-base.bytes) / secs
		parts = append(parts, formatBytes(int64(byteRate))+"/s")
		fileRate := float64(cur.files-base.files) / secs
		switch {
		case p.opts.ExpectedBytes > 0:
			eta = formatETA(p.opts.ExpectedBytes-cur.bytes, byteRate)
		case p.opts.ExpectedFiles > 0:
			eta = formatETA(int64(p.opts.ExpectedFiles)-cur.files, fileRate)
		}
	}
	var folder string
	if last := p.last.Load(); last != nil {
		if dir := filepath.Dir(*last); dir != "." && dir != string(filepath.Separator) {
			folder = sanitize(dir)
		}
	}

	max := p.opts.Width(p.w)
	if max <= 0 {
		max = defaultWidth
	}
	max-- // writing the last column makes some terminals wrap
	fixed := strings.Join(parts, "  ")
	tail := ""
	if eta != "" {
		tail = "  ETA " + eta
	}
	if room := max - displayWidth(fixed) - displayWidth(tail) - 2; folder != "" && room >= 4 {
		fixed += "  " + fit(folder, room)
	}
	return fit(fixed+tail, max)
}

// addSample records s and drops samples older than the window, keeping
// the newest of those as the rate's base so the span stays near window.
func (p *Progress) addSample(s sample) {
	p.samples = append(p.samples, s)
	i := 0
	for i+1 < len(p.samples) && s.t.Sub(p.samples[i+1].t) >= window {
		i++
	}
	if i > 0 {
		n := copy(p.samples, p.samples[i:])
		p.samples = p.samples[:n]
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func termWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return cols
}

// formatBytes uses SI units, as disk and network rates are quoted: 1.2 GB,
// 85 MB; one decimal below 10.
func formatBytes(n int64) string {
	if n < 1000 {
		if n < 0 {
			n = 0
		}
		return strconv.FormatInt(n, 10) + " B"
	}
	v := float64(n)
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	u := -1
	for v >= 999.5 && u+1 < len(units) {
		v /= 1000
		u++
	}
	if v < 9.95 {
		return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[u]
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " " + units[u]
}

// percent is done/total, capped at 99% until Stop: a previous run's total
// is a guess, and 100% with work left would mislead.
func percent(done, total int64) string {
	pc := done * 100 / total
	if pc > 99 {
		pc = 99
	}
	if pc < 0 {
		pc = 0
	}
	return strconv.FormatInt(pc, 10) + "%"
}

// formatETA is the time left at rate per second, as m:ss or h:mm:ss; ""
// when there is no estimate (no progress yet, or past the expected total,
// which shows the total was out of date).
func formatETA(left int64, rate float64) string {
	if left <= 0 || rate <= 0 {
		return ""
	}
	secs := float64(left) / rate
	if secs > 100*3600 {
		return ""
	}
	s := int64(secs + 0.5)
	if s >= 3600 {
		return strconv.FormatInt(s/3600, 10) + ":" + pad2(s/60%60) + ":" + pad2(s%60)
	}
	return strconv.FormatInt(s/60, 10) + ":" + pad2(s%60)
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// sanitize replaces what a terminal could act on (control characters,
// invalid UTF-8, format characters such as bidi overrides) with '?'.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) && r != ' ' || unicode.Is(unicode.Cf, r) {
			return '?'
		}
		return r
	}, s)
}

// displayWidth counts terminal columns: East Asian wide and fullwidth
// characters take two, combining marks none.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) {
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// fit cuts s to max columns, ending it with "…" when cut.
func fit(s string, max int) string {
	if displayWidth(s) <= max {
		return s
	}
	if max <= 0 {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		w := runeWidth(r)
		if n+w > max-1 {
			break
		}
		b.WriteRune(r)
		n += w
	}
	return strings.TrimRight(b.String(), " ") + "…"
}
