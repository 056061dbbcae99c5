package plugin

import (
	"context"

	"github.com/oneiros-zk/oneiros/sdk/backend"
)

// Backend is a running backend plugin. It implements [backend.Backend] with
// the manager's guarantees: each call is bounded by the call timeout, and a
// crash, a hang or malformed data becomes an [*Error] (and a killed
// process), never a panic or a stuck host.
type Backend struct {
	backend.UnimplementedBackend
	// Description is what Describe said at launch.
	Description *backend.Description

	proc   *process
	client *backend.Client
}

// Describe implements backend.Backend.
func (b *Backend) Describe(ctx context.Context, req backend.DescribeRequest) (d *backend.Description, err error) {
	err = b.proc.call(ctx, "Describe", func(ctx context.Context) error {
		d, err = b.client.Describe(ctx, req)
		return err
	})
	return d, err
}

// ProveSegment implements backend.Backend. The call timeout covers the whole
// exchange, records and proof.
func (b *Backend) ProveSegment(ctx context.Context, req backend.ProveRequest) (p *backend.Proof, err error) {
	err = b.proc.call(ctx, "ProveSegment", func(ctx context.Context) error {
		p, err = b.client.ProveSegment(ctx, req)
		return err
	})
	return p, err
}

// BenchKernels implements backend.Backend.
func (b *Backend) BenchKernels(ctx context.Context, req backend.BenchRequest) (rows []backend.BenchRow, err error) {
	err = b.proc.call(ctx, "BenchKernels", func(ctx context.Context) error {
		rows, err = b.client.BenchKernels(ctx, req)
		return err
	})
	return rows, err
}
