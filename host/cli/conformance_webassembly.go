// This file is not conformance_wasm.go: a _wasm suffix would make it build for GOARCH=wasm only.

package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	wasmconf "github.com/oneiros-zk/oneiros/host/conformance/wasm"
)

// defaultWasmSuite is where the shared WebAssembly suite sits next to a checkout.
const defaultWasmSuite = "../shared/conformance/wasm"

func init() { registerConformance(wasmConformanceCommand) }

func wasmConformanceCommand(g *Globals) *cobra.Command {
	var suite, filter string
	var prove int
	var dirs []string
	var quiet, noMeasure bool
	cmd := &cobra.Command{
		Use:   "wasm [--suite DIR] [--prove N] [-o text|json|yaml]",
		Short: "Run the WebAssembly spec tests through oneiros-frontend-wasm",
		Long: `Runs the shared WebAssembly spec-test suite (wast2json files, see its README)
through the oneiros-frontend-wasm plugin: each file's modules and invocations become one
invocation container that the plugin decodes, translates and runs on the reference
executor; assert_malformed and assert_invalid modules must be refused by Load. Reports
passed, failed and skipped (float-flagged) cases per group and file, and the normalized
cycles per WebAssembly instruction of each group. --suite defaults to ` + defaultWasmSuite + `
when it exists. --prove N proves and verifies N passing cases end to end.

Exit status: 0 if every case passes (and every proof verifies), 1 if one does not,
2 on bad input (no suite, no plugin).`,
		Args: cobra.NoArgs,
	}
	out := addOutputFlag(cmd)
	cmd.Flags().StringVar(&suite, "suite", "", "suite directory holding <group>/<name>/<name>.json (default "+defaultWasmSuite+")")
	cmd.Flags().IntVar(&prove, "prove", 0, "prove and verify N passing cases")
	cmd.Flags().StringSliceVar(&dirs, "plugin-dir", nil, "extra directory searched for plugins (repeatable)")
	cmd.Flags().StringVar(&filter, "run", "", "only the files whose group or name contains this string")
	cmd.Flags().BoolVar(&noMeasure, "no-measure", false, "do not count WebAssembly instructions (faster: no trace decoding)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress on stderr")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		format, err := parseFormat(*out)
		if err != nil {
			return err
		}
		opts, cfg, err := conformanceSetup(g, &suite, defaultWasmSuite, prove, dirs)
		if err != nil {
			return err
		}
		o := wasmconf.Options{Suite: suite, Plugins: opts, Prove: prove, Config: cfg, Filter: filter, Measure: !noMeasure}
		if !quiet {
			o.Progress = func(file string, done, total int) {
				fmt.Fprintf(g.Stderr, "[wasm] %d/%d %s\n", done, total, file)
			}
		}
		rep, err := wasmconf.Run(commandContext(cmd), o)
		if err != nil {
			return BadInput(err)
		}
		if err := emit(cmd.OutOrStdout(), format, rep, func(w io.Writer) error { return wasmText(w, rep) }); err != nil {
			return err
		}
		bad := rep.Failed
		for _, p := range rep.Proofs {
			if !p.Verified {
				bad++
			}
		}
		if bad > 0 {
			return Rejected(fmt.Errorf("wasm conformance: %d failure(s)", bad))
		}
		return nil
	}
	return cmd
}

// wasmText prints the report for people.
func wasmText(w io.Writer, rep *wasmconf.Report) error {
	fmt.Fprintf(w, "suite   %s\nplugin  %s\n\n", filepath.Clean(rep.Suite), rep.Plugin)
	fmt.Fprintf(w, "%-16s %7s %7s %8s %12s %14s\n", "group", "passed", "failed", "skipped", "cycles", "cycles/instr")
	for _, g := range rep.Groups {
		cpi := "-"
		if g.WasmInstructions > 0 {
			cpi = fmt.Sprintf("%.2f", g.CyclesPerInstruction)
		}
		fmt.Fprintf(w, "%-16s %7d %7d %8d %12d %14s\n", g.Name, g.Passed, g.Failed, g.Skipped, g.Cycles, cpi)
	}
	const show = 50
	for i, f := range rep.Failures {
		if i == show {
			fmt.Fprintf(w, "… %d more failures (-o json lists them all)\n", len(rep.Failures)-show)
			break
		}
		fmt.Fprintf(w, "FAIL %s: %s\n", f.ID, f.Reason)
	}
	for _, p := range rep.Proofs {
		if p.Verified {
			fmt.Fprintf(w, "proved %s: %d cycles in %.2fs, claim_root %s, verified\n", p.ID, p.Cycles, p.Seconds, p.ClaimRoot)
		} else {
			fmt.Fprintf(w, "PROOF FAILED %s: %s\n", p.ID, p.Error)
		}
	}
	if rep.WasmInstructions > 0 {
		fmt.Fprintf(w, "\n%.2f normalized cycles per WebAssembly instruction (%d cycles, %d instructions; entry code excluded)",
			rep.CyclesPerInstruction, rep.WasmCycles, rep.WasmInstructions)
	}
	_, err := fmt.Fprintf(w, "\n%d passed, %d failed, %d skipped in %.1fs\n", rep.Passed, rep.Failed, rep.Skipped, rep.Seconds)
	return err
}
