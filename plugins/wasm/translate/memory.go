package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// Linear memory accesses. A memory of `size` bytes lives at Memory.Base; an access of w
// bytes at address a with static offset k is in bounds when a + k + w ≤ size (computed
// without wrapping). The common case costs one compare: a < fast, where the frame slot
// fast holds max(size − FastWindow, 0) and k + w ≤ FastWindow. Addresses at or above it
// take an exact check out of line.

// boundsCheck emits the check of an access of e = k + w bytes at addr.
func (c *fn) boundsCheck(addr opd, e uint64) {
	mem := c.mem
	limit := uint64(mem.Cap) * PageSize
	if e > limit {
		c.jumpTrap(TrapOutOfBounds)
		return
	}
	t, m := c.tmp(6), c.tmp(7)
	if addr.imm {
		end := uint64(addr.v) + e
		switch {
		case end > limit:
			c.jumpTrap(TrapOutOfBounds)
		case end <= uint64(mem.Min)*PageSize:
			// Within the initial size: memories never shrink.
		default:
			c.b.Load(isa.LW, m, isa.Imm(0), int32(mem.Desc+memBytes))
			c.trapIf(isa.BLTU, m, imm(uint32(end)), TrapOutOfBounds)
		}
		return
	}
	a := addr.off()
	exact := func() {
		c.alu(isa.ADD, t, slot(a), imm(uint32(e)))
		c.trapIf(isa.BLTU, t, imm(uint32(e)), TrapOutOfBounds) // a + e wrapped past 2^32
		c.b.Load(isa.LW, m, isa.Imm(0), int32(mem.Desc+memBytes))
		c.trapIf(isa.BLTU, m, slot(t), TrapOutOfBounds)
	}
	if e > FastWindow {
		exact()
		return
	}
	slow, back := c.b.NewLabel("bounds.slow"), c.b.NewLabel("bounds.back")
	c.b.Branch(isa.BGEU, a, isa.Slot(c.fast), slow)
	c.b.Bind(back)
	c.slow = append(c.slow, func() {
		c.b.Bind(slow)
		exact()
		c.b.Jump(back)
	})
}

func (c *fn) load() {
	op := c.in.Op
	addr := c.popS()
	k := c.in.Y
	c.boundsCheck(addr.w[0], uint64(k)+uint64(module.AccessSize(op)))
	t := module.I32
	if op >= module.OpI64Load8S && op <= module.OpI64Load32U || op == module.OpI64Load {
		t = module.I64
	}
	dst := c.dest(t)
	base := addr.w[0].isa()
	off := int32(c.mem.Base + k)
	switch op {
	case module.OpI32Load:
		c.b.Load(isa.LW, dst, base, off)
	case module.OpI32Load8S:
		c.b.Load(isa.LB, dst, base, off)
	case module.OpI32Load8U:
		c.b.Load(isa.LBU, dst, base, off)
	case module.OpI32Load16S:
		c.b.Load(isa.LH, dst, base, off)
	case module.OpI32Load16U:
		c.b.Load(isa.LHU, dst, base, off)
	case module.OpI64Load:
		c.b.Load(isa.LW, dst+4, base, off+4) // hi first: the address may be in dst's low slot
		c.b.Load(isa.LW, dst, base, off)
	case module.OpI64Load8S, module.OpI64Load16S, module.OpI64Load32S:
		lop := map[module.Opcode]isa.Opcode{module.OpI64Load8S: isa.LB, module.OpI64Load16S: isa.LH, module.OpI64Load32S: isa.LW}[op]
		c.b.Load(lop, dst, base, off)
		c.alu(isa.SRA, dst+4, slot(dst), imm(31))
	case module.OpI64Load8U, module.OpI64Load16U, module.OpI64Load32U:
		lop := map[module.Opcode]isa.Opcode{module.OpI64Load8U: isa.LBU, module.OpI64Load16U: isa.LHU, module.OpI64Load32U: isa.LW}[op]
		c.b.Load(lop, dst, base, off)
		c.mov(dst+4, imm(0))
	}
}

func (c *fn) store() {
	op := c.in.Op
	v := c.popS()
	addr := c.popS()
	k := c.in.Y
	c.boundsCheck(addr.w[0], uint64(k)+uint64(module.AccessSize(op)))
	base := addr.w[0].isa()
	off := int32(c.mem.Base + k)
	lo := c.inSlot(v.w[0], c.tmp(0))
	switch op {
	case module.OpI32Store, module.OpI64Store32:
		c.b.Store(isa.SW, lo, base, off)
	case module.OpI32Store8, module.OpI64Store8:
		c.b.Store(isa.SB, lo, base, off)
	case module.OpI32Store16, module.OpI64Store16:
		c.b.Store(isa.SH, lo, base, off)
	case module.OpI64Store:
		hi := c.inSlot(v.w[1], c.tmp(1))
		c.b.Store(isa.SW, lo, base, off)
		c.b.Store(isa.SW, hi, base, off+4)
	}
}

// helperCall calls a runtime routine with the given argument words; its results come
// back in the callee frame's slots from 8 (returned as the offset of the first).
func (c *fn) helperCall(l isa.Label, args ...opd) int32 {
	c.clobberFrom(c.frame)
	// Arguments popped from the stack may still be a previous call's results in the
	// callee region: move those out of the way first.
	for i, a := range args {
		if !a.imm && a.off() >= c.frame {
			c.mov(c.tmp(i), a)
			args[i] = slot(c.tmp(i))
		}
	}
	for i, a := range args {
		c.mov(c.frame+8+4*int32(i), a)
	}
	c.b.Call(l, c.frame)
	return c.frame + 8
}

func (c *fn) memoryGrow() {
	n := c.popS()
	r := c.helperCall(c.s.growRoutine(c.mem), n.w[0])
	if c.fastLoaded() {
		c.loadFast()
	}
	dst := c.dest(module.I32)
	c.mov(dst, slot(r))
}

// fastLoaded reports whether the function keeps the memory's fast limit in its frame.
func (c *fn) fastLoaded() bool { return c.usesMem }

func (c *fn) bulkMemory() {
	switch c.in.Op {
	case module.OpDataDrop:
		seg := c.inst.datas[c.in.Y]
		c.mov(c.tmp(0), imm(0))
		c.b.Store(isa.SW, c.tmp(0), isa.Imm(0), int32(seg.cell))
	case module.OpMemoryFill:
		n := c.popS()
		v := c.popS()
		d := c.popS()
		c.helperCall(c.s.fillRoutine(c.mem), d.w[0], v.w[0], n.w[0])
	case module.OpMemoryCopy:
		n := c.popS()
		src := c.popS()
		d := c.popS()
		c.helperCall(c.s.copyRoutine(c.mem), d.w[0], src.w[0], n.w[0])
	case module.OpMemoryInit:
		seg := c.inst.datas[c.in.Y]
		n := c.popS()
		src := c.popS()
		d := c.popS()
		c.helperCall(c.s.initRoutine(c.mem), d.w[0], src.w[0], n.w[0], imm(seg.addr), imm(seg.cell))
	}
}

func (c *fn) tableOp() {
	in := c.in
	switch in.Op {
	case module.OpTableSize:
		t := c.inst.Tables[in.Y]
		dst := c.dest(module.I32)
		c.b.Load(isa.LW, dst, isa.Imm(0), int32(t.Addr))
	case module.OpTableGet:
		t := c.inst.Tables[in.Y]
		i := c.popS()
		r := c.helperCall(c.s.tableGetRoutine(), i.w[0], imm(t.Addr))
		dst := c.dest(t.Elem)
		c.mov(dst, slot(r))
	case module.OpTableSet:
		t := c.inst.Tables[in.Y]
		v := c.popS()
		i := c.popS()
		c.helperCall(c.s.tableSetRoutine(), i.w[0], v.w[0], imm(t.Addr))
	case module.OpTableGrow:
		t := c.inst.Tables[in.Y]
		n := c.popS()
		v := c.popS()
		r := c.helperCall(c.s.tableGrowRoutine(), v.w[0], n.w[0], imm(t.Addr), imm(t.Cap))
		dst := c.dest(module.I32)
		c.mov(dst, slot(r))
	case module.OpTableFill:
		t := c.inst.Tables[in.Y]
		n := c.popS()
		v := c.popS()
		i := c.popS()
		c.helperCall(c.s.tableFillRoutine(), i.w[0], v.w[0], n.w[0], imm(t.Addr))
	case module.OpTableCopy:
		dt, st := c.inst.Tables[in.Y], c.inst.Tables[in.X]
		n := c.popS()
		src := c.popS()
		d := c.popS()
		c.helperCall(c.s.tableCopyRoutine(), d.w[0], src.w[0], n.w[0], imm(dt.Addr), imm(st.Addr))
	case module.OpTableInit:
		t := c.inst.Tables[in.X]
		seg := c.inst.elems[in.Y]
		n := c.popS()
		src := c.popS()
		d := c.popS()
		c.helperCall(c.s.tableInitRoutine(), d.w[0], src.w[0], n.w[0], imm(t.Addr), imm(seg.addr), imm(seg.cell))
	case module.OpElemDrop:
		seg := c.inst.elems[in.Y]
		c.mov(c.tmp(0), imm(0))
		c.b.Store(isa.SW, c.tmp(0), isa.Imm(0), int32(seg.cell))
	}
}
