//go:build goexperiment.simd && amd64

package field

import (
	"simd/archsimd"
	"unsafe"

	"github.com/consensys/gnark-crypto/utils/cpu"
)

// The 8-lane AVX2 kernels behind VecMul, VecAdd, VecSub, VecScalarMul and
// VecInnerProduct (built with GOEXPERIMENT=simd on amd64), with the arithmetic of
// proving/hash's Poseidon2 kernel (permute8_avx2.go; duplicated here, since field sits
// below hash): lanes hold gnark-crypto's Montgomery words x·2^32 mod p unchanged,
// canonical in [0, p) on input and on output, so every result is the unique canonical
// representation of the exact field result, bit for bit gnark-crypto's.
//
//   - add: s = a + b < 2p < 2^32; min(s, s − p) (unsigned, s − p wraps above s when s < p).
//   - sub: d = a − b mod 2^32; min(d, d + p) is a − b mod p for any d ∈ (−p, p).
//   - mul (Montgomery, as Plonky3's packed AVX2 31-bit fields): vpmuludq forms the
//     64-bit products c of the even words, and of the odd words after vpshufd swaps the
//     words of each 64-bit lane; q = c·μ mod 2^32 with μ = p^−1 mod 2^32 makes the low
//     halves of c and q·p equal, so the high word of c − q·p is
//     hi(c) − hi(q·p) ∈ (−p, p), ≡ a·b·2^−32; the even results move down by the same
//     word swap, are or-ed with the odd ones, and sub's correction makes them canonical.
//
// Only VEX-encoded AVX2 instructions (checked with objdump: no EVEX prefix, no mask
// registers): vmovdqu, vmovd, vpbroadcastd, vpaddd, vpsubd, vpminud, vpmuludq, vpshufd,
// vpor, vpxor.

type vec8 = archsimd.Uint32x8

const (
	prime8 = 0x7f000001 // p = 2^31 − 2^24 + 1
	muInv8 = 0x81000001 // p^−1 mod 2^32
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

func odd8(x vec8) vec8 { return x.PermuteScalarsGrouped(1, 0, 3, 2) }

func montMul8(a, aOdd, b, bOdd, p, mu vec8) vec8 {
	ce := a.MulEvenWiden(b)
	co := aOdd.MulEvenWiden(bOdd)
	qpe := ce.AsUint32x8().MulEvenWiden(mu).AsUint32x8().MulEvenWiden(p)
	qpo := co.AsUint32x8().MulEvenWiden(mu).AsUint32x8().MulEvenWiden(p)
	de := ce.AsUint32x8().Sub(qpe.AsUint32x8()) // hi(c) − hi(q·p) in the odd words, 0 in the even
	do := co.AsUint32x8().Sub(qpo.AsUint32x8())
	d := odd8(de).Or(do)
	return d.Min(d.Add(p))
}

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
}

func addVec8(dst, a, b Vector) {
	p := archsimd.BroadcastUint32x8(prime8)
	d, x, y := words(dst), words(a), words(b)
	y = y[:len(x)]
	d = d[:len(x)]
	for i := range x {
		s := archsimd.LoadUint32x8(&x[i]).Add(archsimd.LoadUint32x8(&y[i]))
		s.Min(s.Sub(p)).Store(&d[i])
	}
}

func subVec8(dst, a, b Vector) {
	p := archsimd.BroadcastUint32x8(prime8)
	d, x, y := words(dst), words(a), words(b)
	y = y[:len(x)]
	d = d[:len(x)]
	for i := range x {
		s := archsimd.LoadUint32x8(&x[i]).Sub(archsimd.LoadUint32x8(&y[i]))
		s.Min(s.Add(p)).Store(&d[i])
	}
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
	var res Elem
	for _, w := range lanes {
		res.Add(&res, &Elem{w})
	}
	return res
}
