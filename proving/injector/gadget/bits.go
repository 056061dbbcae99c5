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
// std/math/bits) constrains each bit boolean, the recomposition Σ b_i·2^i = v in the
// native field and, because the width is the field's, the bits to encode an integer
// ≤ r−1 (a bitwise comparison with the constant r−1, MustBeLessOrEqCst); the tests
// check that a decomposition of v + r is rejected. Without that last check a v below
// 2^254 − r would have two decompositions (v and v + r), and a transcript drawing
// challenges from the bits would let the prover choose between two values.
func (f *Field) FrBits(v frontend.Variable) []frontend.Variable {
	return bits.ToBinary(f.api, v, bits.WithNbDigits(FrWidth))
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
