package main

import (
	"github.com/spf13/cobra"
)

func newConfigCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Inspect the scan configuration",
	}
	cmd.AddCommand(newConfigShowCmd(s))
	return cmd
}

// newConfigShowCmd builds `datahygiene config show`: it takes the scan
// command's flags and DIR, so it shows exactly what that scan would use.
func newConfigShowCmd(s streams) *cobra.Command {
	o := &scanOptions{}
	var table bool
	cmd := &cobra.Command{
		Use:   "show [scan flags] [DIR]",
		Short: "Print the settings a scan of DIR would use, and where each comes from",
		Long: `Show prints the effective scan settings for DIR (default: the current folder)
with the origin of each: a flag's default, a config file and line, a
DATAHYGIENE_* environment variable, or the command line. It reads
<config dir>/datahygiene/config.yaml (or --config FILE), then
DIR/.datahygiene.yaml, then the environment, then the flags given.

The YAML output is a valid scan: section: paste it into a config file.
Settings left at their default are commented out.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := "."
			if len(args) == 1 {
				root = args[0]
			}
			if err := o.applyConfig(cmd.Flags(), root, "table"); err != nil {
				return err
			}
			format := "yaml"
			if table {
				format = "table"
			}
			if err := o.effective.Write(s.out, format); err != nil {
				return err
			}
			// Shown first, then checked: the output says where a bad
			// value came from.
			return o.finalize()
		},
	}
	o.addFlags(cmd.Flags())
	cmd.Flags().BoolVar(&table, "table", false, "print a table instead of YAML")
	return cmd
}
