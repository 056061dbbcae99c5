package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

func init() {
	register(func(g *Globals) *cobra.Command {
		var outFile, formatName string
		var quiet, root bool
		cmd := &cobra.Command{
			Use:   "aggregate FILE -o OUT | --catalogue-root",
			Short: "Aggregate a proof envelope's segment proofs into one recursion proof; writes an envelope that verify checks",
			Long: `Aggregate verifies the envelope's segment proofs, then proves them as one: a recursion
proof per segment (a leaf verifying it) and a tree of joins linking them, under the
aggregation parameters (blowup 2, 193 queries, folding by 16, 20 grinding bits: 100
provable bits). The result is an envelope with the same claim and claim_root; 'oneiros
verify' checks it. Exit 1 when the segment proofs do not verify, 2 on bad input.

A run proven with segments.shapes: catalogue (the wrap preset) is aggregated over the
catalogue's allowlist: its vk_root is one constant per machine version, catalogue and
parameters, which --catalogue-root prints (the first time it sets up every shape's leaf,
minutes, and keeps them under the user's cache directory).`,
			Args: func(cmd *cobra.Command, args []string) error {
				if root {
					return cobra.NoArgs(cmd, args)
				}
				return cobra.ExactArgs(1)(cmd, args)
			},
			RunE: func(cmd *cobra.Command, args []string) error {
				format, err := parseFormat(formatName)
				if err != nil {
					return err
				}
				if root {
					cfg, err := g.LoadConfig()
					if err != nil {
						return err
					}
					if !quiet {
						fmt.Fprintf(g.Stderr, "catalogue root: reading the catalogue's leaf keys from the cache, or setting up every shape's leaf (minutes)\n")
					}
					var progress func(done, total int)
					if !quiet {
						start := time.Now()
						progress = func(done, total int) {
							fmt.Fprintf(g.Stderr, "[%6.2fs] leaf program %d/%d\n", time.Since(start).Seconds(), done+1, total)
						}
					}
					info, err := pipeline.CatalogueRoot(cfg, progress)
					if err != nil {
						return BadInput(err)
					}
					view := map[string]any{"catalogue": info.Name, "catalogue_id": info.ID, "shapes": info.Shapes,
						"vk_root": info.Root.String(), "computed": info.Computed, "seconds": info.Seconds}
					return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
						fmt.Fprintf(w, "catalogue %s (ID %s, %d shapes): vk_root %s\n", info.Name, info.ID, info.Shapes, info.Root)
						return nil
					})
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
				start := time.Now()
				var progress machine.AggregateProgress
				if !quiet {
					progress = func(step string, i, n int) {
						fmt.Fprintf(g.Stderr, "[%6.2fs] %-9s %d/%d\n", time.Since(start).Seconds(), step, i+1, n)
					}
					fmt.Fprintf(g.Stderr, "[%6.2fs] aggregate verifying %d segment proofs and setting up the tree\n", 0.0, len(env.Proofs))
				}
				res, err := pipeline.Aggregate(cmd.Context(), env, cfg, progress)
				if errors.Is(err, verify.ErrRejected) {
					return Rejected(fmt.Errorf("%s: %w", args[0], err))
				}
				if err != nil {
					return BadInput(fmt.Errorf("%s: %w", args[0], err))
				}
				agg, a, secs := res.Envelope, res.Proof, res.Seconds
				encoded := agg.Encode()
				if err := writeOutput(cmd.Context(), outFile, encoded); err != nil {
					return BadInput(fmt.Errorf("writing the aggregated proof: %w", err))
				}
				sec := securityOf(agg)
				view := summary(agg, sec)
				view["file"] = outFile
				view["aggregated_segments"] = len(env.Proofs)
				view["aggregate_seconds"] = secs
				if a.Catalogue != nil {
					view["catalogue"] = a.Catalogue.Name()
				}
				return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					allow := fmt.Sprintf("%d leaf shapes", len(a.Shapes))
					if a.Catalogue != nil {
						allow = fmt.Sprintf("catalogue %s's allowlist", a.Catalogue.Name())
					}
					fmt.Fprintf(w, "aggregated %d segment proofs (%d bytes) into one (%s) in %.2fs: %s (%d bytes)\n",
						len(env.Proofs), proofBytes(env), allow, secs, outFile, len(encoded))
					printClaim(w, agg, sec)
					return nil
				})
			},
		}
		cmd.Flags().StringVarP(&outFile, "out", "o", "", "file to write the aggregated proof envelope to")
		cmd.Flags().StringVar(&formatName, "format", "text", "summary format: text, json or yaml")
		cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress lines on stderr")
		cmd.Flags().BoolVar(&root, "catalogue-root", false, "print the fixed vk_root of runs proven with segments.shapes: catalogue under this configuration (no FILE)")
		return cmd
	})
}
