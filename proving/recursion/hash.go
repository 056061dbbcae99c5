package recursion

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Compress is hash.Compress of two digests of base cells: P(l ‖ r)[8:16] + r, one
// compress instruction.
func (b *Builder) Compress(l, r [hash.DigestLen]Var) [hash.DigestLen]Var {
	return b.compress(0, l, r)
}

// CompressSwap is Compress(Swap(bit, x, y)) in one instruction: a Merkle step whose
// node x is the left child when the bit cell holds 0 and the right one when it holds 1
// (y the sibling). The instruction requires the bit to be 0 or 1 (Execute refuses
// another value; the recursion AIR set constrains it boolean).
func (b *Builder) CompressSwap(bit Var, x, y [hash.DigestLen]Var) [hash.DigestLen]Var {
	if bit == 0 {
		panic("recursion: CompressSwap without a bit cell")
	}
	return b.compress(bit, x, y)
}

func (b *Builder) compress(bit Var, l, r [hash.DigestLen]Var) [hash.DigestLen]Var {
	var d [hash.DigestLen]Var
	for i := range d {
		d[i] = b.cell()
	}
	in := make([]Var, 0, hash.Width)
	in = append(append(in, l[:]...), r[:]...)
	b.emit(Inst{Op: OpCompress, A: bit, In: in, Out: append([]Var(nil), d[:]...)})
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
// when it is 1, as x + bit·(y − x) and y − bit·(y − x): four instructions per element.
// The caller constrains the bit to 0 or 1. CompressSwap does a Merkle step in one.
func (b *Builder) Swap(bit Var, x, y [hash.DigestLen]Var) (l, r [hash.DigestLen]Var) {
	for i := range l {
		t := b.Mul(bit, b.Sub(y[i], x[i]))
		l[i] = b.Add(x[i], t)
		r[i] = b.Sub(y[i], t)
	}
	return l, r
}
