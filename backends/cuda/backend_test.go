package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/backends/cuda/icicle"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/backend/backendtest"
)

// The backend contract's kit, with or without the cuda tag: without it every device is
// unavailable and every job is refused; with it the kit benches ICICLE's CPU device.
func TestConformance(t *testing.T) {
	backendtest.TestInProcess(t, cudaBackend{})
}

func TestDescribe(t *testing.T) {
	d, err := cudaBackend{}.Describe(context.Background(), backend.DescribeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]backend.Device{}
	for _, dev := range d.Devices {
		kinds[dev.Kind] = dev
		if !strings.Contains(strings.Join(dev.Kernels, " "), "merkle@host") {
			t.Errorf("device %s: kernels %v do not say that merkle runs on the host", dev.Name, dev.Kernels)
		}
	}
	if kinds["cuda"].Name != "cuda" || kinds["cpu"].Name != "cpu" {
		t.Fatalf("devices %+v; want cuda and cpu", d.Devices)
	}
	if !icicle.Compiled {
		for _, dev := range d.Devices {
			if dev.Available || !strings.Contains(dev.Reason, "not compiled with CUDA support") {
				t.Errorf("device %s: available %v, reason %q; want unavailable, not compiled with CUDA support", dev.Name, dev.Available, dev.Reason)
			}
		}
		return
	}
	if !kinds["cpu"].Available {
		t.Errorf("ICICLE's CPU device is unavailable: %s", kinds["cpu"].Reason)
	}
}

// Without the tag, every request for work fails with the reason, as invalid input (the
// host reports it and exits 2); with it, unknown devices do.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	devices := []string{"nosuch", "cuda:x"}
	if !icicle.Compiled {
		devices = append(devices, "", "cpu", "cuda")
	}
	for _, dev := range devices {
		_, err := cudaBackend{}.BenchKernels(ctx, backend.BenchRequest{LogSizes: []int{4}, Columns: 1, Repetitions: 1, Device: dev})
		if !errors.Is(err, backend.ErrInvalidInput) {
			t.Errorf("BenchKernels on device %q: %v; want ErrInvalidInput", dev, err)
		}
		if !icicle.Compiled && (err == nil || !strings.Contains(err.Error(), "not compiled with CUDA support")) {
			t.Errorf("BenchKernels on device %q: %v; want not compiled with CUDA support", dev, err)
		}
	}
}
