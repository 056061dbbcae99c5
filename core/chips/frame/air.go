package frame

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the chip's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("frame")
	c := newColumns(b)
	call, ret := c.IsCall.Cur, c.IsRet.Cur
	real := call.Add(ret)
	b.AssertBool("is_call_bool", call)
	b.AssertBool("is_ret_bool", ret)
	b.AssertBool("one_kind", real)

	// The link word follows [fp]: fp + 1, or word 0 after the top word (the byte address
	// wraps, as in package exec). wrap can only be set at the top word.
	fp := c.FP.Cur
	b.AssertBool("wrap_bool", c.Wrap.Cur)
	b.Assert("wrap_top_word", c.Wrap.Cur.Mul(fp.AddC(-(1<<30 - 1))))
	link := fp.AddC(1).Sub(c.Wrap.Cur.MulC(1 << 30))

	// pc < 2^30 and saved_fp < 2^30 as limbs of well-formed words: pc_hi < 2^14 and
	// saved_lo < 2^14 (U16 lookups of the value and of 4× it), pc_lo and saved_hi < 2^16.
	b.Send("pc_lo_range", bus.U16, []air.Expr{c.PCLo.Cur}, real)
	b.Send("pc_hi_range", bus.U16, []air.Expr{c.PCHi.Cur}, real)
	b.Send("pc_hi_range14", bus.U16, []air.Expr{c.PCHi.Cur.MulC(4)}, real)
	b.Send("saved_lo_range", bus.U16, []air.Expr{c.SavedLo.Cur}, real)
	b.Send("saved_lo_range14", bus.U16, []air.Expr{c.SavedLo.Cur.MulC(4)}, real)
	b.Send("saved_hi_range", bus.U16, []air.Expr{c.SavedHi.Cur}, real)
	pc := c.PCLo.Cur.Add(c.PCHi.Cur.MulC(1 << 16))
	savedFP := c.SavedLo.Cur.Add(c.SavedHi.Cur.MulC(1 << 14))

	// CALL writes the words; RET reads them (the gadgets' previous values must equal
	// them).
	pcWord := [2]air.Expr{c.PCLo.Cur, c.PCHi.Cur}
	fpWord := [2]air.Expr{c.SavedLo.Cur.MulC(4), c.SavedHi.Cur}
	c.PCWord.Constrain(b, fp, pcWord, memory.TS(c.Clk.Cur, trace.SlotData), real, &ret)
	c.FPWord.Constrain(b, link, fpWord, memory.TS(c.Clk.Cur, trace.SlotData+1), real, &ret)

	b.Receive("frame", bus.Frame, []air.Expr{c.Clk.Cur, ret, fp, pc, savedFP}, real)
	return b.MustBuild()
}
