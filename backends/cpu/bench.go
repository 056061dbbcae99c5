package main

import (
	"context"
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/kernel/bench"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

// benchKernels times the CPU kernels (and the bare gnark-crypto building blocks beside
// them) with the engine's kernel bench, once per requested size.
func benchKernels(ctx context.Context, req backend.BenchRequest, workers int) ([]backend.BenchRow, error) {
	if req.Device != "" && req.Device != "cpu" {
		return nil, fmt.Errorf("%w: device %q: this backend has only \"cpu\"", backend.ErrInvalidInput, req.Device)
	}
	var rows []backend.BenchRow
	for _, logN := range req.LogSizes {
		cfg := bench.Config{LogN: logN, Cols: max(req.Columns, 1), Reps: max(req.Repetitions, 1), Workers: workers}
		if err := cfg.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %w", backend.ErrInvalidInput, err)
		}
		rs, err := bench.Run(ctx, cpu.New(workers), cfg, nil)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			rows = append(rows, backend.BenchRow{Kernel: r.Kernel, LogSize: logN, Seconds: r.Seconds,
				Throughput: r.Throughput, Unit: r.Unit, Device: "cpu"})
		}
	}
	return rows, nil
}
