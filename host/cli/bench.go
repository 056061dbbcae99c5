package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/proving/kernel/bench"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

// benchReport is what `oneiros bench kernels` prints.
type benchReport struct {
	Backend string        `json:"backend" yaml:"backend"` // the kernel set measured, e.g. "cpu"
	Config  bench.Config  `json:"config" yaml:"config"`   // workers resolved (never 0)
	Rows    []bench.Row   `json:"rows" yaml:"rows"`
	Summary bench.Summary `json:"summary" yaml:"summary"`
	// Floor is this machine's arithmetic floor, measured before the kernels when they run
	// on its CPU (nil on a GPU); the rows' floor_seconds and vs_floor come from it.
	Floor *bench.Floor `json:"floor,omitempty" yaml:"floor,omitempty"`
}

func init() {
	register(func(g *Globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "bench",
			Short: "Measure the engine's throughput",
			Args:  cobra.NoArgs,
		}
		cmd.AddCommand(benchKernels(g), benchProve(g), benchRun(g), benchCompare(g))
		return cmd
	})
}

// benchFlags maps bench.Config's fields to the flags that set them, for error messages.
var benchFlags = map[string]string{"log_n": "--log-n", "cols": "--cols", "reps": "--reps", "workers": "--workers"}

func benchKernels(g *Globals) *cobra.Command {
	var cfg bench.Config
	var kind, device string
	var dirs []string
	cmd := &cobra.Command{
		Use:   "kernels",
		Short: "Throughput of each proving kernel, next to bare gnark-crypto doing the same work",
		Long: `Measure each kernel of the Hemera Engine on a trace of 2^log-n rows and cols columns:
the coset LDE (blowup 2), the Merkle commitment of the LDE, both together (commit), the
quotient evaluation of a table of degree-3 constraints, one FRI fold and a BN254 MSM. The
same LDE, tree and MSM are also computed with bare gnark-crypto calls (impl gnark-raw), and
the ratio of the two commit times tells what the engine's layer costs (1.0 is nothing).

When the kernels run on this machine's CPU, its arithmetic floor is measured first (about
0.5 s: KoalaBear multiplications, additions and Poseidon2 permutations per second on the
same number of goroutines), and each LDE, Merkle, commit, quotient and FRI row gets the
time its operation count takes at those rates (FLOOR) and its time over that (VS FLOOR:
1.0 is the speed of the arithmetic alone). docs/bench.md gives the counts.

Each time is the median of --reps runs. Text output prints one progress line per kernel on
stderr. Memory grows with cols·2^log-n: about 1.5 GiB at the defaults.

--backend cpu measures the CPU kernels in this process. --backend cuda measures the ICICLE
kernels inside the oneiros-backend-cuda plugin (on --device cuda, the GPU, or cpu, ICICLE's
own CPU device), with the same table; the plugin uses one worker per CPU. auto measures the
GPU when the cuda plugin reports one, the CPU kernels otherwise.`,
		Example: "  oneiros bench kernels --log-n 18 --cols 64\n  oneiros bench kernels --log-n 16 --reps 5 -o json\n  oneiros bench kernels --backend cuda --device cpu --log-n 16",
		Args:    cobra.NoArgs,
	}
	out := addOutputFlag(cmd)
	fl := cmd.Flags()
	fl.IntVar(&cfg.LogN, "log-n", 20, "log2 of the trace height, 2..22")
	fl.IntVar(&cfg.Cols, "cols", 64, "trace width, 1..4096")
	fl.IntVar(&cfg.Reps, "reps", 3, "runs per kernel (the median is reported), 1..100")
	fl.IntVar(&cfg.Workers, "workers", 0, "goroutines, 0..1024; 0 = one per CPU (default: engine.workers)")
	fl.StringVar(&kind, "backend", "", "kernel set: auto, cpu or cuda (default: backend.kind)")
	fl.StringVar(&device, "device", "", "with the cuda backend: cuda (the GPU) or cpu (ICICLE's CPU device); default: the GPU if there is one")
	fl.StringSliceVar(&dirs, "plugin-dir", nil, "extra directory searched for plugins (repeatable)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		f, err := parseFormat(*out)
		if err != nil {
			return err
		}
		c, err := g.LoadConfig()
		if err != nil {
			return err
		}
		if !fl.Changed("workers") {
			cfg.Workers = c.Engine.Workers
		}
		origin := "--backend"
		if kind == "" {
			kind, origin = c.Backend.Kind, "backend.kind"
		}
		if err := cfg.Validate(); err != nil {
			var ce *bench.ConfigError
			if errors.As(err, &ce) {
				return BadInput(fmt.Errorf("%s %d is outside [%d, %d]", benchFlags[ce.Field], ce.Value, ce.Min, ce.Max))
			}
			return BadInput(err)
		}
		if cfg.Workers == 0 {
			cfg.Workers = runtime.NumCPU()
		}
		if kind != "auto" && kind != "cpu" && kind != "cuda" {
			return BadInput(fmt.Errorf("%s %q: unknown backend (allowed: auto, cpu, cuda)", origin, kind))
		}
		ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
		defer stop()
		var p *plugin.Plugin
		if kind != "cpu" {
			opts, err := pluginOptions(g, c, dirs)
			if err != nil {
				return err
			}
			if p, err = benchPlugin(ctx, opts, kind == "auto"); err != nil {
				return BadInput(fmt.Errorf("%s cuda: %w", origin, err))
			}
		}
		var rep benchReport
		var floor *bench.Floor
		// measureFloor measures the arithmetic floor of this CPU, on the kernels' goroutines.
		measureFloor := func(workers int) error {
			f, err := bench.MeasureFloor(ctx, workers, bench.FloorDuration)
			floor = &f
			return err
		}
		if p != nil {
			defer p.Close()
			if fl.Changed("workers") && cfg.Workers != runtime.NumCPU() {
				fmt.Fprintf(g.Stderr, "bench: --workers does not reach a backend plugin; it uses one worker per CPU (%d)\n", runtime.NumCPU())
			}
			cfg.Workers = runtime.NumCPU()
			if f == FormatText {
				fmt.Fprintf(g.Stderr, "bench: kernels of backend cuda (device %q) through %s\n", device, p.Path)
			}
			if device == "cpu" { // ICICLE's CPU device: this CPU, one worker per CPU
				if err := measureFloor(cfg.Workers); err != nil {
					return err
				}
			}
			rep, err = benchThroughPlugin(ctx, p, cfg, device)
		} else {
			if device != "" && device != "cpu" && device != "auto" {
				return BadInput(fmt.Errorf("--device %q: the cpu backend has only \"cpu\"", device))
			}
			if err := measureFloor(cfg.Workers); err != nil {
				return err
			}
			var progress func(bench.Row)
			if f == FormatText {
				progress = func(r bench.Row) {
					fmt.Fprintf(g.Stderr, "bench: %-15s %-9s %8.4f s\n", r.Kernel, r.Impl, r.Seconds)
				}
			}
			k := cpu.New(cfg.Workers)
			rep = benchReport{Backend: k.Name(), Config: cfg}
			rep.Rows, err = bench.Run(ctx, k, cfg, progress)
		}
		if err != nil {
			return err
		}
		if floor != nil {
			bench.ApplyFloor(rep.Rows, *floor)
			rep.Floor = floor
		}
		rep.Summary = bench.Summarize(rep.Rows)
		return emit(cmd.OutOrStdout(), f, rep, func(w io.Writer) error { return writeBench(w, rep) })
	}
	return cmd
}

// benchPlugin launches oneiros-backend-cuda. With gpuOnly (--backend auto) it returns nil,
// and no error, unless the plugin exists and reports an available CUDA device.
func benchPlugin(ctx context.Context, opts plugin.Options, gpuOnly bool) (*plugin.Plugin, error) {
	bins, err := opts.Discover()
	if err != nil {
		return nil, err
	}
	for _, b := range bins {
		if b.Kind != plugin.KindBackend || b.Name != "cuda" {
			continue
		}
		p, err := plugin.Launch(ctx, b, opts)
		if err != nil {
			if gpuOnly {
				return nil, nil
			}
			return nil, err
		}
		if !gpuOnly {
			return p, nil
		}
		for _, dev := range p.Backend.Description.Devices {
			if dev.Kind == "cuda" && dev.Available {
				return p, nil
			}
		}
		p.Close()
		return nil, nil
	}
	if gpuOnly {
		return nil, nil
	}
	return nil, fmt.Errorf("no backend plugin oneiros-backend-cuda in %v (make cuda builds it)", plugin.SearchDirs(opts.Dirs))
}

// benchThroughPlugin runs the kernel bench inside a backend plugin.
func benchThroughPlugin(ctx context.Context, p *plugin.Plugin, cfg bench.Config, device string) (benchReport, error) {
	rows, err := p.Backend.BenchKernels(ctx, backend.BenchRequest{LogSizes: []int{cfg.LogN}, Columns: cfg.Cols, Repetitions: cfg.Reps, Device: device})
	if err != nil {
		return benchReport{}, fmt.Errorf("backend cuda: %w", err)
	}
	rep := benchReport{Backend: "cuda", Config: cfg, Rows: pluginRows(rows, cfg.Cols)}
	if len(rows) > 0 {
		rep.Backend = "icicle/" + rows[0].Device
	}
	return rep, nil
}

// pluginRows turns a backend plugin's rows into the table's: the kernel bench's rows, each
// at the trace height asked (BenchRow.LogSize). A row's own size (an LDE is taller than its
// trace, the MSM is capped at 2^16 points) is its work, throughput × seconds, per column.
func pluginRows(rs []backend.BenchRow, cols int) []bench.Row {
	rows := make([]bench.Row, 0, len(rs))
	for _, r := range rs {
		row := bench.Row{Kernel: r.Kernel, Impl: bench.ImplHemera, Size: 1 << r.LogSize, Cols: cols, Seconds: r.Seconds, Throughput: r.Throughput, Unit: r.Unit}
		if strings.HasPrefix(r.Kernel, "gnark_") {
			row.Impl = bench.ImplGnark
		}
		perCol := 1.0
		switch r.Unit {
		case "elements/s", "points/s": // one codeword, one set of points
			row.Cols = 1
		case "cells/s":
			perCol = float64(cols)
		}
		if work := r.Throughput * r.Seconds / perCol; work >= 1 {
			row.Size = int(math.Round(work))
		}
		row.Ops, _ = bench.CountOps(row.Kernel, row.Size, row.Cols)
		rows = append(rows, row)
	}
	return rows
}

// writeBench prints the table for people.
func writeBench(w io.Writer, r benchReport) error {
	c := r.Config
	fmt.Fprintf(w, "kernels on %s: 2^%d rows × %d columns, median of %d run(s), %d worker(s)\n\n", r.Backend, c.LogN, c.Cols, c.Reps, c.Workers)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KERNEL\tIMPL\tSIZE\tCOLS\tSECONDS\tFLOOR\tVS FLOOR\tTHROUGHPUT")
	for _, row := range r.Rows {
		floor, vs := "-", "-"
		if row.FloorSeconds > 0 {
			floor, vs = fmt.Sprintf("%.3g", row.FloorSeconds), fmt.Sprintf("%.2f", row.VsFloor)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.4f\t%s\t%s\t%s\n", row.Kernel, row.Impl, pow2(row.Size), row.Cols, row.Seconds, floor, vs, rate(row.Throughput, row.Unit))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if f := r.Floor; f != nil {
		fmt.Fprintf(w, "\narithmetic floor (%d goroutines): %s, %s, %s\n", f.Workers,
			rate(f.MulPerSec, "mul/s"), rate(f.AddPerSec, "add/s"), rate(f.PermPerSec, "Poseidon2 perm/s"))
	}
	if r.Summary.CommitRatio > 0 {
		fmt.Fprintf(w, "\ncommit ratio (hemera commit / gnark-raw commit): %.3f\n", r.Summary.CommitRatio)
	}
	return nil
}

// pow2 writes a power of two as 2^k, anything else in decimal.
func pow2(n int) string {
	if n > 0 && n&(n-1) == 0 {
		return fmt.Sprintf("2^%d", int(math.Log2(float64(n))))
	}
	return fmt.Sprint(n)
}

// rate writes a throughput with an SI prefix: "132.4 M cells/s".
func rate(v float64, unit string) string {
	prefixes := []string{"", " k", " M", " G", " T"}
	i := 0
	for v >= 1000 && i < len(prefixes)-1 {
		v /= 1000
		i++
	}
	sep := " "
	if i > 0 {
		sep = ""
	}
	return strings.TrimSpace(fmt.Sprintf("%.1f%s%s %s", v, sep, prefixes[i], unit))
}
