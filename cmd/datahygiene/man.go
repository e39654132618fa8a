package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd builds the hidden `datahygiene man DIR`, which writes a man
// page per command, generated from the command tree so that it never
// drifts from --help (as cli/cli's gen-docs does). Shell completions come
// from cobra's own `completion` command.
func newManCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write man pages for every command into DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return err
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			hdr := &doc.GenManHeader{Title: "DATAHYGIENE", Section: "1", Source: "datahygiene " + toolVersion()}
			if err := doc.GenManTree(root, hdr, args[0]); err != nil {
				return fmt.Errorf("writing man pages: %w", err)
			}
			s.logger().log(slog.LevelInfo, "man pages written to "+args[0])
			return nil
		},
	}
}
