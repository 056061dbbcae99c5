package cli

import (
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/host/planner"
	"github.com/spf13/cobra"
)

func init() {
	register(func(g *Globals) *cobra.Command {
		var profileName, cycles, memory, programBytes, inputBytes string
		var cores, nodes int
		var rf runFlags
		cmd := &cobra.Command{
			Use:   "plan --profile NAME (--cycles N | --isa ISA PROGRAM [--input FILE])",
			Short: "Plan the proving of a run: segments, concurrency, memory and time",
			Long: `Plan how a run of N cycles would be proved under a profile on this machine (or the
one --cores, --memory and --nodes describe): its segments with their padded trace heights,
how many are proved at once, and estimated peak memory and wall time per segment and in
total. The estimates come from a cost model whose constants are placeholders until the
engine's benchmarks calibrate them (docs/cost-model.md).

With --isa ISA PROGRAM the program is run through its frontend plugin first (without
proving), and the plan uses the cycles it took and the sizes of its image and input.`,
			Example: "  oneiros plan --profile continuations --cycles 100000000\n  oneiros plan --profile distributed --cycles 1e9 --nodes 8 -o json\n  oneiros plan --isa asm examples/sort.s --input examples/sort.in",
			Args:    cobra.MaximumNArgs(1),
		}
		cmd.Flags().StringVar(&rf.isa, "isa", "", "plan from a program run through this frontend (needs PROGRAM)")
		cmd.Flags().StringVar(&rf.input, "input", "", "with --isa: the program's input file")
		cmd.Flags().StringSliceVar(&rf.dirs, "plugin-dir", nil, "with --isa: extra directory searched for plugins")
		out := addOutputFlag(cmd)
		fl := cmd.Flags()
		fl.StringVar(&profileName, "profile", "", "profile (default: the configuration's profile key)")
		fl.StringVar(&cycles, "cycles", "", "expected cycles of the run (required), e.g. 100000000, 0x1000000 or 1e8")
		fl.IntVar(&cores, "cores", 0, "cores of a proving machine (default: this machine's)")
		fl.StringVar(&memory, "memory", "", "memory of a proving machine, e.g. 64GiB (default: this machine's)")
		fl.IntVar(&nodes, "nodes", 1, "machines proving together (parallel profiles only)")
		fl.StringVar(&programBytes, "program-bytes", "0", "size of the normalized program image, e.g. 2MiB")
		fl.StringVar(&inputBytes, "input-bytes", "0", "size of the input tape, e.g. 1MiB")
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(*out)
			if err != nil {
				return err
			}
			var w planner.Workload
			switch {
			case rf.isa != "":
				if len(args) != 1 || cycles != "" {
					return BadInput(fmt.Errorf("--isa needs one PROGRAM argument and no --cycles"))
				}
				rf.quiet, rf.profile = true, profileName
				req, err := rf.request(g, args)
				if err != nil {
					return err
				}
				ex, err := pipeline.Execute(commandContext(cmd), req)
				if err != nil {
					return BadInput(err)
				}
				w.Cycles, w.InputBytes = ex.Result.TotalCycles, uint64(len(req.Input))
				w.ProgramBytes = uint64(len(ex.Program.Encode()))
			case cycles == "":
				return BadInput(fmt.Errorf("--cycles is required (or --isa ISA PROGRAM)"))
			default:
				if len(args) > 0 {
					return BadInput(fmt.Errorf("a PROGRAM argument needs --isa"))
				}
				if w.Cycles, err = parseCount("--cycles", cycles); err != nil {
					return err
				}
				if w.ProgramBytes, err = parseBytes("--program-bytes", programBytes); err != nil {
					return err
				}
				if w.InputBytes, err = parseBytes("--input-bytes", inputBytes); err != nil {
					return err
				}
			}
			m := planner.Detect()
			if fl.Changed("cores") {
				m.Cores = cores
			}
			if memory != "" {
				if m.MemoryBytes, err = parseBytes("--memory", memory); err != nil {
					return err
				}
			}
			m.Nodes = nodes
			cfg, p, err := g.LoadProfile(profileName)
			if err != nil {
				return err
			}
			plan, err := planner.New(p, cfg, w, m)
			if err != nil {
				return BadInput(err)
			}
			return emit(cmd.OutOrStdout(), f, plan, func(w io.Writer) error { return writePlan(w, plan) })
		}
		return cmd
	})
}

// writePlan prints a plan for people: a header, a table of segments in which runs of
// identical segments share a row, and the totals.
func writePlan(w io.Writer, p *planner.Plan) error {
	mem := "memory unknown"
	if p.Machine.MemoryBytes > 0 {
		mem = planner.Bytes(p.Machine.MemoryBytes)
	}
	machine := fmt.Sprintf("%d cores, %s", p.Machine.Cores, mem)
	if p.Machine.Nodes > 1 {
		machine = fmt.Sprintf("%d machines of %s", p.Machine.Nodes, machine)
	}
	fmt.Fprintf(w, "profile %s (%s): %d cycles in %d segment(s) of at most %d cycles\n",
		p.Profile, p.Schedule, p.TotalCycles, len(p.Segments), p.SegmentCycles)
	fmt.Fprintf(w, "machine: %s; %d segment(s) at once per machine, %d worker(s) each\n\n",
		machine, p.Concurrency.SegmentsPerNode, p.Concurrency.WorkersPerSegment)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SEGMENTS\tCOUNT\tFIRST CYCLE\tCYCLES\tHEIGHT\tMEMORY\tTIME\t")
	for i := 0; i < len(p.Segments); {
		s := p.Segments[i]
		j := i + 1
		for j < len(p.Segments) && same(p.Segments[j], s) {
			j++
		}
		index := strconv.Itoa(i)
		if j-i > 1 {
			index = fmt.Sprintf("%d-%d", i, j-1)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t2^%d\t%s\t%s\t\n", index, j-i, s.FirstCycle, s.Cycles,
			bits.TrailingZeros64(s.Height), planner.Bytes(s.PeakMemoryBytes), seconds(s.EstimatedSeconds))
		i = j
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\ntotal: %d cycles, peak memory %s per machine, estimated %s\n",
		p.TotalCycles, planner.Bytes(p.PeakMemoryBytes), seconds(p.EstimatedSeconds))
	if !p.Calibrated {
		fmt.Fprintln(w, "note: estimates use placeholder constants until benchmarks calibrate them (docs/cost-model.md)")
	}
	for _, warn := range p.Warnings {
		fmt.Fprintln(w, "warning:", warn)
	}
	return nil
}

// same reports whether two segments print alike apart from where they start.
func same(a, b planner.Segment) bool {
	return a.Cycles == b.Cycles && a.Height == b.Height && a.PeakMemoryBytes == b.PeakMemoryBytes &&
		a.EstimatedSeconds == b.EstimatedSeconds
}

func seconds(s float64) string {
	if s < 60 {
		return fmt.Sprintf("%.1f s", s)
	}
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}

// parseCount reads a positive count: decimal, 0x hex, with _ separators, or an exact
// power-of-ten form such as 1e8.
func parseCount(flag, s string) (uint64, error) {
	if n, err := strconv.ParseUint(s, 0, 64); err == nil {
		return n, nil
	}
	if mant, exp, ok := strings.Cut(strings.ToLower(s), "e"); ok {
		m, err1 := strconv.ParseUint(mant, 10, 64)
		e, err2 := strconv.ParseUint(exp, 10, 8)
		if err1 == nil && err2 == nil && e <= 19 {
			n, ok := m, true
			for range e {
				hi, lo := bits.Mul64(n, 10)
				n, ok = lo, ok && hi == 0
			}
			if ok {
				return n, nil
			}
		}
	}
	return 0, BadInput(fmt.Errorf("%s: %q is not a whole number (e.g. 100000000, 0x4000000 or 1e8)", flag, s))
}

// parseBytes reads a byte size: a count, optionally with a unit KiB, MiB, GiB, TiB
// (powers of 1024), KB, MB, GB, TB (powers of 1000) or B.
func parseBytes(flag, s string) (uint64, error) {
	units := []struct {
		suffix string
		mult   uint64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"b", 1}}
	t := strings.ToLower(strings.TrimSpace(s))
	mult := uint64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseUint(t, 10, 64)
	hi, lo := bits.Mul64(n, mult)
	if err != nil || hi != 0 {
		return 0, BadInput(fmt.Errorf("%s: %q is not a size (e.g. 64GiB, 512MiB or 1048576)", flag, s))
	}
	return lo, nil
}
