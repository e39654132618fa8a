package main

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datahygiene/datahygiene/pkg/assess"
	"github.com/datahygiene/datahygiene/pkg/config"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/policy"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

func newPolicyCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Inspect the data policy: retention, what counts as unprotected, prohibited data, exceptions",
	}
	cmd.AddCommand(newPolicyShowCmd(s))
	return cmd
}

// newPolicyShowCmd builds `datahygiene policy show`: it takes the scan
// command's flags and DIR, so it shows exactly the policy that scan would
// judge by.
func newPolicyShowCmd(s streams) *cobra.Command {
	o := &scanOptions{}
	cmd := &cobra.Command{
		Use:   "show [--policy FILE] [--rules FILE] [scan flags] [DIR]",
		Short: "Print the data policy a scan of DIR would use, and where each value comes from",
		Long: `Show prints the effective data policy for a scan of DIR (default: the current
folder) as YAML, each value with a comment naming where it was set: the
built-in policy, a config file, a --rules file or the --policy file, with
the line, or --stale-after. The sources are merged in that order, a later
one winning per key; exceptions add up. The output is itself a valid policy
file. See docs/policy.md for what each key means.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := "."
			if len(args) == 1 {
				root = args[0]
			}
			if err := o.applyConfig(cmd.Flags(), root); err != nil {
				return err
			}
			if err := o.finalize(); err != nil {
				return err
			}
			rs, _, srcs, err := loadRules(o.configSrcs, o.ruleFiles)
			if err != nil {
				return err
			}
			pol, err := loadPolicy(s, o, srcs, rs)
			if err != nil {
				return err
			}
			return pol.Write(s.out, true)
		},
	}
	o.addFlags(cmd.Flags())
	return cmd
}

// loadPolicy merges the built-in policy, the policy: sections of the
// config and rule files (srcs, the bytes loadRules compiled), then
// --policy FILE. A --stale-after set anywhere but its default (command
// line, environment, config file) overrides the default retention only.
// Warnings (an owner that is not a user here) go to stderr.
func loadPolicy(s streams, o *scanOptions, srcs []ruleset.Source, rs *ruleset.Ruleset) (*policy.Policy, error) {
	psrcs := make([]policy.Source, 0, len(srcs)+1)
	for _, src := range srcs {
		psrcs = append(psrcs, policy.Source{Name: src.Name, Data: src.Data})
	}
	if o.policyFile != "" {
		src, err := policy.ReadFile(o.policyFile)
		if err != nil {
			return nil, err
		}
		psrcs = append(psrcs, src)
	}
	pol, err := policy.Load(policy.Options{Known: ruleset.IDs(rs.All()), LookupUser: lookupUID}, psrcs...)
	if err != nil {
		return nil, err
	}
	for _, w := range pol.Warnings {
		s.logger().warn("%s", w)
	}
	if o.effective != nil {
		switch org := o.effective.Origin("stale-after"); org {
		case "", config.OriginDefault:
		default:
			pol = pol.WithDefaultRetention(o.stale, "--stale-after ("+org+")")
		}
	}
	return pol, nil
}

// assessOptions are the judgement's options for a scan: the policy, and
// each rule's own severity so that a cached result is judged afresh.
func assessOptions(pol *policy.Policy, rs *ruleset.Ruleset) assess.Options {
	return assess.Options{Policy: pol, RuleSeverity: func(id string) (finding.Severity, bool) {
		if r := rs.Rule(id); r != nil {
			return r.Severity, true
		}
		return finding.SeverityNone, false
	}}
}

// lookupUID resolves a policy's owner name to a uid on this machine.
func lookupUID(name string) (int, bool) {
	u, err := user.Lookup(name)
	if err != nil {
		return 0, false
	}
	uid, err := strconv.Atoi(u.Uid)
	return uid, err == nil
}

// statFacts gives a result judged again after the scan (by a baseline)
// the facts its stat holds, as the scan had them: owner and access time
// are not in the result. The file is stat'ed again, and used only if its
// mtime is still the one recorded; otherwise the result's own facts do.
func statFacts(root string, r *finding.FileResult) assess.Facts {
	outer, _, _ := strings.Cut(r.Path, "!")
	p := filepath.FromSlash(outer)
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, p)
	}
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		p = root // a single file scanned: its result is named by its base name
	}
	if fi, err := os.Lstat(p); err == nil && fi.ModTime().Equal(r.Modified) {
		return assess.StatFacts(r.Path, fi)
	}
	return assess.FactsOf(r)
}
