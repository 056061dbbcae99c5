package cpu

import (
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/chips/rom"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// Columns of the CPU chip: one row per cycle.
type Columns struct {
	IsReal, Clk, PC, FP          air.Column
	Class                        [rom.NumClasses]air.Column // one-hot, Class[k-1] for class k
	BRead, CRead, ARead, AWrite  air.Column
	SubOp, AOff, BOff, COff      air.Column
	ALo, AHi, BLo, BHi, CLo, CHi air.Column
	NextPC, NextFP, Cond         air.Column
	Last                         air.Column // the segment's last real row
	AccB, AccC, AccA             *memory.Access
}

func newColumns(b *air.Builder) *Columns {
	c := &Columns{
		IsReal: b.Main("is_real"), Clk: b.Main("clk"), PC: b.Main("pc"), FP: b.Main("fp"),
	}
	names := [rom.NumClasses]string{"is_alu", "is_load", "is_store", "is_jump", "is_branch", "is_call", "is_ret", "is_halt", "is_trap", "is_ecall"}
	for k := range c.Class {
		c.Class[k] = b.Main(names[k])
	}
	c.BRead, c.CRead, c.ARead, c.AWrite = b.Main("b_read"), b.Main("c_read"), b.Main("a_read"), b.Main("a_write")
	c.SubOp, c.AOff, c.BOff, c.COff = b.Main("sub_op"), b.Main("a_off"), b.Main("b_off"), b.Main("c_off")
	c.ALo, c.AHi = b.Main("a_lo"), b.Main("a_hi")
	c.BLo, c.BHi = b.Main("b_lo"), b.Main("b_hi")
	c.CLo, c.CHi = b.Main("c_lo"), b.Main("c_hi")
	c.NextPC, c.NextFP, c.Cond = b.Main("next_pc"), b.Main("next_fp"), b.Main("cond")
	c.Last = b.Main("last")
	c.AccB = memory.NewAccess(b, "mem_b", false)
	c.AccC = memory.NewAccess(b, "mem_c", false)
	c.AccA = memory.NewAccess(b, "mem_a", true)
	return c
}

func (c *Columns) is(class int) air.Expr { return c.Class[class-1].Cur }
