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

// Trace fills the table of a segment of a run with the input in that starts at input
// offset inStart with the sponge in the state start (At(in, inStart)) and ends at inEnd
// (final: it ends the run), whose READs were at the byte offsets reads (multiples of 4,
// as READ's are), and records its range lookups. It returns the main columns, the
// permutations the sponge asks of the poseidon2 chip, and the state where the segment
// leaves the sponge.
func Trace(in []byte, start State, inStart, inEnd uint32, final bool, reads []uint32, rc *rangetable.Counter) ([][]field.Elem, []poseidon2.Call, State) {
	return TraceRows(in, start, inStart, inEnd, final, reads, rc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills
// them: r counting, zero limbs).
func TraceRows(in []byte, start State, inStart, inEnd uint32, final bool, reads []uint32, rc *rangetable.Counter, rows int) ([][]field.Elem, []poseidon2.Call, State) {
	first, end := Span(uint32(len(in)), inStart, inEnd, final)
	return traceRows(in, uint32(len(in)), first, end, start, reads, rc, rows)
}

// trace is Trace for an input of n bytes whose tape holds the bytes of tape (tests pass
// a tape longer than n: bytes past the input's end), absorbing blocks [first, end) into
// the state start.
func trace(tape []byte, n uint32, first, end int, start State, reads []uint32, rc *rangetable.Counter) ([][]field.Elem, []poseidon2.Call, State) {
	return traceRows(tape, n, first, end, start, reads, rc, 0)
}

// traceRows is trace padded to at least rows rows.
func traceRows(tape []byte, n uint32, first, end int, start State, reads []uint32, rc *rangetable.Counter, rows int) ([][]field.Elem, []poseidon2.Call, State) {
	nb := end - first
	cols := air.NewTrace(Width, max(nb+2, rows))
	mult := map[uint32]uint64{}
	for _, o := range reads {
		mult[o/4]++
	}
	masks := Publics(n, uint32(BlockBytes*first), uint32(BlockBytes*end), false, State{}, State{})
	if end != Blocks(n) || nb == 0 {
		masks = make([]field.Elem, NumPublics)
	}
	calls := make([]poseidon2.Call, 0, nb)
	s := start
	for r := range len(cols[0]) {
		set := func(c air.Column, v uint64) { cols[c.Index][r] = field.New(v) }
		set(col.R, uint64(r))
		var blk [Rate]field.Elem
		switch {
		case r == 0:
			set(col.Carry, 1)
			blk = start.Carry
		case r <= nb:
			set(col.Absorb, 1)
			blk = block(tape, first+r-1)
		}
		if r <= nb {
			k := first + r - 1
			for j := range BlockWords {
				if k >= 0 {
					cols[col.Mult[j].Index][r] = field.New(mult[uint32(BlockWords*k+j)])
				}
			}
		}
		for i := range Rate {
			cols[col.limb(i).Index][r] = blk[i]
			rc.U16(uint32(blk[i].Uint64()))
		}
		if r == nb {
			set(col.Last, 1)
			var h uint32
			for i := range Rate {
				if masks[PublicHalf+i].IsOne() {
					h = uint32(blk[i].Uint64())
				}
			}
			rc.U8(h)
		}
		if r == 0 || r > nb+1 {
			continue
		}
		if r == nb+1 {
			set(col.Final, 1)
		}
		for i := range s.Sponge {
			cols[col.State[i].Index][r] = s.Sponge[i]
		}
		if r <= nb {
			absorb(&s.Sponge, blk)
			s.Carry = blk
			calls = append(calls, poseidon2.Call{Dom: poseidon2.DomInput, ID: uint32(r + 1), In: s.Sponge})
			hash.Permute(&s.Sponge)
		}
	}
	return cols, calls, s
}
