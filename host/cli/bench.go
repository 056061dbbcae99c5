package cli

import (
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

	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/kernel/bench"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
)

// benchReport is what `oneiros bench kernels` prints.
type benchReport struct {
	Backend string        `json:"backend" yaml:"backend"` // the kernel set measured, e.g. "cpu"
	Config  bench.Config  `json:"config" yaml:"config"`   // workers resolved (never 0)
	Rows    []bench.Row   `json:"rows" yaml:"rows"`
	Summary bench.Summary `json:"summary" yaml:"summary"`
}

func init() {
	register(func(g *Globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "bench",
			Short: "Measure the engine's throughput",
			Args:  cobra.NoArgs,
		}
		cmd.AddCommand(benchKernels(g), benchProve(g))
		return cmd
	})
}

// benchFlags maps bench.Config's fields to the flags that set them, for error messages.
var benchFlags = map[string]string{"log_n": "--log-n", "cols": "--cols", "reps": "--reps", "workers": "--workers"}

func benchKernels(g *Globals) *cobra.Command {
	var cfg bench.Config
	var backend string
	cmd := &cobra.Command{
		Use:   "kernels",
		Short: "Throughput of each proving kernel, next to bare gnark-crypto doing the same work",
		Long: `Measure each kernel of the Hemera Engine on a trace of 2^log-n rows and cols columns:
the coset LDE (blowup 2), the Merkle commitment of the LDE, both together (commit), the
quotient evaluation of a table of degree-3 constraints, one FRI fold and a BN254 MSM. The
same LDE, tree and MSM are also computed with bare gnark-crypto calls (impl gnark-raw), and
the ratio of the two commit times tells what the engine's layer costs (1.0 is nothing).

Each time is the median of --reps runs. Text output prints one progress line per kernel on
stderr. Memory grows with cols·2^log-n: about 1.5 GiB at the defaults.`,
		Example: "  oneiros bench kernels --log-n 18 --cols 64\n  oneiros bench kernels --log-n 16 --reps 5 -o json",
		Args:    cobra.NoArgs,
	}
	out := addOutputFlag(cmd)
	fl := cmd.Flags()
	fl.IntVar(&cfg.LogN, "log-n", 20, "log2 of the trace height, 2..22")
	fl.IntVar(&cfg.Cols, "cols", 64, "trace width, 1..4096")
	fl.IntVar(&cfg.Reps, "reps", 3, "runs per kernel (the median is reported), 1..100")
	fl.IntVar(&cfg.Workers, "workers", 0, "goroutines, 0..1024; 0 = one per CPU (default: engine.workers)")
	fl.StringVar(&backend, "backend", "", "kernel set: auto or cpu; cuda later (default: backend.kind)")
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
		if backend == "" {
			backend, origin = c.Backend.Kind, "backend.kind"
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
		k, err := benchBackend(backend, origin, cfg.Workers)
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
		defer stop()
		var progress func(bench.Row)
		if f == FormatText {
			progress = func(r bench.Row) {
				fmt.Fprintf(g.Stderr, "bench: %-15s %-9s %8.4f s\n", r.Kernel, r.Impl, r.Seconds)
			}
		}
		rows, err := bench.Run(ctx, k, cfg, progress)
		if err != nil {
			return err
		}
		rep := benchReport{Backend: k.Name(), Config: cfg, Rows: rows, Summary: bench.Summarize(rows)}
		return emit(cmd.OutOrStdout(), f, rep, func(w io.Writer) error { return writeBench(w, rep) })
	}
	return cmd
}

// benchBackend returns the kernel set a --backend value (or backend.kind) names.
func benchBackend(name, origin string, workers int) (kernel.Kernels, error) {
	switch name {
	case "auto", "cpu":
		return cpu.New(workers), nil
	case "cuda":
		return nil, BadInput(fmt.Errorf("%s cuda: the CUDA kernels cannot be benchmarked yet; use --backend cpu", origin))
	}
	return nil, BadInput(fmt.Errorf("%s %q: unknown backend (allowed: auto, cpu, cuda)", origin, name))
}

// writeBench prints the table for people.
func writeBench(w io.Writer, r benchReport) error {
	c := r.Config
	fmt.Fprintf(w, "kernels on %s: 2^%d rows × %d columns, median of %d run(s), %d worker(s)\n\n", r.Backend, c.LogN, c.Cols, c.Reps, c.Workers)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KERNEL\tIMPL\tSIZE\tCOLS\tSECONDS\tTHROUGHPUT")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.4f\t%s\n", row.Kernel, row.Impl, pow2(row.Size), row.Cols, row.Seconds, rate(row.Throughput, row.Unit))
	}
	if err := tw.Flush(); err != nil {
		return err
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
