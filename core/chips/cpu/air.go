package cpu

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/chips/rom"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Public values of the CPU table, by index.
const (
	PubEntry  = 0 // the program's entry pc
	PubFP     = 1 // the initial frame pointer, as a word index
	PubCycles = 2 // the number of executed instructions
	// PubContext is the first of hash.DigestLen public values that no constraint reads:
	// the digest of the claim's context (sdk/envelope: the ISA, source digest and input
	// digest). Public values are absorbed into the transcript before any challenge, so
	// a proof made for one context does not verify for another.
	PubContext = 3
	// PubExitPC and PubExitFP are where a segment that does not end the run hands over:
	// the next_pc and next_fp (a word index) of its last row. A segment that ends with
	// HALT or TRAP leaves them unconstrained; its verifier sets them to 0.
	PubExitPC = PubContext + hash.DigestLen
	PubExitFP = PubExitPC + 1
)

// AIR builds the CPU's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("cpu")
	c := newColumns(b)
	entry, fp0, cycles := b.Public("entry"), b.Public("fp"), b.Public("cycles")
	for i := range hash.DigestLen {
		b.Public(fmt.Sprintf("context%d", i))
	}
	exitPC, exitFP := b.Public("exit_pc"), b.Public("exit_fp")
	real := c.IsReal.Cur

	// Booleans and the one-hot class.
	b.AssertBool("is_real_bool", real)
	classes := make([]air.Expr, len(c.Class))
	for k := range c.Class {
		b.AssertBool(c.Class[k].Name+"_bool", c.Class[k].Cur)
		classes[k] = c.Class[k].Cur
	}
	b.AssertEq("one_class", b.Sum(classes...), real)
	for _, f := range []air.Column{c.BRead, c.CRead, c.ARead, c.AWrite, c.Cond} {
		b.AssertBool(f.Name+"_bool", f.Cur)
	}
	// Padding rows make no memory access: their timestamps (clk past the run, up to the
	// table's height) are no cycle's, and would pass the 2^28 bound of the memory
	// argument in a table taller than the run needs.
	for _, f := range []air.Column{c.BRead, c.CRead, c.ARead, c.AWrite} {
		b.Assert(f.Name+"_real_only", f.Cur.Mul(real.OneMinus()))
	}
	b.Assert("a_read_or_write", c.ARead.Cur.Mul(c.AWrite.Cur))
	b.Assert("cond_only_in_branch", c.Cond.Cur.Mul(c.is(rom.ClassBranch).OneMinus()))

	// Fetch: the decoded instruction at pc, from the ROM.
	kind := b.Const(0)
	for k := range c.Class {
		kind = kind.Add(c.Class[k].Cur.MulC(int64(k + 1)))
	}
	kind = kind.Add(c.BRead.Cur.MulC(rom.FlagBRead)).Add(c.CRead.Cur.MulC(rom.FlagCRead)).
		Add(c.ARead.Cur.MulC(rom.FlagARead)).Add(c.AWrite.Cur.MulC(rom.FlagAWrite))
	bImm := c.BRead.Cur.OneMinus()
	cImm := c.CRead.Cur.OneMinus()
	b.Receive("fetch", bus.Program, rom.Tuple(c.PC.Cur, kind, c.SubOp.Cur, c.AOff.Cur, c.BOff.Cur, c.COff.Cur,
		bImm.Mul(c.BLo.Cur), bImm.Mul(c.BHi.Cur), cImm.Mul(c.CLo.Cur), cImm.Mul(c.CHi.Cur)), real)

	// Operand accesses: [fp+b] in slot 0, [fp+c] in slot 1, [fp+a] in slot 2 (5 for loads).
	ts := func(slot int64) air.Expr { return memory.TS(c.Clk.Cur, slot) }
	c.AccB.Constrain(b, c.FP.Cur.Add(c.BOff.Cur), [2]air.Expr{c.BLo.Cur, c.BHi.Cur}, ts(0), c.BRead.Cur, nil)
	c.AccC.Constrain(b, c.FP.Cur.Add(c.COff.Cur), [2]air.Expr{c.CLo.Cur, c.CHi.Cur}, ts(1), c.CRead.Cur, nil)
	aRead := c.ARead.Cur
	c.AccA.Constrain(b, c.FP.Cur.Add(c.AOff.Cur), [2]air.Expr{c.ALo.Cur, c.AHi.Cur},
		ts(2).Add(c.is(rom.ClassLoad).MulC(3)), c.ARead.Cur.Add(c.AWrite.Cur), &aRead)

	// Control flow.
	isALU, isLoad, isStore, isEcall := c.is(rom.ClassALU), c.is(rom.ClassLoad), c.is(rom.ClassStore), c.is(rom.ClassEcall)
	isJump, isBranch, isCall, isRet := c.is(rom.ClassJump), c.is(rom.ClassBranch), c.is(rom.ClassCall), c.is(rom.ClassRet)
	isHalt, isTrap := c.is(rom.ClassHalt), c.is(rom.ClassTrap)
	seq := b.Sum(isALU, isLoad, isStore, isEcall)
	pc1 := c.PC.Cur.AddC(1)
	cVal := c.CLo.Cur.Add(c.CHi.Cur.MulC(1 << 16))
	b.Assert("next_pc_seq", seq.Mul(c.NextPC.Cur.Sub(pc1)))
	b.Assert("next_pc_jump", isJump.Add(isCall).Mul(c.NextPC.Cur.Sub(cVal)))
	b.Assert("next_pc_branch", isBranch.Mul(c.NextPC.Cur.Sub(pc1).Sub(c.Cond.Cur.Mul(cVal.Sub(pc1)))))
	// A target that is taken is an instruction index below 2^30 (so below p: a target of
	// p + k must not land on k). c_hi < 2^16 is known (a well-formed word or a ROM
	// immediate); 4·c_hi < 2^16 makes it < 2^14. A branch that is not taken does not
	// check its target (the executor does not either): cond is 0 off branch rows.
	b.Send("target_range", bus.U16, []air.Expr{c.CHi.Cur.MulC(4)}, b.Sum(isJump, isCall, c.Cond.Cur))
	b.Assert("next_fp_same", b.Sum(seq, isJump, isBranch).Mul(c.NextFP.Cur.Sub(c.FP.Cur)))
	b.Assert("next_fp_call", isCall.Mul(c.NextFP.Cur.Sub(c.FP.Cur).Sub(c.AOff.Cur)))

	// Rows: the first is real and starts at the entry; real rows are contiguous, each
	// continuing where the previous left; exactly one real row is the last (last = 1:
	// the row after it is padding), and at least one padding row follows. The last row
	// either stops the run (HALT or TRAP, and nothing else stops it) or cuts the
	// segment there, handing its (next_pc, next_fp) over as exit_pc, exit_fp.
	last := c.Last.Cur
	b.AssertBool("last_bool", last)
	b.Assert("last_real", last.Mul(real.OneMinus()))
	b.AssertFirst("first_real", real.OneMinus())
	b.AssertFirst("first_clk", c.Clk.Cur)
	b.AssertFirst("first_pc", c.PC.Cur.Sub(entry))
	b.AssertFirst("first_fp", c.FP.Cur.Sub(fp0))
	b.AssertTransition("clk_step", c.Clk.Next.Sub(c.Clk.Cur).AddC(-1))
	b.AssertTransition("padding_after", c.IsReal.Next.Mul(real.OneMinus()))
	b.AssertTransition("pc_flow", c.IsReal.Next.Mul(c.PC.Next.Sub(c.NextPC.Cur)))
	b.AssertTransition("fp_flow", c.IsReal.Next.Mul(c.FP.Next.Sub(c.NextFP.Cur)))
	b.AssertTransition("last_marks_end", real.Mul(c.IsReal.Next.OneMinus()).Sub(last))
	stop := isHalt.Add(isTrap)
	b.Assert("stop_is_last", stop.Mul(last.OneMinus()))
	b.AssertLast("last_is_padding", real)
	b.Assert("cycles", last.Mul(c.Clk.Cur.AddC(1).Sub(cycles)))
	cut := last.Sub(stop)
	b.Assert("exit_pc", cut.Mul(c.NextPC.Cur.Sub(exitPC)))
	b.Assert("exit_fp", cut.Mul(c.NextFP.Cur.Sub(exitFP)))

	// Dispatch to the other chips.
	alu := isALU.Add(isBranch)
	b.Send("alu", bus.ALU, []air.Expr{c.SubOp.Cur,
		isALU.Mul(c.BLo.Cur).Add(isBranch.Mul(c.ALo.Cur)), isALU.Mul(c.BHi.Cur).Add(isBranch.Mul(c.AHi.Cur)),
		isALU.Mul(c.CLo.Cur).Add(isBranch.Mul(c.BLo.Cur)), isALU.Mul(c.CHi.Cur).Add(isBranch.Mul(c.BHi.Cur)),
		isALU.Mul(c.ALo.Cur).Add(c.Cond.Cur), isALU.Mul(c.AHi.Cur)}, alu)
	b.Send("loadstore", bus.LoadStore, []air.Expr{c.Clk.Cur, c.SubOp.Cur, c.BLo.Cur, c.BHi.Cur, c.CLo.Cur, c.CHi.Cur, c.ALo.Cur, c.AHi.Cur},
		isLoad.Add(isStore))
	b.Send("frame", bus.Frame, []air.Expr{c.Clk.Cur, isRet,
		isCall.Mul(c.NextFP.Cur).Add(isRet.Mul(c.FP.Cur)),
		isCall.Mul(pc1).Add(isRet.Mul(c.NextPC.Cur)),
		isCall.Mul(c.FP.Cur).Add(isRet.Mul(c.NextFP.Cur))}, isCall.Add(isRet))
	b.Send("syscall", bus.Syscall, []air.Expr{c.Clk.Cur, c.SubOp.Cur, c.ALo.Cur, c.AHi.Cur, c.BLo.Cur, c.BHi.Cur}, isEcall)
	b.Send("exit", bus.Exit, []air.Expr{isTrap.MulC(int64(isa.StatusTrap)), c.BLo.Cur, c.BHi.Cur}, stop)
	return b.MustBuild()
}
