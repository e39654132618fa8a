package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/datahygiene/datahygiene/pkg/baseline"
	"github.com/datahygiene/datahygiene/pkg/detect"
	"github.com/datahygiene/datahygiene/pkg/report"
	"github.com/datahygiene/datahygiene/pkg/scan"
	"github.com/datahygiene/datahygiene/pkg/state"
	"github.com/datahygiene/datahygiene/pkg/walk"
)

// openHistory checks the output format and opens the state for the
// read-only commands; --no-state makes no sense for them.
func openHistory(o *stateOptions, format string) (*state.Store, error) {
	if format != "table" && format != "json" {
		return nil, usageError{fmt.Errorf("--format: want table or json, not %q", format)}
	}
	if o.noState {
		return nil, usageError{errors.New("--no-state: there is no history to read")}
	}
	return o.open()
}

func newHistoryCmd(s streams) *cobra.Command {
	var so stateOptions
	var limit int
	var format string
	cmd := &cobra.Command{
		Use:   "history [DIR]",
		Short: "List past scans (of DIR, or of every root), newest first",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := openHistory(&so, format)
			if err != nil {
				return err
			}
			defer store.Close()
			root := ""
			if len(args) == 1 {
				root = rootKey(args[0])
			}
			runs, err := store.Runs(root, limit)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(s.out)
				enc.SetIndent("", "  ")
				return enc.Encode(runs)
			}
			rows := [][]string{}
			for _, r := range runs {
				rows = append(rows, []string{
					strconv.FormatInt(r.ID, 10), r.StartedAt.Local().Format("2006-01-02 15:04"),
					duration(r), string(r.Status), r.Root,
					strconv.Itoa(r.Summary.FilesSeen), strconv.Itoa(r.FilesReused),
					strconv.Itoa(r.Summary.FilesWithFindings), strconv.Itoa(r.Summary.Findings),
				})
			}
			if len(rows) == 0 {
				_, err := fmt.Fprintln(s.out, "No scans recorded yet.")
				return err
			}
			return report.WriteGrid(s.out, []string{"run", "started", "took", "status", "root", "files", "reused", "with data", "findings"}, rows)
		},
	}
	so.addFlags(cmd.Flags())
	cmd.Flags().IntVarP(&limit, "limit", "n", 20, "show at most `N` runs (0: all)")
	cmd.Flags().StringVarP(&format, "format", "f", "table", "table or json")
	return cmd
}

func duration(r state.RunInfo) string {
	if r.FinishedAt.IsZero() {
		return "-"
	}
	return r.FinishedAt.Sub(r.StartedAt).Round(10 * time.Millisecond).String()
}

func newDiffCmd(s streams) *cobra.Command {
	var so stateOptions
	var format string
	cmd := &cobra.Command{
		Use:   "diff [RUN_A [RUN_B]]",
		Short: "Show what is new, resolved or changed between two scans",
		Long: `Diff compares two recorded runs (see 'datahygiene history'): by default the
last two complete runs of the most recently scanned root; with one run id,
that run and the last run of its root. Findings are matched by value
fingerprint, so a value that only moved to another line is not new.

Exit status: 0 nothing new, 1 something new (a finding, an issue or a file
that became unreadable), 2 error.`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := openHistory(&so, format)
			if err != nil {
				return err
			}
			defer store.Close()
			a, b, err := diffRuns(store, args)
			if err != nil {
				return err
			}
			ra, err := store.Results(a.ID)
			if err != nil {
				return err
			}
			rb, err := store.Results(b.ID)
			if err != nil {
				return err
			}
			ch := state.Diff(ra, rb)
			if format == "json" {
				enc := json.NewEncoder(s.out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(map[string]any{"from": a.ID, "to": b.ID, "changes": ch}); err != nil {
					return err
				}
			} else if err := writeChanges(s, a, b, ch); err != nil {
				return err
			}
			for _, f := range ch.Findings {
				if f.Kind == state.New || f.Added > 0 {
					return errFindings
				}
			}
			for _, is := range ch.Issues {
				if is.Kind == state.New {
					return errFindings
				}
			}
			return nil
		},
	}
	so.addFlags(cmd.Flags())
	cmd.Flags().StringVarP(&format, "format", "f", "table", "table or json")
	return cmd
}

// diffRuns picks the two runs to compare from the arguments.
func diffRuns(store *state.Store, args []string) (a, b state.RunInfo, err error) {
	ids := make([]int64, len(args))
	for i, s := range args {
		if ids[i], err = strconv.ParseInt(s, 10, 64); err != nil {
			return a, b, usageError{fmt.Errorf("run id %q: want a number from 'datahygiene history'", s)}
		}
	}
	switch len(ids) {
	case 2:
		if a, err = store.Run(ids[0]); err != nil {
			return a, b, err
		}
		b, err = store.Run(ids[1])
		return a, b, err
	case 1:
		if a, err = store.Run(ids[0]); err != nil {
			return a, b, err
		}
		last, err := store.LastRuns(a.Root, 1)
		if err != nil || len(last) == 0 {
			return a, b, errors.Join(err, errors.New("no later run of that root"))
		}
		return a, last[0], nil
	}
	latest, err := store.LastRuns("", 1)
	if err != nil {
		return a, b, err
	}
	if len(latest) == 0 {
		return a, b, errors.New("no scans recorded yet: run 'datahygiene scan DIR' twice")
	}
	two, err := store.LastRuns(latest[0].Root, 2)
	if err != nil {
		return a, b, err
	}
	if len(two) < 2 {
		return a, b, fmt.Errorf("only one complete scan of %s so far: nothing to compare", latest[0].Root)
	}
	return two[1], two[0], nil
}

func writeChanges(s streams, a, b state.RunInfo, ch state.Changes) error {
	fmt.Fprintf(s.out, "Changes from run %d (%s) to run %d (%s), %s\n\n", a.ID, a.StartedAt.Local().Format("2006-01-02 15:04"),
		b.ID, b.StartedAt.Local().Format("2006-01-02 15:04"), b.Root)
	if ch.Empty() {
		_, err := fmt.Fprintln(s.out, "Nothing changed.")
		return err
	}
	if len(ch.Findings) > 0 {
		rows := [][]string{}
		for _, f := range ch.Findings {
			rows = append(rows, []string{string(f.Kind), f.Path, f.Detector, f.Severity.String(),
				strconv.Itoa(f.Before), strconv.Itoa(f.After), "+" + strconv.Itoa(f.Added) + " -" + strconv.Itoa(f.Removed)})
		}
		if err := report.WriteGrid(s.out, []string{"change", "file", "data", "severity", "before", "after", "values"}, rows); err != nil {
			return err
		}
		fmt.Fprintln(s.out)
	}
	if len(ch.Issues) > 0 {
		rows := [][]string{}
		for _, is := range ch.Issues {
			rows = append(rows, []string{string(is.Kind), is.Path, string(is.Issue), is.Severity.String(), is.Reason})
		}
		if err := report.WriteGrid(s.out, []string{"change", "file", "issue", "severity", "reason"}, rows); err != nil {
			return err
		}
		fmt.Fprintln(s.out)
	}
	if len(ch.Files) > 0 {
		rows := [][]string{}
		for _, f := range ch.Files {
			rows = append(rows, []string{string(f.Kind), f.Path, string(f.StatusBefore), string(f.Status), f.Reason})
		}
		return report.WriteGrid(s.out, []string{"change", "file", "was", "now", "reason"}, rows)
	}
	return nil
}

func newBaselineCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Record accepted findings, so that only new ones fail a CI job",
	}
	o := &scanOptions{}
	create := &cobra.Command{
		Use:   "create [scan flags] DIR -o FILE",
		Short: "Scan DIR and write every finding to a baseline FILE",
		Long: `Create scans DIR like 'scan' does and writes a baseline: for each file and
detector, the keyed fingerprints of the values found (never the values).
'scan --baseline FILE' then reports only what the baseline does not hold;
values that move to other lines stay accepted.

Fingerprints are keyed by the state directory's secret, or by
$DATAHYGIENE_FINGERPRINT_KEY: a CI job that has no state between runs must
set that variable (from a CI secret) both when creating and when applying.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.applyConfig(cmd.Flags(), args[0]); err != nil {
				return err
			}
			if err := o.finalize(); err != nil {
				return err
			}
			// -o names the baseline here, not a report.
			outFile := o.output
			if outFile == "" {
				return usageError{errors.New("baseline create: give the baseline file with -o FILE")}
			}
			return runBaselineCreate(cmd.Context(), s, o, args[0], outFile)
		},
	}
	o.addFlags(create.Flags())
	create.Flags().Lookup("output").Usage = "write the baseline to `FILE` (created with mode 0600)"
	cmd.AddCommand(create)
	return cmd
}

func runBaselineCreate(ctx context.Context, s streams, o *scanOptions, root, outFile string) error {
	store, key, err := o.state.openWithKey()
	if err != nil {
		return err
	}
	if store != nil {
		defer store.Close()
	}
	if key == nil {
		return usageError{fmt.Errorf("a baseline needs a fingerprint key: drop --no-state or set %s", keyEnv)}
	}
	rs, al, srcs, err := loadRules(o.configSrcs, o.ruleFiles)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(s, o, srcs, rs)
	if err != nil {
		return err
	}
	rep, err := scan.Run(ctx, scan.Options{
		Root: root, Paths: o.paths, Workers: o.workers,
		Walk:    walk.Options{Excludes: o.excludes, FollowSymlinks: o.followSymlinks, OneFileSystem: o.oneFileSystem, MaxFileSize: o.maxSize},
		Rules:   rs,
		Allow:   al,
		Archive: o.archiveLimits(),
		Detect:  detect.Options{FingerprintKey: key},
		Assess:  assessOptions(pol, rs),
		Tool:    report.Tool{Name: "datahygiene", Version: toolVersion()},
	})
	if err != nil {
		return err
	}
	b := baseline.Create(rep, key)
	if err := b.WriteFile(outFile); err != nil {
		return err
	}
	s.logger().log(slog.LevelInfo, fmt.Sprintf("baseline %s: %d entries (%d findings in %d files)", outFile, len(b.Entries), rep.Summary.Findings, rep.Summary.FilesWithFindings))
	return nil
}
