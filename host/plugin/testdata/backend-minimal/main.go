// Command backend-minimal is a well-behaved backend plugin used only by the
// tests and benchmarks of host/plugin and host/cli (built as
// oneiros-backend-minimal). It proves nothing: its "proof" is a CRC-32 of
// the records. It lists a CPU device and, like a build without the cuda tag,
// a CUDA device that is unavailable.
//
// It accepts programs starting with "TOYN" and records whose length is a
// positive multiple of 16 bytes.
package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"time"

	"github.com/oneiros-zk/oneiros/sdk/backend"
)

type toy struct{ backend.UnimplementedBackend }

func (toy) Describe(context.Context, backend.DescribeRequest) (*backend.Description, error) {
	return &backend.Description{Name: "minimal", Version: "0.0.1-test", Devices: []backend.Device{
		{Name: "cpu", Kind: "cpu", Available: true, Kernels: []string{"crc32"}},
		{Name: "cuda:0", Kind: "cuda", Reason: "not compiled with CUDA support"},
	}}, nil
}

func (toy) ProveSegment(ctx context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	if !strings.HasPrefix(string(req.Program), "TOYN") {
		return nil, fmt.Errorf("%w: segment %d: not a toy program", backend.ErrInvalidInput, req.SegmentIndex)
	}
	if req.Device != "" && req.Device != "cpu" {
		return nil, fmt.Errorf("%w: device %q is not available", backend.ErrInvalidInput, req.Device)
	}
	start := time.Now()
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	n, err := io.Copy(h, req.Records)
	if err != nil {
		return nil, err
	}
	if n == 0 || n%16 != 0 {
		return nil, fmt.Errorf("%w: segment %d: %d record bytes is not a positive multiple of 16", backend.ErrInvalidInput, req.SegmentIndex, n)
	}
	req.Progress(backend.Progress{Phase: "commit", Fraction: 1})
	proof := binary.LittleEndian.AppendUint64(append([]byte("TOYPROOF"), h.Sum(nil)...), uint64(n))
	return &backend.Proof{Data: proof, PhaseSeconds: map[string]float64{"commit": time.Since(start).Seconds()}}, nil
}

func (toy) BenchKernels(ctx context.Context, req backend.BenchRequest) ([]backend.BenchRow, error) {
	if req.Device != "" && req.Device != "cpu" {
		return nil, fmt.Errorf("%w: device %q is not available", backend.ErrInvalidInput, req.Device)
	}
	table := crc32.MakeTable(crc32.Castagnoli)
	var rows []backend.BenchRow
	for _, l := range req.LogSizes {
		if l < 0 || l > 26 {
			return nil, fmt.Errorf("%w: log size %d is out of 0..26", backend.ErrInvalidInput, l)
		}
		data := make([]byte, (1<<l)*max(req.Columns, 1)*4)
		best := time.Duration(1<<63 - 1)
		for range max(req.Repetitions, 1) {
			start := time.Now()
			crc32.Checksum(data, table)
			best = min(best, time.Since(start))
		}
		s := max(best.Seconds(), 1e-9)
		rows = append(rows, backend.BenchRow{Kernel: "crc32", LogSize: l, Seconds: s, Throughput: float64(len(data)) / s, Unit: "B/s", Device: "cpu"})
	}
	return rows, nil
}

func main() { backend.Serve(toy{}) }
