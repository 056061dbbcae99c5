package icicle

import (
	"errors"
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

// ErrNotCompiled is what every device reports, and Open returns, in a binary built
// without the cuda tag.
var ErrNotCompiled = errors.New("not compiled with CUDA support (build with -tags cuda: make cuda)")

// Where each kernel of kernel.Kernels runs. DeviceKernels run on the ICICLE device (the GPU,
// or ICICLE's own CPU device standing in for it); HostKernels run in Go on the host's CPU
// with package kernel/cpu, inside this backend:
//
//   - merkle: the engine's Poseidon2 (t = 16, R_F = 6, R_P = 21, gnark-crypto's round
//     constants) is not ICICLE's. ICICLE v3.9.2 has Poseidon2 for KoalaBear t = 16 only with
//     its own constants and R_F = 8, R_P = 20, and create_poseidon2_hash takes no
//     constants, so it cannot compute the engine's hash.
//   - quotient: the job is the engine's compiled constraint program, a Go closure
//     (kernel.QuotientJob); there is nothing for ICICLE to run.
//   - fri_fold: one multiply-add pass over the codeword, memory-bound and about 1 % of a
//     proof. The codeword lives on the host (each FRI layer is committed there), so on a
//     device it would cross the bus twice for that one pass, which costs more than the
//     pass; and ICICLE's Go vector ops (no scalar-times-vector, no extension field in
//     gnark-crypto's tower basis) would need some forty calls for it.
var (
	DeviceKernels = []string{"lde", "msm"}
	HostKernels   = []string{"merkle", "quotient", "fri_fold"}
)

// KernelList is the Describe form: device kernels by name, host kernels suffixed "@host".
func KernelList() []string {
	l := append([]string(nil), DeviceKernels...)
	for _, k := range HostKernels {
		l = append(l, k+"@host")
	}
	return l
}

// Device is one ICICLE device as the backend describes it.
type Device struct {
	Name        string // what --device picks: "cuda" (or "cuda:N") or "cpu"
	Kind        string // "cuda" or "cpu"
	Available   bool
	Reason      string // why not, when not available
	MemoryBytes uint64 // 0 when unknown
}

// Kernels is kernel.Kernels on one ICICLE device. The device kernels (CosetLDE, MSM) are
// in the cuda-tagged files; without the tag Open never returns a Kernels.
type Kernels struct {
	dev  *device
	host *cpu.Kernels // the host kernels, and the LDEs ICICLE cannot take (see CosetLDE)
}

var _ kernel.Kernels = (*Kernels)(nil)

// Name implements kernel.Kernels: "icicle/" and the device, e.g. "icicle/cuda:0".
func (k *Kernels) Name() string { return "icicle/" + k.dev.label }

// Device is the name of the device the kernels run on, e.g. "cuda:0" or "cpu".
func (k *Kernels) Device() string { return k.dev.label }

// MerkleCommit implements kernel.Kernels on the host (see HostKernels).
func (k *Kernels) MerkleCommit(mats []merkle.Matrix) (*merkle.Tree, error) {
	return k.host.MerkleCommit(mats)
}

// Quotient implements kernel.Kernels on the host (see HostKernels).
func (k *Kernels) Quotient(job kernel.QuotientJob) error { return k.host.Quotient(job) }

// FoldFRI implements kernel.Kernels on the host (see HostKernels).
func (k *Kernels) FoldFRI(dst, codeword field.ExtVec, beta field.Ext, invX []field.Elem) error {
	return k.host.FoldFRI(dst, codeword, beta, invX)
}

// checkLDE validates CosetLDE's input as package kernel/cpu does and returns the height.
func checkLDE(cols [][]field.Elem, logBlowup int) (int, error) {
	n := len(cols[0])
	if logBlowup < 0 || ntt.Log2(n) < 0 || ntt.Log2(n)+logBlowup > field.TwoAdicity {
		return 0, fmt.Errorf("icicle: LDE of height %d with blowup 2^%d exceeds the field's 2^%d domain", n, logBlowup, field.TwoAdicity)
	}
	for i, c := range cols {
		if len(c) != n {
			return 0, fmt.Errorf("icicle: column %d has %d rows, want %d", i, len(c), n)
		}
	}
	return n, nil
}

// ldeOutput allocates the LDE's columns on one backing array, as package kernel/cpu does.
func ldeOutput(cols, N int) ([][]field.Elem, []field.Elem) {
	out := make([][]field.Elem, cols)
	backing := make([]field.Elem, cols*N)
	for i := range out {
		out[i] = backing[i*N : (i+1)*N]
	}
	return out, backing
}

// rootOfTwoPowerOrder reports whether s is a 2^k-th root of unity (s^(2^24) = 1).
func rootOfTwoPowerOrder(s field.Elem) bool {
	for range field.TwoAdicity {
		s.Square(&s)
	}
	return s.IsOne()
}
