package cpu

import (
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/chips/rom"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

var col = newColumns(air.NewBuilder("cpu"))

// Width is the number of main columns.
var Width = len(AIR().Main)

// Publics returns the CPU table's public values: the segment's entry pc and frame
// pointer (a byte address), its cycles, the claim's context, and where a segment that
// does not end the run hands over (exitPC, exitFP; 0, 0 for a segment that ends it).
func Publics(entry, fp uint32, cycles uint64, context hash.Digest, exitPC, exitFP uint32) []field.Elem {
	out := append([]field.Elem{field.New(uint64(entry)), field.New(uint64(fp / 4)), field.New(cycles)}, context[:]...)
	return append(out, field.New(uint64(exitPC)), field.New(uint64(exitFP/4)))
}

// Trace fills the CPU table from the run's records (recs[i] is cycle i) and counts its
// range lookups.
func Trace(recs []trace.Record, rc *rangetable.Counter) [][]field.Elem { return TraceRows(recs, rc, 0) }

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(recs []trace.Record, rc *rangetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(recs)+1, rows)) // at least one padding row
	n := len(cols[0])
	set := func(c air.Column, r int, v uint64) { cols[c.Index][r] = field.New(v) }
	one := func(c air.Column, r int, on bool) {
		if on {
			cols[c.Index][r] = field.New(1)
		}
	}
	for r := range n {
		if r >= len(recs) {
			// Padding: clk keeps counting; the accesses' timestamp checks hold trivially.
			set(col.Clk, r, uint64(r))
			col.AccB.Fill(cols, r, nil, trace.TS(uint64(r), 0), rc)
			col.AccC.Fill(cols, r, nil, trace.TS(uint64(r), 1), rc)
			col.AccA.Fill(cols, r, nil, trace.TS(uint64(r), 2), rc)
			continue
		}
		rec := &recs[r]
		d := rom.DecodeFields(rec.PC, rec.Inst)
		set(col.IsReal, r, 1)
		one(col.Last, r, r == len(recs)-1)
		set(col.Clk, r, rec.Clk)
		set(col.PC, r, uint64(rec.PC))
		set(col.FP, r, uint64(rec.FP/4))
		set(col.Class[d.Class-1], r, 1)
		one(col.BRead, r, d.BRead)
		one(col.CRead, r, d.CRead)
		one(col.ARead, r, d.ARead)
		one(col.AWrite, r, d.AWrite)
		set(col.SubOp, r, uint64(d.SubOp))
		cols[col.AOff.Index][r] = field.NewInt(int64(d.AOff))
		cols[col.BOff.Index][r] = field.NewInt(int64(d.BOff))
		cols[col.COff.Index][r] = field.NewInt(int64(d.COff))
		a := rec.A
		if !d.ARead && !d.AWrite {
			a = 0 // CALL's a is its frame offset, not a value
		}
		set(col.ALo, r, uint64(a&0xffff))
		set(col.AHi, r, uint64(a>>16))
		set(col.BLo, r, uint64(rec.B&0xffff))
		set(col.BHi, r, uint64(rec.B>>16))
		set(col.CLo, r, uint64(rec.C&0xffff))
		set(col.CHi, r, uint64(rec.C>>16))
		set(col.NextPC, r, uint64(rec.NextPC))
		set(col.NextFP, r, uint64(rec.NextFP/4))
		taken := d.Class == rom.ClassBranch && exec.BranchTaken(rec.Inst.Op, rec.A, rec.B)
		one(col.Cond, r, taken)
		if taken || d.Class == rom.ClassJump || d.Class == rom.ClassCall {
			rc.U16((rec.C >> 16) * 4) // the target's range check (masked: a target ≥ 2^30 cannot be proven)
		}
		aSlot := trace.SlotA
		if d.Class == rom.ClassLoad {
			aSlot = trace.SlotLoadA // loads write [a] after their data words
		}
		var accB, accC, accA *trace.Access
		for i := range rec.Accesses {
			switch rec.Accesses[i].Slot() {
			case trace.SlotB:
				accB = &rec.Accesses[i]
			case trace.SlotC:
				accC = &rec.Accesses[i]
			case aSlot:
				accA = &rec.Accesses[i]
			}
		}
		col.AccB.Fill(cols, r, accB, trace.TS(rec.Clk, trace.SlotB), rc)
		col.AccC.Fill(cols, r, accC, trace.TS(rec.Clk, trace.SlotC), rc)
		col.AccA.Fill(cols, r, accA, trace.TS(rec.Clk, aSlot), rc)
	}
	return cols
}
