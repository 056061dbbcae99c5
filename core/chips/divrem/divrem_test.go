package divrem

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

var (
	opDIV, opDIVU, opREM, opREMU = uint32(isa.DIV), uint32(isa.DIVU), uint32(isa.REM), uint32(isa.REMU)
	ops                          = []uint32{opDIV, opDIVU, opREM, opREMU}
)

// forged builds the tables with wit's witnesses.
func forged(ev []bus.ALUEvent, wit func(bus.ALUEvent) witness) []chiptest.Table {
	rc, bc := new(rangetable.Counter), new(bytetable.Counter)
	main := fill(ev, rc, bc, wit)
	return append([]chiptest.Table{{AIR: AIR(), Main: main}}, chiptest.LookupTables(rc, bc)...)
}

func tables(ev []bus.ALUEvent) []chiptest.Table {
	return forged(ev, func(e bus.ALUEvent) witness { return divide(e.Op, e.X, e.Y) })
}

// TestReference runs every op on all pairs of edge values (y = 0 and −2^31 / −1
// included) and on random operands through the reference executor and checks that the
// chip accepts its results.
func TestReference(t *testing.T) {
	ev := reference(t, inputs(ops, true, 40, 1))
	for _, e := range ev {
		w := divide(e.Op, e.X, e.Y)
		if z := map[bool]uint32{true: w.q, false: w.r}[e.Op == opDIV || e.Op == opDIVU]; z != e.Z {
			t.Errorf("%s 0x%x 0x%x: divide gives 0x%x, exec 0x%x", isa.Opcode(e.Op), e.X, e.Y, z, e.Z)
		}
	}
	if err := chiptest.Check(tables(ev), sends(ev)); err != nil {
		t.Fatal(err)
	}
}

func TestValid(t *testing.T) {
	ev := reference(t, inputs(ops, false, 4, 2))
	chiptest.MustProve(t, tables(ev), sends(ev))
}

// with returns the tables of ev with the chip's cell (c, row) changed by f.
func with(ev []bus.ALUEvent, c air.Column, row int, f func(v int64) int64) []chiptest.Table {
	tb := tables(ev)
	v := &tb[0].Main[c.Index][row]
	v.SetInt64(f(int64(v.Uint64())))
	return tb
}

// find returns the index of the first event satisfying ok.
func find(t *testing.T, ev []bus.ALUEvent, ok func(e bus.ALUEvent) bool) int {
	for i, e := range ev {
		if ok(e) {
			return i
		}
	}
	t.Fatal("no such event")
	return 0
}

// claim returns ev with event i's Z replaced by what the witness w proves.
func claim(ev []bus.ALUEvent, i int, w witness) []bus.ALUEvent {
	bad := append([]bus.ALUEvent(nil), ev...)
	if bad[i].Op == opDIV || bad[i].Op == opDIVU {
		bad[i].Z = w.q
	} else {
		bad[i].Z = w.r
	}
	return bad
}

func TestTampered(t *testing.T) {
	in := inputs(ops, false, 4, 3)
	for _, op := range ops { // the special cases
		in = append(in, bus.ALUEvent{Op: op, X: 0x80000000, Y: 0xffffffff}, bus.ALUEvent{Op: op, X: 0xfffffff9, Y: 0})
	}
	ev := reference(t, in)
	for _, op := range ops { // the CPU claims a wrong result
		bad := append([]bus.ALUEvent(nil), ev...)
		bad[find(t, bad, func(e bus.ALUEvent) bool { return e.Op == op && e.Y > 1 })].Z ^= 1
		mustReject(t, "wrong result "+isa.Opcode(op).String(), tables(bad), sends(bad))
	}
	// Consistent forgeries: X = Q·Y + R holds, a condition on R or y does not.
	forge := func(what string, i int, f func(w witness) witness) {
		t.Helper()
		e := ev[i]
		w := f(divide(e.Op, e.X, e.Y))
		tb := forged(ev, func(e2 bus.ALUEvent) witness {
			if e2 == e {
				return w
			}
			return divide(e2.Op, e2.X, e2.Y)
		})
		mustReject(t, what, tb, sends(claim(ev, i, w)))
	}
	divu := find(t, ev, func(e bus.ALUEvent) bool { return e.Op == opDIVU && e.Y > 1 && e.X/e.Y > 0 && e.X%e.Y+e.Y > e.Y })
	forge("remainder ≥ divisor", divu, func(w witness) witness { w.q--; w.r += ev[divu].Y; return w })
	// −x / y with a positive remainder: R's sign differs from X's.
	div := find(t, ev, func(e bus.ALUEvent) bool {
		return e.Op == opREM && int32(e.X) < 0 && int32(e.Y) > 1 && int32(e.X)%int32(e.Y) != 0
	})
	forge("remainder of the wrong sign", div, func(w witness) witness {
		w.q--
		w.r += ev[div].Y
		w.rho = 0
		return w
	})
	// Rounding toward −∞ instead of zero, with ρ claiming R < 0 for X > 0.
	pos := find(t, ev, func(e bus.ALUEvent) bool {
		return e.Op == opDIV && int32(e.X) > 0 && int32(e.Y) > 1 && int32(e.X)%int32(e.Y) != 0
	})
	forge("negative remainder of a positive x", pos, func(w witness) witness {
		w.q++
		w.r -= ev[pos].Y
		w.rho = 1
		return w
	})
	zero := find(t, ev, func(e bus.ALUEvent) bool { return e.Op == opDIVU && e.Y == 0 })
	forge("x/0 other than all ones", zero, func(w witness) witness { w.q = 7; return w })
	ovf := find(t, ev, func(e bus.ALUEvent) bool { return e.Op == opDIV && e.X == 0x80000000 && e.Y == 0xffffffff })
	forge("overflow with q negative", ovf, func(w witness) witness { w.sq = 1; return w })

	reject := func(what string, tb []chiptest.Table) { mustReject(t, what, tb, sends(ev)) }
	flip := func(v int64) int64 { return 1 - v }
	rem := find(t, ev, func(e bus.ALUEvent) bool { return e.Op == opREM && int32(e.X) < 0 && int32(e.Y) < 0 })
	reject("nz on y = 0", with(ev, col.NZ, zero, flip))
	reject("nz off on y ≠ 0", with(ev, col.NZ, divu, flip))
	reject("wrong sign", with(ev, col.SignY, rem, flip))
	reject("sign on an unsigned row", with(ev, col.SignQ, divu, flip))
	reject("kappa out of range", with(ev, col.Kappa, rem, func(v int64) int64 { return v + 2 }))
	// t_lo + 2^16 with κ − 1 keeps the t_lo equation, not the range check.
	tb := with(ev, col.TLo, rem, func(v int64) int64 { return v + 1<<16 })
	k := &tb[0].Main[col.Kappa.Index][rem]
	k.SetInt64(int64(k.Uint64()) + 1)
	reject("unreduced limb", tb)
	reject("wrong carry", with(ev, col.Carry[2], rem, func(v int64) int64 { return v + 1 }))
	reject("two ops", with(ev, col.IsDIV, divu, flip))
	reject("non-boolean flag", with(ev, col.IsREM, rem, func(int64) int64 { return 2 }))
}

func TestWidth(t *testing.T) {
	if a := AIR(); len(a.Main) != Width || a.MaxConstraintDegree() > 3 {
		t.Fatalf("%d main columns (Width %d), degree %d", len(a.Main), Width, a.MaxConstraintDegree())
	}
}
