package progress

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/internal/numfmt"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func terminal(io.Writer) bool { return true }

// newTest returns an enabled Progress on a buffer posing as an 80-column
// terminal, with a fake clock.
func newTest(opts Options) (*Progress, *bytes.Buffer, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	var buf bytes.Buffer
	opts.Now = clock.now
	opts.IsTerminal = terminal
	if opts.Width == nil {
		opts.Width = func(io.Writer) int { return 80 }
	}
	return New(&buf, opts), &buf, clock
}

func TestRender(t *testing.T) {
	t.Parallel()
	type step struct {
		advance time.Duration
		files   []string // one file of 1 MB each
		want    string
	}
	tests := []struct {
		name  string
		opts  Options
		steps []step
	}{
		{
			name: "no rate before a second, then rate; no ETA without expectation",
			steps: []step{
				{advance: 250 * time.Millisecond, files: []string{"HR/a.csv"}, want: "scanned 1 file  1.0 MB  HR"},
				{advance: 750 * time.Millisecond, files: []string{"HR/Contracts/b.xlsx", "HR/Contracts/c.xlsx"}, want: "scanned 3 files  3.0 MB  3.0 MB/s  HR/Contracts"},
			},
		},
		{
			name: "ETA from expected bytes",
			opts: Options{ExpectedBytes: 10_000_000},
			steps: []step{
				{advance: 2 * time.Second, files: []string{"a/1", "a/2"}, want: "scanned 2 files  2.0 MB (20%)  1.0 MB/s  a  ETA 0:08"},
				{advance: 2 * time.Second, files: []string{"b/3", "b/4", "b/5", "b/6"}, want: "scanned 6 files  6.0 MB (60%)  1.5 MB/s  b  ETA 0:03"},
				{advance: 2 * time.Second, files: []string{"b/7", "b/8", "b/9", "b/10", "b/11"}, want: "scanned 11 files  11 MB (99%)  1.8 MB/s  b"}, // past the total: no ETA
			},
		},
		{
			name: "ETA from expected files when bytes are unknown",
			opts: Options{ExpectedFiles: 3600 * 2},
			steps: []step{
				{advance: time.Second, files: []string{"x", "y"}, want: "scanned 2 files (0%)  2.0 MB  2.0 MB/s  ETA 59:59"},
			},
		},
		{
			name: "rate over a sliding window",
			steps: []step{
				{advance: time.Second, files: []string{"a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "a/7", "a/8", "a/9", "a/10"}, want: "scanned 10 files  10 MB  10 MB/s  a"},
				{advance: 3 * time.Second, want: "scanned 10 files  10 MB  2.5 MB/s  a"},
				{advance: 3 * time.Second, want: "scanned 10 files  10 MB  0 B/s  a"}, // the burst has left the window
			},
		},
		{
			name: "long folder shortened to fit, ETA kept",
			opts: Options{ExpectedBytes: 100_000_000},
			steps: []step{
				{advance: time.Second, files: []string{"Finance/Accounts Payable/2019/Quarterly Statements/Suppliers A-K/Archive/old/x.csv"},
					want: "scanned 1 file  1.0 MB (1%)  1.0 MB/s  Finance/Accounts Payable/2019…  ETA 1:39"},
			},
		},
		{
			name: "narrow terminal drops the folder, then cuts the line",
			opts: Options{Width: func(io.Writer) int { return 30 }},
			steps: []step{
				{advance: time.Second, files: []string{"HR/a"}, want: "scanned 1 file  1.0 MB  1.0…"},
			},
		},
		{
			name: "unknown width means 80 columns",
			opts: Options{Width: func(io.Writer) int { return 0 }},
			steps: []step{
				{advance: time.Second, files: []string{strings.Repeat("d", 100) + "/f"}, want: "scanned 1 file  1.0 MB  1.0 MB/s  " + strings.Repeat("d", 44) + "…"},
			},
		},
		{
			name: "control characters in names are replaced",
			steps: []step{
				{advance: time.Second, files: []string{"evil\x1b]0;pwned\a\u202e/x"}, want: "scanned 1 file  1.0 MB  1.0 MB/s  evil?]0;pwned??"},
			},
		},
		{
			name: "wide characters count two columns",
			opts: Options{Width: func(io.Writer) int { return 40 }},
			steps: []step{
				{advance: time.Second, files: []string{"顧客データ顧客データ/x"}, want: "scanned 1 file  1.0 MB  1.0 MB/s  顧客…"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, _, clock := newTest(tt.opts)
			p.samples = []sample{{t: clock.now()}} // as Start does
			for i, s := range tt.steps {
				clock.advance(s.advance)
				for _, f := range s.files {
					p.File(f, 1_000_000)
				}
				got := p.render()
				if got != s.want {
					t.Errorf("step %d:\n got %q\nwant %q", i, got, s.want)
				}
				if w := displayWidth(got); w >= max(p.opts.Width(nil), 1) && p.opts.Width(nil) > 0 {
					t.Errorf("step %d: %d columns do not fit %d", i, w, p.opts.Width(nil))
				}
			}
		})
	}
}

func TestDisabledWritesNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"not a terminal", Options{IsTerminal: func(io.Writer) bool { return false }}},
		{"quiet", Options{Quiet: true, IsTerminal: terminal}},
		{"default check on a buffer", Options{}},
	} {
		var buf bytes.Buffer
		p := New(&buf, tc.opts)
		if p.Enabled() {
			t.Errorf("%s: enabled", tc.name)
		}
		p.Start()
		p.File("a/b", 10)
		p.Stop()
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %q", tc.name, buf.String())
		}
	}
	var nilP *Progress // callers may keep a nil Progress when there is no display
	nilP.Start()
	nilP.File("x", 1)
	nilP.Stop()
}

// TestStartStop drives the drawing goroutine with hand-made ticks and checks
// what reached the terminal: redraws in place, then an erased line.
func TestStartStop(t *testing.T) {
	t.Parallel()
	p, buf, clock := newTest(Options{})
	ticks := make(chan time.Time)
	p.ticks = ticks
	p.Start()
	p.Start() // a second Start is a no-op
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 250; i++ {
				p.File(fmt.Sprintf("w%d/f%d", w, i), 4000)
			}
		}()
	}
	wg.Wait()
	ticks <- clock.now() // unbuffered: the goroutine has taken it when the send returns
	ticks <- clock.now()
	p.Stop()
	p.Stop()
	out := buf.String()
	lines := strings.Split(out, "\r")
	// "" before the first \r, two redraws, the final erase.
	if len(lines) != 4 || lines[0] != "" {
		t.Fatalf("output %q: want two redraws and an erase", out)
	}
	for _, l := range lines[1:3] {
		if !strings.HasPrefix(l, "scanned 1,000 files  4.0 MB  w") || !strings.HasSuffix(l, "\033[K") {
			t.Errorf("redraw %q", l)
		}
	}
	if lines[3] != "\033[K" {
		t.Errorf("final erase %q", lines[3])
	}
	if strings.Contains(out, "\n") {
		t.Error("progress wrote a newline")
	}
}

func TestStopWithoutDrawWritesNothing(t *testing.T) {
	t.Parallel()
	p, buf, _ := newTest(Options{})
	p.ticks = make(chan time.Time)
	p.Start()
	p.File("a", 1)
	p.Stop()
	p.Start() // after Stop: must not start drawing
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
}

func TestRealTickerRace(t *testing.T) {
	t.Parallel()
	// The real ticker and clock, for the race detector; the output is
	// not checked, since it depends on timing.
	var buf bytes.Buffer
	p := New(&buf, Options{Interval: time.Millisecond, IsTerminal: terminal})
	p.Start()
	for i := 0; i < 1000; i++ {
		p.File("d/f", 1)
	}
	p.Stop()
}

func TestFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{numfmt.Thousands(0), "0"}, {numfmt.Thousands(999), "999"}, {numfmt.Thousands(1000), "1,000"}, {numfmt.Thousands(12345), "12,345"}, {numfmt.Thousands(1234567), "1,234,567"},
		{formatBytes(0), "0 B"}, {formatBytes(999), "999 B"}, {formatBytes(1000), "1.0 kB"}, {formatBytes(1_234_000_000), "1.2 GB"},
		{formatBytes(85_000_000), "85 MB"}, {formatBytes(999_999), "1.0 MB"}, {formatBytes(9_960_000), "10 MB"},
		{formatETA(42, 1), "0:42"}, {formatETA(3723, 1), "1:02:03"}, {formatETA(0, 1), ""}, {formatETA(10, 0), ""}, {formatETA(1e9, 1), ""},
		{percent(5, 10), "50%"}, {percent(20, 10), "99%"},
		{fit("abcdef", 4), "abc…"}, {fit("abc", 3), "abc"}, {fit("abc", 0), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
