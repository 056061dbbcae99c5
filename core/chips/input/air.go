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
	var digest [hash.DigestLen]air.Expr
	for i := range digest {
		digest[i] = b.Public(fmt.Sprintf("digest[%d]", i))
	}
	blocks := b.Public("blocks")
	var zero, half [Rate]air.Expr
	for i := range zero {
		zero[i] = b.Public(fmt.Sprintf("zero[%d]", i))
	}
	for i := range half {
		half[i] = b.Public(fmt.Sprintf("half[%d]", i))
	}
	ab, fin, last, k := c.Absorb.Cur, c.Final.Cur, c.Last.Cur, c.K.Cur
	one := b.Const(1)

	// Shape: k is the row index; absorbing rows from row 0, then exactly one final row
	// (the table's last row does not absorb, and the row after the last absorbing row is
	// final), at k = blocks: blocks rows absorb.
	b.AssertBool("absorb_bool", ab)
	b.AssertBool("final_bool", fin)
	b.AssertBool("one_kind", ab.Add(fin))
	b.AssertFirst("k_first", k)
	b.AssertTransition("k_next", c.K.Next.Sub(k).AddC(-1))
	b.AssertFirst("absorb_first", ab.OneMinus())
	b.AssertLast("absorb_last", ab)
	b.AssertTransition("absorb_prefix", c.Absorb.Next.Mul(ab.OneMinus()))
	b.AssertTransition("final_next", c.Final.Next.Sub(ab).Add(c.Absorb.Next))
	b.Assert("final_at_blocks", fin.Mul(k.Sub(blocks)))
	b.AssertTransition("last", last.Sub(ab).Add(c.Absorb.Next))
	b.AssertLast("last_last", last)

	// The words: 16-bit limbs, received on the Input bus at their byte offsets as many
	// times as READs send them; past the input's end the last block is zero.
	for j := range BlockWords {
		b.Send(fmt.Sprintf("lo%d_range", j), bus.U16, []air.Expr{c.Lo[j].Cur}, one)
		b.Send(fmt.Sprintf("hi%d_range", j), bus.U16, []air.Expr{c.Hi[j].Cur}, one)
		off := k.MulC(BlockBytes).AddC(int64(4 * j))
		b.Receive(fmt.Sprintf("word%d", j), bus.Input, []air.Expr{off, c.Lo[j].Cur, c.Hi[j].Cur}, c.Mult[j].Cur)
		b.Assert(fmt.Sprintf("mult%d_absorb", j), ab.OneMinus().Mul(c.Mult[j].Cur))
	}
	halfLimb := b.Const(0)
	for i := range Rate {
		l := c.limb(i).Cur
		b.Assert(fmt.Sprintf("past_end[%d]", i), last.Mul(zero[i]).Mul(l))
		halfLimb = halfLimb.Add(half[i].Mul(l))
	}
	b.Send("half_range", bus.U8, []air.Expr{halfLimb}, last)

	// The sponge: an absorbing row sends state + (block ‖ 0) as the input of permutation
	// k+1; every absorbing or final row receives its state as the output of permutation
	// k (for k = 0 the verifier sends IV: see Message). The final row's rate is the digest.
	in := []air.Expr{b.Const(poseidon2.KindIn), b.Const(poseidon2.DomInput), k.AddC(1)}
	out := []air.Expr{b.Const(poseidon2.KindOut), b.Const(poseidon2.DomInput), k}
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
	for i := range digest {
		b.Assert(fmt.Sprintf("digest[%d]", i), fin.Mul(c.State[i].Cur.Sub(digest[i])))
	}
	return b.MustBuild()
}
