package benchsuite

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sys/cpu"

	"github.com/oneiros-zk/oneiros/proving/hash"

	"github.com/oneiros-zk/oneiros/proving/kernel/bench"
)

// Fingerprint identifies the machine and the software a result was measured with, so
// that results from different machines compare.
type Fingerprint struct {
	CPU         string   `json:"cpu" yaml:"cpu"`
	Cores       int      `json:"cores" yaml:"cores"`
	Features    []string `json:"features" yaml:"features"` // the vector and hash extensions the kernels can use
	MemoryBytes uint64   `json:"memory_bytes" yaml:"memory_bytes"`
	OS          string   `json:"os" yaml:"os"`
	Arch        string   `json:"arch" yaml:"arch"`
	Go          string   `json:"go" yaml:"go"`
	Oneiros     string   `json:"oneiros" yaml:"oneiros"`
	GPU         string   `json:"gpu,omitempty" yaml:"gpu,omitempty"` // the CUDA backend's device, when it reports one
	Backend     string   `json:"backend" yaml:"backend"`
	Device      string   `json:"device,omitempty" yaml:"device,omitempty"`
	Engine      string   `json:"engine" yaml:"engine"` // the engine parameters, as the configuration sets them
	// Floor is this machine's arithmetic floor (multiplications, additions and Poseidon2
	// permutations per second on the kernels' goroutines), measured at the start of the
	// run when the kernels run on this CPU; nil otherwise.
	Floor *bench.Floor `json:"floor,omitempty" yaml:"floor,omitempty"`
}

// Machine fingerprints this machine (Oneiros, GPU, Backend, Device and Engine are the
// caller's).
func Machine() Fingerprint {
	return Fingerprint{CPU: cpuModel(), Cores: runtime.NumCPU(), Features: features(), MemoryBytes: memory(),
		OS: runtime.GOOS, Arch: runtime.GOARCH, Go: runtime.Version()}
}

func features() []string {
	var f []string
	add := func(ok bool, name string) {
		if ok {
			f = append(f, name)
		}
	}
	switch runtime.GOARCH {
	case "amd64":
		add(cpu.X86.HasAVX2, "AVX2")
		add(cpu.X86.HasAVX512F, "AVX-512F")
		add(cpu.X86.HasAVX512IFMA, "AVX-512IFMA")
		add(cpu.X86.HasBMI2, "BMI2")
		add(cpu.X86.HasADX, "ADX")
		add(cpu.X86.HasAES, "AES")
		// The engine's 8-lane AVX2 Poseidon2 (package hash; a GOEXPERIMENT=simd build).
		add(hash.Vector8() && cpu.X86.HasAVX2 && !cpu.X86.HasAVX512F, "Poseidon2-AVX2x8")
	case "arm64":
		add(cpu.ARM64.HasASIMD, "NEON")
		add(cpu.ARM64.HasSVE, "SVE")
		add(cpu.ARM64.HasSHA2, "SHA2")
		add(cpu.ARM64.HasSHA3, "SHA3")
	}
	return f
}

func cpuModel() string {
	if runtime.GOOS == "darwin" {
		if out, err := exec.Command("sysctl", "-n", "machdep.cpu.brand_string").Output(); err == nil {
			return strings.TrimSpace(string(out))
		}
	}
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && (strings.TrimSpace(k) == "model name" || strings.TrimSpace(k) == "Model") {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func memory() uint64 {
	if runtime.GOOS == "darwin" {
		if out, err := exec.Command("sysctl", "-n", "hw.memsize").Output(); err == nil {
			n, _ := strconv.ParseUint(strings.TrimSpace(string(out)), 10, 64)
			return n
		}
	}
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
