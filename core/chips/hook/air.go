package hook

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// AIR builds the table's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("hook")
	c := newColumns(b)
	real, fin, k := c.Real.Cur, c.Final.Cur, c.K.Cur

	// Shape: k is the row index; real rows from row 0, then exactly one final row (the
	// table's last row is not real, and the row after the last real row is final). The
	// final row sends its k on the public HookEnd bus, which the verifier receives as n:
	// n rows are real.
	b.AssertBool("real_bool", real)
	b.AssertBool("final_bool", fin)
	b.AssertBool("one_kind", real.Add(fin))
	b.AssertFirst("k_first", k)
	b.AssertTransition("k_next", c.K.Next.Sub(k).AddC(-1))
	b.AssertFirst("real_first", real.OneMinus())
	b.AssertLast("real_last", real)
	b.AssertTransition("real_prefix", c.Real.Next.Mul(real.OneMinus()))
	b.AssertTransition("final_next", c.Final.Next.Sub(real).Add(c.Real.Next))

	// The calls, in strictly increasing clk order; each a hook number with a
	// well-formed answer.
	dclk := c.Clk.Next.Sub(c.Clk.Cur).AddC(-1).Sub(c.DClkLo.Cur).Sub(c.DClkHi.Cur.MulC(1 << 16))
	b.AssertTransition("clk_increasing", c.Real.Next.Mul(dclk))
	b.Send("dclk_lo_range", bus.U16, []air.Expr{c.DClkLo.Cur}, real)
	b.Send("dclk_hi_range", bus.U12, []air.Expr{c.DClkHi.Cur}, real)
	b.Send("number_range", bus.U16, []air.Expr{c.Number.Cur.AddC(-int64(isa.FirstHook))}, real)
	b.Send("a_lo_range", bus.U16, []air.Expr{c.ALo.Cur}, real)
	b.Send("a_hi_range", bus.U16, []air.Expr{c.AHi.Cur}, real)
	b.Receive("syscall", bus.Syscall, []air.Expr{c.Clk.Cur, c.Number.Cur, c.ALo.Cur, c.AHi.Cur, c.BLo.Cur, c.BHi.Cur}, real)

	// The sponge: a real row sends state + (block ‖ 0) as the input of permutation k+1;
	// real and final rows receive their state as the output of permutation k (for k = 0
	// the verifier sends the segment's start: see Messages). The final row's (k, state)
	// goes out on the public HookEnd bus, received by the verifier as (n, end).
	block := []air.Expr{c.Number.Cur, c.BLo.Cur, c.BHi.Cur, c.ALo.Cur, c.AHi.Cur} // then zeros
	in := []air.Expr{b.Const(poseidon2.KindIn), b.Const(poseidon2.DomHook), k.AddC(1)}
	out := []air.Expr{b.Const(poseidon2.KindOut), b.Const(poseidon2.DomHook), k}
	for i := range hash.Width {
		s := c.State[i].Cur
		out = append(out, s)
		if i < len(block) {
			s = s.Add(block[i])
		}
		in = append(in, s)
	}
	b.Send("absorb", bus.Poseidon2, in, real)
	b.Receive("state", bus.Poseidon2, out, real.Add(fin))
	end := []air.Expr{k}
	for i := range hash.Width {
		end = append(end, c.State[i].Cur)
	}
	b.Send("end", bus.HookEnd, end, fin)
	return b.MustBuild()
}
