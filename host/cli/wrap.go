package cli

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sync"
	"time"

	gnarklog "github.com/consensys/gnark/logger"
	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/injector"
	"github.com/oneiros-zk/oneiros/proving/injector/solidity"
	"github.com/oneiros-zk/oneiros/proving/injector/wrap"
	"github.com/oneiros-zk/oneiros/sdk/injector/keys"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// quietGnark silences gnark's own log lines (every compile, set-up and proof logs at
// info level on stderr), which would interleave with the commands' progress; --log-level
// debug keeps them.
func quietGnark(g *Globals) {
	if g.LogLevel != "debug" && g.LogLevel != "trace" {
		gnarklog.Disable()
	}
}

// memoryLimitFlag adds --memory-limit-gb to cmd: the Go runtime's soft memory limit
// while the command runs (runtime/debug.SetMemoryLimit), so that the collector keeps the
// heap near it instead of letting it double between collections; GOMEMLIMIT, when set,
// wins. The wrap's live data (the outer prover's, then the circuit's and its proving
// key's) fit under the default with room: measured at 6.3 GB peak with it, 9.1 GB
// without (docs/wrap.md).
func memoryLimitFlag(cmd *cobra.Command) *int {
	return cmd.Flags().Int("memory-limit-gb", 6, "soft memory limit of the Go runtime, in GiB (0: none; GOMEMLIMIT overrides)")
}

// applyMemoryLimit sets the soft memory limit of memoryLimitFlag.
func applyMemoryLimit(gb *int) {
	if os.Getenv("GOMEMLIMIT") != "" || gb == nil || *gb <= 0 {
		return
	}
	debug.SetMemoryLimit(int64(*gb) << 30)
}

// keysFlag adds --keys (the wrap keys' cache directory) to cmd.
func keysFlag(cmd *cobra.Command) *string {
	return cmd.Flags().String("keys", "", "the wrap keys' cache directory (default $XDG_CACHE_HOME/oneiros/wrap, or ~/.cache/oneiros/wrap)")
}

// wrapError maps a wrap error to its exit code: missing or unusable keys and bad input
// 2, a rejected proof 1.
func wrapError(file string, err error) error {
	switch {
	case errors.Is(err, verify.ErrRejected):
		return Rejected(fmt.Errorf("%s: %w", file, err))
	case errors.Is(err, pipeline.ErrNoWrapKeys) || keys.IsKeysError(err):
		return BadInput(fmt.Errorf("%s: %w", file, err))
	}
	return BadInput(fmt.Errorf("%s: %w", file, err))
}

// wrapLabelOf is the wrap circuit's label for the configuration (what setup binds).
func wrapLabelOf(g *Globals) (string, error) {
	cfg, err := g.LoadConfig()
	if err != nil {
		return "", err
	}
	return wrapLabel(cfg.Engine.Hemera())
}

func init() {
	register(func(g *Globals) *cobra.Command {
		var outFile, formatName string
		var quiet bool
		var memLimit, setupMemLimit *int
		cmd := &cobra.Command{
			Use:   "wrap FILE -o OUT",
			Short: "Wrap an aggregated proof envelope into a Groth16 proof (a few hundred bytes) that verify and a Solidity contract check",
			Long: `Wrap proves the outer layer on an aggregated envelope's root (a recursion proof with
the BN254 Poseidon2 hash: blowup 16, 20 queries, folding by 8, 20 grinding bits — 100
conjectured bits, 59 provable) and wraps it in a Groth16 proof of the wrap circuit, whose
public inputs are the claim's claim_root, the program key (program_id with the program's
verifying key, entry and memory image) and the aggregation's allowlist root (vk_root).
The result is an envelope with the same claim and claim_root; 'oneiros verify' checks it
with the circuit's verifying key from the keys' cache, and 'oneiros export solidity'
writes the contract that checks it on chain.

The circuit's keys come from 'oneiros wrap setup' (once per circuit version). Wrapped
proofs have 59 provable bits: the configuration must allow them (engine.min_provable_bits
at most 59). Exit 1 when the aggregated proof does not verify, 2 on bad input or missing
keys.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				format, err := parseFormat(formatName)
				if err != nil {
					return err
				}
				if outFile == "" {
					return BadInput(fmt.Errorf("-o FILE is required: where to write the wrapped proof"))
				}
				quietGnark(g)
				applyMemoryLimit(memLimit)
				if err := checkOutput(outFile); err != nil {
					return BadInput(fmt.Errorf("-o %s: %w (checked before wrapping)", outFile, err))
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
				opts, stop := wrapOptions(cmd, g, quiet, "wrap", start)
				defer stop()
				res, err := pipeline.Wrap(cmd.Context(), env, cfg, opts)
				if err != nil {
					return wrapError(args[0], err)
				}
				encoded := res.Envelope.Encode()
				if err := writeOutput(cmd.Context(), outFile, encoded); err != nil {
					return BadInput(fmt.Errorf("writing the wrapped proof: %w", err))
				}
				wp, err := res.Proof.Proof.Encode()
				if err != nil {
					return err
				}
				secs := time.Since(start).Seconds()
				sec := securityOf(res.Envelope)
				view := summary(res.Envelope, sec)
				view["file"] = outFile
				view["circuit_id"] = res.CircuitID
				view["wrapped_proof_bytes"] = len(wp)
				view["wrap_seconds"] = res.Seconds
				return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					fmt.Fprintf(w, "wrapped the aggregated proof (%d bytes) in %.1fs: %s (%d bytes; the Groth16 proof %d bytes, circuit %s)\n",
						proofBytes(env), secs, outFile, len(encoded), len(wp), res.CircuitID[:16])
					printClaim(w, res.Envelope, sec)
					return nil
				})
			},
		}
		cmd.Flags().StringVarP(&outFile, "out", "o", "", "file to write the wrapped proof envelope to")
		cmd.Flags().StringVar(&formatName, "format", "text", "summary format: text, json or yaml")
		cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress lines on stderr")
		keysFlag(cmd)
		memLimit = memoryLimitFlag(cmd)

		var force bool
		var setupFormat string
		setup := &cobra.Command{
			Use:   "setup",
			Short: "Make the wrap circuit's Groth16 keys with a local set-up (for development) and cache them",
			Long: `Setup builds the zkVM's outer layer under the configuration's parameters, compiles the wrap
circuit that verifies its proofs, runs a local Groth16 set-up and stores the keys, the
circuit and its label in the keys' cache. It runs once per circuit version (the same
circuit serves every run); keys already cached are kept unless --force.

A local set-up is for development: whoever ran it knows its toxic waste and can forge
proofs. Production keys come from a multi-party ceremony (docs/injector-keys.md).
The zkVM's circuit has millions of constraints: expect tens of minutes and several GB.`,
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				format, err := parseFormat(setupFormat)
				if err != nil {
					return err
				}
				quietGnark(g)
				applyMemoryLimit(setupMemLimit)
				cfg, err := g.LoadConfig()
				if err != nil {
					return err
				}
				start := time.Now()
				opts, stop := wrapOptions(cmd, g, quiet, "wrap setup:", start)
				defer stop()
				res, err := pipeline.WrapSetup(cmd.Context(), cfg, opts, force)
				if err != nil {
					return wrapError("wrap setup", err)
				}
				path, _ := opts.Keys.Path(res.CircuitID)
				view := map[string]any{"label": res.Label, "circuit_id": res.CircuitID, "constraints": res.Constraints,
					"conjectured_bits": res.Security.Conjectured, "provable_bits": res.Security.Provable,
					"reused": res.Reused, "seconds": res.Seconds, "keys": path, "setup": string(keys.SetupLocalDev)}
				return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					verb := "made (local set-up: for development only)"
					if res.Reused {
						verb = "found in the cache (kept; --force makes new ones)"
					}
					fmt.Fprintf(w, "wrap circuit %s: %d constraints; keys %s in %.1fs\n  label     %s\n  keys      %s\n  security  %d bits conjectured, %d provable (the outer layer)\n",
						res.CircuitID, res.Constraints, verb, time.Since(start).Seconds(), res.Label, path, res.Security.Conjectured, res.Security.Provable)
					return nil
				})
			},
		}
		setup.Flags().BoolVar(&force, "force", false, "make new keys even if the cache has keys for the circuit")
		setup.Flags().StringVar(&setupFormat, "format", "text", "summary format: text, json or yaml")
		setup.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress lines on stderr")
		keysFlag(setup)
		setupMemLimit = memoryLimitFlag(setup)
		cmd.AddCommand(setup)
		return cmd
	})
	register(func(g *Globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "export",
			Short: "Export for chains: 'export solidity' writes the wrap circuit's verifier contract, 'export calldata' a wrapped proof's call to it",
		}
		var outFile, formatName, circuit string
		sol := &cobra.Command{
			Use:   "solidity -o Verifier.sol",
			Short: "Write the Solidity contract that verifies wrapped proofs (gnark's Groth16 verifier for the cached wrap keys)",
			Long: `Export solidity writes gnark's Groth16 verifier contract for the wrap circuit of the
configuration's parameters, from the verifying key in the keys' cache ('oneiros wrap
setup' makes it). The contract's verifyProof(bytes proof, uint256[3] input) takes
claim_root, the program key and vk_root, each a digest packed into one uint256: pin the
program key of the program you accept and compare claim_root with the claim you expect
('oneiros verify' of a wrapped envelope prints the three; docs/wrap.md says how they
are packed). Never take them from the prover unchecked.`,
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				format, err := parseFormat(formatName)
				if err != nil {
					return err
				}
				if outFile == "" {
					return BadInput(fmt.Errorf("-o FILE is required: where to write the contract"))
				}
				if err := checkOutput(outFile); err != nil {
					return BadInput(fmt.Errorf("-o %s: %w", outFile, err))
				}
				dir, _ := cmd.Flags().GetString("keys")
				c := keys.Cache{Dir: dir}
				b := keys.Binding{CircuitID: circuit}
				if circuit == "" {
					label, err := wrapLabelOf(g)
					if err != nil {
						return err
					}
					if b, err = c.Bound(label); err != nil {
						return BadInput(err)
					}
				}
				vk, err := c.LoadVK(b.CircuitID)
				if err != nil {
					return BadInput(err)
				}
				meta, err := c.LoadMeta(b.CircuitID)
				if err != nil {
					return BadInput(err)
				}
				var buf bytes.Buffer
				if err := solidity.Export(vk, &buf); err != nil {
					return err
				}
				if err := writeOutput(cmd.Context(), outFile, buf.Bytes()); err != nil {
					return BadInput(fmt.Errorf("writing the contract: %w", err))
				}
				view := map[string]any{"file": outFile, "circuit_id": b.CircuitID, "vk_sha256": injector.VKDigest(vk), "setup": string(meta.Setup), "solc": solidity.SolcVersion}
				return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					fmt.Fprintf(w, "wrote %s (%d bytes): the Groth16 verifier of wrap circuit %s\n  verifying key sha256 %s\n  set-up               %s\n  solc                 %s\n",
						outFile, buf.Len(), b.CircuitID, injector.VKDigest(vk), meta.Setup, solidity.SolcVersion)
					if meta.Setup == keys.SetupLocalDev {
						fmt.Fprintln(w, "warning: these keys come from a local set-up (development only): whoever ran it can forge proofs that this contract accepts")
					}
					return nil
				})
			},
		}
		sol.Flags().StringVarP(&outFile, "out", "o", "", "file to write the contract to")
		sol.Flags().StringVar(&circuit, "circuit", "", "the cached wrap circuit (its id) to export, instead of the configuration's")
		sol.Flags().StringVar(&formatName, "format", "text", "summary format: text, json or yaml")
		keysFlag(sol)
		cmd.AddCommand(sol)

		var cdOut, cdFormat string
		cd := &cobra.Command{
			Use:   "calldata FILE [-o OUT]",
			Short: "Write a wrapped envelope's call to the Solidity verifier: verifyProof(bytes proof, uint256[3] input), hex",
			Long: `Export calldata writes the transaction data that calls 'export solidity''s contract on a
wrapped envelope's proof: verifyProof(bytes proof, uint256[3] input), the proof's points
in EIP-197 encoding and its public inputs (claim_root, the program key, vk_root),
hex-encoded (to -o, or stdout). It does not verify: run 'oneiros verify FILE' first,
which checks that the inputs are the claim's.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				format, err := parseFormat(cdFormat)
				if err != nil {
					return err
				}
				env, err := openEnvelope(args[0])
				if err != nil {
					return err
				}
				if env.Wrap == nil || len(env.Proofs) != 1 {
					return BadInput(fmt.Errorf("%s: not a wrapped envelope (oneiros wrap makes one)", args[0]))
				}
				w, err := machine.DecodeWrapped(env.Proofs[0])
				if err != nil {
					return BadInput(fmt.Errorf("%s: %w", args[0], err))
				}
				pub, err := wrap.PublicWitness(w.Proof.Inputs...)
				if err != nil {
					return err
				}
				data, err := solidity.CallData(w.Proof.Proof, pub)
				if err != nil {
					return BadInput(fmt.Errorf("%s: %w", args[0], err))
				}
				text := hex.EncodeToString(data)
				view := map[string]any{"calldata": "0x" + text, "inputs": inputsView(w.Proof.Inputs), "circuit_id": w.Proof.CircuitID, "bytes": len(data)}
				if cdOut != "" {
					if err := checkOutput(cdOut); err != nil {
						return BadInput(fmt.Errorf("-o %s: %w", cdOut, err))
					}
					if err := writeOutput(cmd.Context(), cdOut, []byte(text+"\n")); err != nil {
						return BadInput(err)
					}
					view["file"] = cdOut
					delete(view, "calldata")
				}
				return emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					if cdOut == "" {
						fmt.Fprintln(w, text)
						return nil
					}
					fmt.Fprintf(w, "wrote %s: verifyProof calldata, %d bytes\n", cdOut, len(data))
					printInputs(w, view, "as the proof states them")
					return nil
				})
			},
		}
		cd.Flags().StringVarP(&cdOut, "out", "o", "", "file to write the hex calldata to (default: stdout)")
		cd.Flags().StringVar(&cdFormat, "format", "text", "summary format: text, json or yaml")
		cmd.AddCommand(cd)
		return cmd
	})
}

// wrapLabel is the label of the wrap circuit of the machine on the engine parameters
// p, under aggregate.Params and aggregate.OuterParams.
func wrapLabel(p hemera.Params) (string, error) {
	return pipeline.WrapLabel(p, aggregate.Params, aggregate.OuterParams)
}

// wrapOptions are the wrap commands' pipeline options: the keys' cache of --keys and,
// unless quiet, progress lines with a heartbeat (stop ends it).
func wrapOptions(cmd *cobra.Command, g *Globals, quiet bool, prefix string, start time.Time) (pipeline.WrapOptions, func()) {
	dir, _ := cmd.Flags().GetString("keys")
	opts := pipeline.WrapOptions{Keys: keys.Cache{Dir: dir}}
	if quiet {
		return opts, func() {}
	}
	hb := newHeartbeat(g.Stderr, prefix, start)
	opts.Progress = hb.step
	return opts, hb.stop
}

// heartbeat prints each step of a long command as it starts, and every
// heartbeatEvery while it lasts (a Groth16 set-up is silent for tens of minutes).
type heartbeat struct {
	w      io.Writer
	prefix string
	start  time.Time
	mu     sync.Mutex
	cur    string
	since  time.Time
	done   chan struct{}
}

const heartbeatEvery = time.Minute

func newHeartbeat(w io.Writer, prefix string, start time.Time) *heartbeat {
	h := &heartbeat{w: w, prefix: prefix, start: start, done: make(chan struct{})}
	go func() {
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-t.C:
				h.mu.Lock()
				if h.cur != "" {
					fmt.Fprintf(h.w, "[%7.2fs] %s %s: %.0fs so far\n", time.Since(h.start).Seconds(), h.prefix, h.cur, time.Since(h.since).Seconds())
				}
				h.mu.Unlock()
			}
		}
	}()
	return h
}

func (h *heartbeat) step(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cur, h.since = name, time.Now()
	fmt.Fprintf(h.w, "[%7.2fs] %s %s\n", time.Since(h.start).Seconds(), h.prefix, name)
}

func (h *heartbeat) stop() { close(h.done) }
