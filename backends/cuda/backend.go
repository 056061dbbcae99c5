package main

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/oneiros-zk/oneiros/backends/cuda/icicle"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

const version = "0.1.0"

type cudaBackend struct{ backend.UnimplementedBackend }

// Describe lists the GPU ("cuda") and ICICLE's CPU device ("cpu"), each with its
// availability; the kernels of both say where each runs ("merkle@host": in Go on the
// host's CPU, inside this backend).
func (cudaBackend) Describe(context.Context, backend.DescribeRequest) (*backend.Description, error) {
	d := &backend.Description{Name: "cuda", Version: version}
	for _, dev := range icicle.Devices() {
		d.Devices = append(d.Devices, backend.Device{Name: dev.Name, Kind: dev.Kind, Available: dev.Available,
			Reason: dev.Reason, Kernels: icicle.KernelList(), MemoryBytes: dev.MemoryBytes})
	}
	return d, nil
}

// open returns the kernels of a requested device, or an error wrapping
// backend.ErrInvalidInput that says why it cannot be used.
func open(device string, workers int) (*icicle.Kernels, error) {
	k, err := icicle.Open(device, workers)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", backend.ErrInvalidInput, err)
	}
	return k, nil
}

// engineParams maps the request's parameters to the engine's, as the CPU backend does.
func engineParams(p backend.Params) hemera.Params {
	return hemera.Params{
		FRI:     fri.Params{LogBlowup: p.LogBlowup, NumQueries: p.NumQueries, GrindingBits: p.GrindingBits, LogArity: p.FRILogArity, LogFinalPolyLen: p.LogFinalPolyLen},
		Workers: p.Workers,
	}
}

// ProveSegment proves a segment exactly as oneiros-backend-cpu does (the same engine, the
// same parameters, so the same proof bytes), with the ICICLE kernels in place of the CPU ones.
func (cudaBackend) ProveSegment(ctx context.Context, req backend.ProveRequest) (*backend.Proof, error) {
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
	k, err := open(req.Device, ep.Workers)
	if err != nil {
		return nil, err
	}
	timed := kernel.NewTimed(k)
	e, err := hemera.New(ep, hemera.WithKernels(timed))
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
	req.Progress(backend.Progress{Phase: "prove on " + k.Name(), Fraction: 0.1})
	t2 := time.Now()
	proof, rep, err := m.ProveReport(keys, st, recs)
	if err != nil {
		return nil, err
	}
	phases["trace"] = rep.TraceSeconds
	phases["stark"] = rep.ProveSeconds
	for name, v := range rep.Kernels {
		phases["kernel."+name] = v
	}
	phases["prove"] = time.Since(t2).Seconds()
	req.Progress(backend.Progress{Phase: "done", Fraction: 1})
	return &backend.Proof{Data: proof.Encode(), PhaseSeconds: phases}, nil
}

func (cudaBackend) BenchKernels(ctx context.Context, req backend.BenchRequest) ([]backend.BenchRow, error) {
	return benchKernels(ctx, req, runtime.NumCPU())
}

func main() { backend.Serve(cudaBackend{}) }
