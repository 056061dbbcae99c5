package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

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
		var known []string
		for _, add := range conformanceSubcommands {
			sub := add(g)
			known = append(known, sub.Name())
			cmd.AddCommand(sub)
		}
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return BadInput(fmt.Errorf("conformance: unknown ISA %q (this build knows: %s)", args[0], strings.Join(known, ", ")))
		}
		return cmd
	})
}
