package cli

import (
	"encoding/hex"
	"errors"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"text/tabwriter"

	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/injector/keys"
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
				env, err := openEnvelope(args[0])
				if err != nil {
					return err
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
				keysDir, _ := cmd.Flags().GetString("keys")
				var wk *verify.WrapKey
				if env.Wrap != nil {
					quietGnark(g) // its Groth16 verifier logs a debug line
					get := pipeline.WrapKeyFrom(keys.Cache{Dir: keysDir})
					opts.WrapKey = func(label string) (*verify.WrapKey, error) {
						k, err := get(label)
						wk = k
						return k, err
					}
				}
				if err := verify.Envelope(env, opts); err != nil {
					if errors.Is(err, verify.ErrNoWrapKey) {
						return BadInput(fmt.Errorf("%s: %w", args[0], err))
					}
					return Rejected(fmt.Errorf("%s: %w", args[0], err))
				}
				sec := securityOf(env)
				if wk != nil {
					sec = sec.withOuter(wk)
				}
				view := summary(env, sec)
				view["verified"] = true
				wi := aggregatedInfo(env)
				if env.Wrap != nil && wi != nil {
					// The public inputs, now checked to be the claim's: what a
					// contract's verifyProof takes.
					view["wrapped"] = wi
				}
				return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					fmt.Fprintf(w, "verified: %s\n", args[0])
					printClaim(w, env, sec)
					if env.Wrap != nil && wi != nil {
						printInputs(w, wi, "verifyProof's input, checked to be the claim's")
						fmt.Fprintf(w, "circuit       %s\n", wi["circuit_id"])
					}
					return nil
				})
			},
		}
		out = addOutputFlag(cmd)
		cmd.Flags().StringSliceVar(&allow, "allow-program", nil, "accept only these program IDs (hex; repeatable)")
		cmd.Flags().StringVar(&input, "input", "", "an input tape: its digest must be the claim's input_digest (which the proof proves)")
		cmd.Flags().StringVar(&source, "source", "", "the program as given to the frontend: its digest must be the claim's source_digest")
		keysFlag(cmd)
		return cmd
	})
	register(func(g *Globals) *cobra.Command {
		var out *string
		var keysDir *string
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
				if env.Wrap != nil {
					sec = sec.outerFromCache(env, keysDir)
				}
				view := summary(env, sec)
				segs := segmentList(env)
				view["segment_list"] = segs
				if a := aggregatedInfo(env); a != nil {
					view[aggregatedKey(env)] = a
				}
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
					if a := aggregatedInfo(env); a != nil {
						if env.Wrap != nil {
							if e, ok := a["error"]; ok {
								fmt.Fprintf(w, "wrapped       malformed: %s\n", e)
								return nil
							}
							fmt.Fprintf(w, "wrapped       circuit %s, %d leaf shapes, Groth16 proof %d bytes\n", a["circuit_id"], a["leaf_shapes"], a["proof_bytes"])
							printInputs(w, a, "as the proof states them, not verified")
							return nil
						}
						fmt.Fprintf(w, "aggregated    %d leaf shapes, the root under allowlist key %d, %d public values\n", a["leaf_shapes"], a["root_key"], a["public_values"])
						return nil
					}
					printSegments(w, segs)
					return nil
				})
			},
		}
		out = addOutputFlag(cmd)
		keysDir = keysFlag(cmd)
		return cmd
	})
}

// segmentInfo is one segment proof as inspect lists it: its state as the proof states it
// (inspect does not verify).
type segmentInfo struct {
	Index      int    `json:"index" yaml:"index"`
	FirstCycle uint64 `json:"first_cycle" yaml:"first_cycle"`
	Cycles     uint64 `json:"cycles" yaml:"cycles"`
	Final      bool   `json:"final" yaml:"final"`
	ExitPC     uint32 `json:"exit_pc" yaml:"exit_pc"`
	ExitFP     uint32 `json:"exit_fp" yaml:"exit_fp"`
	InputEnd   uint32 `json:"input_end" yaml:"input_end"`
	OutputEnd  uint32 `json:"output_end" yaml:"output_end"`
	MemRoot    string `json:"memory_root" yaml:"memory_root"` // the root of the memory the segment leaves`
	Bytes      int    `json:"bytes" yaml:"bytes"`
	Error      string `json:"error,omitempty" yaml:"error,omitempty"`
}

func segmentList(env *envelope.Envelope) []segmentInfo {
	if env.Aggregation != nil {
		return nil // one aggregated proof: aggregatedInfo
	}
	out := make([]segmentInfo, len(env.Proofs))
	var first uint64
	for i, b := range env.Proofs {
		out[i] = segmentInfo{Index: i, FirstCycle: first, Bytes: len(b)}
		sp, err := machine.DecodeSegmentProof(b)
		if err != nil {
			out[i].Error = err.Error()
			continue
		}
		st := sp.State
		out[i].Cycles, out[i].Final, out[i].ExitPC, out[i].ExitFP = st.Cycles, st.Final, st.ExitPC, st.ExitFP
		out[i].InputEnd, out[i].OutputEnd, out[i].MemRoot = st.InEnd, st.OutEnd, st.MemRoot.String()
		first += st.Cycles
	}
	return out
}

// aggregatedInfo describes an aggregated envelope's proof (nil for an envelope of
// segment proofs, or one whose proof does not decode: verify says why).
func aggregatedInfo(env *envelope.Envelope) map[string]any {
	if env.Aggregation == nil || len(env.Proofs) != 1 {
		return nil
	}
	if env.Wrap != nil {
		w, err := machine.DecodeWrapped(env.Proofs[0])
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		b, _ := w.Proof.Encode()
		return map[string]any{"leaf_shapes": len(w.Shapes), "circuit_id": w.Proof.CircuitID, "inputs": inputsView(w.Proof.Inputs),
			"proof_bytes": len(b), "outer_params": env.Wrap}
	}
	a, err := machine.DecodeAggregated(env.Proofs[0])
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	view := map[string]any{"leaf_shapes": len(a.Shapes), "root_key": a.Root.Key, "public_values": len(a.Root.Publics)}
	// vk_root as the root proof states it (a claim, checked by verify): over a catalogue's
	// allowlist it is the catalogue's fixed root (oneiros aggregate --catalogue-root).
	if pub, err := machine.LeafLayout.Decode(a.Root.Publics); err == nil {
		view["vk_root"] = pub.Root.String()
	}
	if a.Catalogue != nil {
		view["catalogue"], view["catalogue_id"] = a.Catalogue.Name(), a.Catalogue.ID().String()
	}
	return view
}

// aggregatedKey is the name of aggregatedInfo in inspect's view.
func aggregatedKey(env *envelope.Envelope) string {
	if env.Wrap != nil {
		return "wrapped"
	}
	return "aggregated"
}

func printSegments(w io.Writer, segs []segmentInfo) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "segment\tfirst cycle\tcycles\tends\tinput end\toutput end\tmemory root\tbytes\t")
	for _, s := range segs {
		if s.Error != "" {
			fmt.Fprintf(tw, "%d\t\t\tmalformed: %s\t\t\t\t%d\t\n", s.Index, s.Error, s.Bytes)
			continue
		}
		ends := fmt.Sprintf("pc %d fp %#x", s.ExitPC, s.ExitFP)
		if s.Final {
			ends = "halt/trap"
		}
		root := s.MemRoot
		if len(root) > 16 {
			root = root[:16] + "…"
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%d\t%d\t%s\t%d\t\n", s.Index, s.FirstCycle, s.Cycles, ends, s.InputEnd, s.OutputEnd, root, s.Bytes)
	}
	tw.Flush()
}

// inputNames name a wrapped proof's public inputs (core/machine.OuterInputs): each a
// digest packed into one BN254 element (hash.OuterPack).
var inputNames = []string{"claim_root", "program_key", "vk_root"}

// inputsView is a wrapped proof's public inputs by name (hex, 32 bytes big-endian: the
// uint256 a contract's verifyProof takes).
func inputsView(in []fr.Element) map[string]string {
	out := make(map[string]string, len(in))
	for i := range in {
		name := fmt.Sprintf("input_%d", i)
		if len(in) == len(inputNames) {
			name = inputNames[i]
		}
		b := in[i].Bytes()
		out[name] = "0x" + hex.EncodeToString(b[:])
	}
	return out
}

// printInputs prints a wrapped proof's public inputs in verifyProof's order.
func printInputs(w io.Writer, info map[string]any, how string) {
	in, ok := info["inputs"].(map[string]string)
	if !ok {
		return
	}
	fmt.Fprintf(w, "inputs        %s:\n", how)
	for i, name := range inputNames {
		if v, ok := in[name]; ok {
			fmt.Fprintf(w, "  [%d] %-11s %s\n", i, name, v)
		}
	}
}
