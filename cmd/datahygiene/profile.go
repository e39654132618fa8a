package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// profiler backs the hidden --cpuprofile FILE flag: performance work needs
// profiles of real scans, not only of benchmarks.
type profiler struct {
	path string
	f    *os.File
}

func (p *profiler) addFlag(root *cobra.Command) {
	root.PersistentFlags().StringVar(&p.path, "cpuprofile", "", "write a CPU profile to `FILE`")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if p.path == "" {
			return nil
		}
		f, err := createPrivate(p.path)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		p.f = f
		return pprof.StartCPUProfile(f)
	}
}

// stop ends the profile; run calls it whatever the command returned,
// since cobra skips post-run hooks after an error (and exit 1 is one).
func (p *profiler) stop() {
	if p.f != nil {
		pprof.StopCPUProfile()
		p.f.Close()
	}
}
