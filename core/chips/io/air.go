package io

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the chip's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("io")
	c := newColumns(b)
	inputLen := b.Public("input_len")
	outputLen := b.Public("output_len")
	inStart, outStart, inEnd := b.Public("in_start"), b.Public("out_start"), b.Public("in_end")
	rd, ln, wr := c.IsRead.Cur, c.IsLen.Cur, c.IsWrite.Cur
	real := b.Sum(rd, ln, wr)
	b.AssertBool("is_read_bool", rd)
	b.AssertBool("is_input_len_bool", ln)
	b.AssertBool("is_write_bool", wr)
	b.AssertBool("one_call", real)

	// Real rows first, in strictly increasing clk order.
	realNext := b.Sum(c.IsRead.Next, c.IsLen.Next, c.IsWrite.Next)
	b.AssertTransition("padding_last", realNext.Mul(real.OneMinus()))
	dclk := c.Clk.Next.Sub(c.Clk.Cur).AddC(-1).Sub(c.DClkLo.Cur).Sub(c.DClkHi.Cur.MulC(1 << 16))
	b.AssertTransition("clk_increasing", realNext.Mul(dclk))
	// Only a real row's gap is used (real rows come first: a row whose next is real is
	// real), so only real rows range-check it; padding rows would otherwise fill the
	// range table's LogUp multiplicities.
	b.Send("dclk_lo_range", bus.U16, []air.Expr{c.DClkLo.Cur}, real)
	b.Send("dclk_hi_range", bus.U12, []air.Expr{c.DClkHi.Cur}, real)

	// The byte count of a READ or WRITE.
	count, cntSum := b.Const(0), b.Const(0)
	for i, ci := range c.Count {
		b.AssertBool(fmt.Sprintf("count%d_bool", i+1), ci.Cur)
		cntSum = cntSum.Add(ci.Cur)
		count = count.Add(ci.Cur.MulC(int64(i + 1)))
	}
	b.AssertEq("one_count", cntSum, rd.Add(wr))

	// Running offsets: they start at the public in_start and out_start (0, 0 in a run's
	// first segment); a READ advances the input by its count, a WRITE the output by its
	// count; they end at the public in_end and output_len.
	dIn, dOut := rd.Mul(count), wr.Mul(count)
	b.AssertFirst("in_off_first", c.InOff.Cur.Sub(inStart))
	b.AssertFirst("out_off_first", c.OutOff.Cur.Sub(outStart))
	b.AssertLast("in_end", c.InOff.Cur.Add(dIn).Sub(inEnd))
	b.AssertTransition("in_off_next", c.InOff.Next.Sub(c.InOff.Cur).Sub(dIn))
	b.AssertTransition("out_off_next", c.OutOff.Next.Sub(c.OutOff.Cur).Sub(dOut))
	b.AssertLast("output_len", c.OutOff.Cur.Add(dOut).Sub(outputLen))

	// [a] as bytes.
	for j, x := range c.A {
		b.Send(fmt.Sprintf("a%d_range", j), bus.U8, []air.Expr{x.Cur}, real)
	}
	aLo := c.A[0].Cur.Add(c.A[1].Cur.MulC(256))
	aHi := c.A[2].Cur.Add(c.A[3].Cur.MulC(256))

	// READ: count = min(4, input_len − in_off) ≥ 1, and [a]'s bytes past the count are 0.
	rem := inputLen.Sub(c.InOff.Cur)
	gap := rem.AddC(-4).Sub(c.GapLo.Cur).Sub(c.GapHi.Cur.MulC(1 << 16))
	b.Assert("read_full", rd.Mul(c.Count[3].Cur).Mul(gap))
	// The gap is used on READ rows only (read_full), and range-checked there only.
	b.Send("gap_lo_range", bus.U16, []air.Expr{c.GapLo.Cur}, rd)
	b.Send("gap_hi_range", bus.U16, []air.Expr{c.GapHi.Cur}, rd)
	b.Send("gap_hi_range14", bus.U16, []air.Expr{c.GapHi.Cur.MulC(4)}, rd)
	// The word read is the input tape's word at in_off (package input receives it).
	b.Send("input_word", bus.Input, []air.Expr{c.InOff.Cur, aLo, aHi}, rd)
	short := b.Const(0) // count ≤ j
	for j := 1; j < 4; j++ {
		b.Assert(fmt.Sprintf("read_last%d", j), rd.Mul(c.Count[j-1].Cur).Mul(rem.AddC(int64(-j))))
		short = short.Add(c.Count[j-1].Cur)
		b.Assert(fmt.Sprintf("read_pad%d", j), rd.Mul(short).Mul(c.A[j].Cur))
	}

	// INPUT_LEN: [a] = input_len − in_off, below 2^30 (its top byte below 2^6).
	b.Assert("input_len", ln.Mul(aLo.Add(aHi.MulC(1<<16)).Sub(rem)))
	b.Send("input_len_range", bus.U8, []air.Expr{c.A[3].Cur.MulC(4)}, ln)

	// WRITE: B = count, and byte j < B of [a] goes out at output index out_off + j.
	b.Assert("write_count", wr.Mul(c.BLo.Cur.Sub(count)))
	b.Assert("write_count_hi", wr.Mul(c.BHi.Cur))
	for j, x := range c.A {
		more := b.Const(0) // count > j
		for i := j; i < 4; i++ {
			more = more.Add(c.Count[i].Cur)
		}
		b.Send(fmt.Sprintf("output%d", j), bus.Output, []air.Expr{c.OutOff.Cur.AddC(int64(j)), x.Cur}, wr.Mul(more))
	}

	number := rd.MulC(int64(isa.SysRead)).Add(ln.MulC(int64(isa.SysInputLen))).Add(wr.MulC(int64(isa.SysWrite)))
	b.Receive("syscall", bus.Syscall, []air.Expr{c.Clk.Cur, number, aLo, aHi, c.BLo.Cur, c.BHi.Cur}, real)
	return b.MustBuild()
}
