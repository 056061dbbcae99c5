package shift

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the chip's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("shift")
	c := newColumns(b)
	sll, srl, sra := c.IsSLL.Cur, c.IsSRL.Cur, c.IsSRA.Cur
	b.AssertBool("is_sll_bool", sll)
	b.AssertBool("is_srl_bool", srl)
	b.AssertBool("is_sra_bool", sra)
	real := b.Sum(sll, srl, sra)
	b.AssertBool("one_op", real)
	sr := srl.Add(sra)

	// The exponent E and the amount k = y_lo mod 32.
	e := b.Const(0)
	for i, bit := range c.E {
		b.AssertBool(bit.Name+"_bool", bit.Cur)
		e = e.Add(bit.Cur.MulC(1 << i))
	}
	sels := b.Const(0)
	for i, s := range c.Sel {
		b.AssertBool(s.Name+"_bool", s.Cur)
		sels = sels.Add(s.Cur)
		e = e.Add(s.Cur.MulC(int64(8 * i)))
	}
	b.AssertEq("one_byte_shift", sels, real)
	k := e.Add(sr.Mul(b.Const(31).Sub(e.MulC(2))))
	b.Assert("amount", c.YLo.Cur.Sub(k).Sub(c.Q.Cur.MulC(32)))

	// m = 2^(E mod 8) on real rows, 0 on padding rows.
	pow := c.E[0].Cur.AddC(1).Mul(c.E[1].Cur.MulC(3).AddC(1)).Mul(c.E[2].Cur.MulC(15).AddC(1))
	b.AssertEq("m", c.M.Cur, pow.AddC(-1).Add(real))

	// W = x·m' as bytes, with the sign of x on SRA rows.
	sx := c.SignX.Cur
	b.AssertBool("sign_x_bool", sx)
	b.Assert("sign_x_sra", sx.Mul(sra.OneMinus()))
	m := c.M.Cur.Mul(sr.AddC(1))
	w := func(i int) air.Expr { return c.W[i].Cur }
	b.Assert("w_lo", c.XLo.Cur.Mul(m).Sub(w(0)).Sub(w(1).MulC(1<<8)).Sub(c.C.Cur.MulC(1<<16)))
	top := w(4).Add(sx.Mul(m.AddC(-256)))
	b.Assert("w_hi", c.XHi.Cur.Mul(m).Add(c.C.Cur).Sub(w(2)).Sub(w(3).MulC(1<<8)).Sub(top.MulC(1<<16)))

	// The result: bytes 0…3 (SLL) or 4…7 (right shifts) of W·2^(8·b).
	fill := sx.MulC(255)
	byteOf := func(j, s int) air.Expr { // byte j of W·2^(8s)
		switch i := j - s; {
		case i < 0:
			return b.Const(0)
		case i > 4:
			return fill
		default:
			return w(i)
		}
	}
	zLo, zHi := b.Const(0), b.Const(0)
	for s, sel := range c.Sel {
		lo := sll.Mul(byteOf(0, s).Add(byteOf(1, s).MulC(1 << 8))).Add(sr.Mul(byteOf(4, s).Add(byteOf(5, s).MulC(1 << 8))))
		hi := sll.Mul(byteOf(2, s).Add(byteOf(3, s).MulC(1 << 8))).Add(sr.Mul(byteOf(6, s).Add(byteOf(7, s).MulC(1 << 8))))
		zLo = zLo.Add(sel.Cur.Mul(lo))
		zHi = zHi.Add(sel.Cur.Mul(hi))
	}
	b.AssertEq("z_lo", c.ZLo.Cur, zLo)
	b.AssertEq("z_hi", c.ZHi.Cur, zHi)

	op := b.Sum(sll.MulC(int64(isa.SLL)), srl.MulC(int64(isa.SRL)), sra.MulC(int64(isa.SRA)))
	b.Receive("alu", bus.ALU, []air.Expr{op, c.XLo.Cur, c.XHi.Cur, c.YLo.Cur, c.YHi.Cur, c.ZLo.Cur, c.ZHi.Cur}, real)
	b.Send("q_range", bus.U16, []air.Expr{c.Q.Cur}, real)
	// 2·x_hi − 2^16·s_x < 2^16 only for s_x = x_hi's top bit.
	b.Send("sign_x_range", bus.U16, []air.Expr{c.XHi.Cur.MulC(2).Sub(sx.MulC(1 << 16))}, sra)
	pair := func(name string, u, v air.Expr) {
		b.Send(name, bus.Bitwise, []air.Expr{b.Const(bytetable.OpRange), u, v, b.Const(0)}, real)
	}
	pair("w01_bytes", w(0), w(1))
	pair("w23_bytes", w(2), w(3))
	pair("w4_c_bytes", w(4), c.C.Cur)
	return b.MustBuild()
}
