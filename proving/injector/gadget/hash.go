package gadget

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/permutation/poseidon2"
)

// PackWidth is the number of KoalaBear elements packed into one BN254 element.
const PackWidth = 8

// packLenShift is the position of the chunk length in a packed value: 2^248.
const packLenShift = ElemBits * PackWidth

// Compress is the 2-to-1 compression of the "poseidon2-bn254" hash: Poseidon2 of width
// 2 over BN254 with gnark-crypto's default parameters (6 full rounds, 50 partial;
// ecc/bn254/fr/poseidon2.NewDefaultPermutation), feeding the right input forward:
// Compress(l, r) = P(l, r)[1] + r (gnark's Permutation.Compress).
func (f *Field) Compress(l, r frontend.Variable) frontend.Variable {
	if f.perm == nil {
		perm, err := poseidon2.NewPoseidon2(f.api)
		if err != nil {
			panic(fmt.Sprintf("gadget: poseidon2: %v", err))
		}
		f.perm = perm
	}
	return f.perm.Compress(l, r)
}

// Pack returns the BN254 element Σ_{i<k} c_i·2^(31·i) + k·2^248 for the canonical values
// c_i of the k = len(chunk) elements, 1 ≤ k ≤ 8. It is injective on (k, c): the sum
// is below 2^248 and each c_i < 2^31 sits in its own 31-bit slot; the total is below
// 9·2^248 < 2^252 < r. The elements are reduced first ([Field.Reduce]); then it is a
// linear combination, with no constraint.
func (f *Field) Pack(chunk []Elem) frontend.Variable {
	k := len(chunk)
	if k < 1 || k > PackWidth {
		panic(fmt.Sprintf("gadget: Pack of %d elements, want 1 to %d", k, PackWidth))
	}
	var s frontend.Variable = new(big.Int).Lsh(big.NewInt(int64(k)), packLenShift)
	for i, e := range chunk {
		s = f.api.Add(s, f.api.Mul(f.Canonical(e), new(big.Int).Lsh(bigOne, uint(ElemBits*i))))
	}
	return s
}

// LeafHash returns the "poseidon2-bn254" hash of a row of elements: st = 0, then
// st = Compress(st, Pack(chunk)) for each consecutive chunk of 8 elements (the last may
// be shorter). An empty row hashes to 0.
func (f *Field) LeafHash(row []Elem) frontend.Variable {
	var st frontend.Variable = 0
	for lo := 0; lo < len(row); lo += PackWidth {
		st = f.Compress(st, f.Pack(row[lo:min(lo+PackWidth, len(row))]))
	}
	return st
}
