package kerneltest_test

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/kernel/kerneltest"
	"github.com/oneiros-zk/oneiros/proving/merkle"
)

// The CPU kernels agree with themselves whatever the number of workers: results must
// not depend on how the work is split.
func TestCPUWorkersAgree(t *testing.T) {
	ref := cpu.New(1)
	for _, w := range []int{1, 2, 3, 7} {
		t.Run(fmt.Sprintf("workers=%d", w), func(t *testing.T) {
			kerneltest.Test(t, ref, cpu.New(w), kerneltest.Options{Seed: uint64(w)})
		})
	}
}

func TestCPUWorkersAgreeLarger(t *testing.T) {
	if testing.Short() {
		t.Skip("larger inputs")
	}
	kerneltest.Test(t, cpu.New(1), cpu.New(5), kerneltest.Options{Seed: 99, MaxLogN: 14, MaxMSM: 1 << 13})
}

// Broken kernels, each wrong in one way. The kit must catch each, and blame the right
// kernel only.

type flipLDE struct{ *cpu.Kernels }

// CosetLDE changes one value of the last column when there are several columns of at
// least 16 rows.
func (k flipLDE) CosetLDE(cols [][]field.Elem, logB int, s field.Elem) ([][]field.Elem, error) {
	out, err := k.Kernels.CosetLDE(cols, logB, s)
	if err == nil && len(cols) > 1 && len(cols[0]) >= 16 {
		last := out[len(out)-1]
		one := field.New(1)
		last[len(last)/2].Add(&last[len(last)/2], &one)
	}
	return out, err
}

type mutatingLDE struct{ *cpu.Kernels }

// CosetLDE computes the right answer but scribbles on its input.
func (k mutatingLDE) CosetLDE(cols [][]field.Elem, logB int, s field.Elem) ([][]field.Elem, error) {
	out, err := k.Kernels.CosetLDE(cols, logB, s)
	if err == nil && len(cols) > 0 && len(cols[0]) > 0 {
		cols[0][0] = field.New(12345)
	}
	return out, err
}

type reorderedMerkle struct{ *cpu.Kernels }

// MerkleCommit commits matrices of equal height in reverse order.
func (k reorderedMerkle) MerkleCommit(mats []merkle.Matrix) (*merkle.Tree, error) {
	if len(mats) == 2 && mats[0].Height() == mats[1].Height() {
		mats = []merkle.Matrix{mats[1], mats[0]}
	}
	return k.Kernels.MerkleCommit(mats)
}

type lenientMerkle struct{ *cpu.Kernels }

// MerkleCommit drops matrices without columns instead of rejecting them.
func (k lenientMerkle) MerkleCommit(mats []merkle.Matrix) (*merkle.Tree, error) {
	mats = slices.DeleteFunc(slices.Clone(mats), func(m merkle.Matrix) bool { return m.Width() == 0 })
	return k.Kernels.MerkleCommit(mats)
}

type offByOneFold struct{ *cpu.Kernels }

// FoldFRI uses the wrong point for the last entry of odd-length outputs.
func (k offByOneFold) FoldFRI(dst, cw field.ExtVec, beta field.Ext, invX []field.Elem) error {
	if dst.Len()%2 == 1 && dst.Len() > 1 {
		invX = slices.Clone(invX)
		invX[len(invX)-1] = invX[0]
	}
	return k.Kernels.FoldFRI(dst, cw, beta, invX)
}

type lenientFold struct{ *cpu.Kernels }

// FoldFRI truncates mismatched inputs instead of rejecting them.
func (k lenientFold) FoldFRI(dst, cw field.ExtVec, beta field.Ext, invX []field.Elem) error {
	m := min(dst.Len(), cw.Len()/2, len(invX))
	return k.Kernels.FoldFRI(dst.Slice(0, m), cw.Slice(0, 2*m), beta, invX[:m])
}

type bigBatches struct{ *cpu.Kernels }

// Quotient runs batches twice as long as allowed.
func (k bigBatches) Quotient(job kernel.QuotientJob) error {
	n, bl := job.Len(), job.BatchLen()
	if n < 0 || bl <= 0 {
		return errors.New("bad job")
	}
	w := job.NewWorker()
	for lo := 0; lo < n; lo += 2 * bl {
		w(lo, min(lo+2*bl, n))
	}
	return nil
}

type skipLastBatch struct{ *cpu.Kernels }

// Quotient forgets the last batch of jobs of several batches.
func (k skipLastBatch) Quotient(job kernel.QuotientJob) error {
	n, bl := job.Len(), job.BatchLen()
	if n < 0 || bl <= 0 {
		return errors.New("bad job")
	}
	w := job.NewWorker()
	for lo := 0; lo+bl < n; lo += bl {
		w(lo, lo+bl)
	}
	return nil
}

type sharedWorker struct{ *cpu.Kernels }

// Quotient calls one worker function from two goroutines, alternating batches; their
// calls overlap unless the scheduler happens to serialise them.
func (k sharedWorker) Quotient(job kernel.QuotientJob) error {
	n, bl := job.Len(), job.BatchLen()
	if n < 0 || bl <= 0 {
		return errors.New("bad job")
	}
	w := job.NewWorker()
	var wg sync.WaitGroup
	var start sync.WaitGroup
	start.Add(1)
	for half := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start.Wait()
			for lo := half * bl; lo < n; lo += 2 * bl {
				w(lo, min(lo+bl, n))
			}
		}()
	}
	start.Done()
	wg.Wait()
	return nil
}

type dropLastPoint struct{ *cpu.Kernels }

// MSM ignores the last point of MSMs of more than 32 points.
func (k dropLastPoint) MSM(p []bn254.G1Affine, s []fr.Element) (bn254.G1Jac, error) {
	if len(p) > 32 && len(p) == len(s) {
		p, s = p[:len(p)-1], s[:len(s)-1]
	}
	return k.Kernels.MSM(p, s)
}

type panickyMSM struct{ *cpu.Kernels }

// MSM panics on mismatched lengths instead of returning an error.
func (k panickyMSM) MSM(p []bn254.G1Affine, s []fr.Element) (bn254.G1Jac, error) {
	if len(p) != len(s) {
		panic("index out of range")
	}
	return k.Kernels.MSM(p, s)
}

func TestCatchesBrokenKernels(t *testing.T) {
	base := cpu.New(2)
	for _, tc := range []struct {
		name   string
		impl   kernel.Kernels
		kernel string
		want   string // a phrase of one failure
	}{
		{"flipped LDE value", flipLDE{base}, "CosetLDE", "9 columns): column 8: entry"},
		{"LDE modifies its input", mutatingLDE{base}, "CosetLDE", "modified its input"},
		{"Merkle matrices reordered", reorderedMerkle{base}, "MerkleCommit", "matrices 16×3, 16×5): root"},
		{"Merkle accepts an empty matrix", lenientMerkle{base}, "MerkleCommit", "a matrix without columns): accepted; want an error"},
		{"fold uses a wrong point", offByOneFold{base}, "FoldFRI", "6 → 3, random β): entry 2:"},
		{"fold accepts bad lengths", lenientFold{base}, "FoldFRI", "codeword of 9 for 4): accepted"},
		{"quotient batches too long", bigBatches{base}, "Quotient", "more than BatchLen"},
		{"quotient skips a batch", skipLastBatch{base}, "Quotient", "rows never evaluated"},
		{"MSM drops a point", dropLastPoint{base}, "MSM", "33 points, random scalars): got"},
		{"MSM panics", panickyMSM{base}, "MSM", "3 points, 2 scalars): panicked: index out of range; want an error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := kerneltest.Run(base, tc.impl, kerneltest.Options{Seed: 1, MaxLogN: 6, MaxMSM: 64})
			if len(errs) == 0 {
				t.Fatal("no failure reported")
			}
			found := false
			for _, err := range errs {
				var f *kerneltest.Failure
				if !errors.As(err, &f) {
					t.Fatalf("%v is not a *Failure", err)
				}
				if f.Kernel != tc.kernel {
					t.Errorf("blames %s: %v", f.Kernel, err)
				}
				found = found || strings.Contains(err.Error(), tc.want)
			}
			if !found {
				t.Errorf("no failure mentions %q; got:\n%v", tc.want, errors.Join(errs...))
			}
		})
	}
}

// A worker function shared by two goroutines is caught when their calls overlap, which
// a job of many short batches makes all but certain on an idle machine; on a loaded one
// (make test runs packages side by side on two cores) the scheduler can serialise the
// two goroutines run after run, so the check retries for up to 30 s (it returns at the
// first catch: at once when idle). The test runs with at least 8 Ps: each goroutine
// then has its own P and OS thread, and where the cores are busy the OS preempts one
// inside a call while the other enters (with GOMAXPROCS=2 on two loaded cores and
// field's AVX2 vector kernels, which shorten the fold before it, the catch took 2.5 to
// 10 s and at times failed after the 30 s; with 8, 1 to 6 s).
func TestCatchesSharedWorker(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(runtime.GOMAXPROCS(0), 8)))
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		for _, err := range kerneltest.Run(cpu.New(2), sharedWorker{cpu.New(2)}, kerneltest.Options{Seed: 3, MaxLogN: 14}) {
			if strings.Contains(err.Error(), "two goroutines at once") {
				return
			}
		}
	}
	t.Error("two goroutines sharing one worker were never caught")
}

// Run reports every failure, not the first one.
func TestReportsEveryFailure(t *testing.T) {
	base := cpu.New(2)
	seen := map[string]int{}
	for _, err := range kerneltest.Run(base, twoBroken{base}, kerneltest.Options{Seed: 4, MaxLogN: 6, MaxMSM: 64}) {
		var f *kerneltest.Failure
		if errors.As(err, &f) {
			seen[f.Kernel]++
		}
	}
	if seen["CosetLDE"] < 10 || seen["MSM"] < 2 || len(seen) != 2 {
		t.Errorf("failures per kernel: %v", seen)
	}
}

type twoBroken struct{ *cpu.Kernels }

func (k twoBroken) CosetLDE(cols [][]field.Elem, logB int, s field.Elem) ([][]field.Elem, error) {
	return flipLDE(k).CosetLDE(cols, logB, s)
}

func (k twoBroken) MSM(p []bn254.G1Affine, s []fr.Element) (bn254.G1Jac, error) {
	return dropLastPoint(k).MSM(p, s)
}

func TestFailureMessage(t *testing.T) {
	f := &kerneltest.Failure{Kernel: "FoldFRI", Case: "8 → 4, random β", Msg: "entry 3: got 1, want 2 (1 of 4 entries differ)"}
	if got, want := f.Error(), "kerneltest: FoldFRI(8 → 4, random β): entry 3: got 1, want 2 (1 of 4 entries differ)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
