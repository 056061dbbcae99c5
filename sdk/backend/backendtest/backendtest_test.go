package backendtest

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// toy is a backend that proves nothing: a program must start with "TOYN",
// records are 8-byte words, and the "proof" is their CRC-32.
type toy struct{ backend.UnimplementedBackend }

func (toy) Describe(context.Context, backend.DescribeRequest) (*backend.Description, error) {
	return &backend.Description{Name: "toy", Version: "0.0.0", Devices: []backend.Device{
		{Name: "cpu", Kind: "cpu", Available: true, Kernels: []string{"crc32"}},
		{Name: "cuda:0", Kind: "cuda", Reason: "not compiled with CUDA support"},
	}}, nil
}

func (toy) ProveSegment(_ context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	if !strings.HasPrefix(string(req.Program), "TOYN") {
		return nil, fmt.Errorf("%w: not a toy program", backend.ErrInvalidInput)
	}
	h := crc32.NewIEEE()
	n, err := io.Copy(h, req.Records)
	if err != nil {
		return nil, err
	}
	if n == 0 || n%8 != 0 {
		return nil, fmt.Errorf("%w: %d record bytes is not a positive multiple of 8", backend.ErrInvalidInput, n)
	}
	return &backend.Proof{Data: h.Sum(nil)}, nil
}

func (toy) BenchKernels(_ context.Context, req backend.BenchRequest) ([]backend.BenchRow, error) {
	if req.Device != "cpu" {
		return nil, fmt.Errorf("%w: no device %q", backend.ErrInvalidInput, req.Device)
	}
	var rows []backend.BenchRow
	for _, l := range req.LogSizes {
		rows = append(rows, backend.BenchRow{Kernel: "crc32", LogSize: l, Seconds: 1e-6, Throughput: 1e9, Unit: "B/s", Device: "cpu"})
	}
	return rows, nil
}

func TestToyConforms(t *testing.T) { TestInProcess(t, toy{}) }

type provesNonsense struct{ toy }

func (provesNonsense) ProveSegment(_ context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	_, err := io.Copy(io.Discard, req.Records)
	return &backend.Proof{Data: []byte("proof")}, err
}

type badDescribe struct{ toy }

func (badDescribe) Describe(context.Context, backend.DescribeRequest) (*backend.Description, error) {
	return &backend.Description{Name: "Toy", Devices: []backend.Device{
		{Name: "cpu", Kind: "cpu", Available: true},
		{Name: "cpu", Kind: "", Available: false},
	}}, nil
}

type badBench struct{ toy }

func (badBench) BenchKernels(context.Context, backend.BenchRequest) ([]backend.BenchRow, error) {
	return []backend.BenchRow{{Kernel: "ntt", LogSize: 4, Seconds: math.NaN(), Unit: "elems/s"}, {Kernel: "fri", LogSize: 9, Unit: "x"}, {Kernel: "hash", LogSize: 4}}, nil
}

type noDevices struct{ toy }

func (noDevices) Describe(context.Context, backend.DescribeRequest) (*backend.Description, error) {
	return &backend.Description{Name: "cuda", Version: "1", Devices: []backend.Device{{Name: "cuda:0", Kind: "cuda", Reason: "not compiled with CUDA support"}}}, nil
}

func (noDevices) BenchKernels(context.Context, backend.BenchRequest) ([]backend.BenchRow, error) {
	return []backend.BenchRow{}, nil
}

type plainErrors struct{ toy }

func (plainErrors) ProveSegment(_ context.Context, req backend.ProveRequest) (*backend.Proof, error) {
	_, _ = io.Copy(io.Discard, req.Records)
	return nil, errors.New("bad records")
}

func TestKitFindsEveryFailure(t *testing.T) {
	tests := []struct {
		name string
		impl backend.Backend
		want []string
	}{
		{"proves nonsense", provesNonsense{}, []string{
			"ProveSegment(garbage records): returned a 5-byte proof of nonsense",
			"ProveSegment(no records): returned a 5-byte proof of nonsense",
		}},
		{"bad describe", badDescribe{}, []string{
			`Describe: name "Toy" is not a short lowercase name`,
			"Describe: empty version",
			`Describe: two devices are named "cpu"`,
			`Describe: device "cpu" has no kind`,
			`Describe: device "cpu" is unavailable without a reason`,
			`Describe: device "cpu" is available but runs no kernels`,
		}},
		{"bad bench", badBench{}, []string{
			`BenchKernels(device "cpu", log size 4): kernel "ntt": seconds = NaN`,
			`kernel "fri": row for log size 9, 4 was asked`,
			`kernel "hash": throughput has no unit`,
		}},
		{"no devices", noDevices{}, []string{"BenchKernels(no available device): returned 0 rows without a device to run on"}},
		{"plain errors", plainErrors{}, []string{`ProveSegment(garbage records): refused with "bad records", which does not wrap ErrInvalidInput`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := pluginv1.DispenseInProcess(t, backend.PluginName, &backend.Plugin{Impl: tt.impl}).(*backend.Client)
			var all strings.Builder
			for _, e := range Run(context.Background(), c) {
				fmt.Fprintln(&all, e)
			}
			for _, w := range tt.want {
				if !strings.Contains(all.String(), w) {
					t.Errorf("no failure mentions %q; got:\n%s", w, all.String())
				}
			}
		})
	}
}
