package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/oneiros-zk/oneiros/configs"
	"github.com/spf13/cobra"
)

func init() {
	register(func(g *Globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "config",
			Short: "Show the effective configuration or the defaults",
			Args:  cobra.NoArgs,
		}
		cmd.AddCommand(configShow(g), configDefault())
		return cmd
	})
}

func configShow(g *Globals) *cobra.Command {
	var profileName string
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration: defaults, profile, --config file and flags",
		Long: `Print the configuration a run would use: the embedded defaults, the chosen profile's
overrides, the --config file and the flags, in rising precedence. -o yaml (the default)
prints a file that --config accepts; -o text lists every setting with where its value
came from.`,
		Args: cobra.NoArgs,
	}
	out := addOutputFlagDefault(cmd, FormatYAML)
	cmd.Flags().StringVar(&profileName, "profile", "", "profile whose overrides apply (default: the configuration's profile key)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		f, err := parseFormat(*out)
		if err != nil {
			return err
		}
		cfg, _, err := g.LoadProfile(profileName)
		if err != nil {
			return err
		}
		return emit(cmd.OutOrStdout(), f, cfg, func(w io.Writer) error {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY\tVALUE\tFROM")
			for _, s := range cfg.Settings() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Key, s.Value, s.Origin)
			}
			return tw.Flush()
		})
	}
	return cmd
}

func configDefault() *cobra.Command {
	return &cobra.Command{
		Use:   "default",
		Short: "Print the embedded defaults with their comments, a starting point for --config",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmd.OutOrStdout().Write(configs.Default())
			return err
		},
	}
}
