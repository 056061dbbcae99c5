package u256

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// MemoryAIR builds the memory table's constraints: one row per 256-bit syscall, which
// receives the call from the Syscall bus, makes its word accesses, proves SET, COPY and
// SWAP itself and sends every other call's operands and result on the U256 bus.
func MemoryAIR() *air.AIR {
	b := air.NewBuilder("u256_memory")
	c := newMemoryColumns(b)
	flag := func(k int) air.Expr { return c.Flag[k].Cur }
	sum := func(ks ...int) air.Expr {
		e := b.Const(0)
		for _, k := range ks {
			e = e.Add(flag(k))
		}
		return e
	}
	real := b.Const(0)
	number := b.Const(0)
	for k := range numOps {
		b.AssertBool("is_"+opNames[k]+"_bool", flag(k))
		real = real.Add(flag(k))
		number = number.Add(flag(k).MulC(int64(opNumbers[k])))
	}
	b.AssertBool("one_op", real)
	b.Receive("syscall", bus.Syscall, []air.Expr{c.Clk.Cur, number, c.ALo.Cur, c.AHi.Cur, c.BLo.Cur, c.BHi.Cur}, real)

	// The pointer is word aligned: a_lo = 4·q with q < 2^16 (a_lo < 2^16 allows nothing
	// else). Its word index is q + 2^14·a_hi; an operand past the top of memory gets
	// word indices ≥ 2^30, which the memory table does not hold.
	b.AssertEq("a_aligned", c.ALo.Cur, c.AQ.Cur.MulC(4))
	b.Send("a_quarter_range", bus.U16, []air.Expr{c.AQ.Cur}, real)
	base := c.AQ.Cur.Add(c.AHi.Cur.MulC(1 << 14))

	// COPY and SWAP: B = 32·kk with 1 ≤ kk ≤ 2^12 and b_hi = 0 (B < 2^16 then also
	// bounds kk below 2^11). Selectors of CMP, BIT and UNARY fit in b_lo.
	cs := sum(opCopy, opSwap)
	b.Assert("b_hi_zero", sum(opCopy, opSwap, opCmp, opBit, opShift, opUnary).Mul(c.BHi.Cur))
	b.Assert("b_is_32kk", cs.Mul(c.BLo.Cur.Sub(c.KK.Cur.MulC(32))))
	b.Send("kk_range", bus.U12, []air.Expr{c.KK.Cur.AddC(-1)}, cs)

	// Group bases (word indices) and which groups each class uses.
	binary, ternary := sum(binaryOps...), sum(ternaryOps...)
	off := c.KK.Cur.MulC(8) // B in words
	bases := [Groups]air.Expr{
		base.Add(flag(opCopy).Mul(off)),
		base.Add(binary.Add(ternary).MulC(8)).Add(flag(opSwap).Mul(off)),
		base.AddC(16),
	}
	enabled := [Groups]air.Expr{real, binary.Add(ternary).Add(cs), ternary}
	readOnly := [Groups]air.Expr{binary.Add(ternary).Add(flag(opCopy)), ternary, b.Const(0)}
	val := func(g, w int) [2]air.Expr { return [2]air.Expr{c.New[g][w][0].Cur, c.New[g][w][1].Cur} }
	prev := func(g, w int) [2]air.Expr { return [2]air.Expr{c.Acc[g][w].PrevLo.Cur, c.Acc[g][w].PrevHi.Cur} }
	for g := range Groups {
		for w := range Words {
			ro := readOnly[g]
			c.Acc[g][w].Constrain(b, bases[g].AddC(int64(w)), val(g, w), memory.TS(c.Clk.Cur, int64(FirstSlot+Words*g+w)), enabled[g], &ro)
		}
	}

	// SET: x ← B. COPY: the second group gets the first's value. SWAP: exchanged.
	for w := range Words {
		for h := range 2 {
			name := fmt.Sprintf("w%d.%d", w, h)
			want := b.Const(0)
			if w == 0 {
				want = []air.Expr{c.BLo.Cur, c.BHi.Cur}[h]
			}
			b.Assert("set_"+name, flag(opSet).Mul(val(0, w)[h].Sub(want)))
			b.Assert("copy_"+name, flag(opCopy).Mul(val(1, w)[h].Sub(prev(0, w)[h])))
			b.Assert("swap_a_"+name, flag(opSwap).Mul(val(0, w)[h].Sub(prev(1, w)[h])))
			b.Assert("swap_b_"+name, flag(opSwap).Mul(val(1, w)[h].Sub(prev(0, w)[h])))
		}
	}

	// The others: (op, sel, x, y, n, z) to the arithmetic tables.
	limbs := func(f func(g, w int) [2]air.Expr, g int) []air.Expr {
		var out []air.Expr
		for w := range Words {
			v := f(g, w)
			out = append(out, v[0], v[1])
		}
		return out
	}
	zeros := make([]air.Expr, Limbs)
	for k := range zeros {
		zeros[k] = b.Const(0)
	}
	tuple := func(x, y, n, z []air.Expr) []air.Expr {
		t := []air.Expr{number, c.BLo.Cur}
		return append(append(append(append(t, x...), y...), n...), z...)
	}
	b.Send("binary", bus.U256, tuple(limbs(prev, 0), limbs(prev, 1), zeros, limbs(val, 1)), binary)
	b.Send("ternary", bus.U256, tuple(limbs(prev, 0), limbs(prev, 1), limbs(prev, 2), limbs(val, 2)), ternary)
	b.Send("unary", bus.U256, tuple(limbs(prev, 0), zeros, zeros, limbs(val, 0)), flag(opUnary))
	return b.MustBuild()
}
