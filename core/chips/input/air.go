package input

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// AIR builds the table's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("input")
	c := newColumns(b)
	pubs := func(name string, n int) []air.Expr {
		e := make([]air.Expr, n)
		for i := range e {
			e[i] = b.Public(fmt.Sprintf("%s[%d]", name, i))
		}
		return e
	}
	_ = pubs("start", hash.Width) // the verifier's message sends it; see Message
	startCarry := pubs("start_carry", Rate)
	end := pubs("end", hash.Width)
	endCarry := pubs("end_carry", Rate)
	first := b.Public("first")
	blocks := b.Public("blocks")
	zero, half := pubs("zero", Rate), pubs("half", Rate)
	cr, ab, fin, last, r := c.Carry.Cur, c.Absorb.Cur, c.Final.Cur, c.Last.Cur, c.R.Cur
	one := b.Const(1)
	live := cr.Add(ab) // rows whose block is the segment's: the carry and absorbing rows

	// Shape: r is the row index; row 0 is the carry row and the only one; absorbing rows
	// follow it, then exactly one final row (the table's last row is neither carry nor
	// absorbing, and the row after the last live row is final), at r = blocks + 1:
	// blocks rows absorb. last marks the row before the final row.
	b.AssertBool("carry_bool", cr)
	b.AssertBool("absorb_bool", ab)
	b.AssertBool("final_bool", fin)
	b.AssertBool("one_kind", live.Add(fin))
	b.AssertFirst("r_first", r)
	b.AssertTransition("r_next", c.R.Next.Sub(r).AddC(-1))
	b.AssertFirst("carry_first", cr.OneMinus())
	b.AssertTransition("carry_once", c.Carry.Next)
	b.AssertLast("live_last", live)
	b.AssertTransition("absorb_prefix", c.Absorb.Next.Mul(live.OneMinus()))
	b.AssertTransition("final_next", c.Final.Next.Sub(live).Add(c.Absorb.Next))
	b.Assert("final_at_blocks", fin.Mul(r.Sub(blocks).AddC(-1)))
	b.AssertTransition("last", last.Sub(c.Final.Next))
	b.AssertLast("last_last", last)

	// The words: 16-bit limbs, received on the Input bus at their byte offsets as many
	// times as READs send them, on live rows only; the carry row holds the carried block,
	// the row before the final row is the carried block the segment leaves, and past the
	// input's end the input's last block is zero.
	k := r.Add(first).AddC(-1)
	for j := range BlockWords {
		b.Send(fmt.Sprintf("lo%d_range", j), bus.U16, []air.Expr{c.Lo[j].Cur}, one)
		b.Send(fmt.Sprintf("hi%d_range", j), bus.U16, []air.Expr{c.Hi[j].Cur}, one)
		off := k.MulC(BlockBytes).AddC(int64(4 * j))
		b.Receive(fmt.Sprintf("word%d", j), bus.Input, []air.Expr{off, c.Lo[j].Cur, c.Hi[j].Cur}, c.Mult[j].Cur)
		b.Assert(fmt.Sprintf("mult%d_live", j), live.OneMinus().Mul(c.Mult[j].Cur))
	}
	halfLimb := b.Const(0)
	for i := range Rate {
		l := c.limb(i).Cur
		b.AssertFirst(fmt.Sprintf("carry_in[%d]", i), l.Sub(startCarry[i]))
		b.Assert(fmt.Sprintf("carry_out[%d]", i), last.Mul(l.Sub(endCarry[i])))
		b.Assert(fmt.Sprintf("past_end[%d]", i), last.Mul(zero[i]).Mul(l))
		halfLimb = halfLimb.Add(half[i].Mul(l))
	}
	b.Send("half_range", bus.U8, []air.Expr{halfLimb}, last)

	// The sponge: an absorbing row r sends state + (block ‖ 0) as the input of
	// permutation r+1; every absorbing or final row r receives its state as the output of
	// permutation r (for r = 1 the verifier sends the start state: see Message). The
	// final row's state is the end state.
	in := []air.Expr{b.Const(poseidon2.KindIn), b.Const(poseidon2.DomInput), r.AddC(1)}
	out := []air.Expr{b.Const(poseidon2.KindOut), b.Const(poseidon2.DomInput), r}
	for i := range hash.Width {
		s := c.State[i].Cur
		out = append(out, s)
		if i < Rate {
			s = s.Add(c.limb(i).Cur)
		}
		in = append(in, s)
	}
	b.Send("absorb", bus.Poseidon2, in, ab)
	b.Receive("state", bus.Poseidon2, out, ab.Add(fin))
	for i := range end {
		b.Assert(fmt.Sprintf("end[%d]", i), fin.Mul(c.State[i].Cur.Sub(end[i])))
	}
	return b.MustBuild()
}
