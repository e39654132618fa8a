package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/inventory"
	"github.com/datahygiene/datahygiene/pkg/report"
	"github.com/datahygiene/datahygiene/pkg/state"
)

// inventoryFormats are the formats of `inventory`: the inventory's own and
// the HTML page, which shows the same data map.
func inventoryFormats() []string { return append(inventory.Formats(), "html") }

// newInventoryCmd builds `datahygiene inventory`: the data map of a tree,
// per folder, from its last complete scan in the state, or from a scan
// made now when there is none (or with --no-state). The scan flags apply
// to that scan.
func newInventoryCmd(s streams) *cobra.Command {
	o := &scanOptions{}
	var depth int
	cmd := &cobra.Command{
		Use:   "inventory [flags] DIR",
		Short: "Show what customer data is held where: a data map per folder",
		Long: `Inventory lists, per folder of DIR (to --depth), the kinds of customer data
held, how many occurrences and files, the oldest and newest file, and how
much of it is unencrypted, unprotected, stale or prohibited, with the
encrypted files as a good sign.

It reads the last complete scan of DIR recorded in the state, so it answers
at once after the nightly scan; when there is none (or with --no-state) it
scans DIR first, with the scan flags given. -f markdown writes the
categories of personal data, where they are and how they are protected,
ready for a records-of-processing document; -f html one page with charts.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.applyConfig(cmd.Flags(), args[0]); err != nil {
				return err
			}
			if err := o.finalize(); err != nil {
				return err
			}
			if !slices.Contains(inventoryFormats(), o.format) {
				return usageError{fmt.Errorf("--format: want %s, not %q", strings.Join(inventoryFormats(), ", "), o.format)}
			}
			return runInventory(cmd.Context(), s, o, args[0], depth)
		},
	}
	o.addFlags(cmd.Flags())
	cmd.Flags().Lookup("format").Usage = "inventory format: " + strings.Join(inventoryFormats(), ", ")
	cmd.Flags().IntVar(&depth, "depth", 1, "group by folders `N` levels below DIR (0: the whole tree as one)")
	return cmd
}

func runInventory(ctx context.Context, s streams, o *scanOptions, root string, depth int) error {
	rep, trend, err := lastReport(o, root)
	if err != nil {
		return err
	}
	if rep == nil {
		// No recorded scan: scan now, keeping the report instead of
		// writing it. The scan's exit status is not the inventory's.
		o.failSeverity = finding.Critical + 1
		o.sink = func(r *report.Report, t []report.TrendPoint) error { rep, trend = r, t; return nil }
		if err := runScan(ctx, s, o, root); err != nil {
			return err
		}
	}
	inv := inventory.Build(rep.Files, inventory.Options{Root: root, Depth: depth})
	out := &output{s: s, o: o}
	defer out.close()
	w, opts, err := out.open()
	if err != nil {
		return err
	}
	if o.format == "html" {
		err = report.HTMLWriter{Inventory: inv, Trend: trend, Verbose: opts.Verbose}.Write(w, rep)
	} else {
		var iw inventory.Writer
		if iw, err = inventory.NewWriter(o.format); err == nil {
			err = iw.Write(w, inv)
		}
	}
	if err != nil {
		return fmt.Errorf("writing inventory: %w", err)
	}
	return out.close()
}

// lastReport rebuilds the report of root's last complete scan from the
// state, with the trend of past runs; nil when there is none.
func lastReport(o *scanOptions, root string) (*report.Report, []report.TrendPoint, error) {
	store, err := o.state.open()
	if err != nil || store == nil {
		return nil, nil, err
	}
	defer store.Close()
	rk := rootKey(root)
	runs, err := store.LastRuns(rk, 1)
	if err != nil || len(runs) == 0 {
		return nil, nil, err
	}
	files, err := store.Results(runs[0].ID)
	if err != nil {
		return nil, nil, err
	}
	rep := &report.Report{Schema: report.Schema, Tool: report.Tool{Name: "datahygiene", Version: runs[0].ToolVersion},
		Root: root, StartedAt: runs[0].StartedAt, FinishedAt: runs[0].FinishedAt, Summary: runs[0].Summary, Files: files}
	rep.Tally() // the stored summary's counts of files seen and read stay
	trend, err := trendOf(store, rk)
	return rep, trend, err
}

// trendOf returns the complete runs of root, oldest first, for the HTML
// report's trend chart.
func trendOf(store *state.Store, root string) ([]report.TrendPoint, error) {
	runs, err := store.LastRuns(root, maxTrendRuns)
	if err != nil {
		return nil, err
	}
	var out []report.TrendPoint
	for i := len(runs) - 1; i >= 0; i-- {
		out = append(out, report.NewTrendPoint(runs[i].StartedAt, runs[i].Summary))
	}
	return out, nil
}

// maxTrendRuns is how many past runs the HTML trend shows.
const maxTrendRuns = 100
