package cmp

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

var ops = []uint32{uint32(isa.SLT), uint32(isa.SLTU), uint32(isa.EQ), uint32(isa.NE), bus.OpGE, bus.OpGEU}

func tables(ev []bus.ALUEvent) []chiptest.Table {
	rc := new(rangetable.Counter)
	main := Trace(ev, rc)
	return []chiptest.Table{{AIR: AIR(), Main: main}, chiptest.RangeTable(rc)}
}

// TestReference runs every op on all pairs of edge values and on random operands
// through the reference executor and checks that the chip accepts its results.
func TestReference(t *testing.T) {
	ev := reference(t, inputs(ops, true, 40, 1))
	if err := chiptest.Check(tables(ev), sends(ev)); err != nil {
		t.Fatal(err)
	}
}

func TestValid(t *testing.T) {
	ev := reference(t, inputs(ops, false, 4, 2))
	chiptest.MustProve(t, tables(ev), sends(ev))
}

// find returns the index of the first event with op and x ≠ y.
func find(t *testing.T, ev []bus.ALUEvent, op uint32) int {
	for i, e := range ev {
		if e.Op == op && e.X != e.Y && e.X>>31 != e.Y>>31 {
			return i
		}
	}
	t.Fatalf("no event for op 0x%x", op)
	return 0
}

// with returns the tables of ev with the chip's cell (c, row) changed by f.
func with(ev []bus.ALUEvent, c air.Column, row int, f func(v int64) int64) []chiptest.Table {
	tb := tables(ev)
	v := &tb[0].Main[c.Index][row]
	v.SetInt64(f(int64(v.Uint64())))
	return tb
}

func flip(v int64) int64 { return 1 - v }

func TestTampered(t *testing.T) {
	ev := reference(t, inputs(ops, false, 4, 3))
	for _, op := range ops { // the CPU claims the wrong answer; the trace follows the claim
		bad := append([]bus.ALUEvent(nil), ev...)
		bad[find(t, bad, op)].Z ^= 1
		mustReject(t, "wrong result "+isa.Opcode(op).String(), tables(bad), sends(bad))
	}
	slt, sltu, eq := find(t, ev, uint32(isa.SLT)), find(t, ev, uint32(isa.SLTU)), find(t, ev, uint32(isa.EQ))
	reject := func(what string, tb []chiptest.Table) { mustReject(t, what, tb, sends(ev)) }
	reject("wrong borrow", with(ev, col.Borrow1, slt, flip))
	// The low borrow flipped: d_lo leaves [0, 2^16) while the limb equations still hold.
	reject("unreduced limb", with(ev, col.Borrow0, sltu, flip))
	reject("wrong sign", with(ev, col.SignX, slt, flip))
	reject("non-boolean sign", with(ev, col.SignY, slt, func(v int64) int64 { return v + 2 }))
	reject("non-boolean borrow", with(ev, col.Borrow1, sltu, func(v int64) int64 { return v + 2 }))
	reject("two ops", with(ev, col.IsEQ, slt, flip))
	reject("non-boolean flag", with(ev, col.IsSLTU, sltu, func(int64) int64 { return 2 }))
	// EQ of x ≠ y claiming equality, with inv = 0.
	bad := append([]bus.ALUEvent(nil), ev...)
	bad[eq].Z = 1
	tb := tables(bad)
	tb[0].Main[col.Inv.Index][eq] = field.New(0)
	mustReject(t, "zero inverse", tb, sends(bad))
}

func TestWidth(t *testing.T) {
	if a := AIR(); len(a.Main) != Width || a.MaxConstraintDegree() > 3 {
		t.Fatalf("%d main columns (Width %d), degree %d", len(a.Main), Width, a.MaxConstraintDegree())
	}
}
