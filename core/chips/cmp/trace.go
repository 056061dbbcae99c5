package cmp

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Handles reports whether the chip proves ALU op.
func Handles(op uint32) bool {
	switch op {
	case uint32(isa.SLT), uint32(isa.SLTU), uint32(isa.EQ), uint32(isa.NE), bus.OpGE, bus.OpGEU:
		return true
	}
	return false
}

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("cmp"))

// flags maps each op to its flag column.
var flags = map[uint32]air.Column{
	uint32(isa.SLT): col.IsSLT, uint32(isa.SLTU): col.IsSLTU, uint32(isa.EQ): col.IsEQ,
	uint32(isa.NE): col.IsNE, bus.OpGE: col.IsGE, bus.OpGEU: col.IsGEU,
}

// Trace fills the chip's trace from its events (the ops of Handles), padded to a power
// of two, and records its range lookups. The result column is each event's Z.
func Trace(events []bus.ALUEvent, rc *rangetable.Counter) [][]field.Elem {
	return TraceRows(events, rc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.ALUEvent, rc *rangetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(events), rows))
	set := func(c air.Column, r int, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	for r, e := range events {
		set(flags[e.Op], r, 1)
		set(col.XLo, r, e.X&0xffff)
		set(col.XHi, r, e.X>>16)
		set(col.YLo, r, e.Y&0xffff)
		set(col.YHi, r, e.Y>>16)
		set(col.Z, r, e.Z)

		x, y := e.X, e.Y
		signed := e.Op == uint32(isa.SLT) || e.Op == bus.OpGE
		if signed {
			x, y = x^0x80000000, y^0x80000000
			set(col.SignX, r, e.X>>31)
			set(col.SignY, r, e.Y>>31)
			rc.U16(e.X >> 15 & 0xfffe) // 2·x_hi − 2^16·s_x
			rc.U16(e.Y >> 15 & 0xfffe)
		}
		var b0, b1 uint32
		if x&0xffff < y&0xffff {
			b0 = 1
		}
		if x < y {
			b1 = 1
		}
		set(col.Borrow0, r, b0)
		set(col.Borrow1, r, b1)
		d := x - y
		rc.U16(d & 0xffff)
		rc.U16(d >> 16)

		// inv inverts d_lo + d_hi as the constraints compute it (with the unsigned d_hi).
		var delta, t field.Elem
		delta.SetInt64(int64(e.X&0xffff) - int64(e.Y&0xffff) + int64(b0)<<16 +
			int64(e.X>>16) - int64(e.Y>>16) - int64(b0) + int64(b1)<<16)
		t.Inverse(&delta)
		cols[col.Inv.Index][r] = t
	}
	return cols
}
