package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/consensys/gnark-crypto/field/koalabear"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Floor is the arithmetic throughput of this machine, measured by [MeasureFloor]: what
// the kernels' operations cost when nothing but the arithmetic is done, on the same
// number of goroutines as the kernels.
type Floor struct {
	Workers int `json:"workers" yaml:"workers"` // goroutines the rates were measured on
	// MulPerSec is KoalaBear multiplications per second: gnark-crypto's Vector.Mul
	// (AVX-512 where there is one) on vectors that stay in the L1 cache.
	MulPerSec float64 `json:"mul_per_s" yaml:"mul_per_s"`
	// AddPerSec is KoalaBear additions per second: Vector.Add on the same vectors.
	AddPerSec float64 `json:"add_per_s" yaml:"add_per_s"`
	// PermPerSec is Poseidon2 width-16 permutations per second (the engine's, see package
	// hash) through the batched entry point the Merkle tree uses on this machine, on a
	// buffer in the L1 cache: gnark-crypto's Compressx16Columns (16 lanes of
	// 8-permutation chains a call; AVX-512 where the CPU has it), or hash.Compress8 (8
	// AVX2 lanes) where the tree uses that (a GOEXPERIMENT=simd build without AVX-512).
	PermPerSec float64 `json:"perm_per_s" yaml:"perm_per_s"`
	// Seconds is the time each rate was measured for (after a warm-up of a fifth of it),
	// in five windows of which the fastest gives the rate.
	Seconds float64 `json:"seconds" yaml:"seconds"`
}

// Ops is the arithmetic a kernel's work needs (see [CountOps]).
type Ops struct {
	Mul  int64 `json:"mul" yaml:"mul"`   // KoalaBear multiplications
	Add  int64 `json:"add" yaml:"add"`   // KoalaBear additions and subtractions
	Perm int64 `json:"perm" yaml:"perm"` // Poseidon2 width-16 permutations
}

func (o Ops) plus(p Ops) Ops { return Ops{o.Mul + p.Mul, o.Add + p.Add, o.Perm + p.Perm} }

// Time is the floor time of ops: each kind of operation at its measured rate, added
// (no overlap between kinds is assumed). 0 when a rate ops needs is missing.
func (f Floor) Time(o Ops) float64 {
	var t float64
	for _, p := range []struct {
		n    int64
		rate float64
	}{{o.Mul, f.MulPerSec}, {o.Add, f.AddPerSec}, {o.Perm, f.PermPerSec}} {
		if p.n == 0 {
			continue
		}
		if !(p.rate > 0) || math.IsInf(p.rate, 0) {
			return 0
		}
		t += float64(p.n) / p.rate
	}
	return t
}

// FloorDuration is how long [MeasureFloor] measures each rate by default: the three
// rates take about 0.55 s in all.
const FloorDuration = 150 * time.Millisecond

// MeasureFloor measures the machine's floor rates on workers goroutines (0: one per
// CPU), each rate for d (after a warm-up of d/5), keeping the fastest of five windows.
// Each goroutine has its own vectors or buffer, small enough to stay in its core's L1
// cache, so that the rates are the arithmetic's, not the memory's.
func MeasureFloor(ctx context.Context, workers int, d time.Duration) (Floor, error) {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	if d <= 0 {
		d = FloorDuration
	}
	f := Floor{Workers: workers, Seconds: d.Seconds()}
	var err error
	if f.MulPerSec, err = floorRate(ctx, workers, d, mulLoop); err != nil {
		return f, err
	}
	if f.AddPerSec, err = floorRate(ctx, workers, d, addLoop); err != nil {
		return f, err
	}
	if f.PermPerSec, err = floorRate(ctx, workers, d, permLoop); err != nil {
		return f, err
	}
	return f, nil
}

// floorVec is the length of the floor's vectors: three of them take 12 KiB.
const floorVec = 1024

// floorCalls is the number of vector operations between two looks at the clock.
const floorCalls = 8

func floorVectors(seed uint64) (a, b, c koalabear.Vector) {
	r := rand.New(rand.NewPCG(seed, 7))
	a, b, c = make(koalabear.Vector, floorVec), make(koalabear.Vector, floorVec), make(koalabear.Vector, floorVec)
	for i := range a {
		a[i] = field.New(1 + r.Uint64N(field.Modulus-1))
		b[i] = field.New(1 + r.Uint64N(field.Modulus-1))
	}
	return a, b, c
}

func mulLoop(seed uint64) func() int64 {
	return vecLoop(seed, func(c, a, b field.Vector) { c.Mul(a, b) })
}

func addLoop(seed uint64) func() int64 {
	return vecLoop(seed, func(c, a, b field.Vector) { c.Add(a, b) })
}

// vecLoop runs op(c, a, b) floorCalls times on cache-resident vectors and returns the
// element operations done.
func vecLoop(seed uint64, op func(c, a, b field.Vector)) func() int64 {
	a, b, c := floorVectors(seed)
	return func() int64 {
		for range floorCalls {
			op(c, a, b)
		}
		return floorCalls * floorVec
	}
}

// permSteps is the length of the floor's permutation chains: 8 blocks of 8 elements.
const permSteps = 8

func permLoop(seed uint64) func() int64 {
	perm := hash.Permutation()
	a, _, _ := floorVectors(seed)
	if hash.Prefer8() { // the Merkle tree's path (package merkle)
		blocks := []field.Elem(a[:hash.Lanes8*hash.Rate*permSteps])
		var st [hash.DigestLen][hash.Lanes8]field.Elem
		return func() int64 {
			hash.Compress8(&st, blocks)
			return hash.Lanes8 * permSteps
		}
	}
	buf := []field.Elem(a[:16*8*permSteps]) // 16 lanes × 64 elements, column-major
	res := make([][8]field.Elem, 16)
	return func() int64 {
		perm.Compressx16Columns(buf, 8*permSteps, res)
		return 16 * permSteps
	}
}

// floorWindows is the number of windows a rate's time is split into; the fastest counts.
const floorWindows = 5

// floorRate runs a loop per goroutine, each built by newLoop, for d after a warm-up of
// d/5, in 5 windows of d/5, and returns the operations per second of all of them
// together in the fastest window: the floor is the machine's best rate, and another
// process taking a core for a moment (a noisy neighbour, the garbage collector) lowers
// one window, not the floor.
func floorRate(ctx context.Context, workers int, d time.Duration, newLoop func(seed uint64) func() int64) (float64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	loops := make([]func() int64, workers)
	for i := range loops {
		loops[i] = newLoop(uint64(i))
	}
	run := func(d time.Duration) (int64, time.Duration) {
		counts := make([]int64, workers)
		var wg sync.WaitGroup
		start := time.Now()
		deadline := start.Add(d)
		for i, loop := range loops {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var n int64
				for time.Now().Before(deadline) {
					n += loop()
				}
				counts[i] = n
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		var n int64
		for _, c := range counts {
			n += c
		}
		return n, elapsed
	}
	run(d / floorWindows)
	var best float64
	for range floorWindows {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if n, elapsed := run(d / floorWindows); n > 0 && elapsed > 0 {
			best = max(best, float64(n)/elapsed.Seconds())
		}
	}
	if best == 0 {
		return 0, fmt.Errorf("bench: the floor measured nothing in %v", d)
	}
	return best, nil
}

// CountOps is the arithmetic of a row's work: the operations the algorithm the kernel
// runs needs, counted from its size and columns as [Run] measures them (kernel names,
// sizes and columns as in the package doc: the degree-4 extension and the width-16
// Poseidon2 of the default parameters). ok is false for a kernel without a count (msm
// and gnark_msm: BN254 arithmetic, which the floor does not measure).
//
// The counts, per kernel (n = 2^LogN, N = 2n the LDE's height, c columns):
//
//	lde, gnark_fft       per column, an inverse NTT of size n and a forward NTT of size N
//	                     (radix-2: size/2·log2(size) butterflies of 1 mul and 2 adds),
//	                     and n muls by the coset shift's powers (the 1/n scaling folded in):
//	                     mul = c·(n/2·log2 n + N/2·log2 N + n), add = c·(n·log2 n + N·log2 N)
//	merkle,              leaves: a chain of ⌈c/8⌉ permutations per row; nodes: N−1 compressions:
//	gnark_poseidon2      perm = N·⌈c/8⌉ + N − 1
//	commit, gnark_commit lde + merkle
//	fri_fold             per output (half the codeword), dst = (a+b)·½ + (a−b)·x⁻¹·½·β in the
//	                     degree-4 extension: ½·x⁻¹ (1 mul), its product with a−b (4), the
//	                     product by β (schoolbook: 16 mul; 9 adds to accumulate, 3 to fold
//	                     v⁴ = 3 back, 6 for the three ×3), (a+b)·½ (4 mul); a+b, a−b and the
//	                     sum (12 adds): mul = 25, add = 30
//	quotient             per row of the quotient domain, for the Wide table of k cubic
//	                     constraints and a counter (K = k+2 constraints): the constraints
//	                     (3 mul + 2 add per cubic, 2 adds for the counter's step), the
//	                     random combination of the K values into the 4 coordinates of the
//	                     extension (4K−3 mul and add: the first coefficient is 1), the first-row
//	                     and transition selectors (4 mul + 4 add each) and the division by the
//	                     vanishing polynomial (4 mul): mul = 7k + 17, add = 6k + 15
func CountOps(kernel string, size, cols int) (o Ops, ok bool) {
	if size <= 0 || cols <= 0 {
		return Ops{}, false
	}
	switch kernel {
	case "lde", "gnark_fft":
		return ldeOps(size, cols), true
	case "merkle", "gnark_poseidon2":
		return merkleOps(size, cols), true
	case "commit", "gnark_commit":
		return ldeOps(size, cols).plus(merkleOps(size<<logBlowup, cols)), true
	case "fri_fold":
		half := int64(size / 2)
		return Ops{Mul: 25 * half, Add: 30 * half}, true
	case "quotient":
		k := int64(wideCubics(cols))
		rows := int64(size)
		return Ops{Mul: rows * (7*k + 17), Add: rows * (6*k + 15)}, true
	}
	return Ops{}, false
}

// log2 of a power of two (the floor of it otherwise).
func log2(n int) int64 {
	l := int64(0)
	for n > 1 {
		n >>= 1
		l++
	}
	return l
}

func ldeOps(n, cols int) Ops {
	N := n << logBlowup
	c, n64, N64 := int64(cols), int64(n), int64(N)
	return Ops{
		Mul: c * (n64/2*log2(n) + N64/2*log2(N) + n64),
		Add: c * (n64*log2(n) + N64*log2(N)),
	}
}

func merkleOps(rows, cols int) Ops {
	r := int64(rows)
	return Ops{Perm: r*int64((cols+hash.Rate-1)/hash.Rate) + r - 1}
}

// wideCubics is the number of cubic constraints of the quotient row's Wide table.
func wideCubics(cols int) int { return max(0, min(6, cols-3)) }

// ApplyFloor sets the floor time and the ratio to it of every row with an operation
// count: FloorSeconds = f.Time(Ops), VsFloor = Seconds / FloorSeconds.
func ApplyFloor(rows []Row, f Floor) {
	for i := range rows {
		r := &rows[i]
		if r.Ops == (Ops{}) {
			continue
		}
		r.FloorSeconds = f.Time(r.Ops)
		if r.FloorSeconds > 0 && r.Seconds > 0 {
			r.VsFloor = r.Seconds / r.FloorSeconds
		}
	}
}
