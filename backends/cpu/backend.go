// Command oneiros-backend-cpu is the CPU proving backend: the Hemera Engine on
// gnark-crypto's pure-Go kernels (AVX-512 on amd64), served through the backend
// contract. It proves segments of normalized-ISA runs with core/machine.
package main

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

const version = "0.1.0"

type cpuBackend struct{ backend.UnimplementedBackend }

func (cpuBackend) Describe(context.Context, backend.DescribeRequest) (*backend.Description, error) {
	return &backend.Description{Name: "cpu", Version: version, Devices: []backend.Device{{
		Name: "cpu", Kind: "cpu", Available: true,
		Kernels: []string{"lde", "merkle", "quotient", "fri_fold", "msm"},
	}}}, nil
}

func engineParams(p backend.Params) hemera.Params {
	return hemera.Params{
		FRI:     fri.Params{LogBlowup: p.LogBlowup, NumQueries: p.NumQueries, GrindingBits: p.GrindingBits, LogArity: p.FRILogArity, LogFinalPolyLen: p.LogFinalPolyLen},
		Workers: p.Workers,
	}
}

func (cpuBackend) ProveSegment(ctx context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	if req.Device != "" && req.Device != "cpu" && req.Device != "auto" {
		return nil, fmt.Errorf("%w: device %q: this backend has only \"cpu\"", backend.ErrInvalidInput, req.Device)
	}
	if req.SegmentIndex != 0 {
		return nil, fmt.Errorf("%w: continuation segments are not implemented yet: prove the run as one segment", backend.ErrInvalidInput)
	}
	bd, err := machine.DecodeBoundary(req.Boundary)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", backend.ErrInvalidInput, err)
	}
	prog, err := isa.Decode(req.Program)
	if err != nil {
		return nil, fmt.Errorf("%w: program: %w", backend.ErrInvalidInput, err)
	}
	ep := engineParams(req.Params)
	e, err := hemera.New(ep, hemera.WithKernels(kernel.NewTimed(cpu.New(ep.Workers))))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", backend.ErrInvalidInput, err)
	}
	phases := map[string]float64{}
	t0 := time.Now()
	req.Progress(backend.Progress{Phase: "records", Fraction: 0})
	var recs []trace.Record
	if _, err := trace.ReadStream(req.Records, machine.MaxCycles+1, func(r *trace.Record) error {
		recs = append(recs, *r.Clone())
		return nil
	}); err != nil {
		return nil, fmt.Errorf("%w: records: %w", backend.ErrInvalidInput, err)
	}
	phases["records"] = time.Since(t0).Seconds()
	st, err := machine.StatementFromRecords(prog, recs, bd.InputLen)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", backend.ErrInvalidInput, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t1 := time.Now()
	m := machine.New(e)
	keys, err := m.Setup(prog)
	if err != nil {
		return nil, err
	}
	phases["setup"] = time.Since(t1).Seconds()
	req.Progress(backend.Progress{Phase: "prove", Fraction: 0.1})
	t2 := time.Now()
	proof, rep, err := m.ProveReport(keys, st, recs)
	if err != nil {
		return nil, err
	}
	phases["trace"] = rep.TraceSeconds
	phases["stark"] = rep.ProveSeconds
	for k, v := range rep.Kernels {
		phases["kernel."+k] = v
	}
	phases["prove"] = time.Since(t2).Seconds()
	req.Progress(backend.Progress{Phase: "done", Fraction: 1})
	return &backend.Proof{Data: proof.Encode(), PhaseSeconds: phases}, nil
}

func (cpuBackend) BenchKernels(ctx context.Context, req backend.BenchRequest) ([]backend.BenchRow, error) {
	return benchKernels(ctx, req, runtime.NumCPU())
}

func main() { backend.Serve(cpuBackend{}) }
