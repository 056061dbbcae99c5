package memory

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the memory table's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("memory")
	c := newColumns(b)
	real := c.IsReal.Cur
	b.AssertBool("is_real_bool", real)
	// Real rows first, then padding.
	b.AssertTransition("padding_last", c.IsReal.Next.Mul(real.OneMinus()))
	// addr < 2^30: 16-bit low limb, 14-bit high limb (hi and 4·hi both 16-bit).
	b.Assert("addr_limbs", c.Addr.Cur.Sub(c.AddrLo.Cur).Sub(c.AddrHi.Cur.MulC(1<<16)))
	b.Send("addr_lo_range", bus.U16, []air.Expr{c.AddrLo.Cur}, real)
	b.Send("addr_hi_range", bus.U16, []air.Expr{c.AddrHi.Cur}, real)
	b.Send("addr_hi_range14", bus.U16, []air.Expr{c.AddrHi.Cur.MulC(4)}, real)
	// Strictly increasing addresses between real rows: next − addr − 1 < 2^30.
	gap := c.Addr.Next.Sub(c.Addr.Cur).AddC(-1).Sub(c.GapLo.Cur).Sub(c.GapHi.Cur.MulC(1 << 16))
	b.AssertTransition("addr_increasing", c.IsReal.Next.Mul(gap))
	// Only real rows' gaps are used (a padding row's next row is padding, or row 0 at the
	// wrap, where no transition constraint applies), so only they are range-checked:
	// padding rows would otherwise fill the range table's LogUp multiplicities.
	b.Send("gap_lo_range", bus.U16, []air.Expr{c.GapLo.Cur}, real)
	b.Send("gap_hi_range", bus.U16, []air.Expr{c.GapHi.Cur}, real)
	b.Send("gap_hi_range14", bus.U16, []air.Expr{c.GapHi.Cur.MulC(4)}, real)
	// Each word starts at the value the verifier sends on the public Image bus (the
	// program's image, zero, or what the previous segment left) and ends at the value
	// this table sends on the public MemoryFinal bus (what the verifier receives from the
	// segment's list of touched words).
	b.Receive("image", bus.Image, []air.Expr{c.Addr.Cur, c.InitLo.Cur, c.InitHi.Cur}, real)
	b.Send("init", bus.Memory, []air.Expr{c.Addr.Cur, c.InitLo.Cur, c.InitHi.Cur, b.Const(0)}, real)
	b.Receive("final", bus.Memory, []air.Expr{c.Addr.Cur, c.FinalLo.Cur, c.FinalHi.Cur, c.FinalTS.Cur}, real)
	b.Send("memory_final", bus.MemoryFinal, []air.Expr{c.Addr.Cur, c.FinalLo.Cur, c.FinalHi.Cur}, real)
	return b.MustBuild()
}
