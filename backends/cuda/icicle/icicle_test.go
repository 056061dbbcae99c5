//go:build cuda

package icicle_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/oneiros-zk/oneiros/backends/cuda/icicle"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/kernel/kerneltest"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

// open returns the kernels of ICICLE's CPU device, the stand-in for a GPU that every
// machine has.
func open(t *testing.T, device string) *icicle.Kernels {
	t.Helper()
	k, err := icicle.Open(device, 0)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The conformance kit: ICICLE's kernels equal the CPU backend's bit for bit.
func TestConformanceCPUDevice(t *testing.T) {
	kerneltest.Test(t, cpu.New(0), open(t, "cpu"), kerneltest.Options{Seed: 1})
}

// Taller LDEs (2^14 rows, blowups up to 2^4: domains of 2^18) and larger MSMs.
func TestConformanceCPUDeviceLarger(t *testing.T) {
	if testing.Short() {
		t.Skip("larger inputs")
	}
	kerneltest.Test(t, cpu.New(0), open(t, "cpu"), kerneltest.Options{Seed: 2, MaxLogN: 14, MaxMSM: 1 << 14})
}

// On a machine with a GPU (and ICICLE's CUDA backend), the same kit on it.
func TestConformanceGPU(t *testing.T) {
	for _, d := range icicle.Devices() {
		if d.Kind == "cuda" && !d.Available {
			t.Skipf("no GPU: %s", d.Reason)
		}
	}
	kerneltest.Test(t, cpu.New(0), open(t, "cuda"), kerneltest.Options{Seed: 3, MaxLogN: 14, MaxMSM: 1 << 14})
}

// Device names: the GPU when there is one, ICICLE's CPU device otherwise; unknown names
// and a missing GPU are errors that say why.
func TestOpen(t *testing.T) {
	gpu := false
	for _, d := range icicle.Devices() {
		gpu = gpu || (d.Kind == "cuda" && d.Available)
	}
	want := map[bool]string{false: "icicle/cpu", true: "icicle/cuda:0"}[gpu]
	for _, name := range []string{"", "auto"} {
		if k := open(t, name); k.Name() != want {
			t.Errorf("Open(%q): %s, want %s", name, k.Name(), want)
		}
	}
	if k := open(t, "cpu"); k.Name() != "icicle/cpu" || k.Device() != "cpu" {
		t.Errorf("Open(cpu): %s on %s", k.Name(), k.Device())
	}
	bad := []string{"cuda:x", "cuda:-1", "metal", "cuda:99"}
	if !gpu {
		bad = append(bad, "cuda", "cuda:0")
	}
	for _, name := range bad {
		if _, err := icicle.Open(name, 0); err == nil {
			t.Errorf("Open(%q) succeeded", name)
		} else {
			t.Logf("Open(%q): %v", name, err)
		}
	}
}

// Kernels may be called from several goroutines at once: calls on a device are
// serialised, each on a locked OS thread with the device selected.
func TestConcurrentCalls(t *testing.T) {
	k, ref := open(t, "cpu"), cpu.New(0)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cols := make([][]field.Elem, 3)
			for c := range cols {
				cols[c] = make([]field.Elem, 1<<(6+g))
				for i := range cols[c] {
					cols[c][i] = field.New(uint64(1000*g + 10*c + i))
				}
			}
			shift := ntt.CosetShift(7+g, 12)
			got, err := k.CosetLDE(cols, 1, shift)
			want, _ := ref.CosetLDE(cols, 1, shift)
			if err != nil || !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("goroutine %d: LDE differs (%v)", g, err)
			}
		}()
	}
	wg.Wait()
}
