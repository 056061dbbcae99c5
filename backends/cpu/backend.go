// Command oneiros-backend-cpu is the CPU proving backend: the Hemera Engine on
// gnark-crypto's pure-Go kernels (AVX-512 on amd64), served through the backend
// contract. It proves segments of normalized-ISA runs with core/machine.
package main

import (
	"context"
	"fmt"
	"runtime"

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

func (cpuBackend) ProveSegment(ctx context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	if req.Device != "" && req.Device != "cpu" && req.Device != "auto" {
		return nil, fmt.Errorf("%w: device %q: this backend has only \"cpu\"", backend.ErrInvalidInput, req.Device)
	}
	return backend.ProveSegment(ctx, req, cpu.New(req.Params.Workers))
}

func (cpuBackend) BenchKernels(ctx context.Context, req backend.BenchRequest) ([]backend.BenchRow, error) {
	return benchKernels(ctx, req, runtime.NumCPU())
}

func main() { backend.Serve(cpuBackend{}) }
