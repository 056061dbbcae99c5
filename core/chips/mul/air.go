package mul

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the chip's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("mul")
	c := newColumns(b)
	mul, mulh, mulhu, mulhsu := c.IsMUL.Cur, c.IsMULH.Cur, c.IsMULHU.Cur, c.IsMULHSU.Cur
	b.AssertBool("is_mul_bool", mul)
	b.AssertBool("is_mulh_bool", mulh)
	b.AssertBool("is_mulhu_bool", mulhu)
	b.AssertBool("is_mulhsu_bool", mulhsu)
	real := b.Sum(mul, mulh, mulhu, mulhsu)
	b.AssertBool("one_op", real)
	high := b.Sum(mulh, mulhu, mulhsu)
	b.AssertBool("sign_x_bool", c.SignX.Cur)
	b.AssertBool("sign_y_bool", c.SignY.Cur)

	// The sign-extension bytes of X and Y.
	ex := c.SignX.Cur.Mul(mulh.Add(mulhsu)).MulC(255)
	ey := c.SignY.Cur.Mul(mulh).MulC(255)
	// The product's limbs: (z, w) for MUL, (w, z) for the high ops.
	p := []air.Expr{
		mul.Mul(c.ZLo.Cur).Add(high.Mul(c.WLo.Cur)),
		mul.Mul(c.ZHi.Cur).Add(high.Mul(c.WHi.Cur)),
		mul.Mul(c.WLo.Cur).Add(high.Mul(c.ZLo.Cur)),
		mul.Mul(c.WHi.Cur).Add(high.Mul(c.ZHi.Cur)),
	}
	carry := b.Const(0)
	for k := range 4 {
		// weight(s) is the weight of byte position s in limb k: 1, 2^8 or 0.
		weight := func(s int) int64 {
			switch s {
			case 2 * k:
				return 1
			case 2*k + 1:
				return 1 << 8
			}
			return 0
		}
		sum := b.Const(0)
		for i := range 4 {
			for j := range 4 {
				if w := weight(i + j); w != 0 {
					sum = sum.Add(c.X[i].Cur.Mul(c.Y[j].Cur).MulC(w))
				}
			}
		}
		// The extension bytes X_i = e_x and Y_j = e_y for i, j ≥ 4 (never both: i+j ≤ 7).
		var yw, xw air.Expr = b.Const(0), b.Const(0)
		for j := range 4 {
			var w int64
			for i := 4; i < 8; i++ {
				w += weight(i + j)
			}
			yw = yw.Add(c.Y[j].Cur.MulC(w))
			xw = xw.Add(c.X[j].Cur.MulC(w))
		}
		sum = sum.Add(ex.Mul(yw)).Add(ey.Mul(xw))
		next := c.Carry[k].Cur
		b.Assert(fmt.Sprintf("limb%d", k), sum.Add(carry).Sub(p[k]).Sub(next.MulC(1<<16)))
		carry = next
	}

	op := b.Sum(mul.MulC(int64(isa.MUL)), mulh.MulC(int64(isa.MULH)), mulhu.MulC(int64(isa.MULHU)), mulhsu.MulC(int64(isa.MULHSU)))
	xLo, xHi := limbs(c.X)
	yLo, yHi := limbs(c.Y)
	b.Receive("alu", bus.ALU, []air.Expr{op, xLo, xHi, yLo, yHi, c.ZLo.Cur, c.ZHi.Cur}, real)
	pair := func(name string, u, v air.Expr) {
		b.Send(name, bus.Bitwise, []air.Expr{b.Const(bytetable.OpRange), u, v, b.Const(0)}, real)
	}
	pair("x_lo_bytes", c.X[0].Cur, c.X[1].Cur)
	pair("x_hi_bytes", c.X[2].Cur, c.X[3].Cur)
	pair("y_lo_bytes", c.Y[0].Cur, c.Y[1].Cur)
	pair("y_hi_bytes", c.Y[2].Cur, c.Y[3].Cur)
	// 2·x_3 − 2^8·s_x is a byte only for s_x = x_3's top bit (x_3 a byte, s_x boolean).
	pair("signs", c.X[3].Cur.MulC(2).Sub(c.SignX.Cur.MulC(1<<8)), c.Y[3].Cur.MulC(2).Sub(c.SignY.Cur.MulC(1<<8)))
	for _, l := range []air.Column{c.ZLo, c.ZHi, c.WLo, c.WHi} {
		b.Send(l.Name+"_range", bus.U16, []air.Expr{l.Cur}, real)
	}
	for _, cc := range c.Carry {
		b.Send(cc.Name+"_range", bus.U12, []air.Expr{cc.Cur}, real)
	}
	return b.MustBuild()
}

// limbs returns the 16-bit limbs (lo, hi) of a word held as four bytes.
func limbs(bytes []air.Column) (lo, hi air.Expr) {
	return bytes[0].Cur.Add(bytes[1].Cur.MulC(1 << 8)), bytes[2].Cur.Add(bytes[3].Cur.MulC(1 << 8))
}
