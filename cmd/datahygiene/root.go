package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/datahygiene/datahygiene/pkg/config"
	"github.com/datahygiene/datahygiene/pkg/policy"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

// Exit codes. Documented in the README and in `datahygiene scan --help`;
// new codes may be added, existing ones keep their meaning.
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // something at or above --fail-on
	exitUsage    = 2 // usage, configuration or rule-file error, or the scan could not run
)

// errFindings tells run that the report was written and holds something at
// or above --fail-on: not a failure of the tool, so nothing is printed.
var errFindings = errors.New("findings at or above --fail-on")

// streams are the command's I/O, injected so tests can use buffers.
type streams struct {
	in          io.Reader
	out, errOut io.Writer
	log         *logger // nil: text on errOut
}

func (s streams) logger() *logger {
	if s.log == nil {
		return &logger{w: s.errOut, format: "text"}
	}
	return s.log
}

// run executes the command line and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var prof profiler
	lg := &logger{w: stderr, format: "text"}
	cmd := newRootCmd(streams{in: stdin, out: stdout, errOut: stderr, log: lg}, &prof)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	prof.stop()
	return exitCode(err, lg)
}

// exitCode maps an error to an exit code and prints it once, in the tool's
// voice: "datahygiene: error: ..." on stderr, lower case, with a hint where
// one helps.
func exitCode(err error, lg *logger) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errFindings) {
		return exitFindings
	}
	lg.errorf("%v", err)
	var re *ruleset.Error
	var ce *config.Error
	var pe *policy.Error
	switch {
	case errors.As(err, &re):
		lg.hint("check the rule file with `datahygiene rules test FILE`")
	case errors.As(err, &pe):
		lg.hint("`datahygiene policy show` prints the policy and where each value comes from; see docs/policy.md")
	case errors.As(err, &ce):
		lg.hint("`datahygiene config show` prints the settings and where each comes from")
	case isUsage(err):
		lg.hint("see `datahygiene --help`")
	}
	return exitUsage
}

type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	// cobra's own flag and argument errors carry no type.
	msg := err.Error()
	for _, s := range []string{"unknown flag", "unknown shorthand", "unknown command", "flag needs an argument", "invalid argument", "accepts ", "requires at least"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func newRootCmd(s streams, prof *profiler) *cobra.Command {
	root := &cobra.Command{
		Use:   "datahygiene",
		Short: "Audit folders for customer data kept unencrypted, unprotected or too long",
		Long: `datahygiene walks a folder, file share or mounted NAS, finds customer data
(names, emails, phone numbers, card numbers, national ID numbers, bank
details, passwords) in text, CSV and spreadsheet files, and reports where it
is kept unencrypted, unprotected or stale. Matched values are masked in every
output unless --show-values is given.`,
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.errOut)
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	prof.addFlag(root)
	if s.log != nil {
		s.log.addFlag(root.PersistentFlags())
		profile := root.PersistentPreRunE
		root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
			if f := cmd.Flags().Lookup("log-format"); f != nil && f.Changed {
				s.log.explicit = true
			}
			if s.log.format != "text" && s.log.format != "json" {
				return usageError{fmt.Errorf("--log-format: want text or json, not %q", s.log.format)}
			}
			return profile(cmd, args)
		}
	}
	root.AddCommand(newScanCmd(s, nil), newInventoryCmd(s), newFindCmd(s), newAffectedCmd(s), newHistoryCmd(s), newDiffCmd(s), newBaselineCmd(s), newRulesCmd(s), newPolicyCmd(s), newConfigCmd(s), newVersionCmd(s), newManCmd(s))
	return root
}
