package u256

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// ShiftColumns are the columns of the shift table (bytes; byte k is bits 8k … 8k+7).
type ShiftColumns struct {
	Flag       [numShift]air.Column
	XB, YB, ZB [Bytes]air.Column // amount, value, result
	// The amount's low byte is 8q + r: P is q one-hot (32), E is r one-hot (8). Big says
	// the amount is 256 or more (a byte above the first is not 0), Inv proves it.
	P       [Bytes]air.Column
	E       [8]air.Column
	Big     air.Column
	Inv     air.Column
	Sign    air.Column        // the value's top bit (SAR)
	Neg     air.Column        // SAR of a negative value: the value and the result are complemented
	YC      [Bytes]air.Column // the value, complemented when Neg
	M       [Bytes]air.Column // SHL: YC·2^r mod 2^256; SHR and SAR: ⌊(YC ≫ 8q) / 2^r⌋
	T       [Bytes]air.Column // SHL: M shifted up by q bytes
	MC      [Bytes]air.Column // SHR, SAR: M, complemented when Neg
	C       [Bytes]air.Column // byte carries of the multiplication or division by 2^r
	Rem, DR air.Column        // SHR, SAR: the remainder, and 2^r − 1 − it
}

func newShiftColumns(b *air.Builder) *ShiftColumns {
	c := &ShiftColumns{Big: b.Main("big"), Inv: b.Main("inv"), Sign: b.Main("sign"), Neg: b.Main("neg"),
		Rem: b.Main("rem"), DR: b.Main("rem_gap")}
	for k := range c.Flag {
		c.Flag[k] = b.Main("is_" + shiftNames[k])
	}
	for _, p := range []struct {
		dst  *[Bytes]air.Column
		name string
	}{{&c.XB, "xb"}, {&c.YB, "yb"}, {&c.ZB, "zb"}, {&c.P, "q_is"}, {&c.YC, "yc"}, {&c.M, "m"}, {&c.T, "t"}, {&c.MC, "mc"}, {&c.C, "carry"}} {
		copy(p.dst[:], limbCols(b, p.name, Bytes))
	}
	copy(c.E[:], limbCols(b, "r_is", 8))
	return c
}

// ShiftAIR builds the shift table: SHL, SHR and SAR, one row per call. With the amount
// s = 8q + r below 256, SHL multiplies the value by 2^r byte by byte with carries and
// moves the product up q bytes; SHR moves the value down q bytes and divides it by 2^r
// (quotient and a remainder below 2^r, by carries); SAR does SHR on the complemented
// value of a negative one and complements the result. An amount of 256 or more gives 0,
// or all ones for SAR of a negative value.
func ShiftAIR() *air.AIR {
	b := air.NewBuilder("u256_shift")
	c := newShiftColumns(b)
	f := func(k int) air.Expr { return c.Flag[k].Cur }
	real := b.Const(0)
	for k := range numShift {
		b.AssertBool("is_"+shiftNames[k]+"_bool", f(k))
		real = real.Add(f(k))
	}
	b.AssertBool("one_op", real)
	right := f(shShr).Add(f(shSar))
	pairs := func(name string, v []air.Column) {
		for k := 0; k < len(v); k += 2 {
			b.Send(fmt.Sprintf("%s%d_range", name, k/2), bus.Bitwise,
				[]air.Expr{b.Const(bytetable.OpRange), v[k].Cur, v[k+1].Cur, b.Const(0)}, real)
		}
	}
	pairs("x", c.XB[:])
	pairs("y", c.YB[:])
	pairs("m", c.M[:])
	pairs("c", c.C[:])
	b.Send("rem_range", bus.Bitwise, []air.Expr{b.Const(bytetable.OpRange), c.Rem.Cur, c.DR.Cur, b.Const(0)}, real)

	// The amount: big, or its low byte 8q + r with q and r one-hot.
	high := b.Const(0)
	for k := 1; k < Bytes; k++ {
		high = high.Add(c.XB[k].Cur)
	}
	b.AssertBool("big_bool", c.Big.Cur)
	b.Assert("small", c.Big.Cur.OneMinus().Mul(high))
	b.Assert("big", c.Big.Cur.Mul(high.Mul(c.Inv.Cur).AddC(-1)))
	sumP, q := b.Const(0), b.Const(0)
	for k := range Bytes {
		b.AssertBool(fmt.Sprintf("q_is%d_bool", k), c.P[k].Cur)
		sumP = sumP.Add(c.P[k].Cur)
		q = q.Add(c.P[k].Cur.MulC(int64(k)))
	}
	sumE, r, v := b.Const(0), b.Const(0), b.Const(0)
	for j := range 8 {
		b.AssertBool(fmt.Sprintf("r_is%d_bool", j), c.E[j].Cur)
		sumE = sumE.Add(c.E[j].Cur)
		r = r.Add(c.E[j].Cur.MulC(int64(j)))
		v = v.Add(c.E[j].Cur.MulC(1 << j)) // 2^r
	}
	b.AssertEq("q_one_hot", sumP, b.Const(1))
	b.AssertEq("r_one_hot", sumE, b.Const(1))
	b.AssertEq("low_byte", c.XB[0].Cur, q.MulC(8).Add(r))

	// SAR of a negative value: the value's top bit, and the complements.
	b.AssertBool("sign_bool", c.Sign.Cur)
	rest := c.YB[Bytes-1].Cur.Sub(c.Sign.Cur.MulC(128))
	b.Send("sign_range", bus.Bitwise, []air.Expr{b.Const(bytetable.OpRange), rest.MulC(2), b.Const(0), b.Const(0)}, real)
	b.AssertEq("neg", c.Neg.Cur, f(shSar).Mul(c.Sign.Cur))
	comp := func(x air.Expr) air.Expr { return x.Add(c.Neg.Cur.Mul(x.MulC(-2).AddC(255))) }
	for k := range Bytes {
		b.AssertEq(fmt.Sprintf("yc%d", k), c.YC[k].Cur, comp(c.YB[k].Cur))
		b.AssertEq(fmt.Sprintf("mc%d", k), c.MC[k].Cur, comp(c.M[k].Cur))
	}

	carry := func(k int) air.Expr {
		if k < 0 {
			return b.Const(0)
		}
		return c.C[k].Cur
	}
	for k := range Bytes {
		// SHL: YC·2^r = M + 2^256·(the last carry), byte by byte.
		b.Assert(fmt.Sprintf("shl%d", k), f(shShl).Mul(c.YC[k].Cur.Mul(v).Add(carry(k-1)).Sub(c.M[k].Cur).Sub(carry(k).MulC(256))))
		// T = M moved up q bytes.
		t := b.Const(0)
		for j := 0; j <= k; j++ {
			t = t.Add(c.P[j].Cur.Mul(c.M[k-j].Cur))
		}
		b.AssertEq(fmt.Sprintf("t%d", k), c.T[k].Cur, t)
		// SHR, SAR: M·2^r + rem = U with U = YC moved down q bytes, from the low byte up.
		u := b.Const(0)
		for j := 0; j+k < Bytes; j++ {
			u = u.Add(c.P[j].Cur.Mul(c.YC[k+j].Cur))
		}
		lhs := c.M[k].Cur.Mul(v).Add(carry(k - 1))
		if k == 0 {
			lhs = lhs.Add(c.Rem.Cur)
		}
		b.Assert(fmt.Sprintf("shr%d", k), right.Mul(lhs.Sub(u).Sub(carry(k).MulC(256))))
		// The result.
		z := f(shShl).Mul(c.Big.Cur.OneMinus()).Mul(c.T[k].Cur).
			Add(right.Mul(c.Big.Cur.OneMinus()).Mul(c.MC[k].Cur)).
			Add(c.Big.Cur.Mul(c.Neg.Cur).MulC(255))
		b.AssertEq(fmt.Sprintf("z%d", k), c.ZB[k].Cur, z)
	}
	b.Assert("shr_no_carry_out", right.Mul(c.C[Bytes-1].Cur))
	b.Assert("rem_below", right.Mul(c.Rem.Cur.Add(c.DR.Cur).AddC(1).Sub(v)))

	limbs := func(x [Bytes]air.Column) []air.Expr {
		out := make([]air.Expr, Limbs)
		for i := range out {
			out[i] = x[2*i].Cur.Add(x[2*i+1].Cur.MulC(256))
		}
		return out
	}
	sel := f(shShr).Add(f(shSar).MulC(2))
	tuple := append([]air.Expr{real.MulC(int64(isa.SysU256Shift)), sel}, limbs(c.XB)...)
	tuple = append(tuple, limbs(c.YB)...)
	for range Limbs {
		tuple = append(tuple, b.Const(0))
	}
	tuple = append(tuple, limbs(c.ZB)...)
	b.Receive("u256", bus.U256, tuple, real)
	return b.MustBuild()
}

var (
	shiftB     = air.NewBuilder("u256_shift")
	shiftCol   = newShiftColumns(shiftB)
	shiftWidth = shiftB.NumMain() // as trace.go's widths
)

// ShiftTrace fills the shift table and counts its byte lookups; nil when it has no calls.
func ShiftTrace(calls []Call, rc *rangetable.Counter, bc *bytetable.Counter) [][]field.Elem {
	return ShiftTraceRows(calls, rc, bc, 0)
}

// ShiftTraceRows is ShiftTrace padded to at least rows rows (more padding rows, as ShiftTrace fills them).
func ShiftTraceRows(calls []Call, rc *rangetable.Counter, bc *bytetable.Counter, rows int) [][]field.Elem {
	var mine []*Call
	for k := range calls {
		if c := &calls[k]; c.N == isa.SysU256Shift {
			mine = append(mine, c)
		}
	}
	if len(mine) == 0 && rows == 0 {
		return nil
	}
	cols := air.NewTrace(shiftWidth, max(len(mine), rows))
	n := len(cols[0])
	set := func(c air.Column, r int, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	for r := range n {
		set(shiftCol.P[0], r, 1)
		set(shiftCol.E[0], r, 1)
		if r >= len(mine) {
			continue
		}
		c := mine[r]
		op := int(c.B)
		set(shiftCol.Flag[op], r, 1)
		xv, yv, _, zv := c.operands()
		X, Y, Z := bytesOf(xv), bytesOf(yv), bytesOf(zv)
		var high uint64
		for k := 1; k < Bytes; k++ {
			high += uint64(X[k])
		}
		big := high != 0
		q, rr := X[0]/8, X[0]%8
		set(shiftCol.P[0], r, 0)
		set(shiftCol.E[0], r, 0)
		set(shiftCol.P[q], r, 1)
		set(shiftCol.E[rr], r, 1)
		if big {
			set(shiftCol.Big, r, 1)
			inv := field.New(high)
			inv.Inverse(&inv)
			cols[shiftCol.Inv.Index][r] = inv
		}
		sign := Y[Bytes-1] >> 7
		neg := uint32(0)
		if op == shSar {
			neg = sign
		}
		set(shiftCol.Sign, r, sign)
		set(shiftCol.Neg, r, neg)
		var YC, M, T, MC, C [Bytes]uint32
		for k := range Bytes {
			YC[k] = Y[k]
			if neg == 1 {
				YC[k] = 255 - Y[k]
			}
		}
		var rem uint32
		if op == shShl {
			var carry uint32
			for k := range Bytes {
				w := YC[k]<<rr + carry
				M[k], carry = w&0xff, w>>8
				C[k] = carry
			}
		} else {
			var U [Bytes]uint32
			for k := 0; k+int(q) < Bytes; k++ {
				U[k] = YC[k+int(q)]
			}
			// M = ⌊U / 2^r⌋, from the top byte down; rem the last remainder.
			var down uint32
			for k := Bytes - 1; k >= 0; k-- {
				cur := down<<8 | U[k]
				M[k], down = cur>>rr, cur&(1<<rr-1)
			}
			rem = down
			// The carries of M·2^r + rem = U from the low byte up.
			var carry uint32
			for k := range Bytes {
				w := M[k]<<rr + carry
				if k == 0 {
					w += rem
				}
				C[k] = (w - U[k]) >> 8
				carry = C[k]
			}
			set(shiftCol.Rem, r, rem)
			set(shiftCol.DR, r, (1<<rr)-1-rem)
		}
		for k := range Bytes { // T and MC are defined on every row, whatever the op
			if k >= int(q) {
				T[k] = M[k-int(q)]
			}
			MC[k] = M[k]
			if neg == 1 {
				MC[k] = 255 - M[k]
			}
		}
		for k := range Bytes {
			set(shiftCol.XB[k], r, X[k])
			set(shiftCol.YB[k], r, Y[k])
			set(shiftCol.ZB[k], r, Z[k])
			set(shiftCol.YC[k], r, YC[k])
			set(shiftCol.M[k], r, M[k])
			set(shiftCol.T[k], r, T[k])
			set(shiftCol.MC[k], r, MC[k])
			set(shiftCol.C[k], r, C[k])
		}
		for _, v := range [][Bytes]uint32{X, Y, M, C} {
			for k := 0; k < Bytes; k += 2 {
				bc.Range(v[k], v[k+1])
			}
		}
		if op == shShl {
			bc.Range(0, (1<<rr)-1) // rem = 0, gap 2^r − 1: the row's (rem, gap) check
			set(shiftCol.DR, r, (1<<rr)-1)
		} else {
			bc.Range(rem, (1<<rr)-1-rem)
		}
		bc.Range(2*(Y[Bytes-1]-128*sign), 0)
		_ = rc
	}
	return cols
}
