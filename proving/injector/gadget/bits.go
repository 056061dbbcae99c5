package gadget

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/math/bits"
)

// FrWidth is the width of a BN254 scalar: 254 bits.
const FrWidth = 254

// ChunkBits is the widest chunk [Field.ChunkMod] takes.
const ChunkBits = 62

// FrBits returns the 254 little-endian bits of v's canonical value (below the BN254
// modulus r).
//
// Range argument: gnark's bits.ToBinary with the full field width (v0.16.0,
// std/math/bits) constrains each bit boolean and the recomposition Σ b_i·2^i = v in
// the native field; [Field.atMostRMinus1] then constrains the bits to encode an integer
// ≤ r−1 (in place of gnark's bitwise MustBeLessOrEqCst, one constraint per bit); the tests check that a decomposition of v + r is rejected. Without
// that last check a v below 2^254 − r would have two decompositions (v and v + r), and
// a transcript drawing challenges from the bits would let the prover choose between
// two values.
func (f *Field) FrBits(v frontend.Variable) []frontend.Variable {
	b := bits.ToBinary(f.api, v, bits.WithNbDigits(FrWidth), bits.OmitModulusCheck())
	if _, ok := f.constant(v); !ok {
		f.atMostRMinus1(b)
	}
	return b
}

// atMostRMinus1 constrains the FrWidth boolean bits b (little-endian, each already
// constrained boolean) to encode an integer X ≤ R = r − 1.
//
// Range argument: the bits of R are walked from the top in runs of equal bits, with
// a flag e ∈ {0, 1} that is 1 exactly when the bits of X above the run equal R's (e
// starts at 1). A run of ones updates e ← e·Π b_i (one product per bit, or, for runs
// longer than 3, e·IsZero(m − Σ b_i): 3 constraints; the sum of m ≤ 254 booleans equals
// m only when all are 1). A run of zeros contributes the product e·Σ b_i to a total
// asserted zero once: each product is a non-negative integer below 255 and there are
// fewer than 254 of them, so the total is zero natively only when every product is,
// and a product is zero only when e = 0 or every bit of the run is 0. So when the
// bits above a run of zeros equal R's, the run's bits are 0 (X cannot exceed R there)
// and e is unchanged. Wherever X and R first differ, R has a 1 and X a 0: X < R, or
// X = R. R = r − 1 has 53 runs of zeros and 53 of ones (100 ones): about 150
// constraints instead of 253.
func (f *Field) atMostRMinus1(b []frontend.Variable) {
	api := f.api
	R := new(big.Int).Sub(api.Compiler().Field(), bigOne)
	if len(b) != FrWidth || R.BitLen() > FrWidth {
		panic(fmt.Sprintf("gadget: %d bits for a %d-bit modulus", len(b), R.BitLen()))
	}
	var e, zero frontend.Variable = 1, 0
	for i := FrWidth - 1; i >= 0; {
		j := i
		for j >= 0 && R.Bit(j) == R.Bit(i) {
			j--
		}
		run := b[j+1 : i+1] // bits j+1 … i, all equal to R.Bit(i) in R
		var sum frontend.Variable = 0
		for _, x := range run {
			sum = api.Add(sum, x)
		}
		switch {
		case R.Bit(i) == 0:
			zero = api.Add(zero, api.Mul(e, sum))
		case j < 0: // the last run: nothing below it to compare
		case len(run) <= 3:
			for _, x := range run {
				e = api.Mul(e, x)
			}
		default:
			e = api.Mul(e, api.IsZero(api.Sub(len(run), sum)))
		}
		i = j
	}
	api.AssertIsEqual(zero, 0)
}

// ChunkMod returns the element whose value is the integer Σ bits[i]·2^i (at most 62
// bits) mod p: how a transcript draws element j = ((s >> 62j) mod 2^62) mod p from a
// BN254 state s, with ChunkMod(FrBits(s)[62j : 62j+62]). The result is unreduced
// (bound 2^len − 1); it is congruent to the chunk, and [Field.Reduce] gives the
// canonical value.
//
// Range argument: each bit is constrained boolean (free when it already is, as the
// bits of [Field.FrBits] are), so the sum is below 2^len.
func (f *Field) ChunkMod(b []frontend.Variable) Elem {
	if len(b) > ChunkBits {
		panic(fmt.Sprintf("gadget: ChunkMod of %d bits, want at most %d", len(b), ChunkBits))
	}
	var s frontend.Variable = 0
	for i, bit := range b {
		f.api.AssertIsBoolean(bit)
		s = f.api.Add(s, f.api.Mul(bit, new(big.Int).Lsh(bigOne, uint(i))))
	}
	m := new(big.Int).Lsh(bigOne, uint(len(b)))
	return Elem{V: s, max: m.Sub(m, bigOne)}
}

// DrawCount is the number of KoalaBear draws [Field.Draws] takes from one BN254 state.
const DrawCount = 4

// Draws returns x_j = ((s >> 62j) mod 2^62) mod p for j = 0 … 3, the draws of the
// engine's Outer transcript state s (transcript.OuterDraws), in that order. They come
// from the unique canonical bits of s ([Field.FrBits]) and are unreduced (bound
// 2^62 − 1, see [Field.ChunkMod]).
func (f *Field) Draws(s frontend.Variable) [DrawCount]Elem {
	b := f.FrBits(s)
	var out [DrawCount]Elem
	for j := range out {
		out[j] = f.ChunkMod(b[ChunkBits*j : ChunkBits*(j+1)])
	}
	return out
}
