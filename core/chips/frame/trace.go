package frame

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("frame"))

// Trace fills the chip's trace from its events, one row each, padded to a power of two,
// and records its range lookups.
func Trace(events []bus.FrameEvent, rc *rangetable.Counter) [][]field.Elem {
	return TraceRows(events, rc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.FrameEvent, rc *rangetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(events), rows))
	n := len(cols[0])
	for r := range n {
		if r >= len(events) {
			col.PCWord.Fill(cols, r, nil, trace.TS(0, trace.SlotData), rc)
			col.FPWord.Fill(cols, r, nil, trace.TS(0, trace.SlotData+1), rc)
			continue
		}
		e := &events[r]
		set := func(c air.Column, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
		if e.Call {
			set(col.IsCall, 1)
		} else {
			set(col.IsRet, 1)
		}
		cols[col.Clk.Index][r] = field.New(e.Clk)
		set(col.FP, e.FP)
		if e.FP == 1<<30-1 {
			set(col.Wrap, 1)
		}
		lo, hi := e.PC&0xffff, e.PC>>16
		set(col.PCLo, lo)
		set(col.PCHi, hi)
		rc.U16(lo)
		rc.U16(hi)
		rc.U16(hi * 4)
		lo, hi = e.SavedFP&(1<<14-1), e.SavedFP>>14
		set(col.SavedLo, lo)
		set(col.SavedHi, hi)
		rc.U16(lo)
		rc.U16(lo * 4)
		rc.U16(hi)
		col.PCWord.Fill(cols, r, &e.Words[0], trace.TS(e.Clk, trace.SlotData), rc)
		col.FPWord.Fill(cols, r, &e.Words[1], trace.TS(e.Clk, trace.SlotData+1), rc)
	}
	return cols
}
