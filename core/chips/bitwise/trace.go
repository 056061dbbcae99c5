package bitwise

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Handles reports whether the chip proves ALU op.
func Handles(op uint32) bool {
	return op == uint32(isa.AND) || op == uint32(isa.OR) || op == uint32(isa.XOR)
}

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("bitwise"))

// Trace fills the chip's trace from its events (ops AND, OR, XOR), padded to a power of
// two, and records its byte-table lookups. The result bytes are each event's Z.
func Trace(events []bus.ALUEvent, bc *bytetable.Counter) [][]field.Elem {
	return TraceRows(events, bc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.ALUEvent, bc *bytetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(events), rows))
	set := func(c air.Column, r int, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	for r, e := range events {
		switch e.Op {
		case uint32(isa.AND):
			set(col.IsAND, r, 1)
		case uint32(isa.OR):
			set(col.IsOR, r, 1)
		default:
			set(col.IsXOR, r, 1)
		}
		for i := range 4 {
			x, y, z := e.X>>(8*i)&0xff, e.Y>>(8*i)&0xff, e.Z>>(8*i)&0xff
			set(col.X[i], r, x)
			set(col.Y[i], r, y)
			set(col.Z[i], r, z)
			bc.Lookup(e.Op, x, y)
		}
	}
	return cols
}
