//go:build goexperiment.simd && amd64

package field

import (
	"simd/archsimd"
	"unsafe"

	"github.com/consensys/gnark-crypto/utils/cpu"
)

// The 8-lane AVX2 kernels behind VecMul, VecAdd, VecSub, VecScalarMul and
// VecInnerProduct (built with GOEXPERIMENT=simd on amd64), on the arithmetic of
// simd8.go (Add8, Sub8, MontMul8; its comment has the range argument). Each kernel ends
// with archsimd.ClearAVXUpperBits (VZEROUPPER) before it returns or calls scalar code
// (package hash, "Legacy SSE"; TestKernelsClearUpperHalves).

type vec8 = Vec8

const (
	prime8 = Prime8
	muInv8 = MuInv8
)

// kernels8 reports whether the AVX2 kernels can run here; vecAVX2 whether the Vec
// functions use them: where gnark-crypto has no AVX-512 kernels.
var (
	kernels8 = archsimd.X86.AVX2()
	vecAVX2  = kernels8 && !cpu.SupportAVX512
)

// words views v (length a multiple of 8) as 8-word blocks.
func words(v Vector) []([8]uint32) {
	return unsafe.Slice((*[8]uint32)(unsafe.Pointer(unsafe.SliceData(v))), len(v)/8)
}

func odd8(x vec8) vec8 { return Odd8(x) }

func montMul8(a, aOdd, b, bOdd, p, mu vec8) vec8 { return MontMul8(a, aOdd, b, bOdd, p, mu) }

func mulVec8(dst, a, b Vector) {
	p := archsimd.BroadcastUint32x8(prime8)
	mu := archsimd.BroadcastUint32x8(muInv8)
	d, x, y := words(dst), words(a), words(b)
	y = y[:len(x)]
	d = d[:len(x)]
	for i := range x {
		u := archsimd.LoadUint32x8(&x[i])
		v := archsimd.LoadUint32x8(&y[i])
		montMul8(u, odd8(u), v, odd8(v), p, mu).Store(&d[i])
	}
	archsimd.ClearAVXUpperBits()
}

func scalarMulVec8(dst, a Vector, b Elem) {
	p := archsimd.BroadcastUint32x8(prime8)
	mu := archsimd.BroadcastUint32x8(muInv8)
	v := archsimd.BroadcastUint32x8(b[0]) // every word is b: odd(v) = v
	d, x := words(dst), words(a)
	d = d[:len(x)]
	for i := range x {
		u := archsimd.LoadUint32x8(&x[i])
		montMul8(u, odd8(u), v, v, p, mu).Store(&d[i])
	}
	archsimd.ClearAVXUpperBits()
}

func addVec8(dst, a, b Vector) {
	p := archsimd.BroadcastUint32x8(prime8)
	d, x, y := words(dst), words(a), words(b)
	y = y[:len(x)]
	d = d[:len(x)]
	for i := range x {
		Add8(archsimd.LoadUint32x8(&x[i]), archsimd.LoadUint32x8(&y[i]), p).Store(&d[i])
	}
	archsimd.ClearAVXUpperBits()
}

func subVec8(dst, a, b Vector) {
	p := archsimd.BroadcastUint32x8(prime8)
	d, x, y := words(dst), words(a), words(b)
	y = y[:len(x)]
	d = d[:len(x)]
	for i := range x {
		Sub8(archsimd.LoadUint32x8(&x[i]), archsimd.LoadUint32x8(&y[i]), p).Store(&d[i])
	}
	archsimd.ClearAVXUpperBits()
}

// innerProductVec8 sums the products lane by lane (canonical sums, add's reduction),
// then the eight lanes with gnark-crypto's scalar addition.
func innerProductVec8(a, b Vector) Elem {
	p := archsimd.BroadcastUint32x8(prime8)
	mu := archsimd.BroadcastUint32x8(muInv8)
	x, y := words(a), words(b)
	y = y[:len(x)]
	var acc vec8
	for i := range x {
		u := archsimd.LoadUint32x8(&x[i])
		v := archsimd.LoadUint32x8(&y[i])
		s := acc.Add(montMul8(u, odd8(u), v, odd8(v), p, mu))
		acc = s.Min(s.Sub(p))
	}
	var lanes [8]uint32
	acc.Store(&lanes)
	archsimd.ClearAVXUpperBits()
	var res Elem
	for _, w := range lanes {
		res.Add(&res, &Elem{w})
	}
	return res
}

// scalarOpVec8 is scalarOp's kernel: a[i] + s, a[i] − s (sub) or s − a[i] (sub, rev).
func scalarOpVec8(dst, a Vector, s Elem, sub, rev bool) {
	p := archsimd.BroadcastUint32x8(prime8)
	v := archsimd.BroadcastUint32x8(s[0])
	d, x := words(dst), words(a)
	d = d[:len(x)]
	switch {
	case !sub:
		for i := range x {
			Add8(archsimd.LoadUint32x8(&x[i]), v, p).Store(&d[i])
		}
	case rev:
		for i := range x {
			Sub8(v, archsimd.LoadUint32x8(&x[i]), p).Store(&d[i])
		}
	default:
		for i := range x {
			Sub8(archsimd.LoadUint32x8(&x[i]), v, p).Store(&d[i])
		}
	}
	archsimd.ClearAVXUpperBits()
}

// batchInvertVec8 sets res[i] = a[i]^−1 (0 for 0), len(a) a multiple of 8: Montgomery's
// trick on the eight chains of the lanes (lane l holds elements l, l+8, …). Zero
// words become one in the products (z = (a − 1) >> 31, arithmetic, is all ones exactly
// where a = 0, as a < p < 2^31) and their results are cleared.
func batchInvertVec8(res, a Vector) {
	p := archsimd.BroadcastUint32x8(prime8)
	mu := archsimd.BroadcastUint32x8(muInv8)
	var oneE Elem
	oneE.SetOne()
	one := archsimd.BroadcastUint32x8(oneE[0])
	d, x := words(res), words(a)
	d = d[:len(x)]
	nz := func(v vec8) (vec8, vec8) { // v with zeros replaced by one, and the zero mask
		m := v.Sub(archsimd.BroadcastUint32x8(1)).AsInt32x8().ShiftAllRight(31).AsUint32x8()
		return v.Or(m.And(one)), m
	}
	// Forward: d[k] = x[0]·…·x[k] lane-wise (zeros as one).
	acc := one
	for k := range x {
		v, _ := nz(archsimd.LoadUint32x8(&x[k]))
		acc = montMul8(acc, odd8(acc), v, odd8(v), p, mu)
		acc.Store(&d[k])
	}
	// The eight lane products, inverted.
	var lanes [8]uint32
	acc.Store(&lanes)
	archsimd.ClearAVXUpperBits() // before gnark-crypto's scalar code
	for l := range lanes {
		var e Elem
		e[0] = lanes[l]
		e.Inverse(&e)
		lanes[l] = e[0]
	}
	inv := archsimd.LoadUint32x8(&lanes) // (x[0]·…·x[k])^−1 for the current k
	// Backward: x[k]^−1 = inv·d[k−1]; then inv ← inv·x[k].
	for k := len(x) - 1; k >= 0; k-- {
		v, m := nz(archsimd.LoadUint32x8(&x[k]))
		r := inv
		if k > 0 {
			prev := archsimd.LoadUint32x8(&d[k-1])
			r = montMul8(inv, odd8(inv), prev, odd8(prev), p, mu)
		}
		inv = montMul8(inv, odd8(inv), v, odd8(v), p, mu)
		r.AndNot(m).Store(&d[k])
	}
	archsimd.ClearAVXUpperBits()
}

// mulAccVec8 is VecMulAcc's kernel: acc ± a·b, or acc ± a·s with b nil.
func mulAccVec8(acc, a, b Vector, s *Elem, sub bool) {
	p := archsimd.BroadcastUint32x8(prime8)
	mu := archsimd.BroadcastUint32x8(muInv8)
	d, x := words(acc), words(a)
	d = d[:len(x)]
	if b == nil {
		v := archsimd.BroadcastUint32x8(s[0]) // odd(v) = v
		if sub {
			for i := range x {
				u := archsimd.LoadUint32x8(&x[i])
				Sub8(archsimd.LoadUint32x8(&d[i]), montMul8(u, odd8(u), v, v, p, mu), p).Store(&d[i])
			}
			archsimd.ClearAVXUpperBits()
			return
		}
		for i := range x {
			u := archsimd.LoadUint32x8(&x[i])
			Add8(archsimd.LoadUint32x8(&d[i]), montMul8(u, odd8(u), v, v, p, mu), p).Store(&d[i])
		}
		archsimd.ClearAVXUpperBits()
		return
	}
	y := words(b)
	y = y[:len(x)]
	if sub {
		for i := range x {
			u, v := archsimd.LoadUint32x8(&x[i]), archsimd.LoadUint32x8(&y[i])
			Sub8(archsimd.LoadUint32x8(&d[i]), montMul8(u, odd8(u), v, odd8(v), p, mu), p).Store(&d[i])
		}
		archsimd.ClearAVXUpperBits()
		return
	}
	for i := range x {
		u, v := archsimd.LoadUint32x8(&x[i]), archsimd.LoadUint32x8(&y[i])
		Add8(archsimd.LoadUint32x8(&d[i]), montMul8(u, odd8(u), v, odd8(v), p, mu), p).Store(&d[i])
	}
	archsimd.ClearAVXUpperBits()
}

// dot4Vec8 is VecScalarMulAcc4's kernel on the first n elements (a multiple of 8). For
// each lane the four products c_k = a_k·s_k < p² are added as 64-bit integers (vpmuludq
// on the even words, and on the odd ones after the word swap): c < 4p² < 2^64. One
// Montgomery reduction as in MontMul8 follows: q = c·μ mod 2^32 makes the low halves of
// c and q·p equal, and (c − q·p)/2^32 = hi(c) − hi(q·p) ≡ Σ a_k·s_k·2^−32, the sum of
// the four Montgomery products. hi(c) < 4p²/2^32 < 2p, so it is first brought below p
// (min(h, h − p)); then hi(q·p) < p and Sub8's correction gives the canonical result,
// which is added to acc.
func dot4Vec8(acc Vector, a *[4]Vector, s *[4]Elem, n int) {
	p := archsimd.BroadcastUint32x8(prime8)
	mu := archsimd.BroadcastUint32x8(muInv8)
	var v [4]vec8
	for k := range v {
		v[k] = archsimd.BroadcastUint32x8(s[k][0]) // odd(v) = v
	}
	lo := archsimd.BroadcastUint64x4(0xffffffff).AsUint32x8() // the even words
	d := words(acc[:n])
	x0, x1, x2, x3 := words(a[0][:n]), words(a[1][:n]), words(a[2][:n]), words(a[3][:n])
	x1, x2, x3 = x1[:len(d)], x2[:len(d)], x3[:len(d)]
	x0 = x0[:len(d)]
	for i := range d {
		u0, u1 := archsimd.LoadUint32x8(&x0[i]), archsimd.LoadUint32x8(&x1[i])
		u2, u3 := archsimd.LoadUint32x8(&x2[i]), archsimd.LoadUint32x8(&x3[i])
		ce := u0.MulEvenWiden(v[0]).Add(u1.MulEvenWiden(v[1])).Add(u2.MulEvenWiden(v[2]).Add(u3.MulEvenWiden(v[3])))
		co := odd8(u0).MulEvenWiden(v[0]).Add(odd8(u1).MulEvenWiden(v[1])).Add(odd8(u2).MulEvenWiden(v[2]).Add(odd8(u3).MulEvenWiden(v[3])))
		qpe := ce.AsUint32x8().MulEvenWiden(mu).AsUint32x8().MulEvenWiden(p)
		qpo := co.AsUint32x8().MulEvenWiden(mu).AsUint32x8().MulEvenWiden(p)
		// The high words of the 64-bit lanes, gathered into the eight 32-bit lanes:
		// ce's move down to the even words, co's stay in the odd ones.
		h := odd8(ce.AsUint32x8()).And(lo).Or(co.AsUint32x8().AndNot(lo))
		h = h.Min(h.Sub(p))
		q := odd8(qpe.AsUint32x8()).And(lo).Or(qpo.AsUint32x8().AndNot(lo))
		r := Sub8(h, q, p)
		Add8(archsimd.LoadUint32x8(&d[i]), r, p).Store(&d[i])
	}
	archsimd.ClearAVXUpperBits()
}
