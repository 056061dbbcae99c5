// Command backend-wrong is a test backend whose every segment proof is wrong: it proves
// like the CPU backend and flips a byte of the STARK. A distributed run must refuse its
// proofs, name its worker, and have the segments proven elsewhere.
package main

import (
	"context"

	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

type wrong struct{ backend.UnimplementedBackend }

func (wrong) Describe(context.Context, backend.DescribeRequest) (*backend.Description, error) {
	return &backend.Description{Name: "wrong", Version: "0.0.1-test",
		Devices: []backend.Device{{Name: "cpu", Kind: "cpu", Available: true}}}, nil
}

func (wrong) ProveSegment(ctx context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	p, err := backend.ProveSegment(ctx, req, cpu.New(req.Params.Workers))
	if err != nil {
		return nil, err
	}
	p.Data[len(p.Data)-100] ^= 1
	return p, nil
}

func main() { backend.Serve(wrong{}) }
