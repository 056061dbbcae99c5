package cli

import (
	"github.com/spf13/cobra"
)

// pluginFlags are the flags every `oneiros plugins` subcommand sees.
type pluginFlags struct {
	dirs []string
}

// pluginsSubcommands is filled by the init functions of plugins_*.go, one
// file per subcommand.
var pluginsSubcommands []func(*Globals, *pluginFlags) *cobra.Command

func init() {
	register(func(g *Globals) *cobra.Command {
		pf := &pluginFlags{}
		cmd := &cobra.Command{
			Use:   "plugins",
			Short: "List, inspect and check frontend and backend plugins",
			Long: `Plugins are executables named oneiros-frontend-<isa> and oneiros-backend-<kind>,
found in the --plugin-dir directories, next to the oneiros binary and in ./bin.`,
			Args: cobra.NoArgs,
		}
		cmd.PersistentFlags().StringArrayVar(&pf.dirs, "plugin-dir", nil, "directory to search for plugins first (repeatable)")
		for _, add := range pluginsSubcommands {
			cmd.AddCommand(add(g, pf))
		}
		return cmd
	})
}
