package cli

import (
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// runFlags are the flags shared by execute and prove.
type runFlags struct {
	isa, input, profile, backend, device string
	dirs                                 []string
	quiet                                bool
	workDir                              string
	keepWork                             bool
	nats                                 string
	localWorkers                         int
	profileCycles                        bool
}

func (f *runFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.isa, "isa", "", "frontend ISA of PROGRAM: runs the plugin oneiros-frontend-<isa> (oneiros plugins list shows the installed ones)")
	cmd.Flags().StringVar(&f.input, "input", "", "file holding the input tape (hidden by the proof only with engine.zk: true: docs/security.md)")
	cmd.Flags().StringSliceVar(&f.dirs, "plugin-dir", nil, "extra directory searched for plugins (repeatable)")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "no progress lines on stderr")
}

// request builds the pipeline request, reading the program and the input.
func (f *runFlags) request(g *Globals, args []string) (*pipeline.Request, error) {
	if f.isa == "" {
		return nil, BadInput(fmt.Errorf("--isa is required: the ISA of an installed frontend plugin (oneiros plugins list shows them)"))
	}
	cfg, prof, err := g.LoadProfile(f.profile)
	if err != nil {
		return nil, err
	}
	src, err := readFile("program", args[0], maxProgramFile)
	if err != nil {
		return nil, BadInput(err)
	}
	var input []byte
	if f.input != "" {
		if input, err = readFile("--input (limits.max_input_bytes)", f.input, cfg.Limits.MaxInputBytes); err != nil {
			return nil, BadInput(err)
		}
	}
	opts, err := pluginOptions(g, cfg, f.dirs)
	if err != nil {
		return nil, err
	}
	req := &pipeline.Request{ISA: f.isa, Source: src, FileName: filepath.Base(args[0]), Input: input,
		Profile: prof.Name, Backend: f.backend, Device: f.device, Config: cfg, Plugins: opts,
		WorkDir: f.workDir, KeepWork: f.keepWork, NATS: f.nats, LocalWorkers: f.localWorkers, ProfileCycles: f.profileCycles}
	if !f.quiet {
		start := time.Now()
		bar := isTerminal(g.Stderr)
		req.Progress = func(stage, msg string) {
			if bar && (stage == "prove" || stage == "execute") {
				return // the segment bar shows them
			}
			fmt.Fprintf(g.Stderr, "[%6.2fs] %-8s %s\n", time.Since(start).Seconds(), stage, msg)
		}
		req.Segments = newSegmentProgress(g.Stderr).event
	}
	return req, nil
}

func init() {
	register(func(g *Globals) *cobra.Command {
		var f runFlags
		var out *string
		cmd := &cobra.Command{
			Use:   "execute --isa ISA PROGRAM [--input FILE]",
			Short: "Run a program through its frontend without proving: cycles, exit, output",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				format, err := parseFormat(*out)
				if err != nil {
					return err
				}
				req, err := f.request(g, args)
				if err != nil {
					return err
				}
				ex, err := pipeline.Execute(cmd.Context(), req)
				if err != nil {
					return BadInput(err)
				}
				r := ex.Result
				view := map[string]any{
					"isa": f.isa, "program_id": ex.ProgramID.String(), "status": r.Status.String(), "exit_code": r.ExitCode,
					"trap": r.TrapReason, "cycles": r.TotalCycles, "output_hex": hex.EncodeToString(r.PublicOutput),
					"instructions": len(ex.Program.Code), "seconds": ex.Seconds, "provable": ex.Statement != nil,
				}
				if ex.Profile != nil {
					view["profile"] = ex.Profile
				}
				if err := emit(cmd.OutOrStdout(), format, view, func(w io.Writer) error {
					fmt.Fprintf(w, "program_id  %s\nstatus      %s", ex.ProgramID, r.Status)
					if r.TrapReason != "" {
						fmt.Fprintf(w, " (%s)", r.TrapReason)
					}
					code := fmt.Sprint(r.ExitCode)
					if r.Status != frontend.StatusHalted {
						code = "none (it did not halt)"
					}
					fmt.Fprintf(w, "\nexit code   %s\ncycles      %d\noutput      %s\n", code, r.TotalCycles, printable(r.PublicOutput))
					if ex.Profile != nil {
						printProfile(w, ex.Profile)
					}
					return nil
				}); err != nil {
					return err
				}
				// A run that trapped or hit a limit did not succeed: exit 1 (docs/cli.md).
				if r.Status != frontend.StatusHalted {
					return Rejected(fmt.Errorf("the run did not halt: %s (%s) after %d cycles", r.Status, r.TrapReason, r.TotalCycles))
				}
				return nil
			},
		}
		f.add(cmd)
		cmd.Flags().BoolVar(&f.profileCycles, "profile-cycles", false, "count the run's normalized cycles by opcode, by the chip that proves them and by syscall")
		out = addOutputFlag(cmd)
		return cmd
	})
	register(func(g *Globals) *cobra.Command {
		var f runFlags
		var outFile, format string
		cmd := &cobra.Command{
			Use:   "prove --isa ISA PROGRAM [--input FILE] [--profile P] [--backend auto|cpu|cuda] -o FILE",
			Short: "Execute a program and prove the run; writes a proof envelope",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				fmtv, err := parseFormat(format)
				if err != nil {
					return err
				}
				if outFile == "" {
					return BadInput(fmt.Errorf("-o FILE is required: where to write the proof"))
				}
				if err := checkOutput(outFile); err != nil {
					return BadInput(fmt.Errorf("-o %s: %w (checked before proving)", outFile, err))
				}
				req, err := f.request(g, args)
				if err != nil {
					return err
				}
				proved, err := pipeline.Prove(cmd.Context(), req)
				if err != nil {
					return BadInput(err)
				}
				env := proved.Envelope
				encoded := env.Encode()
				if err := writeOutput(cmd.Context(), outFile, encoded); err != nil {
					return BadInput(fmt.Errorf("writing the proof: %w", err))
				}
				sec := securityOf(env)
				view := summary(env, sec)
				view["file"] = outFile
				return emit(cmd.OutOrStdout(), fmtv, view, func(w io.Writer) error {
					fmt.Fprintf(w, "proved %d cycles in %d segments (%s profile) in %.2fs on %s: %s (%d bytes)\n", env.Claim.Cycles, len(env.Proofs),
						env.Meta.Profile, env.Meta.ProveSeconds, env.Meta.Backend, outFile, len(encoded))
					if proved.Resumed > 0 {
						fmt.Fprintf(w, "resumed     %d segments from %s\n", proved.Resumed, proved.WorkDir)
					}
					printClaim(w, env, sec)
					return nil
				})
			},
		}
		f.add(cmd)
		cmd.Flags().StringVar(&f.profile, "profile", "", "proving profile (default: the configuration's profile)")
		cmd.Flags().StringVar(&f.backend, "backend", "", "backend: auto, cpu, cuda (default: backend.kind)")
		cmd.Flags().StringVar(&f.device, "device", "", "device inside the backend, e.g. cpu or cuda")
		cmd.Flags().StringVarP(&outFile, "out", "o", "", "file to write the proof envelope to")
		cmd.Flags().StringVar(&f.workDir, "work-dir", "", "directory keeping finished segment proofs, so that an interrupted prove resumes (default: one per run under the user's cache directory)")
		cmd.Flags().BoolVar(&f.keepWork, "keep-work", false, "keep the work directory after a successful prove")
		cmd.Flags().StringVar(&f.nats, "nats", "", "distributed profile: the NATS server (with JetStream) workers pull segments from (default: distributed.nats_url; empty: an embedded one on 127.0.0.1)")
		cmd.Flags().IntVar(&f.localWorkers, "local-workers", -1, "distributed profile: workers run by this process (default: distributed.local_workers)")
		cmd.Flags().StringVar(&format, "format", "text", "summary format: text, json or yaml")
		return cmd
	})
}

// summary is the machine-readable view of an envelope.
func summary(env *envelope.Envelope, sec security) map[string]any {
	c := env.Claim
	view := map[string]any{
		"claim": map[string]any{
			"isa": c.ISA, "program_id": c.ProgramID.String(), "source_digest": c.SourceDigest.String(),
			"input_digest": c.InputDigest.String(), "output_digest": c.OutputDigest.String(),
			"exit_status": isa.ExitStatus(c.ExitStatus).String(), "exit_code": c.ExitCode, "cycles": c.Cycles,
			"hook_count": c.HookCount, "hook_digest": c.HookDigest.String(),
		},
		"claim_root":    c.Root().String(),
		"proof_digest":  env.ProofDigest().String(),
		"output_hex":    hex.EncodeToString(env.Output),
		"params":        env.Params,
		"meta":          env.Meta,
		"proof_bytes":   proofBytes(env),
		"segments":      len(env.Proofs),
		"security_bits": sec.Conjectured,
		"security":      sec.view(),
	}
	if env.Aggregation != nil {
		// One proof: the segment proofs aggregated under these parameters.
		view["aggregation"] = env.Aggregation
	}
	if env.Wrap != nil {
		// The aggregated proof's outer layer, wrapped: its parameters.
		view["wrap"] = env.Wrap
	}
	return view
}

func proofBytes(env *envelope.Envelope) int {
	n := 0
	for _, p := range env.Proofs {
		n += len(p)
	}
	return n
}

// printClaim prints the claim in two groups: the fields the proof establishes, and those
// it is only bound to (stated by the prover; docs/security.md, "What the claim binds").
func printClaim(w io.Writer, env *envelope.Envelope, sec security) {
	c := env.Claim
	fmt.Fprintf(w, "proven\n  program_id    %s\n  exit          %s, code %d\n  cycles        %d\n  output        %s\n  input_len     %d bytes\n  input_digest  %s\n",
		c.ProgramID, isa.ExitStatus(c.ExitStatus), c.ExitCode, c.Cycles, printable(env.Output), c.InputLen, c.InputDigest)
	if c.HookCount > 0 {
		fmt.Fprintf(w, "  hook_count    %d host answers\n  hook_digest   %s\n", c.HookCount, c.HookDigest)
	}
	fmt.Fprintf(w, "bound (stated by the prover; the proof holds only for these values)\n  isa           %s\n  source_digest %s\n",
		c.ISA, c.SourceDigest)
	fmt.Fprintf(w, "claim_root    %s\nsecurity      %s\n", c.Root(), sec.line())
	if o := env.Wrap; o != nil {
		fmt.Fprintf(w, "wrapped       one Groth16 proof of the aggregated proof's outer layer (blowup 2^%d, %d queries, folding by 2^%d, %d grinding bits; hash %v)\n",
			o.LogBlowup, o.NumQueries, o.LogArity, o.GrindingBits, o.Hash)
	} else if a := env.Aggregation; a != nil {
		fmt.Fprintf(w, "aggregated    one recursion proof of the segment proofs (blowup 2^%d, %d queries, folding by 2^%d, %d grinding bits)\n",
			a.LogBlowup, a.NumQueries, a.LogArity, a.GrindingBits)
	}
	if env.Wrap != nil {
		fmt.Fprintln(w, "zero-knowledge yes: the Groth16 proof hides its witness (the recursion proofs, the input tape, the trace); the claim and output are in the envelope")
	} else if env.Params.ZK {
		fmt.Fprintln(w, "zero-knowledge yes: the proof hides the input tape and the trace (not the claim, the output or the table heights)")
	} else {
		fmt.Fprintln(w, "zero-knowledge no: the proof reveals trace values, the input tape's included (engine.zk: true hides them)")
	}
}

// printProfile prints a cycle profile: by chip, by opcode and by syscall, largest first.
func printProfile(w io.Writer, p *machine.Profile) {
	table := func(title string, m map[string]uint64) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "\n%s\tCYCLES\tSHARE\n", title)
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%d\t%.1f%%\n", k, m[k], 100*float64(m[k])/float64(max(p.Cycles, 1)))
		}
		tw.Flush()
	}
	table("CHIP (besides the CPU's row)", p.ByChip)
	table("OPCODE", p.ByOpcode)
	if len(p.BySyscall) > 0 {
		table("SYSCALL", p.BySyscall)
	}
	if len(p.BySource) > 0 {
		keys := make([]string, 0, len(p.BySource))
		for k := range p.BySource {
			keys = append(keys, k)
		}
		m := p.BySource
		sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "\nSOURCE (the frontend's source map)\tCYCLES\tSHARE\tEXECUTED\tCYCLES EACH\n")
		for _, k := range keys {
			each := "-"
			if n := p.SourceExecutions[k]; n > 0 {
				each = fmt.Sprintf("%.1f", float64(m[k])/float64(n))
			}
			fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%d\t%s\n", k, m[k], 100*float64(m[k])/float64(max(p.Cycles, 1)), p.SourceExecutions[k], each)
		}
		tw.Flush()
	}
}
