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
