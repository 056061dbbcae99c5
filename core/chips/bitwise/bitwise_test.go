package bitwise

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

var ops = []uint32{uint32(isa.AND), uint32(isa.OR), uint32(isa.XOR)}

func tables(ev []bus.ALUEvent) []chiptest.Table {
	bc := new(bytetable.Counter)
	main := Trace(ev, bc)
	return append([]chiptest.Table{{AIR: AIR(), Main: main}}, chiptest.ByteTables(bc)...)
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
	ev := reference(t, inputs(ops, false, 6, 2))
	chiptest.MustProve(t, tables(ev), sends(ev))
}

// with returns the tables of ev with the chip's cell (c, row) changed by f.
func with(ev []bus.ALUEvent, c air.Column, row int, f func(v int64) int64) []chiptest.Table {
	tb := tables(ev)
	v := &tb[0].Main[c.Index][row]
	v.SetInt64(f(int64(v.Uint64())))
	return tb
}

func TestTampered(t *testing.T) {
	ev := reference(t, inputs(ops, false, 6, 3))
	const row = 20 // a random AND of distinct operands
	if ev[row].Op != uint32(isa.AND) || ev[row].X == ev[row].Y {
		t.Fatalf("row %d is %+v", row, ev[row])
	}
	for i, op := range ops { // the CPU claims a wrong result; the trace follows the claim
		bad := append([]bus.ALUEvent(nil), ev...)
		bad[row+i*len(ev)/3].Z ^= 0x00100000
		mustReject(t, "wrong result "+isa.Opcode(op).String(), tables(bad), sends(bad))
	}
	reject := func(what string, tb []chiptest.Table) { mustReject(t, what, tb, sends(ev)) }
	reject("wrong result byte", with(ev, col.Z[1], row, func(v int64) int64 { return v ^ 1 }))
	// x_0 + 2^8 and x_1 − 1 keep x_lo, but x_0 is no byte.
	tb := with(ev, col.X[0], row, func(v int64) int64 { return v + 256 })
	tb[0].Main[col.X[1].Index][row].SetInt64(int64(ev[row].X>>8&0xff) - 1)
	reject("unreduced byte", tb)
	reject("two ops", with(ev, col.IsOR, row, func(int64) int64 { return 1 }))
	reject("non-boolean flag", with(ev, col.IsAND, row, func(int64) int64 { return 2 }))
}

func TestWidth(t *testing.T) {
	if a := AIR(); len(a.Main) != Width || a.MaxConstraintDegree() > 3 {
		t.Fatalf("%d main columns (Width %d), degree %d", len(a.Main), Width, a.MaxConstraintDegree())
	}
}
