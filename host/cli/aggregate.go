package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

func init() {
	register(func(g *Globals) *cobra.Command {
		var outFile, formatName string
		var quiet bool
		cmd := &cobra.Command{
			Use:   "aggregate FILE -o OUT",
			Short: "Aggregate a proof envelope's segment proofs into one recursion proof; writes an envelope that verify checks",
			Long: `Aggregate verifies the envelope's segment proofs, then proves them as one: a recursion
proof per segment (a leaf verifying it) and a tree of joins linking them, under the
aggregation parameters (blowup 2, 193 queries, folding by 16, 20 grinding bits: 100
provable bits). The result is an envelope with the same claim and claim_root; 'oneiros
verify' checks it. Exit 1 when the segment proofs do not verify, 2 on bad input.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				format, err := parseFormat(formatName)
				if err != nil {
					return err
				}
				if outFile == "" {
					return BadInput(fmt.Errorf("-o FILE is required: where to write the aggregated proof"))
				}
				if err := checkOutput(outFile); err != nil {
					return BadInput(fmt.Errorf("-o %s: %w (checked before aggregating)", outFile, err))
				}
				cfg, err := g.LoadConfig()
				if err != nil {
					return err
				}
				env, err := openEnvelope(args[0])
				if err != nil {
					return err
				}
				if env.Aggregation != nil {
					return BadInput(fmt.Errorf("%s is aggregated already", args[0]))
				}
				opts := verify.Options{MinSecurityBits: cfg.Engine.MinSecurityBits, MinProvableBits: cfg.Engine.MinProvableBits, Workers: cfg.Engine.Workers}
				o, err := verify.Open(env, opts)
				if err != nil {
					return Rejected(fmt.Errorf("%s: %w", args[0], err))
				}
				if err := machine.Aggregatable(o.Statement); err != nil {
					return BadInput(fmt.Errorf("%s: %w", args[0], err))
				}
				params := aggregate.Params
				params.MinSecurityBits = max(params.MinSecurityBits, opts.MinSecurityBits)
				params.MinProvableBits = max(params.MinProvableBits, opts.MinProvableBits)
				params.Workers = cfg.Engine.Workers
				tree, err := hemera.New(params)
				if err != nil {
					return BadInput(fmt.Errorf("aggregation parameters: %w", err))
				}
				start := time.Now()
				var progress func(step string, i, n int)
				if !quiet {
					progress = func(step string, i, n int) {
						fmt.Fprintf(g.Stderr, "[%6.2fs] %-9s %d/%d\n", time.Since(start).Seconds(), step, i+1, n)
					}
					fmt.Fprintf(g.Stderr, "[%6.2fs] aggregate verifying %d segment proofs and setting up the tree\n", 0.0, len(o.Segments))
				}
				a, err := o.Machine.Aggregate(cmd.Context(), tree, o.Keys.VK, o.Statement, o.Segments, progress)
				if err != nil {
					return Rejected(fmt.Errorf("%s: %w", args[0], err))
				}
				secs := time.Since(start).Seconds()
				agg := *env
				agg.Proofs = [][]byte{a.Encode()}
				agg.Aggregation = &params.FRI
				agg.Meta.PhaseSeconds = map[string]float64{"aggregate": secs}
				for k, v := range env.Meta.PhaseSeconds {
					agg.Meta.PhaseSeconds[k] = v
				}
				encoded := agg.Encode()
				if err := writeOutput(cmd.Context(), outFile, encoded); err != nil {
					return BadInput(fmt.Errorf("writing the aggregated proof: %w", err))
				}
				sec := securityOf(&agg)
				view := summary(&agg, sec)
				view["file"] = outFile
				view["aggregated_segments"] = len(env.Proofs)
				view["aggregate_seconds"] = secs
				return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					fmt.Fprintf(w, "aggregated %d segment proofs (%d bytes) into one (%d leaf shapes) in %.2fs: %s (%d bytes)\n",
						len(env.Proofs), proofBytes(env), len(a.Shapes), secs, outFile, len(encoded))
					printClaim(w, &agg, sec)
					return nil
				})
			},
		}
		cmd.Flags().StringVarP(&outFile, "out", "o", "", "file to write the aggregated proof envelope to")
		cmd.Flags().StringVar(&formatName, "format", "text", "summary format: text, json or yaml")
		cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress lines on stderr")
		return cmd
	})
}
