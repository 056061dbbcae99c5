//go:build goexperiment.simd && amd64

package field

import "simd/archsimd"

// The 8-lane AVX2 KoalaBear arithmetic (simd/archsimd, built with GOEXPERIMENT=simd on
// amd64) shared by this package's vector kernels (vec_avx2.go) and proving/hash's
// Poseidon2 kernel (permute8_avx2.go). Lanes hold gnark-crypto's Montgomery words
// x·2^32 mod p unchanged, canonical in [0, p) on input and on output, so every result is
// the unique canonical representation of the exact field result, bit for bit
// gnark-crypto's.
//
//   - Add8: s = a + b < 2p < 2^32; min(s, s − p) (unsigned: s − p wraps above s when s < p).
//   - Sub8: d = a − b mod 2^32; min(d, d + p) is a − b mod p for any d ∈ (−p, p).
//   - MontMul8 (Montgomery, as Plonky3's packed AVX2 31-bit fields): vpmuludq forms the
//     64-bit products c of the even words, and of the odd words after vpshufd swaps the
//     words of each 64-bit lane (Odd8); q = c·μ mod 2^32 with μ = p^−1 mod 2^32 makes the
//     low halves of c and q·p equal, so the high word of c − q·p is
//     hi(c) − hi(q·p) ∈ (−p, p), ≡ a·b·2^−32; the even results move down by the same word
//     swap, are or-ed with the odd ones, and Sub8's correction makes them canonical.
//
// Only VEX-encoded AVX2 instructions (vpaddd, vpsubd, vpminud, vpmuludq, vpshufd, vpor).
// The functions are small enough for the compiler to inline into the kernels.

// Vec8 is eight KoalaBear elements (Montgomery words), one per 32-bit lane.
type Vec8 = archsimd.Uint32x8

const (
	Prime8 = 0x7f000001 // p = 2^31 − 2^24 + 1
	MuInv8 = 0x81000001 // p^−1 mod 2^32
)

// Add8 is a + b lane-wise; p holds Prime8 in every lane.
func Add8(a, b, p Vec8) Vec8 {
	s := a.Add(b)
	return s.Min(s.Sub(p))
}

// Sub8 is a − b lane-wise.
func Sub8(a, b, p Vec8) Vec8 {
	d := a.Sub(b)
	return d.Min(d.Add(p))
}

// Odd8 swaps the two words of every 64-bit lane (vpshufd): the odd words move to the
// even positions, where vpmuludq reads them.
func Odd8(x Vec8) Vec8 { return x.PermuteScalarsGrouped(1, 0, 3, 2) }

// MontMul8 is a·b lane-wise given aOdd = Odd8(a) and bOdd = Odd8(b) (a caller
// multiplying one operand several times swaps it once); mu holds MuInv8.
func MontMul8(a, aOdd, b, bOdd, p, mu Vec8) Vec8 {
	ce := a.MulEvenWiden(b)
	co := aOdd.MulEvenWiden(bOdd)
	qpe := ce.AsUint32x8().MulEvenWiden(mu).AsUint32x8().MulEvenWiden(p)
	qpo := co.AsUint32x8().MulEvenWiden(mu).AsUint32x8().MulEvenWiden(p)
	de := ce.AsUint32x8().Sub(qpe.AsUint32x8()) // hi(c) − hi(q·p) in the odd words, 0 in the even
	do := co.AsUint32x8().Sub(qpo.AsUint32x8())
	d := Odd8(de).Or(do) // de's even words and do's odd ones are 0
	return d.Min(d.Add(p))
}

// Transpose8 transposes in place the 8×8 block whose row k is r[k]: lane k of vector
// i becomes lane i of r[k] (vpunpckl/hdq, vpunpckl/hqdq, vperm2i128). It works on the
// caller's array through local values only: an array returned by value, or one copied,
// is moved with legacy SSE loads into xmm registers, each of which cost ≈130 ns among
// dirty 256-bit state on the Zen 3 (see package hash, "Legacy SSE").
func Transpose8(r *[8]Vec8) {
	// (r_k[i], r_k+1[i]) pairs: i = 0,1 | 4,5 and 2,3 | 6,7
	t0, t1 := r[0].InterleaveLoGrouped(r[1]).AsUint64x4(), r[0].InterleaveHiGrouped(r[1]).AsUint64x4()
	t2, t3 := r[2].InterleaveLoGrouped(r[3]).AsUint64x4(), r[2].InterleaveHiGrouped(r[3]).AsUint64x4()
	t4, t5 := r[4].InterleaveLoGrouped(r[5]).AsUint64x4(), r[4].InterleaveHiGrouped(r[5]).AsUint64x4()
	t6, t7 := r[6].InterleaveLoGrouped(r[7]).AsUint64x4(), r[6].InterleaveHiGrouped(r[7]).AsUint64x4()
	// four rows of one column: columns 0 | 4, 1 | 5, 2 | 6, 3 | 7
	u0, u1 := t0.InterleaveLoGrouped(t2).AsUint32x8(), t0.InterleaveHiGrouped(t2).AsUint32x8()
	u2, u3 := t1.InterleaveLoGrouped(t3).AsUint32x8(), t1.InterleaveHiGrouped(t3).AsUint32x8()
	u4, u5 := t4.InterleaveLoGrouped(t6).AsUint32x8(), t4.InterleaveHiGrouped(t6).AsUint32x8()
	u6, u7 := t5.InterleaveLoGrouped(t7).AsUint32x8(), t5.InterleaveHiGrouped(t7).AsUint32x8()
	// rows 0–3 of u_i, rows 4–7 of u_4+i
	r[0], r[4] = u0.Select128FromPair(0, 2, u4), u0.Select128FromPair(1, 3, u4)
	r[1], r[5] = u1.Select128FromPair(0, 2, u5), u1.Select128FromPair(1, 3, u5)
	r[2], r[6] = u2.Select128FromPair(0, 2, u6), u2.Select128FromPair(1, 3, u6)
	r[3], r[7] = u3.Select128FromPair(0, 2, u7), u3.Select128FromPair(1, 3, u7)
}
