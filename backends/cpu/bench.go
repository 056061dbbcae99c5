package main

import (
	"context"
	"fmt"
	"time"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

// benchKernels times the CPU kernels on synthetic matrices: coset LDE (blowup 2) and
// the Merkle commitment of the result, the best of req.Repetitions runs per size.
func benchKernels(ctx context.Context, req backend.BenchRequest, workers int) ([]backend.BenchRow, error) {
	if req.Device != "" && req.Device != "cpu" {
		return nil, fmt.Errorf("%w: device %q: this backend has only \"cpu\"", backend.ErrInvalidInput, req.Device)
	}
	cols, reps := max(req.Columns, 1), max(req.Repetitions, 1)
	k := cpu.New(workers)
	var rows []backend.BenchRow
	for _, logN := range req.LogSizes {
		if logN < 1 || logN > 22 {
			return nil, fmt.Errorf("%w: log size %d outside 1..22", backend.ErrInvalidInput, logN)
		}
		m := make([][]field.Elem, cols)
		for c := range m {
			m[c] = make([]field.Elem, 1<<logN)
			for r := range m[c] {
				m[c][r] = field.New(uint64(r*cols + c))
			}
		}
		var lde [][]field.Elem
		best := func(f func() error) (float64, error) {
			b := -1.0
			for range reps {
				if err := ctx.Err(); err != nil {
					return 0, err
				}
				t := time.Now()
				if err := f(); err != nil {
					return 0, err
				}
				if s := time.Since(t).Seconds(); b < 0 || s < b {
					b = s
				}
			}
			return b, nil
		}
		s, err := best(func() (err error) { lde, err = k.CosetLDE(m, 1, field.New(3)); return })
		if err != nil {
			return nil, err
		}
		cells := float64(cols) * float64(int(1)<<logN)
		rows = append(rows, backend.BenchRow{Kernel: "lde", LogSize: logN, Seconds: s, Throughput: cells / s, Unit: "cells/s", Device: "cpu"})
		s, err = best(func() error { _, err := k.MerkleCommit([]merkle.Matrix{{Cols: lde}}); return err })
		if err != nil {
			return nil, err
		}
		rows = append(rows, backend.BenchRow{Kernel: "merkle", LogSize: logN, Seconds: s, Throughput: 2 * cells / s, Unit: "cells/s", Device: "cpu"})
	}
	return rows, nil
}
