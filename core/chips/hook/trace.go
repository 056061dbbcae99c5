package hook

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("hook"))

// Trace fills the table from a segment's hook calls (Syscall events with hook numbers,
// in clk order), starting from the sponge state start, and records its range lookups.
// It returns the main columns, the permutations the sponge asks of the poseidon2 chip
// and the state after the last call.
func Trace(events []bus.SyscallEvent, start State, rc *rangetable.Counter) ([][]field.Elem, []poseidon2.Call, State) {
	return TraceRows(events, start, rc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.SyscallEvent, start State, rc *rangetable.Counter, rows int) ([][]field.Elem, []poseidon2.Call, State) {
	n := len(events)
	cols := air.NewTrace(Width, max(n+1, rows))
	calls := make([]poseidon2.Call, 0, n)
	s := start
	for r := range len(cols[0]) {
		set := func(c air.Column, v uint64) { cols[c.Index][r] = field.New(v) }
		set(col.K, uint64(r))
		if r > n {
			continue
		}
		for i := range s {
			cols[col.State[i].Index][r] = s[i]
		}
		if r == n {
			set(col.Final, 1)
			continue
		}
		e := &events[r]
		set(col.Real, 1)
		set(col.Clk, e.Clk)
		set(col.Number, uint64(e.Number))
		set(col.ALo, uint64(e.A&0xffff))
		set(col.AHi, uint64(e.A>>16))
		set(col.BLo, uint64(e.B&0xffff))
		set(col.BHi, uint64(e.B>>16))
		var dclk uint64
		if r+1 < n {
			dclk = events[r+1].Clk - e.Clk - 1
		}
		set(col.DClkLo, dclk&0xffff)
		set(col.DClkHi, dclk>>16)
		rc.U16(uint32(dclk & 0xffff))
		rc.U12(uint32(dclk >> 16))
		rc.U16(e.Number - isa.FirstHook)
		rc.U16(e.A & 0xffff)
		rc.U16(e.A >> 16)
		b := Entry{Number: e.Number, B: e.B, A: e.A}.Block()
		for i := range b {
			s[i].Add(&s[i], &b[i])
		}
		calls = append(calls, poseidon2.Call{Dom: poseidon2.DomHook, ID: uint32(r + 1), In: s})
		hash.Permute(&s)
	}
	return cols, calls, s
}
