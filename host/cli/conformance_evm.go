package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"github.com/spf13/cobra"

	conf "github.com/oneiros-zk/oneiros/host/conformance/evm"
)

func init() { registerConformance(conformanceEVM) }

func conformanceEVM(g *Globals) *cobra.Command {
	var suite, run, backend string
	var dirs []string
	var prove int
	var verbose bool
	var out *string
	cmd := &cobra.Command{
		Use:   "evm [--suite DIR] [-o text|json|yaml] [--prove N] [--plugin-dir D]",
		Short: "Run the Ethereum state tests (Cancun) through oneiros-frontend-evm and check state roots and logs",
		Long: `Runs every case of an Ethereum state-test suite (cases.json and its group folders) through
the EVM frontend plugin: each case's transaction runs against its pre-state, and the run's
public output (the state diff and the logs) gives the post-state root (RLP and
Merkle-Patricia trie) and the logs hash, which must equal the fixture's. --prove N proves
and verifies the first N passing cases. Exit status 1 when a case fails.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := parseFormat(*out)
			if err != nil {
				return err
			}
			if prove < 0 {
				return BadInput(fmt.Errorf("--prove %d: want a count ≥ 0", prove))
			}
			if suite == "" {
				suite = defaultEVMSuite()
			}
			if _, err := os.Stat(filepath.Join(suite, "cases.json")); err != nil {
				return BadInput(fmt.Errorf("--suite %s: no cases.json there: %w", suite, err))
			}
			var filter *regexp.Regexp
			if run != "" {
				if filter, err = regexp.Compile(run); err != nil {
					return BadInput(fmt.Errorf("--run: %w", err))
				}
			}
			cfg, err := g.LoadConfig()
			if err != nil {
				return err
			}
			opts, err := pluginOptions(g, cfg, dirs)
			if err != nil {
				return err
			}
			o := conf.Options{Suite: suite, Config: cfg, Plugins: opts, Prove: prove, Backend: backend}
			if filter != nil {
				o.Filter = func(c *conf.Case) bool { return filter.MatchString(c.ID) || filter.MatchString(c.Group) }
			}
			if verbose {
				o.Progress = func(msg string) { fmt.Fprintln(g.Stderr, msg) }
			}
			rep, err := conf.Run(commandContext(cmd), o)
			if err != nil {
				return BadInput(err)
			}
			if err := emit(cmd.OutOrStdout(), format, rep, func(w io.Writer) error {
				for _, c := range rep.Cases {
					if c.Status == "failed" {
						fmt.Fprintf(w, "FAIL %s (%s): %s\n", c.ID, c.Group, c.Reason)
					}
				}
				fmt.Fprintf(w, "%-18s %7s %7s %7s %7s\n", "group", "passed", "failed", "skipped", "proved")
				for _, name := range rep.GroupNames() {
					t := rep.Groups[name]
					fmt.Fprintf(w, "%-18s %7d %7d %7d %7d\n", name, t.Passed, t.Failed, t.Skipped, t.Proved)
				}
				fmt.Fprintf(w, "%-18s %7d %7d %7d %7d\n", "total", rep.Passed, rep.Failed, rep.Skipped, rep.Proved)
				return nil
			}); err != nil {
				return err
			}
			if rep.Failed > 0 {
				return Rejected(fmt.Errorf("%d of %d cases failed", rep.Failed, rep.Passed+rep.Failed))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&suite, "suite", "", "suite directory holding cases.json (default ../shared/conformance/evm)")
	cmd.Flags().IntVar(&prove, "prove", 0, "prove and verify the first N passing cases")
	cmd.Flags().StringSliceVar(&dirs, "plugin-dir", nil, "extra directory searched for plugins (repeatable)")
	cmd.Flags().StringVar(&run, "run", "", "only the cases whose id or group matches this regular expression")
	cmd.Flags().StringVar(&backend, "backend", "", "backend for --prove: auto, cpu, cuda (default: backend.kind)")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "a line per case on stderr")
	out = addOutputFlag(cmd)
	return cmd
}

// defaultEVMSuite is ../shared/conformance/evm from the working directory.
func defaultEVMSuite() string { return filepath.Join("..", "shared", "conformance", "evm") }
