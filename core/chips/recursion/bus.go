package recursion

import (
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// Memory is the recursion program's memory bus: (cell, v0, v1, v2, v3), a cell and its
// value's coordinates in field.ExtCoords order (a base value has v1 = v2 = v3 = 0).
// The one instruction that writes a cell sends its tuple with multiplicity the number of
// reads of the cell (preprocessed); every read receives it once, and so does the
// verifier for each public output (Messages). The bus belongs to the recursion AIR set
// alone: its id is not one of core/chips/bus's, and no zkVM chip shares a proof with it.
var Memory = air.Bus{ID: 40, Name: "recursion_memory"}

// DomRecursion is the recursion perm table's domain on bus.Poseidon2 (package poseidon2
// uses 0 for the input tape and 1 for hooks): its identifier for a permutation is the
// permutation's first output cell, which no other instruction writes.
const DomRecursion = 2

// memTuple is the memory bus tuple of a cell and four coordinate expressions.
func memTuple(cell air.Expr, v [4]air.Expr) []air.Expr {
	return []air.Expr{cell, v[0], v[1], v[2], v[3]}
}

// baseTuple is the memory bus tuple of a base value x: (cell, x, 0, 0, 0).
func baseTuple(b *air.Builder, cell, x air.Expr) []air.Expr {
	z := b.Const(0)
	return []air.Expr{cell, x, z, z, z}
}

// coords4 returns the four coordinates of a degree-4 (or base) value.
func coords4(v *field.Ext) [4]field.Elem {
	c := field.ExtCoords(v)
	return [4]field.Elem{c[0], c[1], c[2], c[3]}
}

// Messages are the verifier's receives on the memory bus for the public outputs: one
// (cell, value) per entry of the program's Publics. A proof balances its memory bus only
// with the publics its program computed.
func Messages(cells []uint32, publics []field.Ext) []lookup.Message {
	msgs := make([]lookup.Message, len(cells))
	for i, c := range cells {
		v := coords4(&publics[i])
		msgs[i] = lookup.Message{Bus: Memory.ID, Send: false, Mult: field.New(1),
			Tuple: []field.Elem{field.New(uint64(c)), v[0], v[1], v[2], v[3]}}
	}
	return msgs
}
