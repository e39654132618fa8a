// Command walkbench times pkg/walk against find(1) on a generated tree of
// small files (pkg/walk/benchtree), for issue 5's target: a walk of 200k
// small files costs at most 2x what `find DIR -type f` takes.
//
// Usage: go run ./scripts/walkbench [-files 200000] [-per-dir 100] [-runs 5] [-find-stat] [-eager] [-parallelism N] [-cpuprofile FILE] [DIR]
//
// "walk" is the walk as the scan runs it, with walk.Options.LazyStat: it
// lists directories and yields regular files unstatted, as find -type f
// does, and the scan's workers stat each file (Entry.Stat) in parallel
// with the walk. So it measures the walk's enumeration, the part on the
// scan's critical path, not the stats. -eager also times the walk that
// stats every file itself (walk_eager), and -find-stat a find that stats
// every file (find -printf %s), to compare the costs of the stats.
//
// DIR (default: a cache directory under $TMPDIR named for the shape) is
// generated if missing or empty, and reused if it holds a tree of the same
// shape. After one warm-up run of each (dentry and inode caches warm), the
// walk and find run alternately; the median of each is printed with their
// ratio of the medians, one "key value" pair per line so scripts can pick
// them out; the CPU times (user and system, all threads) follow:
//
//	tree /tmp/datahygiene-walkbench/files-200000-per-100-v1
//	files 200001
//	walk_ms 124.3
//	find_ms 148.7
//	walk_cpu_ms 156.2
//	find_cpu_ms 137.0
//	ratio 0.84
//
// Machines are noisy: compare ratios from one run, not absolute times. On
// a loaded machine the CPU times say more than the wall times.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/datahygiene/datahygiene/pkg/walk"
	"github.com/datahygiene/datahygiene/pkg/walk/benchtree"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "walkbench:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("walkbench", flag.ContinueOnError)
	files := fl.Int("files", 200000, "number of files in the generated tree")
	perDir := fl.Int("per-dir", 100, "files per leaf directory")
	runs := fl.Int("runs", 5, "timed runs of each, after one warm-up")
	parallelism := fl.Int("parallelism", 0, "walk.Options.Parallelism (0: the default)")
	cpuProfile := fl.String("cpuprofile", "", "write a CPU profile of the timed walks to this file")
	findStat := fl.Bool("find-stat", false, "also time find -printf '%s\\n', which stats every file")
	eager := fl.Bool("eager", false, "also time the walk that stats every file itself (no LazyStat)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 1 || *runs < 1 {
		fl.Usage()
		return fmt.Errorf("usage: walkbench [flags] [DIR]")
	}
	shape := benchtree.Shape{Files: *files, PerDir: *perDir}
	dir := benchtree.CacheDir(shape)
	if fl.NArg() == 1 {
		dir = fl.Arg(0)
	}
	start := time.Now()
	if err := benchtree.Ensure(dir, shape); err != nil {
		return err
	}
	if d := time.Since(start); d > time.Second {
		fmt.Fprintf(os.Stderr, "walkbench: generated %s in %.1f s\n", dir, d.Seconds())
	}

	ctx := context.Background()
	type timer struct {
		name    string
		run     func() (n int, wall, cpu time.Duration, err error)
		ms, cpu []float64
	}
	timers := []*timer{
		{name: "walk", run: func() (int, time.Duration, time.Duration, error) {
			return timeWalk(ctx, dir, walk.Options{Parallelism: *parallelism, LazyStat: true})
		}},
		{name: "find", run: func() (int, time.Duration, time.Duration, error) { return benchtree.FindCPU(ctx, dir, false) }},
	}
	if *eager {
		timers = append(timers, &timer{name: "walk_eager", run: func() (int, time.Duration, time.Duration, error) {
			return timeWalk(ctx, dir, walk.Options{Parallelism: *parallelism})
		}})
	}
	if *findStat {
		timers = append(timers, &timer{name: "find_stat", run: func() (int, time.Duration, time.Duration, error) { return benchtree.FindCPU(ctx, dir, true) }})
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	want := -1
	for i := range *runs + 1 {
		for _, t := range timers {
			n, d, cpu, err := t.run()
			if err != nil {
				return err
			}
			if want < 0 {
				want = n
			}
			if n != want {
				return fmt.Errorf("%s counted %d files, walk %d", t.name, n, want)
			}
			if i > 0 { // the first round only warms the caches
				t.ms = append(t.ms, float64(d.Microseconds())/1000)
				t.cpu = append(t.cpu, float64(cpu.Microseconds())/1000)
			}
		}
	}
	fmt.Fprintf(out, "tree %s\nfiles %d\n", dir, want)
	for _, t := range timers {
		fmt.Fprintf(out, "%s_ms %.1f\n", t.name, median(t.ms))
	}
	for _, t := range timers {
		fmt.Fprintf(out, "%s_cpu_ms %.1f\n", t.name, median(t.cpu))
	}
	fmt.Fprintf(out, "ratio %.2f\n", median(timers[0].ms)/median(timers[1].ms))
	return nil
}

// timeWalk walks dir as the scan does and counts the files it would read
// (with LazyStat, the regular files it yields without a stat).
func timeWalk(ctx context.Context, dir string, opts walk.Options) (int, time.Duration, time.Duration, error) {
	n := 0
	cpu0 := processCPU()
	start := time.Now()
	err := walk.Walk(ctx, dir, opts, func(e walk.Entry) error {
		if e.Err != nil {
			return e.Err
		}
		if e.Skip == "" {
			n++
		}
		return nil
	})
	took := time.Since(start)
	return n, took, processCPU() - cpu0, err
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
