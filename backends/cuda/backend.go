package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/oneiros-zk/oneiros/backends/cuda/icicle"
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

// ProveSegment proves a segment exactly as oneiros-backend-cpu does (the same engine, the
// same parameters, so the same proof bytes), with the ICICLE kernels in place of the CPU ones.
func (cudaBackend) ProveSegment(ctx context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	k, err := open(req.Device, backend.EngineParams(req.Params).Workers)
	if err != nil {
		return nil, err
	}
	return backend.ProveSegment(ctx, req, k)
}

func (cudaBackend) BenchKernels(ctx context.Context, req backend.BenchRequest) ([]backend.BenchRow, error) {
	return benchKernels(ctx, req, runtime.NumCPU())
}

func main() { backend.Serve(cudaBackend{}) }
