package shift

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Handles reports whether the chip proves ALU op.
func Handles(op uint32) bool {
	return op == uint32(isa.SLL) || op == uint32(isa.SRL) || op == uint32(isa.SRA)
}

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("shift"))

// Trace fills the chip's trace from its events (ops SLL, SRL, SRA), padded to a power of
// two, and records its range and byte-table lookups. The result word is each event's Z;
// the rest of the row is computed from X and Y.
func Trace(events []bus.ALUEvent, rc *rangetable.Counter, bc *bytetable.Counter) [][]field.Elem {
	return TraceRows(events, rc, bc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.ALUEvent, rc *rangetable.Counter, bc *bytetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(events), rows))
	set := func(c air.Column, r int, v uint64) { cols[c.Index][r] = field.New(v) }
	for r, e := range events {
		k := e.Y & 31
		exp, sr, sx := k, uint64(0), uint64(0)
		switch e.Op {
		case uint32(isa.SLL):
			set(col.IsSLL, r, 1)
		case uint32(isa.SRL):
			set(col.IsSRL, r, 1)
			exp, sr = 31-k, 1
		default:
			set(col.IsSRA, r, 1)
			exp, sr, sx = 31-k, 1, uint64(e.X>>31)
			rc.U16(e.X >> 15 & 0xfffe) // 2·x_hi − 2^16·s_x
		}
		set(col.XLo, r, uint64(e.X&0xffff))
		set(col.XHi, r, uint64(e.X>>16))
		set(col.YLo, r, uint64(e.Y&0xffff))
		set(col.YHi, r, uint64(e.Y>>16))
		set(col.ZLo, r, uint64(e.Z&0xffff))
		set(col.ZHi, r, uint64(e.Z>>16))
		for i := range 3 {
			set(col.E[i], r, uint64(exp>>i&1))
		}
		set(col.Sel[exp>>3], r, 1)
		q := e.Y & 0xffff >> 5
		set(col.Q, r, uint64(q))
		rc.U16(q)
		m := uint64(1) << (exp & 7)
		set(col.M, r, m)
		set(col.SignX, r, sx)

		m <<= sr // m'
		u := uint64(e.X) * m
		var w [5]uint64
		for i := range 4 {
			w[i] = u >> (8 * i) & 0xff
		}
		w[4] = u>>32 + sx*(256-m)
		c := uint64(e.X&0xffff) * m >> 16
		for i := range 5 {
			set(col.W[i], r, w[i])
		}
		set(col.C, r, c)
		bc.Range(uint32(w[0]), uint32(w[1]))
		bc.Range(uint32(w[2]), uint32(w[3]))
		bc.Range(uint32(w[4]), uint32(c))
	}
	return cols
}
