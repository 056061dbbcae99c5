package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/benchsuite"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/proving/kernel/bench"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/injector/keys"
)

func benchRun(g *Globals) *cobra.Command {
	var suite, backendName, device, outFile, report, root string
	var dirs []string
	var keysDir *string
	var out *string
	cmd := &cobra.Command{
		Use:   "run [--suite quick|standard|full] [--backend auto|cpu|cuda] [--out FILE] [--report DIR]",
		Short: "A fixed, versioned benchmark suite: kernels and real programs proven through the plugins, with the machine's fingerprint",
		Long: `Runs a fixed suite of workloads and reports, per row, the median, minimum and maximum time
of its repetitions, its throughput (cells/s for kernels, normalized cycles/s for proofs),
peak memory (this process and its plugins), proof size, and for kernels the ratio to bare
gnark-crypto doing the same work and, when they run on this CPU, the time their
arithmetic takes at this machine's floor rates (measured at the start, about 0.5 s) and
the ratio to it. Every result carries the machine's fingerprint (CPU model, cores, vector
features, memory, OS, Go, oneiros version, GPU, engine parameters, the floor's rates), so
results from different machines compare (oneiros bench compare).

Suites: quick (under 2 minutes on 2 cores), standard (under 15), full. --out FILE is
rewritten after every row: an interrupted run (Ctrl-C) leaves the rows done. --report DIR
writes an HTML page with SVG plots. Workloads run from the repository root (--root).`,
		Example: "  oneiros bench run --suite quick --out quick.json --report report/\n  oneiros bench compare cpu.json gpu.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := parseFormat(*out)
			if err != nil {
				return err
			}
			s, err := benchsuite.Lookup(suite)
			if err != nil {
				return BadInput(err)
			}
			cfg, err := g.LoadConfig()
			if err != nil {
				return err
			}
			opts, err := pluginOptions(g, cfg, dirs)
			if err != nil {
				return err
			}
			if backendName == "" {
				backendName = cfg.Backend.Kind
			}
			if backendName != "auto" && backendName != "cpu" && backendName != "cuda" {
				return BadInput(fmt.Errorf("--backend %q: unknown backend (allowed: auto, cpu, cuda)", backendName))
			}
			if _, err := os.Stat(filepath.Join(root, "examples", "mix.s")); err != nil {
				return BadInput(fmt.Errorf("--root %s: not the repository root (no examples/mix.s): run from it or give --root", root))
			}
			ctx := commandContext(cmd)
			fp := benchsuite.Machine()
			fp.Oneiros, fp.Backend, fp.Device = Version, backendName, device
			e := cfg.Engine
			fp.Engine = fmt.Sprintf("log_blowup %d, %d queries, grinding %d+%d+%d, fri_log_arity %d, ext_degree %d, hash %s, zk %v, workers %d",
				e.LogBlowup, e.NumQueries, e.GrindingBits, e.LogUpGrindingBits, e.DEEPGrindingBits, e.FRILogArity, e.ExtDegree, e.Hash, e.ZK, e.Workers)
			kernels, closeKernels, gpu, floorWorkers := kernelRunner(ctx, opts, backendName, device, e.Workers)
			defer closeKernels()
			fp.GPU = gpu
			var bar *progressbar.ProgressBar
			progress := func(id string, done, total int, row *benchsuite.Row) {
				if bar == nil && isTerminal(g.Stderr) {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(g.Stderr), progressbar.OptionShowCount(),
						progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
				}
				switch {
				case bar != nil && row == nil:
					bar.Describe(id)
				case bar != nil:
					_ = bar.Set(done)
				case row == nil:
					fmt.Fprintf(g.Stderr, "bench: %d/%d %s…\n", done+1, total, id)
				case row.Skipped != "":
					fmt.Fprintf(g.Stderr, "bench: %s skipped: %s\n", row.ID, row.Skipped)
				}
			}
			res, err := benchsuite.Run(ctx, s, fp, benchsuite.Options{Config: cfg, Backend: backendName, Device: device, Plugins: opts,
				Root: root, Kernels: kernels, FloorWorkers: floorWorkers, Out: outFile, Progress: progress, WrapKeys: keys.Cache{Dir: *keysDir}})
			if err != nil && ctx.Err() == nil {
				return err
			}
			if report != "" && res != nil {
				if rerr := benchsuite.Report(report, res); rerr != nil {
					return fmt.Errorf("--report %s: %w", report, rerr)
				}
				fmt.Fprintf(g.Stderr, "bench: report in %s\n", filepath.Join(report, "index.html"))
			}
			if err != nil {
				return err // interrupted: --out holds the rows done
			}
			return emit(cmd.OutOrStdout(), format, res, func(w io.Writer) error { return writeSuite(w, res) })
		},
	}
	cmd.Flags().StringVar(&suite, "suite", "quick", "suite: "+strings.Join(benchsuite.Names(), ", "))
	cmd.Flags().StringVar(&backendName, "backend", "", "backend: auto, cpu, cuda (default: backend.kind)")
	cmd.Flags().StringVar(&device, "device", "", "device inside the backend")
	cmd.Flags().StringVar(&outFile, "out", "", "JSON result file, rewritten after every row")
	cmd.Flags().StringVar(&report, "report", "", "directory for an HTML report with plots")
	cmd.Flags().StringVar(&root, "root", ".", "the repository root (the workloads' programs)")
	cmd.Flags().StringSliceVar(&dirs, "plugin-dir", nil, "extra directory searched for plugins (repeatable)")
	keysDir = keysFlag(cmd)
	out = addOutputFlag(cmd)
	return cmd
}

// kernelRunner measures the kernels in process (cpu) or through the CUDA backend plugin
// (cuda, or auto with a GPU); it returns the GPU's name when one is used, and the
// goroutines to measure the arithmetic floor on when the kernels run on this CPU (0 on
// a GPU). A cuda backend that cannot run gives rows skipped with the reason, not a
// failed run.
func kernelRunner(ctx context.Context, opts plugin.Options, kind, device string, workers int) (func(context.Context, bench.Config) ([]bench.Row, error), func(), string, int) {
	if workers == 0 {
		workers = runtime.NumCPU()
	}
	cpuRun := func(ctx context.Context, c bench.Config) ([]bench.Row, error) {
		c.Workers = workers
		return bench.Run(ctx, cpu.New(c.Workers), c, nil)
	}
	if kind == "cpu" {
		return cpuRun, func() {}, "", workers
	}
	p, err := benchPlugin(ctx, opts, kind == "auto")
	if err != nil || p == nil {
		if kind == "auto" {
			return cpuRun, func() {}, "", workers
		}
		return func(context.Context, bench.Config) ([]bench.Row, error) {
			return nil, fmt.Errorf("the cuda backend cannot run here: %v", err)
		}, func() {}, "", 0
	}
	gpu := ""
	if d, err := p.Backend.Describe(ctx, backend.DescribeRequest{}); err == nil {
		for _, dev := range d.Devices {
			if dev.Kind == "cuda" && dev.Available {
				gpu = dev.Name
			}
		}
	}
	floorWorkers := 0
	if device == "cpu" { // ICICLE's CPU device, one worker per CPU
		floorWorkers = runtime.NumCPU()
	}
	return func(ctx context.Context, c bench.Config) ([]bench.Row, error) {
		rep, err := benchThroughPlugin(ctx, p, c, device)
		return rep.Rows, err
	}, func() { p.Close() }, gpu, floorWorkers
}

func writeSuite(w io.Writer, r *benchsuite.Result) error {
	m := r.Machine
	fmt.Fprintf(w, "suite %s v%d on %s (%d cores; %s; %.1f GB), %s, oneiros %s, backend %s\nengine: %s\n", r.Suite, r.SuiteVersion,
		m.CPU, m.Cores, strings.Join(m.Features, " "), float64(m.MemoryBytes)/1e9, m.Go, m.Oneiros, m.Backend, m.Engine)
	if f := m.Floor; f != nil {
		fmt.Fprintf(w, "arithmetic floor (%d goroutines): %s, %s, %s\n", f.Workers,
			rate(f.MulPerSec, "mul/s"), rate(f.AddPerSec, "add/s"), rate(f.PermPerSec, "Poseidon2 perm/s"))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tMEDIAN s\tMIN\tMAX\tTHROUGHPUT\tVS GNARK\tFLOOR s\tVS FLOOR\tPROOF\tPEAK MB\t")
	for _, row := range r.Rows {
		if row.Skipped != "" {
			fmt.Fprintf(tw, "%s\tskipped: %s\t\t\t\t\t\t\t\t\t\n", row.ID, row.Skipped)
			continue
		}
		vs, floor, vsFloor, proof, peak := "", "", "", "", ""
		if row.VsGnark > 0 {
			vs = fmt.Sprintf("%.2f", row.VsGnark)
		}
		if row.FloorSeconds > 0 {
			floor, vsFloor = fmt.Sprintf("%.3g", row.FloorSeconds), fmt.Sprintf("%.2f", row.VsFloor)
		}
		if row.ProofBytes > 0 {
			proof = fmt.Sprintf("%d KB", row.ProofBytes/1000)
		}
		if row.PeakBytes > 0 {
			peak = fmt.Sprintf("%.0f", float64(row.PeakBytes)/1e6)
		}
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%s\t%s\t%s\t%s\t%s\t%s\t\n", row.ID, row.Seconds.Median, row.Seconds.Min, row.Seconds.Max,
			rate(row.Throughput, strings.TrimSuffix(row.Unit, "/s")), vs, floor, vsFloor, proof, peak)
	}
	return tw.Flush()
}

func benchCompare(g *Globals) *cobra.Command {
	var report string
	var out *string
	cmd := &cobra.Command{
		Use:   "compare BASE.json OTHER.json [MORE.json…]",
		Short: "Compare bench run results row by row: time ratios against the first, regressions beyond the noise flagged",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := parseFormat(*out)
			if err != nil {
				return err
			}
			var rs []*benchsuite.Result
			for _, a := range args {
				r, err := benchsuite.Load(a)
				if err != nil {
					return BadInput(err)
				}
				rs = append(rs, r)
			}
			c := benchsuite.Compare(args, rs)
			for _, w := range c.Warnings {
				fmt.Fprintln(g.Stderr, "warning:", w)
			}
			if report != "" {
				if err := benchsuite.CompareReport(report, c); err != nil {
					return fmt.Errorf("--report %s: %w", report, err)
				}
			}
			err = emit(cmd.OutOrStdout(), format, c, func(w io.Writer) error {
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				fmt.Fprint(tw, "ROW")
				for _, l := range c.Labels {
					fmt.Fprintf(tw, "\t%s", filepath.Base(l))
				}
				fmt.Fprintln(tw, "\t")
				for _, r := range c.Rows {
					fmt.Fprint(tw, r.ID)
					for i := range c.Labels {
						switch {
						case r.Seconds[i] == 0:
							fmt.Fprint(tw, "\t—")
						case i == 0:
							fmt.Fprintf(tw, "\t%.4f s", r.Seconds[i])
						default:
							flag := ""
							if r.Regressed[i] {
								flag = " REGRESSED"
							}
							fmt.Fprintf(tw, "\t%.2f×%s", r.Ratios[i], flag)
						}
					}
					fmt.Fprintln(tw, "\t")
				}
				return tw.Flush()
			})
			if err != nil {
				return err
			}
			for _, r := range c.Rows {
				for _, bad := range r.Regressed {
					if bad {
						return Rejected(errors.New("regressions beyond the noise (rows marked REGRESSED)"))
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&report, "report", "", "directory for an HTML page plotting the ratios")
	out = addOutputFlag(cmd)
	return cmd
}
