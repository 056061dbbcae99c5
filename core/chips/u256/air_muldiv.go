package u256

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// MulDivAIR builds the multiply/divide table: MUL, DIV, MOD, ADDMOD and MULMOD, one row
// per call, over bytes. Each proves the integer relation
//
//	x·B + C = Q·M + R (+ Q·2^256 for MUL),   R < M when M ≠ 0 (all but MUL)
//
// byte position by byte position with signed carries, where the flags pick
// B ∈ {y, 1}, C ∈ {y, 0}, M ∈ {y, n, 0}: MUL (y, 0, 0: R is the low half of x·y, Q the
// high half), DIV and MOD (1, 0, y: Q and R are the quotient and the remainder), ADDMOD
// (1, y, n), MULMOD (y, 0, n; Q up to 512 bits). A zero modulus turns B and C to 0, so
// that R = 0, and the result to 0, as the EVM defines it. The result z is R, or Q for
// DIV.
func MulDivAIR() *air.AIR {
	b := air.NewBuilder("u256_muldiv")
	c := newMulDivColumns(b)
	f := func(k int) air.Expr { return c.Flag[k].Cur }
	real, number := b.Const(0), b.Const(0)
	for k := range numMulDiv {
		b.AssertBool("is_"+mulDivNames[k]+"_bool", f(k))
		real = real.Add(f(k))
		number = number.Add(f(k).MulC(int64(mulDivNumbers[k])))
	}
	b.AssertBool("one_op", real)
	modular := f(mdDiv).Add(f(mdMod)).Add(f(mdAddMod)).Add(f(mdMulMod))
	live := c.MZ.Cur.OneMinus() // the modulus is not 0

	// Bytes: every free byte is range-checked, two per lookup.
	pairs := func(name string, v []air.Column) {
		for k := 0; k < len(v); k += 2 {
			b.Send(fmt.Sprintf("%s%d_range", name, k/2), bus.Bitwise,
				[]air.Expr{b.Const(bytetable.OpRange), v[k].Cur, v[k+1].Cur, b.Const(0)}, real)
		}
	}
	pairs("x", c.X[:])
	pairs("y", c.Y[:])
	pairs("n", c.N[:])
	pairs("q", c.Q[:])
	pairs("r", c.R[:])
	pairs("d", c.D[:])

	// M, its zero test, and the relation's B and C.
	msum := b.Const(0)
	for j := range Bytes {
		m := f(mdDiv).Add(f(mdMod)).Mul(c.Y[j].Cur).Add(f(mdAddMod).Add(f(mdMulMod)).Mul(c.N[j].Cur))
		b.AssertEq(fmt.Sprintf("m%d", j), c.M[j].Cur, m)
		msum = msum.Add(c.M[j].Cur)
		one := b.Const(0)
		if j == 0 {
			one = f(mdDiv).Add(f(mdMod)).Add(f(mdAddMod))
		}
		bj := f(mdMul).Mul(c.Y[j].Cur).Add(live.Mul(f(mdMulMod).Mul(c.Y[j].Cur).Add(one)))
		b.AssertEq(fmt.Sprintf("b%d", j), c.B[j].Cur, bj)
		b.AssertEq(fmt.Sprintf("c%d", j), c.C[j].Cur, live.Mul(f(mdAddMod)).Mul(c.Y[j].Cur))
	}
	b.AssertBool("m_zero_bool", c.MZ.Cur)
	b.Assert("m_zero", c.MZ.Cur.Mul(msum))
	b.Assert("m_inverse", live.Mul(msum.Mul(c.Inv.Cur).AddC(-1)))

	// x·B + C = Q·M + R + mul·Q·2^256, position k = 0 … 95, carries offset by carryOffset.
	carry := func(k int) air.Expr {
		if k < 0 || k >= convLen-1 {
			return b.Const(0)
		}
		return c.Carry[k].Cur.AddC(-carryOffset)
	}
	for k := range convLen {
		lhs := b.Const(0)
		for j := max(0, k-(Bytes-1)); j <= min(Bytes-1, k); j++ {
			lhs = lhs.Add(c.X[j].Cur.Mul(c.B[k-j].Cur))
		}
		rhs := b.Const(0)
		for j := max(0, k-(Bytes-1)); j <= min(2*Bytes-1, k); j++ {
			rhs = rhs.Add(c.Q[j].Cur.Mul(c.M[k-j].Cur))
		}
		if k < Bytes {
			lhs = lhs.Add(c.C[k].Cur)
			rhs = rhs.Add(c.R[k].Cur)
		}
		if k >= Bytes {
			rhs = rhs.Add(f(mdMul).Mul(c.Q[k-Bytes].Cur))
		}
		b.Assert(fmt.Sprintf("pos%d", k), lhs.Add(carry(k-1)).Sub(rhs).Sub(carry(k).MulC(256)))
		if k < convLen-1 {
			b.Send(fmt.Sprintf("carry%d_range", k), bus.U16, []air.Expr{c.Carry[k].Cur}, real)
		}
	}

	// R < M when the modulus is live: R + D + 1 = M with bit borrows, none out of the top.
	b.AssertEq("cmp_on", c.CmpE.Cur, live.Mul(modular))
	for k := range Bytes {
		in := b.Const(1)
		if k > 0 {
			in = c.Borrow[k-1].Cur
		}
		b.AssertBool(fmt.Sprintf("borrow%d_bool", k), c.Borrow[k].Cur)
		b.Assert(fmt.Sprintf("r_lt_m%d", k), c.CmpE.Cur.Mul(c.R[k].Cur.Add(c.D[k].Cur).Add(in).Sub(c.M[k].Cur).Sub(c.Borrow[k].Cur.MulC(256))))
	}
	b.Assert("r_lt_m_top", c.CmpE.Cur.Mul(c.Borrow[Bytes-1].Cur))

	// The result.
	for k := range Bytes {
		z := f(mdMul).Mul(c.R[k].Cur).Add(live.Mul(f(mdDiv).Mul(c.Q[k].Cur).Add(f(mdMod).Add(f(mdAddMod)).Add(f(mdMulMod)).Mul(c.R[k].Cur))))
		b.AssertEq(fmt.Sprintf("z%d", k), c.Z[k].Cur, z)
	}
	limbs := func(v [Bytes]air.Column) []air.Expr {
		out := make([]air.Expr, Limbs)
		for i := range out {
			out[i] = v[2*i].Cur.Add(v[2*i+1].Cur.MulC(256))
		}
		return out
	}
	tuple := append([]air.Expr{number, c.Sel.Cur}, limbs(c.X)...)
	tuple = append(tuple, limbs(c.Y)...)
	tuple = append(tuple, limbs(c.N)...)
	tuple = append(tuple, limbs(c.Z)...)
	b.Receive("u256", bus.U256, tuple, real)
	return b.MustBuild()
}
