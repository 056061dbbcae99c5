package input

import (
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("input"))

// Trace fills the table for the input in, whose READs were at the byte offsets reads
// (multiples of 4, as READ's are), and records its range lookups. It returns the main
// columns and the permutations the sponge asks of the poseidon2 chip.
func Trace(in []byte, reads []uint32, rc *rangetable.Counter) ([][]field.Elem, []poseidon2.Call) {
	return trace(in, uint32(len(in)), reads, rc)
}

// trace is Trace for an input of n bytes whose tape holds the bytes of tape (tests pass
// a tape longer than n: bytes past the input's end).
func trace(tape []byte, n uint32, reads []uint32, rc *rangetable.Counter) ([][]field.Elem, []poseidon2.Call) {
	in := tape
	nb := Blocks(n)
	cols := air.NewTrace(Width, nb+1)
	mult := map[uint32]uint64{}
	for _, o := range reads {
		mult[o/4]++
	}
	zero := Publics(n, hash.Digest{})
	calls := make([]poseidon2.Call, 0, nb)
	s := IV(n)
	for r := range len(cols[0]) {
		set := func(c air.Column, v uint64) { cols[c.Index][r] = field.New(v) }
		set(col.K, uint64(r))
		var blk [Rate]field.Elem
		if r < nb {
			set(col.Absorb, 1)
			blk = block(in, r)
			for j := range BlockWords {
				cols[col.Mult[j].Index][r] = field.New(mult[uint32(BlockWords*r+j)])
			}
		}
		for i := range Rate {
			cols[col.limb(i).Index][r] = blk[i]
			rc.U16(uint32(blk[i].Uint64()))
		}
		if r == nb-1 {
			set(col.Last, 1)
			var h uint32
			for i := range Rate {
				if zero[PublicHalf+i].IsOne() {
					h = uint32(blk[i].Uint64())
				}
			}
			rc.U8(h)
		}
		if r > nb {
			continue
		}
		if r == nb {
			set(col.Final, 1)
		}
		for i := range s {
			cols[col.State[i].Index][r] = s[i]
		}
		if r < nb {
			absorb(&s, blk)
			calls = append(calls, poseidon2.Call{Dom: poseidon2.DomInput, ID: uint32(r + 1), In: s})
			hash.Permute(&s)
		}
	}
	return cols, calls
}
