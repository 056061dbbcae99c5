package recursion

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Compress is hash.Compress of two digests of base cells: P(l ‖ r)[8:16] + r.
func (b *Builder) Compress(l, r [hash.DigestLen]Var) [hash.DigestLen]Var {
	var in [hash.Width]Var
	copy(in[:hash.DigestLen], l[:])
	copy(in[hash.DigestLen:], r[:])
	out := b.Perm(in)
	var d [hash.DigestLen]Var
	for i := range d {
		d[i] = b.Add(out[hash.DigestLen+i], r[i])
	}
	return d
}

// HashElems is hash.Elems of base cells: the Merkle–Damgård chain of Compress from the
// zero state, the last block zero-padded (nothing hashes to the zero digest).
func (b *Builder) HashElems(in []Var) [hash.DigestLen]Var {
	zero := b.ConstBase(field.Elem{})
	var st [hash.DigestLen]Var
	for i := range st {
		st[i] = zero
	}
	for i := 0; i < len(in); i += hash.Rate {
		var blk [hash.DigestLen]Var
		for j := range blk {
			if i+j < len(in) {
				blk[j] = in[i+j]
			} else {
				blk[j] = zero
			}
		}
		st = b.Compress(st, blk)
	}
	return st
}

// Swap orders a Merkle step's two digests by a bit cell: (x, y) when it is 0, (y, x)
// when it is 1, as x + bit·(y − x) and y − bit·(y − x). The caller constrains the bit
// to 0 or 1.
func (b *Builder) Swap(bit Var, x, y [hash.DigestLen]Var) (l, r [hash.DigestLen]Var) {
	for i := range l {
		t := b.Mul(bit, b.Sub(y[i], x[i]))
		l[i] = b.Add(x[i], t)
		r[i] = b.Sub(y[i], t)
	}
	return l, r
}
