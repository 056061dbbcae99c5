package u256

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// ArithAIR builds the add/sub/compare table: ADD, SUB, the comparisons (LT, GT, SLT, SGT,
// EQ), ISZERO and NOT, one row per call, over 16-bit limbs.
//
// Every operation but NOT is one addition with carries, A + B = C + 2^256·c15, whose
// roles the flags pick: ADD (x, y, z), SUB (z, y, x), LT and EQ (y, d, x) so that
// c15 = [x < y] and d = x − y, GT (x, d, y); SLT and SGT do the same on x and y with
// their sign bits flipped; ISZERO is EQ with y = 0. The free limbs (z of ADD and SUB, d)
// are range-checked; x and y come from memory, well-formed.
func ArithAIR() *air.AIR {
	b := air.NewBuilder("u256_arith")
	c := newArithColumns(b)
	f := func(k int) air.Expr { return c.Flag[k].Cur }
	sum := func(ks ...int) air.Expr {
		e := b.Const(0)
		for _, k := range ks {
			e = e.Add(f(k))
		}
		return e
	}
	real := b.Const(0)
	for k := range numArith {
		b.AssertBool("is_"+arithNames[k]+"_bool", f(k))
		real = real.Add(f(k))
	}
	b.AssertBool("one_op", real)
	// The selector of each operation (ADD and SUB ignore B).
	for _, s := range []struct {
		k   int
		sel int64
	}{{arLt, 0}, {arGt, 1}, {arSLt, 2}, {arSGt, 3}, {arEq, 4}, {arIsZero, 0}, {arNot, 1}} {
		b.Assert("sel_"+arithNames[s.k], f(s.k).Mul(c.Sel.Cur.AddC(-s.sel)))
	}
	number := f(arAdd).MulC(int64(isa.SysU256Add)).Add(f(arSub).MulC(int64(isa.SysU256Sub))).
		Add(sum(arLt, arGt, arSLt, arSGt, arEq).MulC(int64(isa.SysU256Cmp))).
		Add(sum(arIsZero, arNot).MulC(int64(isa.SysU256Unary)))

	// Sign bits of x and y for SLT and SGT: limb 15 = s·2^15 + r with r < 2^15.
	signed := sum(arSLt, arSGt)
	b.AssertBool("sx_bool", c.SX.Cur)
	b.AssertBool("sy_bool", c.SY.Cur)
	b.Send("x_low15", bus.U16, []air.Expr{c.X[Limbs-1].Cur.Sub(c.SX.Cur.MulC(1 << 15)).MulC(2)}, signed)
	b.Send("y_low15", bus.U16, []air.Expr{c.Y[Limbs-1].Cur.Sub(c.SY.Cur.MulC(1 << 15)).MulC(2)}, signed)
	flip := func(v [Limbs]air.Column, s air.Column, i int) air.Expr {
		if i < Limbs-1 {
			return v[i].Cur
		}
		return v[i].Cur.AddC(1 << 15).Sub(s.Cur.MulC(1 << 16)) // limb 15 with its top bit flipped
	}

	cmpLike := sum(arLt, arEq, arIsZero) // (y, d, x)
	for i := range Limbs {
		xs, ys := flip(c.X, c.SX, i), flip(c.Y, c.SY, i)
		x, y, z, d := c.X[i].Cur, c.Y[i].Cur, c.Z[i].Cur, c.D[i].Cur
		A := f(arAdd).Mul(x).Add(f(arSub).Mul(z)).Add(cmpLike.Mul(y)).Add(f(arGt).Mul(x)).Add(f(arSLt).Mul(ys)).Add(f(arSGt).Mul(xs))
		B := sum(arAdd, arSub).Mul(y).Add(sum(arLt, arGt, arSLt, arSGt, arEq, arIsZero).Mul(d))
		C := f(arAdd).Mul(z).Add(f(arSub).Mul(x)).Add(cmpLike.Mul(x)).Add(f(arGt).Mul(y)).Add(f(arSLt).Mul(xs)).Add(f(arSGt).Mul(ys))
		carryIn := b.Const(0)
		if i > 0 {
			carryIn = c.C[i-1].Cur
		}
		b.AssertBool(fmt.Sprintf("carry%d_bool", i), c.C[i].Cur)
		b.Assert(fmt.Sprintf("limb%d", i), A.Add(B).Add(carryIn).Sub(C).Sub(c.C[i].Cur.MulC(1<<16)))
		b.Send(fmt.Sprintf("z%d_range", i), bus.U16, []air.Expr{z}, sum(arAdd, arSub))
		b.Send(fmt.Sprintf("d%d_range", i), bus.U16, []air.Expr{d}, sum(arLt, arGt, arSLt, arSGt, arEq, arIsZero))
	}
	// d = 0 ⇔ eq (ΣD < 2^20 is zero only when every limb is).
	dsum := b.Const(0)
	for i := range Limbs {
		dsum = dsum.Add(c.D[i].Cur)
	}
	b.AssertBool("eq_bool", c.EqBit.Cur)
	b.Assert("eq_zero", c.EqBit.Cur.Mul(dsum))
	b.Assert("ne_inverse", c.EqBit.Cur.OneMinus().Mul(dsum.Mul(c.Inv.Cur).AddC(-1)))
	// Results: a comparison's bit in limb 0; NOT's complement.
	ltRes := sum(arLt, arGt, arSLt, arSGt)
	eqRes := sum(arEq, arIsZero)
	for i := range Limbs {
		z := c.Z[i].Cur
		bit, eq := c.C[Limbs-1].Cur, c.EqBit.Cur
		if i > 0 {
			bit, eq = b.Const(0), b.Const(0)
		}
		b.Assert(fmt.Sprintf("lt_z%d", i), ltRes.Mul(z.Sub(bit)))
		b.Assert(fmt.Sprintf("eq_z%d", i), eqRes.Mul(z.Sub(eq)))
		b.Assert(fmt.Sprintf("not_z%d", i), f(arNot).Mul(z.Add(c.X[i].Cur).AddC(-0xffff)))
	}
	tuple := []air.Expr{number, c.Sel.Cur}
	for _, v := range [][Limbs]air.Column{c.X, c.Y} {
		for i := range Limbs {
			tuple = append(tuple, v[i].Cur)
		}
	}
	for range Limbs {
		tuple = append(tuple, b.Const(0))
	}
	for i := range Limbs {
		tuple = append(tuple, c.Z[i].Cur)
	}
	b.Receive("u256", bus.U256, tuple, real)
	return b.MustBuild()
}
