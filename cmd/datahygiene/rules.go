package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datahygiene/datahygiene/pkg/detect"
	"github.com/datahygiene/datahygiene/pkg/report"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

func newRulesCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the active detectors or check a rule file",
	}
	cmd.AddCommand(newRulesListCmd(s), newRulesTestCmd(s))
	return cmd
}

type rulesListOptions struct {
	ruleFiles []string
	all       bool
}

func newRulesListCmd(s streams) *cobra.Command {
	o := &rulesListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Show the active detectors (built-in merged with --rules files)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			rs, err := ruleset.Load(o.ruleFiles...)
			if err != nil {
				return err
			}
			return printRules(s, rs, o.all)
		},
	}
	cmd.Flags().StringArrayVar(&o.ruleFiles, "rules", nil, "extra rule `FILE` merged over the built-in detectors (repeatable)")
	cmd.Flags().BoolVar(&o.all, "all", false, "include disabled detectors")
	return cmd
}

func printRules(s streams, rs *ruleset.Ruleset, all bool) error {
	list := rs.Rules()
	if all {
		list = rs.All()
	}
	var rows [][]string
	for _, r := range list {
		v := r.ValidatorName
		if v == "" {
			v = "-"
		}
		rows = append(rows, []string{r.ID, string(r.Category), r.Severity.String(), v, contextMode(r), fmt.Sprint(r.Enabled), r.Name})
	}
	return report.WriteGrid(s.out, []string{"ID", "CATEGORY", "SEVERITY", "VALIDATOR", "CONTEXT", "ENABLED", "NAME"}, rows)
}

// contextMode summarises how a rule uses context: needed always, needed for
// some patterns, or only a confidence boost.
func contextMode(r *ruleset.Rule) string {
	n := 0
	for _, p := range r.Patterns {
		if p.ContextRequired {
			n++
		}
	}
	switch {
	case n == len(r.Patterns):
		return "required"
	case n > 0:
		return "required for some forms"
	case len(r.ContextWords) > 0 || len(r.Headers) > 0:
		return "boost"
	}
	return "-"
}

func newRulesTestCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "test FILE...",
		Short: "Check rule files: syntax, patterns, validators, and their examples",
		Long: `Test compiles each FILE over the built-in detectors, reporting any problem
with the file and line, then runs the match / no_match examples of every
rule the files define or override.

Exit status: 0 all good, 1 an example failed, 2 a file is invalid.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, files []string) error {
			rs, err := ruleset.Load(files...)
			if err != nil {
				return err
			}
			var mine []*ruleset.Rule
			for _, r := range rs.All() {
				for _, f := range files {
					if strings.HasPrefix(r.Origin, f+":") {
						mine = append(mine, r)
						break
					}
				}
			}
			n := 0
			for _, r := range mine {
				if r.Enabled {
					n += len(r.Examples)
				}
			}
			fails := detect.CheckExamples(rs, mine)
			for _, f := range fails {
				fmt.Fprintf(s.out, "FAIL %v\n", f)
			}
			fmt.Fprintf(s.out, "%d rules, %d examples, %d failed\n", len(mine), n, len(fails))
			if len(fails) > 0 {
				return errFindings
			}
			return nil
		},
	}
}
