//go:build cuda

package icicle

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	icr "github.com/ingonyama-zk/icicle/v3/wrappers/golang/runtime"

	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
)

// Compiled reports whether this binary was built with the cuda tag (and so with ICICLE).
const Compiled = true

// device is one ICICLE device. ICICLE keeps the active device per OS thread, and a device's
// NTT domain is global to it, so every call sequence on a device runs under its mutex, on a
// locked OS thread, after selecting the device (see run).
type device struct {
	label     string // "cuda:0", "cpu"
	dev       icr.Device
	mu        sync.Mutex
	logDomain int // log2 of the NTT domain initialised on the device; 0 = none
}

// ICICLE device types.
const (
	typeCUDA = "CUDA"
	typeCPU  = "CPU"
)

// defaultBackendDir is where ICICLE looks for backend libraries without
// ICICLE_BACKEND_INSTALL_DIR.
const defaultBackendDir = "/opt/icicle/lib/backend"

var (
	loadOnce sync.Once
	devMu    sync.Mutex
	devs     = map[string]*device{}
)

// loadBackends loads ICICLE's device backends once per process: the CPU device is compiled
// in; the CUDA one is a library found in ICICLE_BACKEND_INSTALL_DIR (or /opt/icicle/lib/backend).
func loadBackends() {
	loadOnce.Do(func() { _ = icr.LoadBackendFromEnvOrDefault() })
}

// registered reports whether ICICLE has a backend for the device type.
func registered(typ string) bool {
	loadBackends()
	types, err := icr.GetRegisteredDevices()
	return err == icr.Success && slices.Contains(types, typ)
}

// cudaReason says why the CUDA device cannot be used, "" when it can; count is the
// number of CUDA devices ICICLE sees.
func cudaReason() (reason string, count int) {
	if !registered(typeCUDA) {
		dir := os.Getenv("ICICLE_BACKEND_INSTALL_DIR")
		if dir == "" {
			return fmt.Sprintf("ICICLE's CUDA backend is not loaded: ICICLE_BACKEND_INSTALL_DIR is not set and %s holds no usable libicicle_backend_cuda*.so", defaultBackendDir), 0
		}
		return fmt.Sprintf("ICICLE's CUDA backend is not loaded from ICICLE_BACKEND_INSTALL_DIR=%s (no libicicle_backend_cuda*.so there, or it failed to load: CUDA driver missing?)", dir), 0
	}
	d := icr.CreateDevice(typeCUDA, 0)
	err := onThread(&d, func() error {
		n, e := icr.GetDeviceCount()
		if e != icr.Success {
			return fmt.Errorf("%s", e.AsString())
		}
		count = n
		return nil
	})
	switch {
	case err != nil:
		return "ICICLE's CUDA backend cannot count GPUs: " + err.Error(), 0
	case count == 0:
		return "no CUDA GPU found by ICICLE's CUDA backend", 0
	}
	return "", count
}

// Devices lists the CUDA device (the first GPU, "cuda"; others are "cuda:N") and ICICLE's
// CPU device ("cpu"), each with its availability.
func Devices() []Device {
	cuda := Device{Name: "cuda", Kind: "cuda"}
	if reason, _ := cudaReason(); reason != "" {
		cuda.Reason = reason
	} else {
		cuda.Available = true
		d := icr.CreateDevice(typeCUDA, 0)
		_ = onThread(&d, func() error {
			if m, e := icr.GetAvailableMemory(); e == icr.Success {
				cuda.MemoryBytes = uint64(m.Total)
			}
			return nil
		})
	}
	cpuDev := Device{Name: "cpu", Kind: "cpu", Available: registered(typeCPU)}
	if !cpuDev.Available {
		cpuDev.Reason = "ICICLE's CPU backend is not registered"
	}
	return []Device{cuda, cpuDev}
}

// Open returns the kernels of a device: "cuda" or "cuda:N" (a GPU), "cpu" (ICICLE's CPU
// device, which stands in for a GPU), or "" and "auto" (the GPU when there is one, else
// ICICLE's CPU device). workers bounds the goroutines of the host kernels (0 = one per CPU);
// ICICLE's CPU device uses every core whatever it is.
func Open(name string, workers int) (*Kernels, error) {
	typ, id, err := parseDevice(name)
	if err != nil {
		return nil, err
	}
	if typ == typeCUDA {
		if reason, count := cudaReason(); reason != "" {
			if name == "" || name == "auto" {
				typ, id = typeCPU, 0
			} else {
				return nil, fmt.Errorf("icicle: device %q: %s", name, reason)
			}
		} else if id >= count {
			return nil, fmt.Errorf("icicle: device %q: ICICLE sees %d CUDA GPU(s)", name, count)
		}
	}
	if typ == typeCPU && !registered(typeCPU) {
		return nil, fmt.Errorf("icicle: device %q: ICICLE's CPU backend is not registered", name)
	}
	label := "cpu"
	if typ == typeCUDA {
		label = "cuda:" + strconv.Itoa(id)
	}
	devMu.Lock()
	d := devs[label]
	if d == nil {
		d = &device{label: label, dev: icr.CreateDevice(typ, id)}
		devs[label] = d
	}
	devMu.Unlock()
	return &Kernels{dev: d, host: cpu.New(workers)}, nil
}

// parseDevice maps a --device value to an ICICLE device type and index.
func parseDevice(name string) (string, int, error) {
	switch name {
	case "", "auto", "cuda":
		return typeCUDA, 0, nil
	case "cpu":
		return typeCPU, 0, nil
	}
	if rest, ok := strings.CutPrefix(name, "cuda:"); ok {
		if id, err := strconv.Atoi(rest); err == nil && id >= 0 {
			return typeCUDA, id, nil
		}
	}
	return "", 0, fmt.Errorf("icicle: unknown device %q (want cuda, cuda:N or cpu)", name)
}

// run runs f on the device: alone among the device's callers, on a locked OS thread on
// which the device is active.
func (d *device) run(f func() error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return onThread(&d.dev, f)
}

// onThread runs f on a locked OS thread with dev active.
func onThread(dev *icr.Device, f func() error) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if e := icr.SetDevice(dev); e != icr.Success {
		return fmt.Errorf("icicle: selecting device %s: %s", dev.GetDeviceType(), e.AsString())
	}
	return f()
}

// check turns an ICICLE status into an error naming the call.
func check(what string, e icr.EIcicleError) error {
	if e == icr.Success {
		return nil
	}
	return fmt.Errorf("icicle: %s: %s", what, e.AsString())
}
