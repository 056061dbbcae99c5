package mul

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

var ops = []uint32{uint32(isa.MUL), uint32(isa.MULH), uint32(isa.MULHU), uint32(isa.MULHSU)}

func tables(ev []bus.ALUEvent) []chiptest.Table {
	rc, bc := new(rangetable.Counter), new(bytetable.Counter)
	main := Trace(ev, rc, bc)
	return append([]chiptest.Table{{AIR: AIR(), Main: main}}, chiptest.LookupTables(rc, bc)...)
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

// with returns the tables of ev with the chip's cell (c, row) changed by f.
func with(ev []bus.ALUEvent, c air.Column, row int, f func(v int64) int64) []chiptest.Table {
	tb := tables(ev)
	v := &tb[0].Main[c.Index][row]
	v.SetInt64(f(int64(v.Uint64())))
	return tb
}

// find returns the index of the first event with op and both operands negative.
func find(t *testing.T, ev []bus.ALUEvent, op uint32) int {
	for i, e := range ev {
		if e.Op == op && e.X>>31 == 1 && e.Y>>31 == 1 && e.X&0xffff != 0 && e.Y&0xffff != 0 {
			return i
		}
	}
	t.Fatalf("no event for op 0x%x", op)
	return 0
}

func TestTampered(t *testing.T) {
	ev := reference(t, inputs(ops, false, 4, 3))
	for _, op := range ops { // the CPU claims a wrong result; the trace follows the claim
		bad := append([]bus.ALUEvent(nil), ev...)
		bad[find(t, bad, op)].Z += 1 << (op % 2 * 16)
		mustReject(t, "wrong result "+isa.Opcode(op).String(), tables(bad), sends(bad))
	}
	// MULHU read as MULH: the high word with the signed corrections.
	{
		bad := append([]bus.ALUEvent(nil), ev...)
		r := find(t, bad, uint32(isa.MULHU))
		bad[r].Z = reference(t, []bus.ALUEvent{{Op: uint32(isa.MULH), X: bad[r].X, Y: bad[r].Y}})[0].Z
		mustReject(t, "signed high word for MULHU", tables(bad), sends(bad))
	}
	mulh, mul := find(t, ev, uint32(isa.MULH)), find(t, ev, uint32(isa.MUL))
	reject := func(what string, tb []chiptest.Table) { mustReject(t, what, tb, sends(ev)) }
	flip := func(v int64) int64 { return 1 - v }
	reject("wrong carry", with(ev, col.Carry[1], mulh, func(v int64) int64 { return v + 1 }))
	reject("wrong other half", with(ev, col.WHi, mul, func(v int64) int64 { return v ^ 1 }))
	reject("wrong sign", with(ev, col.SignY, mulh, flip))
	reject("non-boolean sign", with(ev, col.SignX, mulh, func(v int64) int64 { return v + 2 }))
	// Out-of-range cells with the carries recomputed in the field, so that the limb
	// equations hold and only the range checks can object.
	tb := with(ev, col.WLo, mul, func(v int64) int64 { return v + 1<<16 })
	recarry(tb[0].Main, mul)
	reject("unreduced limb", tb)
	tb = with(ev, col.X[0], mul, func(v int64) int64 { return v + 1<<8 })
	x1 := &tb[0].Main[col.X[1].Index][mul]
	x1.SetInt64(int64(x1.Uint64()) - 1)
	recarry(tb[0].Main, mul)
	reject("unreduced byte", tb)
	bad := append([]bus.ALUEvent(nil), ev...)
	bad[mulh].Z ^= 1
	tb = tables(bad)
	recarry(tb[0].Main, mulh)
	mustReject(t, "wrong result, carries fixed", tb, sends(bad))
	reject("two ops", with(ev, col.IsMULHU, mulh, flip))
	reject("non-boolean flag", with(ev, col.IsMUL, mul, func(int64) int64 { return 2 }))
}

// recarry sets row's carries to the field elements that make the limb equations hold.
func recarry(main [][]field.Elem, row int) {
	v := func(c air.Column) field.Elem { return main[c.Index][row] }
	mul, high := v(col.IsMUL), v(col.IsMULH)
	high.Add(&high, ptr(v(col.IsMULHU)))
	high.Add(&high, ptr(v(col.IsMULHSU)))
	sgnX := v(col.IsMULH)
	sgnX.Add(&sgnX, ptr(v(col.IsMULHSU)))
	var xb, yb [8]field.Elem
	c255 := field.New(255)
	for i := range 8 {
		if i < 4 {
			xb[i], yb[i] = v(col.X[i]), v(col.Y[i])
			continue
		}
		xb[i].Mul(ptr(v(col.SignX)), &sgnX).Mul(&xb[i], &c255)
		yb[i].Mul(ptr(v(col.SignY)), ptr(v(col.IsMULH))).Mul(&yb[i], &c255)
	}
	sel := func(a, b air.Column) field.Elem { // mul·a + high·b
		var s, t field.Elem
		s.Mul(&mul, ptr(v(a)))
		t.Mul(&high, ptr(v(b)))
		return *s.Add(&s, &t)
	}
	limbs := [4]field.Elem{sel(col.ZLo, col.WLo), sel(col.ZHi, col.WHi), sel(col.WLo, col.ZLo), sel(col.WHi, col.ZHi)}
	var carry, inv field.Elem
	inv.SetUint64(1 << 16)
	inv.Inverse(&inv)
	for k := range 4 {
		s := carry
		for i := range 8 {
			for j := range 8 {
				var t field.Elem
				t.Mul(&xb[i], &yb[j])
				switch i + j {
				case 2 * k:
				case 2*k + 1:
					t.Mul(&t, ptr(field.New(256)))
				default:
					continue
				}
				s.Add(&s, &t)
			}
		}
		s.Sub(&s, &limbs[k])
		carry.Mul(&s, &inv)
		main[col.Carry[k].Index][row] = carry
	}
}

func ptr(e field.Elem) *field.Elem { return &e }

func TestWidth(t *testing.T) {
	if a := AIR(); len(a.Main) != Width || a.MaxConstraintDegree() > 3 {
		t.Fatalf("%d main columns (Width %d), degree %d", len(a.Main), Width, a.MaxConstraintDegree())
	}
}
