package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"runtime/trace"

	"github.com/spf13/cobra"
)

// profiler backs the hidden --cpuprofile FILE and --trace FILE flags:
// performance work needs profiles of real scans, not only of benchmarks,
// and a re-scan's wall time is about what waits on what, which only an
// execution trace shows.
type profiler struct {
	path, tracePath string
	f, tf           *os.File
}

func (p *profiler) addFlag(root *cobra.Command) {
	root.PersistentFlags().StringVar(&p.path, "cpuprofile", "", "write a CPU profile to `FILE`")
	root.PersistentFlags().StringVar(&p.tracePath, "trace", "", "write an execution trace to `FILE`")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	_ = root.PersistentFlags().MarkHidden("trace")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if p.path != "" {
			f, err := createPrivate(p.path)
			if err != nil {
				return fmt.Errorf("cpu profile: %w", err)
			}
			p.f = f
			if err := pprof.StartCPUProfile(f); err != nil {
				return fmt.Errorf("cpu profile: %w", err)
			}
		}
		if p.tracePath != "" {
			f, err := createPrivate(p.tracePath)
			if err != nil {
				return fmt.Errorf("trace: %w", err)
			}
			p.tf = f
			if err := trace.Start(f); err != nil {
				return fmt.Errorf("trace: %w", err)
			}
		}
		return nil
	}
}

// stop ends the profile and the trace; run calls it whatever the command
// returned, since cobra skips post-run hooks after an error (and exit 1
// is one).
func (p *profiler) stop() {
	if p.f != nil {
		pprof.StopCPUProfile()
		p.f.Close()
	}
	if p.tf != nil {
		trace.Stop()
		p.tf.Close()
	}
}
