package divrem

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the chip's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("divrem")
	c := newColumns(b)
	div, divu, rem, remu := c.IsDIV.Cur, c.IsDIVU.Cur, c.IsREM.Cur, c.IsREMU.Cur
	for _, f := range []air.Column{c.IsDIV, c.IsDIVU, c.IsREM, c.IsREMU} {
		b.AssertBool(f.Name+"_bool", f.Cur)
	}
	real := b.Sum(div, divu, rem, remu)
	b.AssertBool("one_op", real)
	sgn := div.Add(rem)
	sx, sy, sq, rho := c.SignX.Cur, c.SignY.Cur, c.SignQ.Cur, c.Rho.Cur
	for _, s := range []air.Column{c.SignX, c.SignY, c.SignQ, c.Rho} {
		b.AssertBool(s.Name+"_bool", s.Cur)
	}
	b.Assert("sign_x_signed", sx.Mul(sgn.OneMinus()))
	b.Assert("sign_y_signed", sy.Mul(sgn.OneMinus()))
	b.Assert("sign_q_signed", sq.Mul(sgn.OneMinus()))
	xLo, xHi, rLo, rHi := c.XLo.Cur, c.XHi.Cur, c.RLo.Cur, c.RHi.Cur
	yLo, yHi := limbs(c.Y)
	qLo, qHi := limbs(c.Q)

	// (1) X = Q·Y + R, limb by limb modulo 2^64.
	rLimb := []air.Expr{rLo, rHi, rho.MulC(0xffff), rho.MulC(0xffff)}
	xLimb := []air.Expr{xLo, xHi, sx.MulC(0xffff), sx.MulC(0xffff)}
	carry := b.Const(0)
	for k := range 4 {
		weight := func(s int) int64 { // of byte position s in limb k
			switch s {
			case 2 * k:
				return 1
			case 2*k + 1:
				return 1 << 8
			}
			return 0
		}
		sum := rLimb[k]
		var qw, yw air.Expr = b.Const(0), b.Const(0) // the terms of the extension bytes
		for i := range 4 {
			for j := range 4 {
				if w := weight(i + j); w != 0 {
					sum = sum.Add(c.Q[i].Cur.Mul(c.Y[j].Cur).MulC(w))
				}
			}
			var w int64
			for e := 4; e < 8; e++ {
				w += weight(i + e)
			}
			qw = qw.Add(c.Q[i].Cur.MulC(w))
			yw = yw.Add(c.Y[i].Cur.MulC(w))
		}
		sum = sum.Add(sq.MulC(255).Mul(yw)).Add(sy.MulC(255).Mul(qw))
		next := c.Carry[k].Cur
		b.Assert(fmt.Sprintf("limb%d", k), sum.Add(carry).Sub(xLimb[k]).Sub(next.MulC(1<<16)))
		carry = next
	}

	// (2) R has the sign of X, or is zero.
	b.Assert("rho_sign_x", rho.Mul(sx.OneMinus()))
	b.Assert("rho_nonzero", sx.Mul(rho.OneMinus()).Mul(rLo.Add(rHi)))

	// (3) (|Y| − 1) − |R| = t_lo + 2^16·t_hi ∈ [0, 2^32) when y ≠ 0 (y − real for y − 1,
	// so that padding rows are all zero).
	yHatLo := sy.OneMinus().Mul(yLo.Sub(real)).Add(sy.Mul(b.Const(0xffff).Sub(yLo)))
	yHatHi := sy.OneMinus().Mul(yHi).Add(sy.Mul(b.Const(0xffff).Sub(yHi)))
	sigma := sx.MulC(2).AddC(-1)
	kappa := c.Kappa.Cur
	b.Assert("kappa_range", kappa.Mul(kappa.AddC(1)).Mul(kappa.AddC(-1)))
	b.AssertEq("t_lo", c.TLo.Cur, yHatLo.Add(sigma.Mul(rLo)).Add(kappa.MulC(1<<16)))
	b.AssertEq("t_hi", c.THi.Cur, yHatHi.Add(sigma.Mul(rHi)).Sub(kappa).Sub(rho.MulC(1<<16)))

	// (4) nz = [y ≠ 0]; q = 2^32 − 1 when y = 0.
	nz, dy := c.NZ.Cur, yLo.Add(yHi)
	b.AssertEq("nz_inverse", nz, dy.Mul(c.Inv.Cur))
	b.Assert("nz_one", dy.Mul(nz.OneMinus()))
	b.Assert("div_zero_lo", real.Sub(nz).Mul(qLo.AddC(-0xffff)))
	b.Assert("div_zero_hi", real.Sub(nz).Mul(qHi.AddC(-0xffff)))

	pair := func(name string, u, v air.Expr) {
		b.Send(name, bus.Bitwise, []air.Expr{b.Const(bytetable.OpRange), u, v, b.Const(0)}, real)
	}
	pair("y_lo_bytes", c.Y[0].Cur, c.Y[1].Cur)
	pair("y_hi_bytes", c.Y[2].Cur, c.Y[3].Cur)
	pair("q_lo_bytes", c.Q[0].Cur, c.Q[1].Cur)
	pair("q_hi_bytes", c.Q[2].Cur, c.Q[3].Cur)
	b.Send("r_lo_range", bus.U16, []air.Expr{rLo}, real)
	b.Send("r_hi_range", bus.U16, []air.Expr{rHi}, real)
	// 2·x_hi − 2^16·s_x < 2^16 only for s_x = x_hi's top bit; likewise y.
	b.Send("sign_x_range", bus.U16, []air.Expr{xHi.MulC(2).Sub(sx.MulC(1 << 16))}, sgn)
	b.Send("sign_y_range", bus.U16, []air.Expr{yHi.MulC(2).Sub(sy.MulC(1 << 16))}, sgn)
	b.Send("t_lo_range", bus.U16, []air.Expr{c.TLo.Cur}, nz)
	b.Send("t_hi_range", bus.U16, []air.Expr{c.THi.Cur}, nz)
	for _, cc := range c.Carry {
		b.Send(cc.Name+"_range", bus.U12, []air.Expr{cc.Cur}, real)
	}

	op := b.Sum(div.MulC(int64(isa.DIV)), divu.MulC(int64(isa.DIVU)), rem.MulC(int64(isa.REM)), remu.MulC(int64(isa.REMU)))
	isDiv, isRem := div.Add(divu), rem.Add(remu)
	zLo := isDiv.Mul(qLo).Add(isRem.Mul(rLo))
	zHi := isDiv.Mul(qHi).Add(isRem.Mul(rHi))
	// The result is of degree 2: last, in a LogUp column of its own.
	b.Receive("alu", bus.ALU, []air.Expr{op, xLo, xHi, yLo, yHi, zLo, zHi}, real)
	return b.MustBuild()
}
