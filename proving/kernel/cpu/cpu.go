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
// It runs as base-field vector operations (AVX-512 where gnark-crypto has them) on
// blocks of pairs: the even and odd entries are split into two vectors, then
// dst = (a + b)/2 + β·(a − b)·(1/x)/2.
func (k *Kernels) FoldFRI(dst, codeword field.ExtVec, beta field.Ext, invX []field.Elem) error {
	d := codeword.Degree()
	if codeword.Len() != 2*dst.Len() || len(invX) != dst.Len() || dst.Degree() != d || !field.ValidExtDegree(d) || !beta.InDegree(d) {
		return fmt.Errorf("kernel/cpu: FoldFRI lengths %d → %d with %d inverse points, degrees %d → %d, β of degree %d",
			codeword.Len(), dst.Len(), len(invX), d, dst.Degree(), beta.Degree())
	}
	const block = 1024
	half := field.New(2)
	half.Inverse(&half)
	k.forRange(dst.Len(), block, func(lo, hi int) {
		a, b := field.NewExtVec(d, block), field.NewExtVec(d, block)
		hx, tmp := make(field.Vector, block), make(field.Vector, block)
		sc := field.NewExtScratch(block)
		for s := lo; s < hi; s += block {
			e := min(s+block, hi)
			n := e - s
			av, bv, h := a.Slice(0, n), b.Slice(0, n), hx[:n]
			for c := range d {
				src := codeword.C[c][2*s : 2*e]
				ac, bc := av.C[c], bv.C[c]
				for i := range n {
					ac[i], bc[i] = src[2*i], src[2*i+1]
				}
			}
			field.VecScalarMul(h, field.Vector(invX[s:e]), &half)
			for c := range d {
				ac, bc, t := av.C[c], bv.C[c], tmp[:n]
				field.VecSub(t, ac, bc)  // a − b
				field.VecAdd(ac, ac, bc) // a + b
				field.VecScalarMul(ac, ac, &half)
				field.VecMul(bc, t, h) // (a − b)/(2x)
			}
			field.MulExtVecScalar(bv, bv, &beta, sc)
			out := dst.Slice(s, e)
			for c := range d {
				field.VecAdd(out.C[c], av.C[c], bv.C[c])
			}
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
