//go:build goexperiment.simd && amd64

package ntt

import (
	"math/bits"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// bitReverse8 permutes v (len(v) = 2^L, L ≥ 6) into bit-reversed order with 8×8
// transposes in AVX2 registers. An index splits as hi·(n/8) + m·8 + lo (3, L−6, 3
// bits) and reverses to rev(lo)·(n/8) + rev(m)·8 + rev(hi): the 8×8 block of rows hi
// and columns lo at m is transposed into the block at rev(m), its rows and columns each
// bit-reversed on 3 bits, which costs nothing (the rows are loaded, and the columns
// stored, in bit-reversed order). The blocks at m and rev(m) are swapped together.
func bitReverse8(v []field.Elem) {
	w := words(v)
	n := len(w)
	s := n / 8
	logM := bits.TrailingZeros(uint(n)) - 6
	for m := range s / 8 {
		mr := 0
		if logM > 0 {
			mr = int(bits.Reverse64(uint64(m)) >> (64 - logM))
		}
		if mr < m {
			continue
		}
		a := transpose8(w, s, 8*m)
		if mr == m {
			store8(w, s, 8*m, &a)
			continue
		}
		b := transpose8(w, s, 8*mr)
		store8(w, s, 8*mr, &a)
		store8(w, s, 8*m, &b)
	}
}

// rev3 is the bit reversal on 3 bits.
var rev3 = [8]int{0, 4, 2, 6, 1, 5, 3, 7}

// transpose8 loads the rows rev3(k)·s + off (k < 8) of w, 8 words each, and returns
// their transpose: column lo of the block as vector lo, lane k from row rev3(k).
func transpose8(w []uint32, s, off int) [8]vec {
	var r [8]vec
	for k := range 8 {
		r[k] = load(w, rev3[k]*s+off)
	}
	var t [8]vec
	for k := 0; k < 8; k += 2 { // (r_k[i], r_k+1[i]) pairs: i = 0,1 | 4,5 and 2,3 | 6,7
		t[k], t[k+1] = r[k].InterleaveLoGrouped(r[k+1]), r[k].InterleaveHiGrouped(r[k+1])
	}
	var u [8]vec
	for k := 0; k < 8; k += 4 { // four rows of one column: columns 0 | 4, 1 | 5, 2 | 6, 3 | 7
		a0, a1 := t[k].AsUint64x4(), t[k+2].AsUint64x4()
		b0, b1 := t[k+1].AsUint64x4(), t[k+3].AsUint64x4()
		u[k] = a0.InterleaveLoGrouped(a1).AsUint32x8()
		u[k+1] = a0.InterleaveHiGrouped(a1).AsUint32x8()
		u[k+2] = b0.InterleaveLoGrouped(b1).AsUint32x8()
		u[k+3] = b0.InterleaveHiGrouped(b1).AsUint32x8()
	}
	var c [8]vec
	for i := range 4 { // rows 0–3 of u[i], rows 4–7 of u[4+i]
		c[i] = u[i].Select128FromPair(0, 2, u[4+i])
		c[i+4] = u[i].Select128FromPair(1, 3, u[4+i])
	}
	return c
}

// store8 writes column lo of a transposed block to row rev3(lo)·s + off.
func store8(w []uint32, s, off int, c *[8]vec) {
	for lo := range 8 {
		store(c[lo], w, rev3[lo]*s+off)
	}
}
