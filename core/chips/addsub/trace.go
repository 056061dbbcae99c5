package addsub

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Handles reports whether the chip proves ALU op.
func Handles(op uint32) bool { return op == uint32(isa.ADD) || op == uint32(isa.SUB) }

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("addsub"))

// Trace fills the chip's trace from its events (ops ADD and SUB), padded to a power of
// two, and records its range lookups.
func Trace(events []bus.ALUEvent, rc *rangetable.Counter) [][]field.Elem {
	return TraceRows(events, rc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.ALUEvent, rc *rangetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(events), rows))
	set := func(c air.Column, r int, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	for r, e := range events {
		var s, y uint32 = e.X, e.Y // s + y = res
		isAdd := e.Op == uint32(isa.ADD)
		if isAdd {
			set(col.IsAdd, r, 1)
		} else {
			set(col.IsSub, r, 1)
			s = e.Z
		}
		set(col.XLo, r, e.X&0xffff)
		set(col.XHi, r, e.X>>16)
		set(col.YLo, r, e.Y&0xffff)
		set(col.YHi, r, e.Y>>16)
		set(col.ZLo, r, e.Z&0xffff)
		set(col.ZHi, r, e.Z>>16)
		lo := s&0xffff + y&0xffff
		c0 := lo >> 16
		hi := s>>16 + y>>16 + c0
		set(col.C0, r, c0)
		set(col.C1, r, hi>>16)
		rc.U16(e.Z & 0xffff)
		rc.U16(e.Z >> 16)
	}
	return cols
}
