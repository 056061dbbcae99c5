//go:build goexperiment.simd && amd64

package ntt

import (
	"math/bits"
	"simd/archsimd"

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
	var a, b [8]vec
	for m := range s / 8 {
		mr := 0
		if logM > 0 {
			mr = int(bits.Reverse64(uint64(m)) >> (64 - logM))
		}
		if mr < m {
			continue
		}
		transpose8(&a, w, s, 8*m)
		if mr == m {
			store8(w, s, 8*m, &a)
			continue
		}
		transpose8(&b, w, s, 8*mr)
		store8(w, s, 8*mr, &a)
		store8(w, s, 8*m, &b)
	}
	archsimd.ClearAVXUpperBits()
}

// rev3 is the bit reversal on 3 bits.
var rev3 = [8]int{0, 4, 2, 6, 1, 5, 3, 7}

// transpose8 loads the rows rev3(k)·s + off (k < 8) of w, 8 words each, into r and
// transposes them: column lo of the block as vector lo, lane k from row rev3(k).
func transpose8(r *[8]vec, w []uint32, s, off int) {
	for k := range 8 {
		r[k] = load(w, rev3[k]*s+off)
	}
	field.Transpose8(r)
}

// store8 writes column lo of a transposed block to row rev3(lo)·s + off.
func store8(w []uint32, s, off int, c *[8]vec) {
	for lo := range 8 {
		store(c[lo], w, rev3[lo]*s+off)
	}
}
