package gadget

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// MaxTableBits is the widest index [Field.Table] takes.
const MaxTableBits = 6

// Table returns table[i] for the index i = Σ bits[j]·2^j (little-endian, len(table) =
// 2^len(bits), 1 ≤ len(bits) ≤ MaxTableBits): a canonical element, for 2^k − k − 1
// constraints (11 for 4 bits) where selecting and multiplying bit by bit costs a
// product and a reduction per bit.
//
// Range argument: each bit is constrained boolean (free when it already is, as the bits
// of [Field.ToBits] are). The value is the multilinear polynomial Σ_S c_S·Π_{j∈S} b_j
// with c_S = Σ_{T⊆S} (−1)^{|S|−|T|}·table[T] (mod r), which equals table[i] exactly in
// BN254's field at every boolean point; so the native value is the integer table[i] <
// p, and the Elem is canonical with the table's largest entry as its bound.
func (f *Field) Table(bits []frontend.Variable, table []field.Elem) Elem {
	k := len(bits)
	if k < 1 || k > MaxTableBits || len(table) != 1<<k {
		panic(fmt.Sprintf("gadget: Table of %d entries with %d bits", len(table), k))
	}
	api := f.api
	r := api.Compiler().Field()
	// c[S] by the Möbius transform over subsets, mod r.
	c := make([]*big.Int, len(table))
	most := new(big.Int)
	for i := range table {
		c[i] = new(big.Int).SetUint64(table[i].Uint64())
		if c[i].Cmp(most) > 0 {
			most.Set(c[i])
		}
	}
	for j := range k {
		for s := range c {
			if s>>j&1 == 1 {
				c[s].Sub(c[s], c[s^(1<<j)])
				c[s].Mod(c[s], r)
			}
		}
	}
	for _, b := range bits {
		api.AssertIsBoolean(b)
	}
	mono := make([]frontend.Variable, len(table)) // Π_{j∈S} b_j
	mono[0] = 1
	var v frontend.Variable = c[0]
	for s := 1; s < len(table); s++ {
		top := 0
		for s>>(top+1) != 0 {
			top++
		}
		rest := s &^ (1 << top)
		if rest == 0 {
			mono[s] = bits[top]
		} else {
			mono[s] = api.Mul(mono[rest], bits[top])
		}
		if c[s].Sign() != 0 {
			v = api.Add(v, api.Mul(mono[s], c[s]))
		}
	}
	return Elem{V: v, max: most}
}

// Weak returns a weakly reduced (below 2^32, congruent; see weakReduce): free when a is
// already below 2^32, and a variable reduced before is not reduced again.
func (f *Field) Weak(a Elem) Elem { return f.weakReduce(a) }
