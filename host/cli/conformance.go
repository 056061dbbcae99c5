package cli

import "github.com/spf13/cobra"

// conformanceSubcommands are the suites of `oneiros conformance ISA`, one file per ISA
// (conformance_<isa>.go) adding its command with registerConformance.
var conformanceSubcommands []func(*Globals) *cobra.Command

func registerConformance(f func(*Globals) *cobra.Command) {
	conformanceSubcommands = append(conformanceSubcommands, f)
}

func init() {
	register(func(g *Globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "conformance ISA --suite DIR [--prove N]",
			Short: "Run an external conformance suite through a frontend plugin",
		}
		for _, add := range conformanceSubcommands {
			cmd.AddCommand(add(g))
		}
		return cmd
	})
}
