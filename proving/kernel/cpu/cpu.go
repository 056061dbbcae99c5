package cpu

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/kernel"
	"runtime"
	"sync"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

// Kernels is the CPU implementation of kernel.Kernels on gnark-crypto.
type Kernels struct {
	workers int
}

// New returns CPU kernels using at most workers goroutines (0 = runtime.NumCPU()).
func New(workers int) *Kernels {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	return &Kernels{workers: workers}
}

// Name implements kernel.Kernels.
func (k *Kernels) Name() string { return "cpu" }

// Workers is the goroutine bound.
func (k *Kernels) Workers() int { return k.workers }

// CosetLDE implements kernel.Kernels: columns in parallel, each transform on one
// goroutine; a lone column gets all the workers.
func (k *Kernels) CosetLDE(cols [][]field.Elem, logBlowup int, shift field.Elem) ([][]field.Elem, error) {
	if len(cols) == 0 {
		return nil, nil
	}
	n := len(cols[0])
	if logBlowup < 0 || ntt.Log2(n) < 0 || ntt.Log2(n)+logBlowup > field.TwoAdicity {
		return nil, fmt.Errorf("kernel/cpu: LDE of height %d with blowup 2^%d exceeds the field's 2^%d domain", n, logBlowup, field.TwoAdicity)
	}
	for i, c := range cols {
		if len(c) != n {
			return nil, fmt.Errorf("kernel/cpu: column %d has %d rows, want %d", i, len(c), n)
		}
	}
	out := make([][]field.Elem, len(cols))
	backing := make([]field.Elem, len(cols)*(n<<logBlowup))
	for i := range out {
		out[i] = backing[i*(n<<logBlowup) : (i+1)*(n<<logBlowup)]
	}
	tasks := 1
	if len(cols) < k.workers {
		tasks = k.workers
	}
	k.forEach(len(cols), func(i int) { ntt.CosetLDE(out[i], cols[i], logBlowup, shift, tasks) })
	return out, nil
}

// MerkleCommit implements kernel.Kernels.
func (k *Kernels) MerkleCommit(mats []merkle.Matrix) (*merkle.Tree, error) {
	return merkle.Commit(mats, k.workers)
}

// FoldFRI implements kernel.Kernels.
func (k *Kernels) FoldFRI(dst, codeword []field.Ext, beta field.Ext, invX []field.Elem) error {
	if len(codeword) != 2*len(dst) || len(invX) != len(dst) {
		return fmt.Errorf("kernel/cpu: FoldFRI lengths %d → %d with %d inverse points", len(codeword), len(dst), len(invX))
	}
	var half field.Elem
	half.SetUint64(2)
	half.Inverse(&half)
	k.forRange(len(dst), 1024, func(lo, hi int) {
		var s, d, t field.Ext
		var hx field.Elem
		for i := lo; i < hi; i++ {
			a, b := &codeword[2*i], &codeword[2*i+1]
			s.Add(a, b)
			d.Sub(a, b)
			hx.Mul(&invX[i], &half)
			d.MulByElement(&d, &hx)
			t.Mul(&d, &beta)
			s.MulByElement(&s, &half)
			dst[i].Add(&s, &t)
		}
	})
	return nil
}

// Quotient implements kernel.Kernels: batches are handed to k.workers goroutines.
func (k *Kernels) Quotient(job kernel.QuotientJob) error {
	n, bl := job.Len(), job.BatchLen()
	if n < 0 || bl <= 0 {
		return fmt.Errorf("kernel/cpu: quotient job of %d rows in batches of %d", n, bl)
	}
	batches := make(chan int)
	var wg sync.WaitGroup
	for range min(k.workers, (n+bl-1)/bl) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			eval := job.NewWorker()
			for lo := range batches {
				eval(lo, min(lo+bl, n))
			}
		}()
	}
	for lo := 0; lo < n; lo += bl {
		batches <- lo
	}
	close(batches)
	wg.Wait()
	return nil
}

// MSM implements kernel.Kernels with gnark-crypto's multi-exponentiation.
func (k *Kernels) MSM(points []bn254.G1Affine, scalars []fr.Element) (bn254.G1Jac, error) {
	var r bn254.G1Jac
	if len(points) != len(scalars) {
		return r, fmt.Errorf("kernel/cpu: MSM of %d points and %d scalars", len(points), len(scalars))
	}
	if len(points) == 0 {
		return r, nil
	}
	// gnark-crypto accepts at most 1024 tasks; the result does not depend on the count.
	_, err := r.MultiExp(points, scalars, ecc.MultiExpConfig{NbTasks: min(k.workers, 1024)})
	return r, err
}

// forEach runs f(i) for i in [0, n) on at most k.workers goroutines.
func (k *Kernels) forEach(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(k.workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// forRange splits [0, n) into at most k.workers ranges of at least minChunk.
func (k *Kernels) forRange(n, minChunk int, f func(lo, hi int)) {
	parts := max(1, min(k.workers, n/minChunk))
	if parts == 1 {
		f(0, n)
		return
	}
	per := (n + parts - 1) / parts
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) { defer wg.Done(); f(lo, hi) }(lo, min(lo+per, n))
	}
	wg.Wait()
}
