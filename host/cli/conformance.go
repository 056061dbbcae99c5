package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/conformance"
)

// defaultSuiteDir is where a shared suite of an ISA sits next to a checkout.
func defaultSuiteDir(isa string) string { return filepath.Join("..", "shared", "conformance", isa) }

func init() {
	register(func(g *Globals) *cobra.Command {
		var suite, filter, backend string
		var prove int
		var dirs []string
		var quiet, noMeasure, all bool
		cmd := &cobra.Command{
			Use:   "conformance ISA [--suite DIR] [--prove N] [-o text|json|yaml]",
			Short: "Run an external conformance suite through the frontend plugin of an ISA",
			Long: `Runs an external conformance suite through the frontend plugin oneiros-frontend-<ISA>,
for any plugin that serves one (plugin protocol 1.4; third-party plugins included). The
plugin reads the suite and lists its runs; the host loads and executes each run as it
would any program and hands the outcome back to the plugin, which judges the suite's
cases. The report has one shape for every ISA: totals, per-group counts and cycles (and
cycles per source instruction where the plugin measures them), the failures, the
proofs. --suite defaults to ../shared/conformance/<ISA> when it exists. --prove N proves
and verifies N passing cases end to end (the continuations profile), the groups in
turn, the cheapest first; the plugin judges each proven outcome again.

Exit status: 0 if every case passes (skipped cases aside) and every proof verifies,
1 if one does not, 2 on bad input (no suite, no plugin, a plugin without a suite).`,
			Args: cobra.MaximumNArgs(1),
		}
		out := addOutputFlag(cmd)
		cmd.Flags().StringVar(&suite, "suite", "", "the suite's directory (default ../shared/conformance/<ISA>)")
		cmd.Flags().IntVar(&prove, "prove", 0, "prove and verify N passing cases")
		cmd.Flags().StringSliceVar(&dirs, "plugin-dir", nil, "extra directory searched for plugins (repeatable)")
		cmd.Flags().StringVar(&filter, "run", "", "only the runs whose id or group contains this string")
		cmd.Flags().StringVar(&backend, "backend", "", "backend for --prove: auto, cpu, cuda (default: backend.kind)")
		cmd.Flags().BoolVar(&noMeasure, "no-measure", false, "do not count cycles per source instruction (faster: no trace decoding)")
		cmd.Flags().BoolVar(&all, "all", false, "list every case in the report, not only the failures")
		cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress on stderr")
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			isa := args[0]
			format, err := parseFormat(*out)
			if err != nil {
				return err
			}
			if suite == "" {
				suite = defaultSuiteDir(isa)
				if _, err := os.Stat(suite); err != nil {
					return BadInput(fmt.Errorf("--suite DIR is required (%s does not exist)", suite))
				}
			}
			if st, err := os.Stat(suite); err != nil || !st.IsDir() {
				return BadInput(fmt.Errorf("--suite %s: not a directory", suite))
			}
			if prove < 0 {
				return BadInput(fmt.Errorf("--prove %d: want a count of runs, 0 or more", prove))
			}
			cfg, _, err := g.LoadProfile("")
			if err != nil {
				return err
			}
			opts, err := pluginOptions(g, cfg, dirs)
			if err != nil {
				return err
			}
			o := conformance.Options{ISA: isa, Suite: suite, Plugins: opts, Filter: filter, Measure: !noMeasure,
				Prove: prove, Config: cfg, Backend: backend, AllCases: all}
			if !quiet {
				step := 1
				o.Progress = func(run string, done, total int) {
					if total > 200 {
						step = total / 100
					}
					if done == total || done%step == 0 {
						fmt.Fprintf(g.Stderr, "[%s] %d/%d %s\n", isa, done, total, run)
					}
				}
			}
			rep, err := conformance.Run(commandContext(cmd), o)
			if err != nil {
				if errors.Is(err, conformance.ErrNoSuite) {
					return BadInput(fmt.Errorf("conformance %s: %w", isa, err))
				}
				return BadInput(err)
			}
			if err := emit(cmd.OutOrStdout(), format, rep, func(w io.Writer) error { return conformanceText(w, rep) }); err != nil {
				return err
			}
			bad := rep.Failed
			for _, p := range rep.Proofs {
				if !p.Verified {
					bad++
				}
			}
			if bad > 0 {
				return Rejected(fmt.Errorf("%s conformance: %d failure(s)", isa, bad))
			}
			return nil
		}
		return cmd
	})
}

// conformanceText prints the report for people.
func conformanceText(w io.Writer, rep *conformance.Report) error {
	fmt.Fprintf(w, "suite   %s\nplugin  %s\n\n", filepath.Clean(rep.Suite), rep.Plugin)
	width := len("group")
	for _, g := range rep.Groups {
		width = max(width, len(g.Name))
	}
	fmt.Fprintf(w, "%-*s %7s %7s %8s %6s %12s %14s\n", width, "group", "passed", "failed", "skipped", "runs", "cycles", "cycles/instr")
	for _, g := range rep.Groups {
		cpi := "-"
		if g.SourceInstructions > 0 {
			cpi = fmt.Sprintf("%.2f", g.CyclesPerInstruction)
		}
		fmt.Fprintf(w, "%-*s %7d %7d %8d %6d %12d %14s\n", width, g.Name, g.Passed, g.Failed, g.Skipped, g.Runs, g.Cycles, cpi)
	}
	const show = 50
	for i, f := range rep.Failures {
		if i == show {
			fmt.Fprintf(w, "… %d more failures (-o json lists them all)\n", len(rep.Failures)-show)
			break
		}
		fmt.Fprintf(w, "FAIL %s (%s): %s\n", f.ID, f.Group, f.Reason)
	}
	for _, p := range rep.Proofs {
		if p.Verified {
			fmt.Fprintf(w, "proved %s: %d cycles in %.2fs, claim_root %s, verified\n", p.ID, p.Cycles, p.Seconds, p.ClaimRoot)
		} else {
			fmt.Fprintf(w, "PROOF FAILED %s: %s\n", p.ID, p.Error)
		}
	}
	if rep.SourceInstructions > 0 {
		fmt.Fprintf(w, "\n%.2f normalized cycles per source instruction (%d cycles, %d instructions)",
			rep.CyclesPerInstruction, rep.SourceCycles, rep.SourceInstructions)
	}
	_, err := fmt.Fprintf(w, "\n%d passed, %d failed, %d skipped in %d runs, %.1fs\n",
		rep.Passed, rep.Failed, rep.Skipped, rep.Runs, rep.Seconds)
	return err
}
