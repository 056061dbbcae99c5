package loadstore

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the chip's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("loadstore")
	c := newColumns(b)
	lw, lh, lhu, lb, lbu := c.IsLW.Cur, c.IsLH.Cur, c.IsLHU.Cur, c.IsLB.Cur, c.IsLBU.Cur
	sw, sh, sb := c.IsSW.Cur, c.IsSH.Cur, c.IsSB.Cur

	// One opcode per real row.
	ops := []struct {
		col  air.Column
		code isa.Opcode
	}{{c.IsLW, isa.LW}, {c.IsLH, isa.LH}, {c.IsLHU, isa.LHU}, {c.IsLB, isa.LB}, {c.IsLBU, isa.LBU},
		{c.IsSW, isa.SW}, {c.IsSH, isa.SH}, {c.IsSB, isa.SB}}
	real, op := b.Const(0), b.Const(0)
	for _, o := range ops {
		b.AssertBool(o.col.Name+"_bool", o.col.Cur)
		real = real.Add(o.col.Cur)
		op = op.Add(o.col.Cur.MulC(int64(o.code)))
	}
	b.AssertBool("one_op", real)

	// The byte offset k is one-hot on real rows.
	k, kSum := b.Const(0), b.Const(0)
	for i, ki := range c.K {
		b.AssertBool(fmt.Sprintf("k%d_bool", i), ki.Cur)
		kSum = kSum.Add(ki.Cur)
		k = k.Add(ki.Cur.MulC(int64(i)))
	}
	b.AssertEq("one_offset", kSum, real)

	// addr = base + off mod 2^32 = k + 4·word_lo + 2^16·addr_hi with word_lo < 2^14 and
	// addr_hi < 2^16, so the word index w = word_lo + 2^14·addr_hi is below 2^30.
	b.AssertBool("carry0_bool", c.C0.Cur)
	b.AssertBool("carry1_bool", c.C1.Cur)
	b.Assert("addr_lo", c.BaseLo.Cur.Add(c.OffLo.Cur).Sub(k).Sub(c.WordLo.Cur.MulC(4)).Sub(c.C0.Cur.MulC(1<<16)))
	b.Assert("addr_hi", c.BaseHi.Cur.Add(c.OffHi.Cur).Add(c.C0.Cur).Sub(c.AddrHi.Cur).Sub(c.C1.Cur.MulC(1<<16)))
	b.Send("word_lo_range", bus.U16, []air.Expr{c.WordLo.Cur}, real)
	b.Send("word_lo_range14", bus.U16, []air.Expr{c.WordLo.Cur.MulC(4)}, real)
	b.Send("addr_hi_range", bus.U16, []air.Expr{c.AddrHi.Cur}, real)
	w := c.WordLo.Cur.Add(c.AddrHi.Cur.MulC(1 << 14))
	// The word after w is w + 1, or word 0 after the top word (the byte address wraps).
	b.AssertBool("wrap_bool", c.Wrap.Cur)
	b.Assert("wrap_top_word", c.Wrap.Cur.Mul(w.AddC(-(1<<30 - 1))))
	w1 := w.AddC(1).Sub(c.Wrap.Cur.MulC(1 << 30))

	// Bytes: the window before the access and val are bytes; the window's words are
	// their bytes.
	for m, x := range c.Before {
		b.Send(fmt.Sprintf("before%d_range", m), bus.U8, []air.Expr{x.Cur}, real)
	}
	for j, v := range c.Val {
		b.Send(fmt.Sprintf("val%d_range", j), bus.U8, []air.Expr{v.Cur}, real)
	}
	limb := func(x [8]air.Column, i int) air.Expr { return x[2*i].Cur.Add(x[2*i+1].Cur.MulC(256)) }
	b.AssertEq("word0_prev_lo", c.Lo.PrevLo.Cur, limb(c.Before, 0))
	b.AssertEq("word0_prev_hi", c.Lo.PrevHi.Cur, limb(c.Before, 1))
	b.AssertEq("word1_prev_lo", c.Hi.PrevLo.Cur, limb(c.Before, 2))
	b.AssertEq("word1_prev_hi", c.Hi.PrevHi.Cur, limb(c.Before, 3))

	// sel[j] is the window's byte k + j.
	for j, s := range c.Sel {
		e := s.Cur
		for i, ki := range c.K {
			e = e.Sub(ki.Cur.Mul(c.Before[i+j].Cur))
		}
		b.Assert(fmt.Sprintf("sel%d", j), e)
	}

	// Loads: val's bytes below the size are the selected bytes, the others are the
	// extension (0xff·neg), where neg is the top loaded byte's sign for LH and LB and 0
	// otherwise: 2·(top − 128·neg) is a byte exactly when neg is top's bit 7.
	b.AssertBool("neg_bool", c.Neg.Cur)
	b.Assert("neg_signed_only", c.Neg.Cur.Mul(lh.Add(lb).OneMinus()))
	b.Send("lh_sign", bus.U8, []air.Expr{c.Val[1].Cur.Sub(c.Neg.Cur.MulC(128)).MulC(2)}, lh)
	b.Send("lb_sign", bus.U8, []air.Expr{c.Val[0].Cur.Sub(c.Neg.Cur.MulC(128)).MulC(2)}, lb)
	loads := [4]air.Expr{b.Sum(lw, lh, lhu, lb, lbu), b.Sum(lw, lh, lhu), lw, lw} // size > j
	exts := [4]air.Expr{b.Const(0), b.Sum(lb, lbu), b.Sum(lh, lhu, lb, lbu), b.Sum(lh, lhu, lb, lbu)}
	ext := c.Neg.Cur.MulC(0xff)
	for j, v := range c.Val {
		b.Assert(fmt.Sprintf("load_byte%d", j), loads[j].Mul(v.Cur.Sub(c.Sel[j].Cur)))
		if j > 0 {
			b.Assert(fmt.Sprintf("extend_byte%d", j), exts[j].Mul(v.Cur.Sub(ext)))
		}
	}

	// Stores: the new bytes at k + j are u[j] = val[j] for j below the size and sel[j]
	// otherwise; every window byte outside k … k+3 keeps its value. Loads leave the
	// window unchanged (u = sel).
	stores := [4]air.Expr{b.Sum(sw, sh, sb), b.Sum(sw, sh), sw, sw}
	var u [4]air.Expr
	for j := range u {
		u[j] = c.Sel[j].Cur.Add(stores[j].Mul(c.Val[j].Cur.Sub(c.Sel[j].Cur)))
	}
	for m, y := range c.After {
		e := y.Cur.Sub(c.Before[m].Cur)
		for i := max(0, m-3); i <= min(3, m); i++ {
			e = e.Sub(c.K[i].Cur.Mul(u[m-i].Sub(c.Before[m].Cur)))
		}
		b.Assert(fmt.Sprintf("after%d", m), e)
	}

	// Memory: word w at slot 3 on every real row; the next word at slot 4 when the access
	// crosses a word boundary (k + size > 4).
	k123 := b.Sum(c.K[1].Cur, c.K[2].Cur, c.K[3].Cur)
	cross := lw.Add(sw).Mul(k123).Add(b.Sum(lh, lhu, sh).Mul(c.K[3].Cur))
	c.Lo.Constrain(b, w, [2]air.Expr{limb(c.After, 0), limb(c.After, 1)}, memory.TS(c.Clk.Cur, trace.SlotData), real, nil)
	c.Hi.Constrain(b, w1, [2]air.Expr{limb(c.After, 2), limb(c.After, 3)}, memory.TS(c.Clk.Cur, trace.SlotData+1), cross, nil)

	valLo := c.Val[0].Cur.Add(c.Val[1].Cur.MulC(256))
	valHi := c.Val[2].Cur.Add(c.Val[3].Cur.MulC(256))
	b.Receive("loadstore", bus.LoadStore, []air.Expr{c.Clk.Cur, op, c.BaseLo.Cur, c.BaseHi.Cur, c.OffLo.Cur, c.OffHi.Cur, valLo, valHi}, real)
	return b.MustBuild()
}
