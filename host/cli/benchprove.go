package cli

import (
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"sort"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/host/planner"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

// proveBench is the result of `oneiros bench prove`.
type proveBench struct {
	Program        string             `json:"program"`
	Cycles         uint64             `json:"cycles"`
	Workers        int                `json:"workers"`
	ExecuteSeconds float64            `json:"execute_seconds"`
	TraceSeconds   float64            `json:"trace_seconds"`
	StarkSeconds   float64            `json:"stark_seconds"`
	TotalSeconds   float64            `json:"total_seconds"`
	CyclesPerSec   float64            `json:"cycles_per_second"`
	VerifySeconds  float64            `json:"verify_seconds"`
	ProofBytes     int                `json:"proof_bytes"`
	PeakRSSBytes   uint64             `json:"peak_rss_bytes"`
	BytesPerCycle  float64            `json:"peak_bytes_per_cycle"`
	SecurityBits   int                `json:"security_bits"` // conjectured
	ProvableBits   int                `json:"provable_bits"`
	Kernels        map[string]float64 `json:"kernel_seconds"`
	Tables         map[string][2]int  `json:"tables"` // rows, main columns (the tallest segment's)
	Segments       int                `json:"segments"`
	SegmentCycles  uint64             `json:"segment_cycles,omitempty"` // --segment-cycles; 0: one segment
	GCPercent      int                `json:"gc_percent"`               // the garbage collector's target (backend.TuneGC; GOGC overrides)
}

func benchProve(g *Globals) *cobra.Command {
	{
		var program string
		var iterations, segmentCycles uint64
		var out *string
		cmd := &cobra.Command{
			Use:   "prove [--program examples/mix.s] [--iterations N]",
			Short: "Prove a long-running program in-process and report cycles/s, memory, proof size and where the time goes",
			Long: `Runs the normalized program (by default examples/mix.s, a mixing loop of about 11
cycles per iteration over loads, stores, every ALU family and a branch) for N iterations
(its input is N as a u32), proves the run with the engine configured by --config on the
CPU kernels (timed per kernel), verifies the proof, and reports: normalized cycles proven
per second, the phases (trace filling, LDE, Merkle, quotient, FRI folding), peak memory
(the process's maximum resident set) per cycle, proof size and verification time.`,
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				format, err := parseFormat(*out)
				if err != nil {
					return err
				}
				gc := backend.TuneGC() // as a backend process proves
				cfg, err := g.LoadConfig()
				if err != nil {
					return err
				}
				src, err := readFile("--program", program, maxProgramFile)
				if err != nil {
					return BadInput(fmt.Errorf("%w (run from the repository root, or give a path)", err))
				}
				p, err := isa.Assemble(program, src)
				if err != nil {
					return BadInput(err)
				}
				input := binary.LittleEndian.AppendUint32(nil, uint32(iterations))
				if segmentCycles != 0 {
					if segmentCycles < 1<<10 || segmentCycles > 1<<21 || segmentCycles&(segmentCycles-1) != 0 {
						return BadInput(fmt.Errorf("--segment-cycles %d: a power of two from 2^10 to 2^21", segmentCycles))
					}
					e, timed, err := timedEngine(cfg.Engine)
					if err != nil {
						return err
					}
					b := proveBench{Program: program, Workers: e.Params().Workers, GCPercent: gc}
					fmt.Fprintf(g.Stderr, "proving %d iterations of %s in segments of %d cycles on %d worker(s)…\n", iterations, program, planner.Capacity(segmentCycles), b.Workers)
					if err := benchSegments(commandContext(cmd), machine.New(e), timed, p, input, segmentCycles, &b, func(s string) { fmt.Fprintln(g.Stderr, s) }); err != nil {
						return err
					}
					return emit(cmd.OutOrStdout(), format, b, func(w io.Writer) error { return writeProveBench(w, &b) })
				}
				t0 := time.Now()
				res, recs, err := machine.Execute(commandContext(cmd), p, exec.Options{Input: input})
				if err != nil {
					return BadInput(err)
				}
				st := machine.StatementOf(p, res, input)
				if err := machine.Provable(st); err != nil {
					return BadInput(err)
				}
				execSecs := time.Since(t0).Seconds()
				e, _, err := timedEngine(cfg.Engine)
				if err != nil {
					return err
				}
				m := machine.New(e)
				fmt.Fprintf(g.Stderr, "proving %d cycles of %s on %d worker(s)…\n", st.Cycles, program, e.Params().Workers)
				t1 := time.Now()
				keys, err := m.Setup(p)
				if err != nil {
					return err
				}
				proof, rep, err := m.ProveReportContext(cmd.Context(), keys, st, recs)
				if err != nil {
					return err
				}
				total := time.Since(t1).Seconds()
				t2 := time.Now()
				if err := m.Verify(keys.VK, st, proof); err != nil {
					return Rejected(err)
				}
				sec, err := m.Security(keys.VK, st, proof)
				if err != nil {
					return err
				}
				b := proveBench{Program: program, Cycles: st.Cycles, Segments: 1, Workers: e.Params().Workers, ExecuteSeconds: execSecs,
					TraceSeconds: rep.TraceSeconds, StarkSeconds: rep.ProveSeconds, TotalSeconds: total,
					CyclesPerSec: float64(st.Cycles) / total, VerifySeconds: time.Since(t2).Seconds(),
					ProofBytes: len(proof.Encode()), PeakRSSBytes: peakRSS(), SecurityBits: sec.Conjectured, ProvableBits: sec.Provable,
					Kernels: rep.Kernels, Tables: map[string][2]int{}, GCPercent: gc}
				b.BytesPerCycle = float64(b.PeakRSSBytes) / float64(st.Cycles)
				for name, rows := range rep.Rows {
					b.Tables[name] = [2]int{rows, rep.Columns[name]}
				}
				return emit(cmd.OutOrStdout(), format, b, func(w io.Writer) error { return writeProveBench(w, &b) })
			},
		}
		cmd.Flags().StringVar(&program, "program", "examples/mix.s", "normalized assembly program whose input is an iteration count")
		cmd.Flags().Uint64Var(&iterations, "iterations", 90000, "iterations (the program's input); mix.s takes about 11 cycles each")
		cmd.Flags().Uint64Var(&segmentCycles, "segment-cycles", 0, "prove in continuation segments of this size (a power of two, 2^10..2^21) as the run executes, one segment's records in memory at a time; 0: one segment")
		out = addOutputFlag(cmd)
		return cmd
	}
}

func writeProveBench(w io.Writer, b *proveBench) error {
	fmt.Fprintf(w, "%s: %d cycles proven in %d segment(s) in %.2f s on %d worker(s): %.0f cycles/s (security: %d bits conjectured, %d provable)\n",
		b.Program, b.Cycles, b.Segments, b.TotalSeconds, b.Workers, b.CyclesPerSec, b.SecurityBits, b.ProvableBits)
	fmt.Fprintf(w, "execute %.2f s, trace %.2f s, stark %.2f s; verify %.3f s; proof %d bytes; peak RSS %.0f MiB (%.0f bytes/cycle, GOGC %d)\n\n",
		b.ExecuteSeconds, b.TraceSeconds, b.StarkSeconds, b.VerifySeconds, b.ProofBytes, float64(b.PeakRSSBytes)/(1<<20), b.BytesPerCycle, b.GCPercent)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PHASE\tSECONDS\tSHARE")
	phases := []struct {
		name string
		s    float64
	}{{"trace fill", b.TraceSeconds}}
	var kern float64
	var names []string
	for k := range b.Kernels {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		phases = append(phases, struct {
			name string
			s    float64
		}{k, b.Kernels[k]})
		kern += b.Kernels[k]
	}
	phases = append(phases, struct {
		name string
		s    float64
	}{"other (openings, DEEP, LogUp columns, transcript)", b.StarkSeconds - kern})
	for _, p := range phases {
		fmt.Fprintf(tw, "%s\t%.2f\t%.0f%%\n", p.name, p.s, 100*p.s/b.TotalSeconds)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tROWS\tCOLUMNS")
	var tabs []string
	for t := range b.Tables {
		tabs = append(tabs, t)
	}
	sort.Strings(tabs)
	for _, t := range tabs {
		if b.Tables[t][0] > 0 {
			fmt.Fprintf(tw, "%s\t%d\t%d\n", t, b.Tables[t][0], b.Tables[t][1])
		}
	}
	return tw.Flush()
}

// peakRSS is the process's maximum resident set size (0 where unknown).
func peakRSS() uint64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return uint64(ru.Maxrss)
	}
	return uint64(ru.Maxrss) * 1024
}

// timedEngine is the configured engine (sdk/config's Engine.Hemera) on the CPU kernels,
// timed per kernel.
func timedEngine(ec config.Engine) (*hemera.Engine, *kernel.Timed, error) {
	timed := kernel.NewTimed(cpu.New(ec.Workers))
	e, err := hemera.New(ec.Hemera(), hemera.WithKernels(timed))
	if err != nil {
		return nil, nil, BadInput(err)
	}
	return e, timed, nil
}
