// Command backend-badseg is a test backend that proves segments like the CPU backend
// but returns, for segment 1, a proof of another segment: a proof that verifies on its
// own and that the host must refuse when it links it, naming the segment.
package main

import (
	"context"

	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

type badseg struct{ backend.UnimplementedBackend }

func (badseg) Describe(context.Context, backend.DescribeRequest) (*backend.Description, error) {
	return &backend.Description{Name: "badseg", Version: "0.0.1-test", Devices: []backend.Device{{Name: "cpu", Kind: "cpu", Available: true}}}, nil
}

var first *backend.Proof

func (badseg) ProveSegment(ctx context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	p, err := backend.ProveSegment(ctx, req, cpu.New(req.Params.Workers))
	if err != nil {
		return nil, err
	}
	if req.SegmentIndex == 0 {
		first = p
	}
	if req.SegmentIndex == 1 && first != nil {
		return first, nil // segment 0's proof again
	}
	return p, nil
}

func main() { backend.Serve(badseg{}) }
