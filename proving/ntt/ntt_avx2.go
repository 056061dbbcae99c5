//go:build goexperiment.simd && amd64

package ntt

import (
	"simd/archsimd"
	"sync"
	"unsafe"

	"github.com/consensys/gnark-crypto/utils/cpu"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// The 8-lane AVX2 transforms (simd/archsimd, GOEXPERIMENT=simd on amd64) on the lane
// arithmetic of proving/field (Add8, Sub8, MontMul8: canonical Montgomery words, so every
// output word is the unique representation of the exact result, bit for bit what
// gnark-crypto's FFT computes for the same roots).
//
// Both directions run radix-2 butterflies in place on the table of twiddle.go:
//   - dif (natural order in, bit-reversed out; Gentleman–Sande): for h = n/2 … 1, blocks
//     of 2h, (a, b) ← (a + b, (a − b)·ω_{2h}^j);
//   - dit (bit-reversed in, natural out; Cooley–Tukey): for h = 1 … n/2,
//     (a, b) ← (a + b·ω_{2h}^j, a − b·ω_{2h}^j).
//
// Layers with h ≥ 8 take whole vectors, two layers per pass (radix 4) while two remain
// above 8; the three layers h = 4, 2, 1 run on pairs of vectors (16 elements) whose
// words are regrouped with lane shuffles (vperm2i128, vpunpck[lh]qdq, vshufps,
// vpunpck[lh]dq) so that each butterfly again pairs lane i of one vector with lane i of
// another. Above blockLog the transform recurses (dif: one radix-4 pass over the whole
// slice, then its four quarters; dit: the quarters first), so that each quarter's
// remaining layers run in cache.

// kernels8 reports whether these kernels can run here (AVX2); lanes8 whether the
// transforms use them: where gnark-crypto has no AVX-512 FFT kernels (a CPU without
// AVX-512, or the purego build tag). Where gnark-crypto's AVX-512 kernels run they are
// faster than 8 lanes (docs/bench.md). Each kernel a task runs (the layers, the first
// and last three layers, the bit reversal, spread, scale) ends with
// archsimd.ClearAVXUpperBits (package hash, "Legacy SSE"; TestKernelsClearUpperHalves).
var (
	kernels8 = archsimd.X86.AVX2()
	lanes8   = kernels8 && !cpu.SupportAVX512
)

type vec = field.Vec8

// blockLog is the log size of the slices transformed without recursion (16 KiB).
const blockLog = 12

func words(v []field.Elem) []uint32 {
	return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(v))), len(v))
}

func load(w []uint32, i int) vec { return archsimd.LoadUint32x8((*[8]uint32)(w[i : i+8])) }

func store(x vec, w []uint32, i int) { x.Store((*[8]uint32)(w[i : i+8])) }

// blocks views w[lo:hi] (lo, hi multiples of 8) as 8-word blocks: the hot loops index
// slices of blocks re-sliced to one length, which leaves them without bounds checks.
func blocks(w []uint32, lo, hi int) [][8]uint32 {
	w = w[lo:hi]
	return unsafe.Slice((*[8]uint32)(unsafe.Pointer(unsafe.SliceData(w))), len(w)/8)
}

func constants() (p, mu vec) {
	return archsimd.BroadcastUint32x8(field.Prime8), archsimd.BroadcastUint32x8(field.MuInv8)
}

func mul(a, w, p, mu vec) vec { return field.MontMul8(a, field.Odd8(a), w, field.Odd8(w), p, mu) }

// difBfly is (a + b, (a − b)·w). The difference goes to MontMul8 unreduced,
// a + p − b ∈ [1, 2p): MontMul8's range argument needs only a product below p·2^32,
// and 2p·p is (2p < 2^32).
func difBfly(a, b, w, p, mu vec) (vec, vec) {
	return field.Add8(a, b, p), mul(a.Add(p).Sub(b), w, p, mu)
}

func ditBfly(a, b, w, p, mu vec) (vec, vec) {
	t := mul(b, w, p, mu)
	return field.Add8(a, t, p), field.Sub8(a, t, p)
}

// difLayer runs the layer of half-width h (h ≥ 8) on the blocks of a, for j ∈ [lo, hi)
// of each block.
func difLayer(a, tw []uint32, h, lo, hi int) {
	p, mu := constants()
	t := blocks(tw, h+lo, h+hi)
	for base := 0; base < len(a); base += 2 * h {
		x, y := blocks(a, base+lo, base+hi), blocks(a, base+h+lo, base+h+hi)
		y, t := y[:len(x)], t[:len(x)]
		for j := range x {
			u, v := difBfly(archsimd.LoadUint32x8(&x[j]), archsimd.LoadUint32x8(&y[j]), archsimd.LoadUint32x8(&t[j]), p, mu)
			u.Store(&x[j])
			v.Store(&y[j])
		}
	}
	archsimd.ClearAVXUpperBits()
}

// difLayers4 runs the layers of half-widths 2q and q (q ≥ 8) on the blocks of 4q of a,
// for j ∈ [lo, hi) of each block's quarters.
func difLayers4(a, tw []uint32, q, lo, hi int) {
	p, mu := constants()
	t2, t2q, t1 := blocks(tw, 2*q+lo, 2*q+hi), blocks(tw, 3*q+lo, 3*q+hi), blocks(tw, q+lo, q+hi)
	for base := 0; base < len(a); base += 4 * q {
		x0, x1 := blocks(a, base+lo, base+hi), blocks(a, base+q+lo, base+q+hi)
		x2, x3 := blocks(a, base+2*q+lo, base+2*q+hi), blocks(a, base+3*q+lo, base+3*q+hi)
		x1, x2, x3 = x1[:len(x0)], x2[:len(x0)], x3[:len(x0)]
		t2, t2q, t1 := t2[:len(x0)], t2q[:len(x0)], t1[:len(x0)]
		for j := range x0 {
			y0, y2 := difBfly(archsimd.LoadUint32x8(&x0[j]), archsimd.LoadUint32x8(&x2[j]), archsimd.LoadUint32x8(&t2[j]), p, mu)
			y1, y3 := difBfly(archsimd.LoadUint32x8(&x1[j]), archsimd.LoadUint32x8(&x3[j]), archsimd.LoadUint32x8(&t2q[j]), p, mu)
			w := archsimd.LoadUint32x8(&t1[j])
			z0, z1 := difBfly(y0, y1, w, p, mu)
			z2, z3 := difBfly(y2, y3, w, p, mu)
			z0.Store(&x0[j])
			z1.Store(&x1[j])
			z2.Store(&x2[j])
			z3.Store(&x3[j])
		}
	}
	archsimd.ClearAVXUpperBits()
}

func ditLayer(a, tw []uint32, h, lo, hi int) {
	p, mu := constants()
	t := blocks(tw, h+lo, h+hi)
	for base := 0; base < len(a); base += 2 * h {
		x, y := blocks(a, base+lo, base+hi), blocks(a, base+h+lo, base+h+hi)
		y, t := y[:len(x)], t[:len(x)]
		for j := range x {
			u, v := ditBfly(archsimd.LoadUint32x8(&x[j]), archsimd.LoadUint32x8(&y[j]), archsimd.LoadUint32x8(&t[j]), p, mu)
			u.Store(&x[j])
			v.Store(&y[j])
		}
	}
	archsimd.ClearAVXUpperBits()
}

// ditLayers4 runs the layers of half-widths q and 2q (q ≥ 8), dif's mirror.
func ditLayers4(a, tw []uint32, q, lo, hi int) {
	p, mu := constants()
	t2, t2q, t1 := blocks(tw, 2*q+lo, 2*q+hi), blocks(tw, 3*q+lo, 3*q+hi), blocks(tw, q+lo, q+hi)
	for base := 0; base < len(a); base += 4 * q {
		x0, x1 := blocks(a, base+lo, base+hi), blocks(a, base+q+lo, base+q+hi)
		x2, x3 := blocks(a, base+2*q+lo, base+2*q+hi), blocks(a, base+3*q+lo, base+3*q+hi)
		x1, x2, x3 = x1[:len(x0)], x2[:len(x0)], x3[:len(x0)]
		t2, t2q, t1 := t2[:len(x0)], t2q[:len(x0)], t1[:len(x0)]
		for j := range x0 {
			w := archsimd.LoadUint32x8(&t1[j])
			y0, y1 := ditBfly(archsimd.LoadUint32x8(&x0[j]), archsimd.LoadUint32x8(&x1[j]), w, p, mu)
			y2, y3 := ditBfly(archsimd.LoadUint32x8(&x2[j]), archsimd.LoadUint32x8(&x3[j]), w, p, mu)
			z0, z2 := ditBfly(y0, y2, archsimd.LoadUint32x8(&t2[j]), p, mu)
			z1, z3 := ditBfly(y1, y3, archsimd.LoadUint32x8(&t2q[j]), p, mu)
			z0.Store(&x0[j])
			z1.Store(&x1[j])
			z2.Store(&x2[j])
			z3.Store(&x3[j])
		}
	}
	archsimd.ClearAVXUpperBits()
}

// small reads the twiddles of the layers h = 2 and h = 4 as vectors: t2 = (1, ω₄) four
// times, t4 = (1, ω₈, ω₈², ω₈³) twice.
func small(tw []uint32) (t2, t4 vec) {
	var a, b [8]uint32
	for i := range 8 {
		a[i] = tw[2+i%2]
		b[i] = tw[4+i%4]
	}
	return archsimd.LoadUint32x8(&a), archsimd.LoadUint32x8(&b)
}

// difLast3 runs the layers h = 4, 2, 1 on every 16 elements of a. Of the two vectors
// x = a[i:i+8], y = a[i+8:i+16] (words x0…x7, y0…y7; only x's words are followed below,
// y's sit in the upper 128 bits alongside):
//
//	h = 4: l = (x0 x1 x2 x3), g = (x4 x5 x6 x7)            vperm2i128
//	h = 2: l = (x0 x1 x4 x5), g = (x2 x3 x6 x7)            vpunpck[lh]qdq
//	h = 1: e = (x0 x4 x2 x6), o = (x1 x5 x3 x7)            vshufps
//
// and back through vpunpck[lh]dq, vpunpck[lh]qdq and vperm2i128.
func difLast3(a, tw []uint32) {
	p, mu := constants()
	t2, t4 := small(tw)
	b := blocks(a, 0, len(a))
	for i := 0; i+1 < len(b); i += 2 {
		x, y := archsimd.LoadUint32x8(&b[i]), archsimd.LoadUint32x8(&b[i+1])
		l, g := difBfly(x.Select128FromPair(0, 2, y), x.Select128FromPair(1, 3, y), t4, p, mu)
		l64, g64 := l.AsUint64x4(), g.AsUint64x4()
		l, g = difBfly(l64.InterleaveLoGrouped(g64).AsUint32x8(), l64.InterleaveHiGrouped(g64).AsUint32x8(), t2, p, mu)
		e, o := l.SelectFromPairGrouped(0, 2, 4, 6, g), l.SelectFromPairGrouped(1, 3, 5, 7, g)
		e, o = field.Add8(e, o, p), field.Sub8(e, o, p)
		lo, hi := e.InterleaveLoGrouped(o).AsUint64x4(), e.InterleaveHiGrouped(o).AsUint64x4()
		l, g = lo.InterleaveLoGrouped(hi).AsUint32x8(), lo.InterleaveHiGrouped(hi).AsUint32x8()
		l.Select128FromPair(0, 2, g).Store(&b[i])
		l.Select128FromPair(1, 3, g).Store(&b[i+1])
	}
	archsimd.ClearAVXUpperBits()
}

// ditFirst3 runs the layers h = 1, 2, 4 on every 16 elements of a, difLast3's mirror.
func ditFirst3(a, tw []uint32) {
	p, mu := constants()
	t2, t4 := small(tw)
	b := blocks(a, 0, len(a))
	for i := 0; i+1 < len(b); i += 2 {
		x, y := archsimd.LoadUint32x8(&b[i]), archsimd.LoadUint32x8(&b[i+1])
		l64, g64 := x.Select128FromPair(0, 2, y).AsUint64x4(), x.Select128FromPair(1, 3, y).AsUint64x4()
		l, g := l64.InterleaveLoGrouped(g64).AsUint32x8(), l64.InterleaveHiGrouped(g64).AsUint32x8()
		e, o := l.SelectFromPairGrouped(0, 2, 4, 6, g), l.SelectFromPairGrouped(1, 3, 5, 7, g)
		e, o = field.Add8(e, o, p), field.Sub8(e, o, p)
		l, g = ditBfly(e.InterleaveLoGrouped(o), e.InterleaveHiGrouped(o), t2, p, mu)
		l64, g64 = l.AsUint64x4(), g.AsUint64x4()
		l, g = ditBfly(l64.InterleaveLoGrouped(g64).AsUint32x8(), l64.InterleaveHiGrouped(g64).AsUint32x8(), t4, p, mu)
		l.Select128FromPair(0, 2, g).Store(&b[i])
		l.Select128FromPair(1, 3, g).Store(&b[i+1])
	}
	archsimd.ClearAVXUpperBits()
}

// difBlock transforms a (16 ≤ len(a) ≤ 2^blockLog) without recursion.
func difBlock(a, tw []uint32) {
	h := len(a) / 2
	for ; h >= 16; h /= 4 {
		difLayers4(a, tw, h/2, 0, h/2)
	}
	if h == 8 {
		difLayer(a, tw, 8, 0, 8)
	}
	difLast3(a, tw)
}

func ditBlock(a, tw []uint32) {
	ditFirst3(a, tw)
	h := 8
	if Log2(len(a)/8)%2 == 1 { // an odd number of layers from h = 8 on
		ditLayer(a, tw, 8, 0, 8)
		h = 16
	}
	for ; h < len(a); h *= 4 {
		ditLayers4(a, tw, h, 0, h)
	}
}

// dif transforms a (len(a) ≥ 16) in place, natural order to bit-reversed, with at most
// tasks goroutines.
func dif(a, tw []uint32, tasks int) {
	n := len(a)
	switch {
	case n <= 1<<blockLog:
		difBlock(a, tw)
	case n >= 4<<blockLog:
		q := n / 4
		split(q, tasks, func(lo, hi int) { difLayers4(a, tw, q, lo, hi) })
		parts(a, 4, tasks, func(b []uint32, t int) { dif(b, tw, t) })
	default:
		h := n / 2
		split(h, tasks, func(lo, hi int) { difLayer(a, tw, h, lo, hi) })
		parts(a, 2, tasks, func(b []uint32, t int) { dif(b, tw, t) })
	}
}

// dit transforms a (len(a) ≥ 16) in place, bit-reversed order to natural.
func dit(a, tw []uint32, tasks int) {
	n := len(a)
	switch {
	case n <= 1<<blockLog:
		ditBlock(a, tw)
	case n >= 4<<blockLog:
		q := n / 4
		parts(a, 4, tasks, func(b []uint32, t int) { dit(b, tw, t) })
		split(q, tasks, func(lo, hi int) { ditLayers4(a, tw, q, lo, hi) })
	default:
		h := n / 2
		parts(a, 2, tasks, func(b []uint32, t int) { dit(b, tw, t) })
		split(h, tasks, func(lo, hi int) { ditLayer(a, tw, h, lo, hi) })
	}
}

// split runs f on [0, n) (a multiple of 8) in at most tasks ranges of multiples of 8.
func split(n, tasks int, f func(lo, hi int)) {
	if tasks <= 1 || n < 1<<10 {
		f(0, n)
		return
	}
	chunk := (n/tasks + 7) &^ 7
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, min(lo+chunk, n))
		}()
	}
	wg.Wait()
}

// parts runs f on the k equal parts of a, with at most tasks goroutines in all.
func parts(a []uint32, k, tasks int, f func(b []uint32, tasks int)) {
	m := len(a) / k
	if tasks <= 1 {
		for i := range k {
			f(a[i*m:(i+1)*m], 1)
		}
		return
	}
	g := min(tasks, k)
	var wg sync.WaitGroup
	for s := range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := s; i < k; i += g {
				f(a[i*m:(i+1)*m], max(1, tasks/k))
			}
		}()
	}
	wg.Wait()
}

// spread writes out[k·n + j] = c_j·s^j/n·ω_N^(rev(k)·j) for every block k < 2^logBlowup
// from the coefficients c = out[:n]: the first logBlowup layers of the size-N DIF on
// c·(s^j/n) padded with zeros, whose butterflies have b = 0 (a ← a, b ← a·ω).
func spread(out []uint32, scaled, tw []uint32, n, logBlowup int, tasks int) {
	B := 1 << logBlowup
	split(n, tasks, func(lo, hi int) {
		p, mu := constants()
		var vals [16]vec
		for j := lo; j < hi; j += 8 {
			vals[0] = mul(load(out, j), load(scaled, j), p, mu)
			for sh := B / 2; sh >= 1; sh /= 2 { // layer h = sh·n
				w := load(tw, sh*n+j)
				for b := 0; b < B; b += 2 * sh {
					vals[b+sh] = mul(vals[b], w, p, mu)
				}
			}
			for b := range B {
				store(vals[b], out, b*n+j)
			}
		}
		archsimd.ClearAVXUpperBits()
	})
}

func scale(a []uint32, s uint32, tasks int) {
	split(len(a), tasks, func(lo, hi int) {
		p, mu := constants()
		w := archsimd.BroadcastUint32x8(s)
		for j := lo; j < hi; j += 8 {
			store(field.MontMul8(load(a, j), field.Odd8(load(a, j)), w, w, p, mu), a, j)
		}
		archsimd.ClearAVXUpperBits()
	})
}

// The transforms of ntt.go on the kernels: n ≥ 16, logBlowup ≤ 4.

func cosetLDE8(out, col []field.Elem, logBlowup int, shift field.Elem, tasks int) {
	n := len(col)
	t := twiddlesFor(Log2(len(out)))
	copy(out[:n], col)
	c := words(out[:n])
	dif(c, words(t.inv), tasks)
	BitReverse(out[:n])
	o := words(out)
	spread(o, words(ScaledPowers(n, shift)), words(t.fwd), n, logBlowup, tasks)
	parts(o, 1<<logBlowup, tasks, func(b []uint32, tasks int) { dif(b, words(t.fwd), tasks) })
}

func interpolate8(v []field.Elem, tasks int) {
	t := twiddlesFor(Log2(len(v)))
	dif(words(v), words(t.inv), tasks)
	BitReverse(v)
	nInv := field.New(uint64(len(v)))
	nInv.Inverse(&nInv)
	scale(words(v), nInv[0], tasks)
}

func evaluate8(v []field.Elem, tasks int) {
	t := twiddlesFor(Log2(len(v)))
	BitReverse(v)
	dit(words(v), words(t.fwd), tasks)
}
