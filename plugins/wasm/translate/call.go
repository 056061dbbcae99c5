package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// Calls: the callee's frame starts at fp + frame (the caller's frame size); the caller
// writes the arguments from its offset 8 and finds the results there after RET.

// setupArgs writes the n values on top of the stack into the callee's parameter slots
// and pops them.
func (c *fn) setupArgs(n int) {
	c.clobberFrom(c.frame)
	h := len(c.stack)
	dst := c.frame + 8
	for i := h - n; i < h; i++ {
		v := c.stack[i]
		c.emitInto(v, dst)
		dst += 4 * int32(v.words())
	}
	for i := 0; i < n; i++ {
		c.pop()
	}
}

// pushResults pushes the callee's results, read in place from its frame.
func (c *fn) pushResults(t module.FuncType) {
	off := c.frame + 8
	for _, r := range t.Results {
		c.pushS(slotVal(r, off))
		off += 4 * int32(r.Words())
	}
	if c.fastLoaded() {
		c.loadFast() // the callee may have grown the memory
	}
}

func (c *fn) call(f *Function) error {
	if f.host != hostNone && f.host != hostNoSys {
		c.intrinsic(f)
		return nil
	}
	c.setupArgs(len(f.Type.Params))
	c.b.Call(f.Label, c.frame)
	c.pushResults(f.Type)
	return nil
}

func (c *fn) callIndirect(t module.FuncType, tb *Table) error {
	c.clobberFrom(c.frame)
	idx := c.popS()
	c.setupArgs(len(t.Params))
	d, ty := c.tmp(0), c.tmp(1)
	if idx.w[0].imm {
		i := idx.w[0].v
		if !c.s.tableGrow && i >= tb.Min || i >= tb.Cap {
			c.jumpTrap(TrapUndefinedElement)
		} else {
			if c.s.tableGrow {
				c.b.Load(isa.LW, ty, isa.Imm(0), int32(tb.Addr))
				c.trapIf(isa.BLTU, ty, imm(i+1), TrapUndefinedElement) // size ≤ i
			}
			c.b.Load(isa.LW, d, isa.Imm(0), int32(tb.Addr+4+4*i))
		}
	} else {
		ix := idx.w[0].off()
		if c.s.tableGrow {
			c.b.Load(isa.LW, ty, isa.Imm(0), int32(tb.Addr))
			c.trapIf(isa.BGEU, ix, slot(ty), TrapUndefinedElement)
		} else {
			c.trapIf(isa.BGEU, ix, imm(tb.Min), TrapUndefinedElement)
		}
		c.alu(isa.SLL, d, slot(ix), imm(2))
		c.b.Load(isa.LW, d, isa.Slot(d), int32(tb.Addr+4))
	}
	c.trapIf(isa.BEQ, d, imm(0), TrapUninitialized)
	c.b.Load(isa.LW, ty, isa.Slot(d), 4)
	c.trapIf(isa.BNE, ty, imm(c.s.typeID(t)), TrapIndirectMismatch)
	c.b.Load(isa.LW, ty, isa.Slot(d), 0)
	c.b.CallTo(isa.Slot(ty), c.frame)
	c.pushResults(t)
	return nil
}

// intrinsic translates a direct call of a host function inline.
func (c *fn) intrinsic(f *Function) {
	switch f.host {
	case hostNop:
		for range f.Type.Params {
			c.pop()
		}
	case hostInputLen:
		dst := c.dest(module.I32)
		c.b.Ecall(isa.SysInputLen, dst, isa.Imm(0))
	case hostReadWord:
		dst := c.dest(module.I32)
		c.b.Ecall(isa.SysRead, dst, isa.Imm(0))
	case hostWriteByte, hostWriteWord:
		v := c.popS()
		n := uint32(1)
		if f.host == hostWriteWord {
			n = 4
		}
		c.b.Ecall(isa.SysWrite, c.inSlot(v.w[0], c.tmp(0)), isa.Imm(n))
	case hostExit:
		v := c.popS()
		c.b.Halt(v.w[0].isa())
	}
}
