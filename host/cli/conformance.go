package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

// conformanceSubcommands are the suites of `oneiros conformance ISA`, one file per ISA
// (conformance_<isa>.go) adding its command with registerConformance.
var conformanceSubcommands []func(*Globals) *cobra.Command

// conformanceSetup is what every suite's command does before running: it defaults the
// suite directory to defaultSuite when that exists, checks --prove, and loads the plugin
// options and the configuration (with the profile's settings).
func conformanceSetup(g *Globals, suite *string, defaultSuite string, prove int, dirs []string) (plugin.Options, *config.Config, error) {
	if *suite == "" {
		if _, err := os.Stat(defaultSuite); err != nil {
			return plugin.Options{}, nil, BadInput(fmt.Errorf("--suite DIR is required (%s does not exist)", defaultSuite))
		}
		*suite = defaultSuite
	}
	if prove < 0 {
		return plugin.Options{}, nil, BadInput(fmt.Errorf("--prove %d: want a count of runs, 0 or more", prove))
	}
	cfg, _, err := g.LoadProfile("")
	if err != nil {
		return plugin.Options{}, nil, err
	}
	opts, err := pluginOptions(g, cfg, dirs)
	if err != nil {
		return plugin.Options{}, nil, err
	}
	return opts, cfg, nil
}

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
