package loadstore

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Handles reports whether the chip proves opcode op (a load or a store).
func Handles(op uint32) bool { return Size(op) != 0 }

// Size returns the number of bytes a load or store opcode accesses (0 for others).
func Size(op uint32) uint32 {
	switch isa.Opcode(op) {
	case isa.LW, isa.SW:
		return 4
	case isa.LH, isa.LHU, isa.SH:
		return 2
	case isa.LB, isa.LBU, isa.SB:
		return 1
	}
	return 0
}

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("loadstore"))

var opColumn = map[isa.Opcode]air.Column{
	isa.LW: col.IsLW, isa.LH: col.IsLH, isa.LHU: col.IsLHU, isa.LB: col.IsLB, isa.LBU: col.IsLBU,
	isa.SW: col.IsSW, isa.SH: col.IsSH, isa.SB: col.IsSB,
}

// Trace fills the chip's trace from its events, one row each, padded to a power of two,
// and records its range lookups. An event whose words do not match its address makes
// a trace that does not prove.
func Trace(events []bus.LoadStoreEvent, rc *rangetable.Counter) [][]field.Elem {
	return TraceRows(events, rc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.LoadStoreEvent, rc *rangetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(events), rows))
	n := len(cols[0])
	for r := range n {
		if r < len(events) {
			fill(cols, r, &events[r], rc)
			continue
		}
		col.Lo.Fill(cols, r, nil, trace.TS(0, trace.SlotData), rc)
		col.Hi.Fill(cols, r, nil, trace.TS(0, trace.SlotData+1), rc)
	}
	return cols
}

func fill(cols [][]field.Elem, r int, e *bus.LoadStoreEvent, rc *rangetable.Counter) {
	set := func(c air.Column, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	if sel, ok := opColumn[isa.Opcode(e.Op)]; ok {
		set(sel, 1)
	}
	cols[col.Clk.Index][r] = field.New(e.Clk)
	set(col.BaseLo, e.Base&0xffff)
	set(col.BaseHi, e.Base>>16)
	set(col.OffLo, e.Off&0xffff)
	set(col.OffHi, e.Off>>16)
	for j := range 4 {
		v := e.Val >> (8 * j) & 0xff
		set(col.Val[j], v)
		rc.U8(v)
	}

	addr := e.Base + e.Off
	lo := e.Base&0xffff + e.Off&0xffff
	c0 := lo >> 16
	set(col.C0, c0)
	set(col.C1, (e.Base>>16+e.Off>>16+c0)>>16)
	k := addr & 3
	set(col.WordLo, addr&0xffff>>2)
	set(col.AddrHi, addr>>16)
	rc.U16(addr & 0xffff >> 2)
	rc.U16(addr & 0xffff &^ 3)
	rc.U16(addr >> 16)
	set(col.K[k], 1)
	if addr>>2 == 1<<30-1 {
		set(col.Wrap, 1)
	}

	size := Size(e.Op)
	cross := k+size > 4
	var acc [2]*trace.Access
	for i := range e.Words {
		if i < 2 {
			acc[i] = &e.Words[i]
		}
	}
	if !cross {
		acc[1] = nil
	}
	var before, after [8]uint32
	for i, a := range acc {
		if a == nil {
			continue
		}
		for j := range 4 {
			before[4*i+j] = a.Before >> (8 * j) & 0xff
			after[4*i+j] = a.After >> (8 * j) & 0xff
		}
	}
	for m := range 8 {
		set(col.Before[m], before[m])
		set(col.After[m], after[m])
		rc.U8(before[m])
	}
	for j := range 4 {
		set(col.Sel[j], before[k+uint32(j)])
	}

	switch isa.Opcode(e.Op) {
	case isa.LH:
		top := e.Val >> 8 & 0xff
		set(col.Neg, top>>7)
		rc.U8(top & 0x7f << 1)
	case isa.LB:
		top := e.Val & 0xff
		set(col.Neg, top>>7)
		rc.U8(top & 0x7f << 1)
	}

	col.Lo.Fill(cols, r, acc[0], trace.TS(e.Clk, trace.SlotData), rc)
	col.Hi.Fill(cols, r, acc[1], trace.TS(e.Clk, trace.SlotData+1), rc)
}
