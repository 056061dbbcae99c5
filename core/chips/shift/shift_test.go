package shift

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

var ops = []uint32{uint32(isa.SLL), uint32(isa.SRL), uint32(isa.SRA)}

// amounts are the shift operands every op is tried on: the proving tests use the
// first eight (0, 1, 31, 32, 33 and large words), the reference tests every k < 32 too.
var amounts = func() []uint32 {
	a := []uint32{0, 1, 31, 32, 33, 0xffffffff, 0x80000000, 0xffffffe9}
	for k := range uint32(31) {
		a = append(a, k+2)
	}
	return append(a, 63, 64, 0xffff, 0x10000, 0x1001f, 0x7fffffff, 0xffffffe1)
}()

// shifts returns every op on edge values × amounts (all of them, or the first five
// values and eight amounts), then n random operands.
func shifts(all bool, n int, seed uint64) []bus.ALUEvent {
	r := rand.New(rand.NewPCG(seed, 9))
	var ev []bus.ALUEvent
	for _, op := range ops {
		for i, x := range edges {
			for j, y := range amounts {
				if all || i < 5 && j < 8 {
					ev = append(ev, bus.ALUEvent{Op: op, X: x, Y: y})
				}
			}
		}
		for range n {
			ev = append(ev, bus.ALUEvent{Op: op, X: r.Uint32(), Y: r.Uint32()})
		}
	}
	return ev
}

func tables(ev []bus.ALUEvent) []chiptest.Table {
	rc, bc := new(rangetable.Counter), new(bytetable.Counter)
	main := Trace(ev, rc, bc)
	return append([]chiptest.Table{{AIR: AIR(), Main: main}}, chiptest.LookupTables(rc, bc)...)
}

// TestReference runs every op on edge values × all amounts and on random operands
// through the reference executor and checks that the chip accepts its results.
func TestReference(t *testing.T) {
	ev := reference(t, shifts(true, 100, 1))
	if err := chiptest.Check(tables(ev), sends(ev)); err != nil {
		t.Fatal(err)
	}
}

func TestValid(t *testing.T) {
	ev := reference(t, shifts(false, 4, 2))
	chiptest.MustProve(t, tables(ev), sends(ev))
}

// with returns the tables of ev with the chip's cell (c, row) changed by f.
func with(ev []bus.ALUEvent, c air.Column, row int, f func(v int64) int64) []chiptest.Table {
	tb := tables(ev)
	v := &tb[0].Main[c.Index][row]
	v.SetInt64(f(int64(v.Uint64())))
	return tb
}

// find returns the index of the first event with op, a negative x and amount k.
func find(t *testing.T, ev []bus.ALUEvent, op, k uint32) int {
	for i, e := range ev {
		if e.Op == op && e.X>>31 == 1 && e.Y&31 == k && e.X&0xffff != 0 {
			return i
		}
	}
	t.Fatalf("no event for op 0x%x", op)
	return 0
}

func TestTampered(t *testing.T) {
	ev := reference(t, shifts(true, 0, 3))
	for _, op := range ops { // the CPU claims a wrong result; the trace follows the claim
		for _, k := range []uint32{0, 9} {
			bad := append([]bus.ALUEvent(nil), ev...)
			bad[find(t, bad, op, k)].Z ^= 1 << (op % 2 * 16)
			mustReject(t, "wrong result "+isa.Opcode(op).String(), tables(bad), sends(bad))
		}
	}
	// SRA answered as SRL.
	bad := append([]bus.ALUEvent(nil), ev...)
	sra := find(t, bad, uint32(isa.SRA), 5)
	bad[sra].Z = bad[sra].X >> 5
	mustReject(t, "zero fill for SRA", tables(bad), sends(bad))

	sll, srl := find(t, ev, uint32(isa.SLL), 13), find(t, ev, uint32(isa.SRL), 3)
	reject := func(what string, tb []chiptest.Table) { mustReject(t, what, tb, sends(ev)) }
	flip := func(v int64) int64 { return 1 - v }
	reject("wrong sign", with(ev, col.SignX, sra, flip))
	reject("sign on SRL", with(ev, col.SignX, srl, flip))
	// The amount off by 32: q − 1 and K + 32 cannot be written with E < 32; q + 1/32
	// keeps the amount equation but leaves the range check.
	tb := tables(ev)
	var third field.Elem
	third.SetUint64(32)
	third.Inverse(&third)
	tb[0].Main[col.Q.Index][sll].Add(&tb[0].Main[col.Q.Index][sll], &third)
	tb[0].Main[col.E[0].Index][sll].SetInt64(int64(tb[0].Main[col.E[0].Index][sll].Uint64()) - 1)
	reject("fractional q", tb)
	reject("wrong bit", with(ev, col.E[2], srl, flip))
	reject("two byte shifts", with(ev, col.Sel[0], srl, func(int64) int64 { return 1 }))
	reject("non-boolean sel", with(ev, col.Sel[1], sll, func(v int64) int64 { return 2 * v }))
	// An unreduced byte: w_0 + 2^8 and w_1 − 1 keep the product equation.
	tb = with(ev, col.W[0], sll, func(v int64) int64 { return v + 1<<8 })
	w1 := &tb[0].Main[col.W[1].Index][sll]
	w1.SetInt64(int64(w1.Uint64()) - 1)
	reject("unreduced byte", tb)
	reject("wrong m", with(ev, col.M, sll, func(v int64) int64 { return 2 * v }))
	reject("non-boolean flag", with(ev, col.IsSLL, sll, func(int64) int64 { return 2 }))
	reject("two ops", with(ev, col.IsSRL, sll, flip))
}

func TestWidth(t *testing.T) {
	if a := AIR(); len(a.Main) != Width || a.MaxConstraintDegree() > 3 {
		t.Fatalf("%d main columns (Width %d), degree %d", len(a.Main), Width, a.MaxConstraintDegree())
	}
}
