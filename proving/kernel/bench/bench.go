package bench

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/oneiros-zk/oneiros/proving/kernel"
)

// Config is what to measure.
type Config struct {
	LogN    int `json:"log_n" yaml:"log_n"`     // trace height 2^LogN, 2 … 22
	Cols    int `json:"cols" yaml:"cols"`       // trace width, 1 … 4096
	Reps    int `json:"reps" yaml:"reps"`       // runs per kernel (the median is kept), 1 … 100
	Workers int `json:"workers" yaml:"workers"` // goroutines of the gnark-raw rows and of the prover; 0 = one per CPU
}

// ConfigError reports a Config field out of its range.
type ConfigError struct {
	Field    string // "log_n", "cols", "reps" or "workers"
	Value    int
	Min, Max int
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("bench: %s = %d outside [%d, %d]", e.Field, e.Value, e.Min, e.Max)
}

// Validate checks every field's range; the error is a *ConfigError.
func (c Config) Validate() error {
	for _, f := range []ConfigError{
		{"log_n", c.LogN, 2, 22}, {"cols", c.Cols, 1, 4096}, {"reps", c.Reps, 1, 100}, {"workers", c.Workers, 0, 1024},
	} {
		if f.Value < f.Min || f.Value > f.Max {
			return &f
		}
	}
	return nil
}

// Implementations a Row can measure.
const (
	ImplHemera = "hemera"    // the kernel set given to Run
	ImplGnark  = "gnark-raw" // bare gnark-crypto calls
)

// Row is one measured kernel.
type Row struct {
	Kernel     string  `json:"kernel" yaml:"kernel"`         // "lde", "merkle", …, "gnark_msm" (see the package doc)
	Impl       string  `json:"impl" yaml:"impl"`             // ImplHemera or ImplGnark
	Size       int     `json:"size" yaml:"size"`             // rows per column, codeword length or points
	Cols       int     `json:"cols" yaml:"cols"`             // columns (1 for fri_fold and msm)
	Seconds    float64 `json:"seconds" yaml:"seconds"`       // median over the repetitions
	Throughput float64 `json:"throughput" yaml:"throughput"` // Unit per second
	Unit       string  `json:"unit" yaml:"unit"`             // "cells/s", "rows/s", "elements/s" or "points/s"
	// Ops is the arithmetic the row's work needs ([CountOps]); zero for the MSM rows.
	Ops Ops `json:"ops,omitzero" yaml:"ops,omitempty"`
	// FloorSeconds is Ops at this machine's floor rates ([ApplyFloor]; 0: no floor, as
	// for the MSM rows or kernels measured on a GPU), VsFloor is Seconds over it: 1.0
	// is the arithmetic's speed, 2.0 twice as slow.
	FloorSeconds float64 `json:"floor_seconds,omitempty" yaml:"floor_seconds,omitempty"`
	VsFloor      float64 `json:"vs_floor,omitempty" yaml:"vs_floor,omitempty"`
}

// Summary condenses a run.
type Summary struct {
	// CommitRatio is the hemera commit time over the gnark_commit time (0 when either
	// is missing): above 1 the engine's layer costs, below 1 it saves.
	CommitRatio float64 `json:"commit_ratio" yaml:"commit_ratio"`
}

// Summarize computes the summary of rows.
func Summarize(rows []Row) Summary {
	var h, g float64
	for _, r := range rows {
		switch {
		case r.Kernel == "commit" && r.Impl == ImplHemera:
			h = r.Seconds
		case r.Kernel == "gnark_commit":
			g = r.Seconds
		}
	}
	if h == 0 || g == 0 {
		return Summary{}
	}
	return Summary{CommitRatio: h / g}
}

// Run measures k and the bare gnark-crypto calls (see the package doc for the list).
// progress, if not nil, is called with each row as soon as it is measured. Run checks
// ctx between repetitions.
func Run(ctx context.Context, k kernel.Kernels, cfg Config, progress func(Row)) ([]Row, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.NumCPU()
	}
	s := &session{ctx: ctx, k: k, cfg: cfg, progress: progress}
	for _, step := range []func() error{s.commitRows, s.quotientRow, s.foldRow, s.msmRows} {
		if err := step(); err != nil {
			return s.rows, err
		}
	}
	return s.rows, nil
}

type session struct {
	ctx      context.Context
	k        kernel.Kernels
	cfg      Config
	progress func(Row)
	rows     []Row
	warmed   bool // measure discarded its first run
}

// measure runs f Reps times and keeps the median of the times it reports. A first run
// shorter than warmUp is taken for a warm-up (first-touch page faults, lazily built
// tables, goroutines starting) and not counted; longer ones are, so that large sizes
// cost no extra run.
func (s *session) measure(f func() (time.Duration, error)) (float64, error) {
	ts := make([]float64, 0, s.cfg.Reps+1)
	for len(ts) < s.cfg.Reps {
		if err := s.ctx.Err(); err != nil {
			return 0, err
		}
		runtime.GC()
		d, err := f()
		if err != nil {
			return 0, err
		}
		ts = append(ts, d.Seconds())
		if len(ts) == 1 && d < warmUp && !s.warmed {
			s.warmed, ts = true, ts[:0]
		}
	}
	s.warmed = false
	slices.Sort(ts)
	if len(ts)%2 == 1 {
		return ts[len(ts)/2], nil
	}
	return (ts[len(ts)/2-1] + ts[len(ts)/2]) / 2, nil
}

// warmUp is the longest first run that measure discards.
const warmUp = 250 * time.Millisecond

// wall times f.
func wall(f func() error) func() (time.Duration, error) {
	return func() (time.Duration, error) {
		start := time.Now()
		err := f()
		return time.Since(start), err
	}
}

// row measures f and records a row whose throughput is work units per second.
func (s *session) row(kernel, impl string, size, cols int, work float64, unit string, f func() (time.Duration, error)) error {
	sec, err := s.measure(f)
	if err != nil {
		return fmt.Errorf("bench: %s (%s): %w", kernel, impl, err)
	}
	s.add(Row{Kernel: kernel, Impl: impl, Size: size, Cols: cols, Seconds: sec, Unit: unit}, work)
	return nil
}

// add records a row, its throughput work units per second, and reports progress.
func (s *session) add(r Row, work float64) {
	if r.Seconds > 0 {
		r.Throughput = work / r.Seconds
	}
	r.Ops, _ = CountOps(r.Kernel, r.Size, r.Cols)
	s.rows = append(s.rows, r)
	if s.progress != nil {
		s.progress(r)
	}
}
