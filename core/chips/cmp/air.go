package cmp

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the chip's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("cmp")
	c := newColumns(b)
	slt, sltu, eq, ne, ge, geu := c.IsSLT.Cur, c.IsSLTU.Cur, c.IsEQ.Cur, c.IsNE.Cur, c.IsGE.Cur, c.IsGEU.Cur
	for _, f := range []air.Column{c.IsSLT, c.IsSLTU, c.IsEQ, c.IsNE, c.IsGE, c.IsGEU} {
		b.AssertBool(f.Name+"_bool", f.Cur)
	}
	real := b.Sum(slt, sltu, eq, ne, ge, geu)
	b.AssertBool("one_op", real)
	signed := slt.Add(ge)
	b0, b1 := c.Borrow0.Cur, c.Borrow1.Cur
	b.AssertBool("borrow0_bool", b0)
	b.AssertBool("borrow1_bool", b1)
	b.AssertBool("sign_x_bool", c.SignX.Cur)
	b.AssertBool("sign_y_bool", c.SignY.Cur)

	// x' − y' by limbs; x'_hi − y'_hi = x_hi − y_hi + 2^16·(s_y − s_x) on signed rows.
	dLo := c.XLo.Cur.Sub(c.YLo.Cur).Add(b0.MulC(1 << 16))
	dHiU := c.XHi.Cur.Sub(c.YHi.Cur).Sub(b0).Add(b1.MulC(1 << 16)) // the unsigned d_hi
	dHi := dHiU.Add(signed.Mul(c.SignY.Cur.Sub(c.SignX.Cur)).MulC(1 << 16))

	// e = [d_lo + d_hi = 0] on unsigned rows.
	delta := dLo.Add(dHiU)
	e := delta.Mul(c.Inv.Cur).OneMinus()
	b.Assert("eq_inverse", delta.Mul(e))

	res := sltu.Add(slt).Mul(b1).
		Add(ge.Add(geu).Mul(b1.OneMinus())).
		Add(eq.Mul(e)).
		Add(ne.Mul(e.OneMinus()))
	b.AssertEq("result", c.Z.Cur, res)

	op := b.Sum(slt.MulC(int64(isa.SLT)), sltu.MulC(int64(isa.SLTU)), eq.MulC(int64(isa.EQ)),
		ne.MulC(int64(isa.NE)), ge.MulC(bus.OpGE), geu.MulC(bus.OpGEU))
	b.Receive("alu", bus.ALU, []air.Expr{op, c.XLo.Cur, c.XHi.Cur, c.YLo.Cur, c.YHi.Cur, c.Z.Cur, b.Const(0)}, real)
	b.Send("d_lo_range", bus.U16, []air.Expr{dLo}, real)
	// The sign bits: 2·x_hi − 2^16·s_x < 2^16 holds only for s_x = x_hi's top bit.
	b.Send("sign_x_range", bus.U16, []air.Expr{c.XHi.Cur.MulC(2).Sub(c.SignX.Cur.MulC(1 << 16))}, signed)
	b.Send("sign_y_range", bus.U16, []air.Expr{c.YHi.Cur.MulC(2).Sub(c.SignY.Cur.MulC(1 << 16))}, signed)
	b.Send("d_hi_range", bus.U16, []air.Expr{dHi}, real) // degree 2: last, in a column of its own
	return b.MustBuild()
}
