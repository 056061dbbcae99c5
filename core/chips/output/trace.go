package output

import (
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Trace fills the table for a segment whose output share is the bytes share at positions
// outStart, outStart+1, …, starting from the sponge state start (Absorb of IV over the
// output before outStart), and records its U8 lookups. It returns the main columns, the
// permutations the sponge asks of the poseidon2 chip, and the state where the share ends
// (Absorb(start, outStart, share)).
func Trace(start State, outStart uint32, share []byte, rc *rangetable.Counter) ([][]field.Elem, []poseidon2.Call, State) {
	return TraceRows(start, outStart, share, rc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(start State, outStart uint32, share []byte, rc *rangetable.Counter, rows int) ([][]field.Elem, []poseidon2.Call, State) {
	outEnd := outStart + uint32(len(share))
	nb := Blocks(outStart, outEnd)
	base := uint64(Base(outStart))
	cols := air.NewTrace(Width, max(nb+1, rows))
	calls := make([]poseidon2.Call, 0, nb)
	s := start
	perm := false // the previous row sent its sum to a permutation
	for r := range len(cols[0]) {
		set := func(c air.Column, v uint64) { cols[c.Index][r] = field.New(v) }
		set(col.K, uint64(r))
		if r == 0 {
			set(col.First, 1)
		}
		if perm {
			set(col.Fresh, 1)
		}
		perm = false
		var blk [BlockBytes]byte
		if r < nb {
			set(col.Absorb, 1)
			for j := range blk {
				if q := base + uint64(BlockBytes*r+j); q >= uint64(outStart) && q < uint64(outEnd) {
					blk[j] = share[q-uint64(outStart)]
				}
			}
			if r == nb-1 {
				set(col.Last, 1)
			}
		}
		for j, x := range blk {
			set(col.Byte[j], uint64(x))
			rc.U8(uint32(x))
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
			for i := range Rate {
				v := field.New(uint64(blk[2*i]) + 256*uint64(blk[2*i+1]))
				s[i].Add(&s[i], &v)
			}
			if r < nb-1 || base+uint64(BlockBytes*nb) == uint64(outEnd) {
				perm = true
				calls = append(calls, poseidon2.Call{Dom: Dom, ID: uint32(r + 1), In: s})
				hash.Permute(&s)
			}
		}
	}
	return cols, calls, s
}
