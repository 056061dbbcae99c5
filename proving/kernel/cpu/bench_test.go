package cpu_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/field/koalabear/fft"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

// The benchmarks of this file measure the CPU kernels (BenchmarkKernels) and, on the same
// data, the gnark-crypto building blocks they are made of (BenchmarkGnark), so that
// benchstat shows what the kernel layer adds. Sizes above 2^16 rows are skipped with
// -short. Compare with:
//
//	go test -run '^$' -bench . -count 6 ./proving/kernel/cpu | tee new.txt; benchstat old.txt new.txt

// benchSizes are the traces measured: the reference workload is 2^20 × 64.
var benchSizes = []struct{ logN, cols int }{{12, 64}, {16, 1}, {16, 64}, {18, 64}, {20, 64}}

const benchLogBlowup = 1

func benchTrace(n, cols int) [][]field.Elem {
	r := rand.New(rand.NewPCG(7, 8))
	m := make([][]field.Elem, cols)
	for c := range m {
		m[c] = randCol(r, n)
	}
	return m
}

func perSecond(b *testing.B, work float64, unit string) {
	b.ReportMetric(work*float64(b.N)/b.Elapsed().Seconds(), unit)
}

func BenchmarkKernels(b *testing.B) {
	k := cpu.New(0)
	for _, sz := range benchSizes {
		if testing.Short() && sz.logN > 16 {
			continue
		}
		n := 1 << sz.logN
		N := n << benchLogBlowup
		tr := benchTrace(n, sz.cols)
		shift := ntt.CosetShift(sz.logN+benchLogBlowup, field.TwoAdicity)
		name := fmt.Sprintf("logN=%d/cols=%d", sz.logN, sz.cols)
		b.Run("kernel=lde/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := k.CosetLDE(tr, benchLogBlowup, shift); err != nil {
					b.Fatal(err)
				}
			}
			perSecond(b, float64(n*sz.cols), "cells/s")
		})
		lde, err := k.CosetLDE(tr, benchLogBlowup, shift)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("kernel=merkle/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := k.MerkleCommit([]merkle.Matrix{{Cols: lde}}); err != nil {
					b.Fatal(err)
				}
			}
			perSecond(b, float64(N*sz.cols), "cells/s")
		})
		b.Run("kernel=commit/"+name, func(b *testing.B) {
			for b.Loop() {
				l, err := k.CosetLDE(tr, benchLogBlowup, shift)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := k.MerkleCommit([]merkle.Matrix{{Cols: l}}); err != nil {
					b.Fatal(err)
				}
			}
			perSecond(b, float64(n*sz.cols), "cells/s")
		})
		if sz.cols == 1 {
			continue
		}
		// One FRI layer of the LDE's size.
		cw := field.ExtVecOf([]field.Vector{lde[0][:N], lde[1][:N], lde[2][:N], lde[3][:N]})
		invX := ntt.CosetPoints(sz.logN+benchLogBlowup, shift)[:N/2]
		invX = field.BatchInvert(invX)
		dst := field.NewExtVec(field.ExtDegree4, N/2)
		beta := cw.At(1)
		b.Run(fmt.Sprintf("kernel=fri_fold/logN=%d", sz.logN+benchLogBlowup), func(b *testing.B) {
			for b.Loop() {
				if err := k.FoldFRI(dst, cw, beta, invX); err != nil {
					b.Fatal(err)
				}
			}
			perSecond(b, float64(N), "elements/s")
		})
	}
	for _, logN := range []int{10, 14, 16} {
		pts, sc := benchMSMInput(1 << logN)
		b.Run(fmt.Sprintf("kernel=msm/logN=%d", logN), func(b *testing.B) {
			for b.Loop() {
				if _, err := k.MSM(pts, sc); err != nil {
					b.Fatal(err)
				}
			}
			perSecond(b, float64(len(pts)), "points/s")
		})
	}
}

// benchMSMInput returns n points P + i·Q and n random scalars.
func benchMSMInput(n int) ([]bn254.G1Affine, []fr.Element) {
	_, _, g, _ := bn254.Generators()
	var p, q bn254.G1Jac
	p.FromAffine(&g)
	p.Double(&p)
	q.FromAffine(&g)
	jac := make([]bn254.G1Jac, n)
	for i := range jac {
		jac[i] = p
		p.AddAssign(&q)
		q.Double(&q)
	}
	sc := make([]fr.Element, n)
	for i := range sc {
		sc[i].SetRandom()
	}
	return bn254.BatchJacobianToAffineG1(jac), sc
}

// Bare gnark-crypto, on the same data and with the kernels' parallel split.

// rawLDE extends columns with gnark-crypto's FFTs alone: inverse runs FFTInverse on H_n
// (natural order in, bit-reversed out), a bit reversal and zero padding; coset runs the
// coset FFT of a domain built with the shift on the result.
type rawLDE struct {
	small, big *fft.Domain
	tasks      int
}

func newRawLDE(logN int, shift field.Elem, cols int) *rawLDE {
	tasks := 1
	if cols < runtime.NumCPU() {
		tasks = runtime.NumCPU()
	}
	return &rawLDE{
		small: fft.NewDomain(uint64(1) << logN),
		big:   fft.NewDomain(uint64(1)<<(logN+benchLogBlowup), fft.WithShift(shift)),
		tasks: tasks,
	}
}

func (r *rawLDE) inverse(out, col []field.Elem) {
	n := len(col)
	copy(out, col)
	r.small.FFTInverse(out[:n], fft.DIF, fft.WithNbTasks(r.tasks))
	fft.BitReverse(out[:n])
	clear(out[n:])
}

func (r *rawLDE) coset(out []field.Elem) {
	r.big.FFT(out, fft.DIF, fft.OnCoset(), fft.WithNbTasks(r.tasks))
}

// eachColumn runs f(i) for every column on NumCPU goroutines.
func eachColumn(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.NumCPU(), n) {
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

// eachBlock runs f on ranges of [0, n) that start on multiples of 16, NumCPU at once.
func eachBlock(n int, f func(lo, hi int)) {
	parts := max(1, min(runtime.NumCPU(), n/16))
	per := (n/16 + parts - 1) / parts * 16
	if parts == 1 {
		per = n
	}
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(lo, min(lo+per, n))
	}
	wg.Wait()
}

// rawLeaves hashes each row of cols with Compressx16Columns, 16 rows per call (at
// least 16 rows).
func rawLeaves(cols [][]field.Elem) [][8]field.Elem {
	perm := hash.Permutation()
	n, padded := len(cols[0]), (len(cols)+7)/8*8
	out := make([][8]field.Elem, n)
	eachBlock(n, func(lo, hi int) {
		buf := make([]field.Elem, 16*padded)
		var res [16][8]field.Elem
		for r := lo; r < hi; r += 16 {
			for c, col := range cols {
				copy(buf[16*c:16*c+16], col[r:r+16])
			}
			perm.Compressx16Columns(buf, padded, res[:])
			copy(out[r:], res[:])
		}
	})
	return out
}

// rawNodes compresses levels of nodes pairwise with Compressx16ColumnsWithState down to
// 16 nodes, then one pair at a time with Permutation, and returns the root.
func rawNodes(level [][8]field.Elem) [8]field.Elem {
	perm := hash.Permutation()
	for len(level) > 1 {
		next := make([][8]field.Elem, len(level)/2)
		if len(next) < 16 {
			for i := range next {
				var s [16]field.Elem
				copy(s[:8], level[2*i][:])
				copy(s[8:], level[2*i+1][:])
				_ = perm.Permutation(s[:])
				for j := range 8 {
					next[i][j].Add(&s[8+j], &level[2*i+1][j])
				}
			}
		} else {
			eachBlock(len(next), func(lo, hi int) {
				var state, blk [8 * 16]field.Elem
				var res [16][8]field.Elem
				for i := lo; i < hi; i += 16 {
					for l := range 16 {
						for p := range 8 {
							state[16*p+l] = level[2*(i+l)][p]
							blk[16*p+l] = level[2*(i+l)+1][p]
						}
					}
					perm.Compressx16ColumnsWithState(state[:], blk[:], 8, res[:])
					copy(next[i:], res[:])
				}
			})
		}
		level = next
	}
	return level[0]
}

func BenchmarkGnark(b *testing.B) {
	nodesDone := map[int]bool{} // node hashing depends on the height only
	for _, sz := range benchSizes {
		if testing.Short() && sz.logN > 16 {
			continue
		}
		n := 1 << sz.logN
		N := n << benchLogBlowup
		tr := benchTrace(n, sz.cols)
		shift := ntt.CosetShift(sz.logN+benchLogBlowup, field.TwoAdicity)
		raw := newRawLDE(sz.logN, shift, sz.cols)
		out := make([][]field.Elem, sz.cols)
		for c := range out {
			out[c] = make([]field.Elem, N)
		}
		name := fmt.Sprintf("logN=%d/cols=%d", sz.logN, sz.cols)
		b.Run("op=fft_inverse/"+name, func(b *testing.B) {
			for b.Loop() {
				eachColumn(sz.cols, func(i int) { raw.inverse(out[i], tr[i]) })
			}
			perSecond(b, float64(n*sz.cols), "cells/s")
		})
		b.Run("op=coset_fft/"+name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				eachColumn(sz.cols, func(i int) { raw.inverse(out[i], tr[i]) })
				b.StartTimer()
				eachColumn(sz.cols, func(i int) { raw.coset(out[i]) })
			}
			perSecond(b, float64(n*sz.cols), "cells/s")
		})
		b.Run("op=fft/"+name, func(b *testing.B) {
			for b.Loop() {
				eachColumn(sz.cols, func(i int) {
					raw.inverse(out[i], tr[i])
					raw.coset(out[i])
				})
			}
			perSecond(b, float64(n*sz.cols), "cells/s")
		})
		// out now holds the LDE.
		b.Run("op=poseidon2_leaves/"+name, func(b *testing.B) {
			for b.Loop() {
				rawLeaves(out)
			}
			perSecond(b, float64(N*sz.cols), "cells/s")
		})
		if !nodesDone[sz.logN] {
			nodesDone[sz.logN] = true
			leaves := rawLeaves(out)
			b.Run(fmt.Sprintf("op=poseidon2_nodes/leaves=2^%d", sz.logN+benchLogBlowup), func(b *testing.B) {
				for b.Loop() {
					rawNodes(leaves)
				}
				perSecond(b, float64(N-1), "nodes/s")
			})
		}
		b.Run("op=poseidon2_tree/"+name, func(b *testing.B) {
			for b.Loop() {
				rawNodes(rawLeaves(out))
			}
			perSecond(b, float64(N*sz.cols), "cells/s")
		})
	}
}

// The raw building blocks compute what the kernels compute: the benchmarks compare like
// with like.
func TestRawBuildingBlocksMatchKernels(t *testing.T) {
	k := cpu.New(2)
	for _, sz := range []struct{ logN, cols int }{{4, 1}, {5, 9}, {8, 16}} {
		n := 1 << sz.logN
		tr := benchTrace(n, sz.cols)
		shift := ntt.CosetShift(sz.logN+benchLogBlowup, field.TwoAdicity)
		want, err := k.CosetLDE(tr, benchLogBlowup, shift)
		if err != nil {
			t.Fatal(err)
		}
		raw := newRawLDE(sz.logN, shift, sz.cols)
		got := make([][]field.Elem, sz.cols)
		for c := range got {
			got[c] = make([]field.Elem, n<<benchLogBlowup)
			raw.inverse(got[c], tr[c])
			raw.coset(got[c])
			if !slices.Equal(got[c], want[c]) {
				t.Fatalf("logN %d: raw LDE of column %d differs", sz.logN, c)
			}
		}
		tree, err := k.MerkleCommit([]merkle.Matrix{{Cols: want}})
		if err != nil {
			t.Fatal(err)
		}
		if root := hash.Digest(rawNodes(rawLeaves(got))); root != tree.Root().Narrow() {
			t.Fatalf("logN %d: raw root %v, kernel root %v", sz.logN, root, tree.Root())
		}
	}
}
