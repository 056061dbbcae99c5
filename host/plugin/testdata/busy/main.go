// Command busy is a backend plugin, for the tests of host/plugin and
// host/cli only, that proves for ever: its ProveSegment reads the records,
// then keeps a CPU busy and ignores cancellation, as a real prover deep in a
// kernel does. The host must stop it on a signal, and it must exit by itself
// when its host dies.
package main

import (
	"context"
	"io"

	"github.com/oneiros-zk/oneiros/sdk/backend"
)

type busy struct{ backend.UnimplementedBackend }

func (busy) Describe(context.Context, backend.DescribeRequest) (*backend.Description, error) {
	return &backend.Description{Name: "busy", Version: "0.0.1-test", Devices: []backend.Device{
		{Name: "cpu", Kind: "cpu", Available: true},
	}}, nil
}

func (busy) ProveSegment(_ context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	if _, err := io.Copy(io.Discard, req.Records); err != nil {
		return nil, err
	}
	req.Progress(backend.Progress{Phase: "spin", Fraction: 0})
	x := uint64(1)
	for {
		x = x*6364136223846793005 + 1442695040888963407
		if x == 0 {
			break
		}
	}
	return &backend.Proof{Data: []byte{byte(x)}}, nil
}

func main() { backend.Serve(busy{}) }
