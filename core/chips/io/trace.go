package io

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Handles reports whether the chip serves syscall number n.
func Handles(n uint32) bool {
	return n == isa.SysRead || n == isa.SysInputLen || n == isa.SysWrite
}

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("io"))

// Trace fills the chip's trace from its events (READ, INPUT_LEN and WRITE, in clk order),
// one row each, padded to a power of two, and records its range lookups. inputLen is the
// length of the input tape. It returns the main columns and the table's public values
// (input_len, output_len). The offsets and counts come from the events' records
// (Sys.InputOffset and Sys.Input for READ and INPUT_LEN, Sys.OutputOffset for WRITE,
// whose count is B); an event without a record continues the running offsets.
//
// inStart and outStart are the offsets where the segment starts (0, 0 for a run's first
// segment); the public values then also hold them and the input offset at the end.
func Trace(events []bus.SyscallEvent, inputLen, inStart, outStart uint32, rc *rangetable.Counter) ([][]field.Elem, []field.Elem) {
	return TraceRows(events, inputLen, inStart, outStart, rc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.SyscallEvent, inputLen, inStart, outStart uint32, rc *rangetable.Counter, rows int) ([][]field.Elem, []field.Elem) {
	cols := air.NewTrace(Width, max(len(events), rows))
	n := len(cols[0])
	in, out := inStart, outStart // running offsets
	for r := range n {
		set := func(c air.Column, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
		var dIn, dOut, gap, dclk uint32
		if r < len(events) {
			e := &events[r]
			cols[col.Clk.Index][r] = field.New(e.Clk)
			if r+1 < len(events) {
				dclk = uint32(events[r+1].Clk - e.Clk - 1)
			}
			for j := range 4 {
				v := e.A >> (8 * j) & 0xff
				set(col.A[j], v)
				rc.U8(v)
			}
			set(col.BLo, e.B&0xffff)
			set(col.BHi, e.B>>16)
			switch e.Number {
			case isa.SysRead:
				set(col.IsRead, 1)
				k := uint32(4)
				if e.Rec != nil {
					in, k = e.Rec.Sys.InputOffset, uint32(len(e.Rec.Sys.Input))
				}
				if k == 4 {
					gap = inputLen - in - 4
				}
				setCount(cols, r, k)
				dIn = k
			case isa.SysInputLen:
				set(col.IsLen, 1)
				if e.Rec != nil {
					in = e.Rec.Sys.InputOffset
				}
				rc.U8(e.A >> 24 * 4)
			case isa.SysWrite:
				set(col.IsWrite, 1)
				if e.Rec != nil {
					out = e.Rec.Sys.OutputOffset
				}
				setCount(cols, r, e.B)
				dOut = e.B
			}
		}
		set(col.InOff, in)
		set(col.OutOff, out)
		set(col.GapLo, gap&0xffff)
		set(col.GapHi, gap>>16)
		if r < len(events) && events[r].Number == isa.SysRead {
			rc.U16(gap & 0xffff)
			rc.U16(gap >> 16)
			rc.U16(gap >> 16 * 4)
		}
		set(col.DClkLo, dclk&0xffff)
		set(col.DClkHi, dclk>>16)
		if r < len(events) {
			rc.U16(dclk & 0xffff)
			rc.U12(dclk >> 16)
		}
		in += dIn
		out += dOut
	}
	return cols, Publics(inputLen, inStart, in, outStart, out)
}

// Publics returns the table's public values: the input's length, the input offsets
// where the segment starts and ends, and the output offsets where it starts and ends.
func Publics(inputLen, inStart, inEnd, outStart, outEnd uint32) []field.Elem {
	pub := make([]field.Elem, numPublics)
	pub[PublicInputLen] = field.New(uint64(inputLen))
	pub[PublicOutputLen] = field.New(uint64(outEnd))
	pub[PublicInStart] = field.New(uint64(inStart))
	pub[PublicOutStart] = field.New(uint64(outStart))
	pub[PublicInEnd] = field.New(uint64(inEnd))
	return pub
}

// setCount sets the count selector of k bytes (none when k is not 1..4: such a row
// does not prove).
func setCount(cols [][]field.Elem, r int, k uint32) {
	if k >= 1 && k <= 4 {
		cols[col.Count[k-1].Index][r] = field.New(1)
	}
}
