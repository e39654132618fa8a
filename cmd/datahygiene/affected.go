package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datahygiene/datahygiene/pkg/escape"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
	"github.com/datahygiene/datahygiene/pkg/state"
)

// newAffectedCmd builds `datahygiene affected`: how many people's data a
// set of exposed files held, for triaging a breach.
func newAffectedCmd(s streams) *cobra.Command {
	o := &scanOptions{}
	cmd := &cobra.Command{
		Use:   "affected [flags] PATH...",
		Short: "Count the distinct people whose data some exposed files or folders held",
		Long: `Affected answers "this laptop or share was exposed: whose data was in it?": for
the files and folders given, how many distinct values of each kind of data
they held (distinct email addresses, phone numbers, card numbers, national
IDs...), which approximates how many people are affected, and in how many
files. Values are counted by their keyed fingerprints in the state's value
index, never printed; --show-values lists them, for the notification
letters (that reads every file again, and the output is sensitive).

Like find, it first brings the state up to date, reading only what changed.

Exit status: 0 some personal data, 1 none, 2 error.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.applyConfig(cmd.Flags(), configRoot(o, args)); err != nil {
				return err
			}
			if err := o.finalize(); err != nil {
				return err
			}
			if o.format != "table" && o.format != "json" && o.format != "csv" {
				return usageError{fmt.Errorf("--format: want table, json or csv, not %q", o.format)}
			}
			if o.state.noState && !o.showValues {
				return usageError{errors.New("--no-state: affected counts from the state's value index (or give --show-values)")}
			}
			root, paths, err := scanTargets(s, o, args)
			if err != nil {
				return err
			}
			o.paths = paths
			return runAffected(cmd.Context(), s, o, root, args)
		},
	}
	o.addFlags(cmd.Flags())
	cmd.Flags().Lookup("format").Usage = "output format: table, json or csv"
	return cmd
}

// affectedClass is one data class in affected's output.
type affectedClass struct {
	Category finding.Category `json:"category"`
	Detector string           `json:"detector"`
	// Distinct counts distinct values (fingerprints in normal form).
	Distinct int `json:"distinct"`
	// AtLeast: a file held more distinct values than the index keeps, so
	// Distinct is a lower bound (--show-values counts them all).
	AtLeast bool `json:"at_least,omitempty"`
	Files   int  `json:"files"`
	// Values lists them, only with --show-values.
	Values []string `json:"values,omitempty"`
}

type affectedResult struct {
	Paths   []string        `json:"paths"`
	Classes []affectedClass `json:"classes"`
}

func runAffected(ctx context.Context, s streams, o *scanOptions, root string, args []string) error {
	var rep *report.Report
	o.failSeverity = finding.Critical + 1
	o.sink = func(r *report.Report, _ []report.TrendPoint) error { rep = r; return nil }
	if o.showValues {
		// Every value, not the first hundred per file and class.
		o.maxValues = 1 << 20
	}
	if err := runScan(ctx, s, o, root); err != nil {
		return err
	}
	categories := map[string]finding.Category{}
	files := map[string]map[string]bool{}  // detector -> files
	values := map[string]map[string]bool{} // detector -> values (--show-values)
	for _, f := range rep.Files {
		for _, fd := range f.Findings {
			categories[fd.Detector] = fd.Category
			if files[fd.Detector] == nil {
				files[fd.Detector], values[fd.Detector] = map[string]bool{}, map[string]bool{}
			}
			files[fd.Detector][f.Path] = true
			for _, v := range fd.Values {
				values[fd.Detector][v] = true
			}
		}
	}
	distinct := map[string]map[finding.ValueID]bool{}
	capped := map[string]bool{}
	if !o.state.noState {
		store, err := o.state.open()
		if err != nil {
			return err
		}
		defer store.Close()
		within := pathFilter(root, o.paths)
		err = store.Values(rootKey(root), func(v state.IndexedValues) error {
			if !within(v.Path) {
				return nil
			}
			if distinct[v.Detector] == nil {
				distinct[v.Detector] = map[finding.ValueID]bool{}
			}
			for _, id := range v.IDs {
				distinct[v.Detector][id] = true
			}
			capped[v.Detector] = capped[v.Detector] || v.Capped
			return nil
		})
		if err != nil {
			return err
		}
	}
	res := affectedResult{Paths: args, Classes: []affectedClass{}}
	for det, fs := range files {
		c := affectedClass{Category: categories[det], Detector: det, Files: len(fs), Distinct: len(distinct[det]), AtLeast: capped[det]}
		if o.showValues {
			c.Values = slices.Sorted(func(yield func(string) bool) {
				for v := range values[det] {
					if !yield(v) {
						return
					}
				}
			})
			if c.Distinct == 0 {
				c.Distinct = len(c.Values)
			}
		}
		res.Classes = append(res.Classes, c)
	}
	slices.SortFunc(res.Classes, func(a, b affectedClass) int {
		return strings.Compare(string(a.Category)+"\x00"+a.Detector, string(b.Category)+"\x00"+b.Detector)
	})
	if err := writeAffected(s, o, &res); err != nil {
		return err
	}
	if len(res.Classes) == 0 {
		return errNotFound
	}
	return nil
}

// pathFilter tells whether a result path of the value index lies under
// one of the paths scanned (all of them when the root was scanned whole).
func pathFilter(root string, paths []string) func(string) bool {
	if paths == nil {
		return func(string) bool { return true }
	}
	var prefixes []string
	for _, p := range paths {
		prefixes = append(prefixes, filepath.ToSlash(filepath.Clean(p)))
	}
	return func(path string) bool {
		for _, q := range prefixes {
			if q == "." || path == q || strings.HasPrefix(path, q+"/") || strings.HasPrefix(path, q+"!") {
				return true
			}
		}
		return false
	}
}

func writeAffected(s streams, o *scanOptions, res *affectedResult) error {
	return writeAnswer(s, o, answer{what: "affected", json: res,
		csv: func() [][]string {
			rows := [][]string{{"category", "detector", "distinct", "files", "values"}}
			for _, c := range res.Classes {
				vals := make([]string, len(c.Values))
				for i, v := range c.Values {
					vals[i] = escape.Printable(v)
				}
				rows = append(rows, []string{string(c.Category), c.Detector, strconv.Itoa(c.Distinct), strconv.Itoa(c.Files), escape.CSVCell(strings.Join(vals, "; "))})
			}
			return rows
		},
		table: func(w io.Writer) error {
			if len(res.Classes) == 0 {
				_, err := fmt.Fprintln(w, "No personal data in the given paths.")
				return err
			}
			var rows [][]string
			for _, c := range res.Classes {
				n := strconv.Itoa(c.Distinct)
				if c.AtLeast {
					n = "at least " + n
				}
				rows = append(rows, []string{string(c.Category), c.Detector, n, strconv.Itoa(c.Files)})
			}
			if err := report.WriteGrid(w, []string{"CATEGORY", "DETECTOR", "DISTINCT VALUES", "FILES"}, rows); err != nil {
				return err
			}
			for _, c := range res.Classes {
				if len(c.Values) == 0 {
					continue
				}
				if _, err := fmt.Fprintf(w, "\n%s (%d):\n", c.Detector, len(c.Values)); err != nil {
					return err
				}
				for _, v := range c.Values {
					if _, err := fmt.Fprintf(w, "  %s\n", escape.Printable(v)); err != nil {
						return err
					}
				}
			}
			return nil
		},
	})
}
