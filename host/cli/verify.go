package cli

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

func init() {
	register(func(g *Globals) *cobra.Command {
		var out *string
		var allow []string
		var source, input string
		cmd := &cobra.Command{
			Use:   "verify FILE",
			Short: "Check a proof envelope; prints the claim (exit 1 when rejected)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				format, err := parseFormat(*out)
				if err != nil {
					return err
				}
				allowed, err := parseProgramIDs(allow)
				if err != nil {
					return err
				}
				cfg, err := g.LoadConfig()
				if err != nil {
					return err
				}
				b, err := readEnvelope(args[0])
				if errors.As(err, new(errNotEnvelope)) {
					return Rejected(err)
				}
				if err != nil {
					return BadInput(err)
				}
				env, err := envelope.Decode(b)
				if err != nil {
					return Rejected(fmt.Errorf("%s: %w", args[0], err))
				}
				opts := verify.Options{MinSecurityBits: cfg.Engine.MinSecurityBits, MinProvableBits: cfg.Engine.MinProvableBits, Workers: cfg.Engine.Workers}
				if len(allow) > 0 {
					opts.Hooks = append(opts.Hooks, verify.AllowPrograms(allowed...))
				}
				if source != "" {
					src, err := readFile("--source", source, maxProgramFile)
					if err != nil {
						return BadInput(err)
					}
					opts.Hooks = append(opts.Hooks, verify.RequireSource(src))
				}
				if input != "" {
					in, err := readFile("--input", input, cfg.Limits.MaxInputBytes)
					if err != nil {
						return BadInput(err)
					}
					opts.Hooks = append(opts.Hooks, verify.RequireInput(in))
				}
				if err := verify.Envelope(env, opts); err != nil {
					return Rejected(fmt.Errorf("%s: %w", args[0], err))
				}
				sec := securityOf(env)
				view := summary(env, sec)
				view["verified"] = true
				return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					fmt.Fprintf(w, "verified: %s\n", args[0])
					printClaim(w, env, sec)
					return nil
				})
			},
		}
		out = addOutputFlag(cmd)
		cmd.Flags().StringSliceVar(&allow, "allow-program", nil, "accept only these program IDs (hex; repeatable)")
		cmd.Flags().StringVar(&input, "input", "", "an input tape: its digest must be the claim's input_digest (which the proof proves)")
		cmd.Flags().StringVar(&source, "source", "", "the program as given to the frontend: its digest must be the claim's source_digest")
		return cmd
	})
	register(func(g *Globals) *cobra.Command {
		var out *string
		cmd := &cobra.Command{
			Use:   "inspect FILE",
			Short: "Show a proof envelope: claim, claim_root, digests, parameters, metadata (does not verify)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				format, err := parseFormat(*out)
				if err != nil {
					return err
				}
				b, err := readEnvelope(args[0])
				if err != nil {
					return BadInput(err)
				}
				env, err := envelope.Decode(b)
				if err != nil {
					return BadInput(fmt.Errorf("%s: %w", args[0], err))
				}
				sec := securityOf(env)
				view := summary(env, sec)
				return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					printClaim(w, env, sec)
					sec.printTerms(w)
					fmt.Fprintf(w, "proof_digest  %s\nsegments      %d (%d bytes)\nparams        %+v\nbackend       %s (%s), %.2fs, profile %s\nfrontend      %s\n",
						env.ProofDigest(), len(env.Proofs), proofBytes(env), env.Params, env.Meta.Backend, env.Meta.Device,
						env.Meta.ProveSeconds, env.Meta.Profile, env.Meta.Frontend)
					if len(env.Meta.PhaseSeconds) > 0 {
						names := make([]string, 0, len(env.Meta.PhaseSeconds))
						for k := range env.Meta.PhaseSeconds {
							names = append(names, k)
						}
						sort.Strings(names)
						fmt.Fprint(w, "phases       ")
						for _, k := range names {
							fmt.Fprintf(w, " %s %.3fs", k, env.Meta.PhaseSeconds[k])
						}
						fmt.Fprintln(w)
					}
					return nil
				})
			},
		}
		out = addOutputFlag(cmd)
		return cmd
	})
}
