package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X github.com/oneiros-zk/oneiros/host/cli.Version=…".
var Version = "0.1.0-dev"

func init() {
	register(func(g *Globals) *cobra.Command {
		return &cobra.Command{
			Use:   "version",
			Short: "Print the version of oneiros",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				_, err := fmt.Fprintln(cmd.OutOrStdout(), "oneiros", Version)
				return err
			},
		}
	})
}
