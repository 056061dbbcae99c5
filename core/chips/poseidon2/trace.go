package poseidon2

import (
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Call is one permutation a chip asks for on bus.Poseidon2.
type Call struct {
	Dom, ID uint32
	In      [Width]field.Elem
}

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("poseidon2"))

// Trace fills the table: one row per call, in order, padded to a power of two with
// permutations of the zero state (real = 0).
func Trace(calls []Call) [][]field.Elem { return TraceRows(calls, len(calls)) }

// TraceRows is Trace padded to at least rows rows (a power of two above them): a table
// of fixed height whatever the number of calls (rows below len(calls) are ignored).
func TraceRows(calls []Call, rows int) [][]field.Elem {
	cols := air.NewTrace(NumColumns, max(rows, len(calls)))
	var pad Rounds
	if len(calls) < len(cols[0]) {
		pad = Permute([Width]field.Elem{})
	}
	for r := range len(cols[0]) {
		if r >= len(calls) {
			fill(cols, r, &[Width]field.Elem{}, &pad)
			continue
		}
		c := &calls[r]
		rounds := Permute(c.In)
		cols[col.Real.Index][r] = field.New(1)
		cols[col.Dom.Index][r] = field.New(uint64(c.Dom))
		cols[col.ID.Index][r] = field.New(uint64(c.ID))
		fill(cols, r, &c.In, &rounds)
	}
	return cols
}

func fill(cols [][]field.Elem, r int, in *[Width]field.Elem, rounds *Rounds) {
	for i := range Width {
		cols[col.In[i].Index][r] = in[i]
		for f := range FullRounds {
			cols[col.Full[f][i].Index][r] = rounds.Full[f][i]
		}
	}
	for p := range PartialRounds {
		cols[col.Partial[p].Index][r] = rounds.Partial[p]
	}
}
