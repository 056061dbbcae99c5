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

// Transpose8 returns the transpose of the 8×8 block whose row k is r[k]: lane k of
// vector i is lane i of r[k] (vpunpckl/hdq, vpunpckl/hqdq, vperm2i128).
func Transpose8(r *[8]Vec8) [8]Vec8 {
	var t [8]Vec8
	for k := 0; k < 8; k += 2 { // (r_k[i], r_k+1[i]) pairs: i = 0,1 | 4,5 and 2,3 | 6,7
		t[k], t[k+1] = r[k].InterleaveLoGrouped(r[k+1]), r[k].InterleaveHiGrouped(r[k+1])
	}
	var u [8]Vec8
	for k := 0; k < 8; k += 4 { // four rows of one column: columns 0 | 4, 1 | 5, 2 | 6, 3 | 7
		a0, a1 := t[k].AsUint64x4(), t[k+2].AsUint64x4()
		b0, b1 := t[k+1].AsUint64x4(), t[k+3].AsUint64x4()
		u[k] = a0.InterleaveLoGrouped(a1).AsUint32x8()
		u[k+1] = a0.InterleaveHiGrouped(a1).AsUint32x8()
		u[k+2] = b0.InterleaveLoGrouped(b1).AsUint32x8()
		u[k+3] = b0.InterleaveHiGrouped(b1).AsUint32x8()
	}
	var c [8]Vec8
	for i := range 4 { // rows 0–3 of u[i], rows 4–7 of u[4+i]
		c[i] = u[i].Select128FromPair(0, 2, u[4+i])
		c[i+4] = u[i].Select128FromPair(1, 3, u[4+i])
	}
	return c
}
