package addsub

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the chip's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("addsub")
	c := newColumns(b)
	add, sub := c.IsAdd.Cur, c.IsSub.Cur
	real := add.Add(sub)
	b.AssertBool("is_add_bool", add)
	b.AssertBool("is_sub_bool", sub)
	b.AssertBool("one_op", real)
	b.AssertBool("carry0_bool", c.C0.Cur)
	b.AssertBool("carry1_bool", c.C1.Cur)

	// s + y = r with (s, r) = (x, z) for ADD and (z, x) for SUB.
	sLo := add.Mul(c.XLo.Cur).Add(sub.Mul(c.ZLo.Cur))
	sHi := add.Mul(c.XHi.Cur).Add(sub.Mul(c.ZHi.Cur))
	rLo := add.Mul(c.ZLo.Cur).Add(sub.Mul(c.XLo.Cur))
	rHi := add.Mul(c.ZHi.Cur).Add(sub.Mul(c.XHi.Cur))
	b.Assert("low_limb", sLo.Add(real.Mul(c.YLo.Cur)).Sub(rLo).Sub(c.C0.Cur.MulC(1<<16)))
	b.Assert("high_limb", sHi.Add(real.Mul(c.YHi.Cur.Add(c.C0.Cur))).Sub(rHi).Sub(c.C1.Cur.MulC(1<<16)))

	op := add.MulC(int64(isa.ADD)).Add(sub.MulC(int64(isa.SUB)))
	b.Receive("alu", bus.ALU, []air.Expr{op, c.XLo.Cur, c.XHi.Cur, c.YLo.Cur, c.YHi.Cur, c.ZLo.Cur, c.ZHi.Cur}, real)
	b.Send("z_lo_range", bus.U16, []air.Expr{c.ZLo.Cur}, real)
	b.Send("z_hi_range", bus.U16, []air.Expr{c.ZHi.Cur}, real)
	return b.MustBuild()
}
