package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	svmconf "github.com/oneiros-zk/oneiros/host/conformance/svm"
)

// defaultSVMSuite is where the shared sBPF suite sits next to a checkout.
const defaultSVMSuite = "../shared/conformance/svm"

func init() { registerConformance(svmConformanceCommand) }

func svmConformanceCommand(g *Globals) *cobra.Command {
	var suite, filter string
	var prove int
	var dirs []string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "svm [--suite DIR] [--prove N] [-o text|json|yaml]",
		Short: "Run the shared Solana sBPF suite (instruction vectors and ELF programs) through oneiros-frontend-svm",
		Long: `Runs the shared sBPF conformance suite through the oneiros-frontend-svm plugin:
Firedancer's instruction vectors (instr/, sBPF v0, v2, v3: verifier rejections, faults
and final registers) and Agave's ELF programs (elf/: loader rejections, return values
and instruction counts). --suite defaults to ` + defaultSVMSuite + ` when it exists.
--prove N proves and verifies N passing runs end to end, taken from each group in turn.

Exit status: 0 if every case passes (and every proof verifies), 1 if one does not,
2 on bad input (no suite, no plugin).`,
		Args: cobra.NoArgs,
	}
	out := addOutputFlag(cmd)
	cmd.Flags().StringVar(&suite, "suite", "", "suite directory holding instr/ and elf/ (default "+defaultSVMSuite+")")
	cmd.Flags().IntVar(&prove, "prove", 0, "prove and verify N passing runs, taken from each group in turn")
	cmd.Flags().StringSliceVar(&dirs, "plugin-dir", nil, "extra directory searched for plugins (repeatable)")
	cmd.Flags().StringVar(&filter, "run", "", "only the cases whose id contains this string")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress on stderr")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		format, err := parseFormat(*out)
		if err != nil {
			return err
		}
		opts, cfg, err := conformanceSetup(g, &suite, defaultSVMSuite, prove, dirs)
		if err != nil {
			return err
		}
		o := svmconf.Options{Suite: suite, Plugins: opts, Prove: prove, Config: cfg, Filter: filter}
		if !quiet {
			o.Progress = func(done, total int) {
				if done == total || done%250 == 0 {
					fmt.Fprintf(g.Stderr, "[svm] %d/%d cases\n", done, total)
				}
			}
		}
		rep, err := svmconf.Run(commandContext(cmd), o)
		if err != nil {
			return BadInput(err)
		}
		if err := emit(cmd.OutOrStdout(), format, rep, func(w io.Writer) error { return svmText(w, rep) }); err != nil {
			return err
		}
		bad := rep.Failed
		for _, p := range rep.Proofs {
			if !p.Verified {
				bad++
			}
		}
		if bad > 0 {
			return Rejected(fmt.Errorf("svm conformance: %d failure(s)", bad))
		}
		return nil
	}
	return cmd
}

// svmText prints the report for people.
func svmText(w io.Writer, rep *svmconf.Report) error {
	fmt.Fprintf(w, "suite   %s\nplugin  %s\n\n", filepath.Clean(rep.Suite), rep.Plugin)
	fmt.Fprintf(w, "%-6s %-8s %-12s %7s %7s %8s\n", "part", "version", "group", "passed", "failed", "skipped")
	for _, g := range rep.Groups {
		fmt.Fprintf(w, "%-6s %-8s %-12s %7d %7d %8d\n", g.Part, g.Version, g.Name, g.Passed, g.Failed, g.Skipped)
	}
	const show = 50
	for i, f := range rep.Failures {
		if i == show {
			fmt.Fprintf(w, "… %d more failures (-o json lists them all)\n", len(rep.Failures)-show)
			break
		}
		fmt.Fprintf(w, "FAIL %s (%s %s %s): %s\n", f.ID, f.Part, f.Version, f.Group, f.Reason)
	}
	for _, p := range rep.Proofs {
		if p.Verified {
			fmt.Fprintf(w, "proved %s: %d cycles in %.2fs, claim_root %s, verified\n", p.ID, p.Cycles, p.Seconds, p.ClaimRoot)
		} else {
			fmt.Fprintf(w, "PROOF FAILED %s: %s\n", p.ID, p.Error)
		}
	}
	_, err := fmt.Fprintf(w, "\n%d passed, %d failed, %d skipped in %.1fs\n", rep.Passed, rep.Failed, rep.Skipped, rep.Seconds)
	return err
}
