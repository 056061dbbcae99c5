package kerneltest

import (
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/kernel"
)

// Options tune Run. The zero value runs the default checks.
type Options struct {
	// Seed seeds every random input; runs with equal seeds see equal inputs.
	Seed uint64
	// MaxLogN is log2 of the tallest LDE input and Merkle matrix, 4 … 20 (default 10).
	MaxLogN int
	// MaxMSM is the largest MSM, 1 … 2^20 points (default 1024).
	MaxMSM int
}

func (o Options) withDefaults() Options {
	if o.MaxLogN == 0 {
		o.MaxLogN = 10
	}
	o.MaxLogN = min(max(o.MaxLogN, 4), 20)
	if o.MaxMSM == 0 {
		o.MaxMSM = 1024
	}
	o.MaxMSM = min(max(o.MaxMSM, 1), 1<<20)
	return o
}

// Failure is one disagreement between the implementation and the reference, or one
// broken rule of the kernel contract.
type Failure struct {
	Kernel string // "Name", "CosetLDE", "MerkleCommit", "FoldFRI", "Quotient" or "MSM"
	Case   string // the inputs, e.g. "height 16, blowup 2^2, shift g, 9 columns"
	Msg    string // what went wrong, e.g. "column 3 row 17: got 5, want 9 (4 entries differ)"
}

func (f *Failure) Error() string {
	return fmt.Sprintf("kerneltest: %s(%s): %s", f.Kernel, f.Case, f.Msg)
}

// Run checks that impl computes what ref computes, bit for bit, on every kernel of
// kernel.Kernels, and that impl keeps the contract's rules (inputs unchanged, errors for
// malformed inputs, no panics). It returns every failure found, nil when there is none.
// ref is normally package kernel/cpu; Run never compares ref with anything but impl.
func Run(ref, impl kernel.Kernels, opts Options) []error {
	r := &runner{ref: ref, impl: impl, opts: opts.withDefaults()}
	if impl.Name() == "" {
		r.fail("Name", "", "empty name")
	}
	r.lde()
	r.merkle()
	r.fold()
	r.quotient()
	r.msm()
	return r.fails
}

// Test runs Run and reports each failure with t.Error.
func Test(t testing.TB, ref, impl kernel.Kernels, opts Options) {
	t.Helper()
	for _, err := range Run(ref, impl, opts) {
		t.Error(err)
	}
}

type runner struct {
	ref, impl kernel.Kernels
	opts      Options
	fails     []error
}

func (r *runner) fail(kernel, cs, format string, args ...any) {
	r.fails = append(r.fails, &Failure{Kernel: kernel, Case: cs, Msg: fmt.Sprintf(format, args...)})
}

func (r *runner) gen(label string) *gen { return newGen(r.opts.Seed, label) }

// call runs f, turning a panic into an error that says so.
func call(f func() error) (panicked bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			panicked, err = true, fmt.Errorf("panicked: %v", p)
		}
	}()
	return false, f()
}

// both runs the reference and the implementation on the same case. It records a
// failure and returns false unless both return without error.
func (r *runner) both(kernel, cs string, onRef, onImpl func(k kernel.Kernels) error) bool {
	if _, err := call(func() error { return onRef(r.ref) }); err != nil {
		r.fail(kernel, cs, "the reference fails: %v", err)
		return false
	}
	if _, err := call(func() error { return onImpl(r.impl) }); err != nil {
		r.fail(kernel, cs, "%v", err)
		return false
	}
	return true
}

// mustReject checks that impl returns an error for a malformed input, without panicking.
func (r *runner) mustReject(kernel, cs string, f func(k kernel.Kernels) error) {
	panicked, err := call(func() error { return f(r.impl) })
	switch {
	case panicked:
		r.fail(kernel, cs, "%v; want an error", err)
	case err == nil:
		r.fail(kernel, cs, "accepted; want an error")
	}
}

// diff compares two slices and describes the first difference and how many there are.
func diff[T comparable](got, want []T) string {
	if len(got) != len(want) {
		return fmt.Sprintf("length %d, want %d", len(got), len(want))
	}
	first, n := -1, 0
	for i := range got {
		if got[i] != want[i] {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	if n == 0 {
		return ""
	}
	// Pointers, so that types whose String has a pointer receiver print as values.
	return fmt.Sprintf("entry %d: got %v, want %v (%d of %d entries differ)", first, &got[first], &want[first], n, len(got))
}
