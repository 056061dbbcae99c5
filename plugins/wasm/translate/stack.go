package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// maxVirtual bounds the stack entries that are not in their own slots, so that the
// scans for readers of a slot stay short whatever the code.
const maxVirtual = 16

// push adds v on top of the operand stack.
func (c *fn) push(v val) {
	i := len(c.stack)
	p := c.nextPos()
	c.stack = append(c.stack, v)
	c.pos = append(c.pos, p)
	if !c.canonical(i) {
		if len(c.virt) >= maxVirtual {
			c.materialize(c.virt[0])
		}
		c.virt = append(c.virt, i)
	}
}

func (c *fn) pushS(v sval) { c.push(simple(v)) }

// pushSlot pushes the value of type t computed into its own stack slots: it returns
// the slot offset to compute it into. The caller emits the code after the call.
func (c *fn) pushSlot(t module.ValType) int32 {
	p := c.nextPos()
	c.clobber(p, t.Words(), -1)
	c.push(simple(slotVal(t, p)))
	return p
}

func (c *fn) nextPos() int32 {
	if n := len(c.stack); n > 0 {
		return c.pos[n-1] + 4*int32(c.stack[n-1].words())
	}
	return c.stackBase
}

// posAt is the slot offset of stack index i (i ≤ len(stack)).
func (c *fn) posAt(i int) int32 {
	if i < len(c.stack) {
		return c.pos[i]
	}
	return c.nextPos()
}

func (c *fn) pop() val {
	n := len(c.stack) - 1
	v := c.stack[n]
	c.stack = c.stack[:n]
	c.pos = c.pos[:n]
	if k := len(c.virt); k > 0 && c.virt[k-1] == n {
		c.virt = c.virt[:k-1]
	}
	return v
}

// popS pops an entry as a simple value (computing a pending one into its slot first).
func (c *fn) popS() sval {
	if c.top().pending {
		c.materialize(len(c.stack) - 1)
	}
	return c.pop().sval
}

func (c *fn) top() *val { return &c.stack[len(c.stack)-1] }

// canonical reports whether entry i is in its own slots.
func (c *fn) canonical(i int) bool {
	v := &c.stack[i]
	if v.pending {
		return false
	}
	p := c.pos[i]
	if !v.w[0].is(p) {
		return false
	}
	return v.words() == 1 || v.w[1].is(p+4)
}

func (c *fn) unvirt(i int) {
	for k, j := range c.virt {
		if j == i {
			c.virt = append(c.virt[:k], c.virt[k+1:]...)
			return
		}
	}
}

// materialize computes entry i into its own slots.
func (c *fn) materialize(i int) {
	if c.canonical(i) {
		c.unvirt(i)
		return
	}
	c.unvirt(i)
	p := c.pos[i]
	v := c.stack[i]
	c.clobber(p, v.words(), i)
	c.emitInto(v, p)
	c.stack[i] = simple(slotVal(v.t, p))
}

// clobber is called before nwords slots from off are written: every other stack entry
// that reads them is computed into its own slots first.
func (c *fn) clobber(off int32, nwords int, except int) {
	for k := 0; k < len(c.virt); k++ {
		j := c.virt[k]
		if j == except {
			continue
		}
		if c.stack[j].reads(off, nwords) {
			c.materialize(j)
			k = -1 // virt changed: rescan
		}
	}
}

// clobberFrom materializes every entry that reads a slot at or above off (the callee
// frame region, before a call).
func (c *fn) clobberFrom(off int32) {
	for k := 0; k < len(c.virt); k++ {
		j := c.virt[k]
		if c.stack[j].readsFrom(off) {
			c.materialize(j)
			k = -1
		}
	}
}

// spillAll puts every entry in its own slots (at block boundaries).
func (c *fn) spillAll() {
	for len(c.virt) > 0 {
		c.materialize(c.virt[0])
	}
}

// emitInto computes v into the slots from dst. The caller has made sure no stack entry
// still needs the old contents of those slots.
func (c *fn) emitInto(v val, dst int32) {
	if !v.pending {
		c.copyS(v.sval, dst)
		return
	}
	c.lower(&v, dst)
}

// copyS copies a simple value into the slots from dst, in ascending word order.
func (c *fn) copyS(v sval, dst int32) {
	for i := 0; i < v.words(); i++ {
		c.mov(dst+4*int32(i), v.w[i])
	}
}

// mov emits [dst] = src unless src is [dst] already.
func (c *fn) mov(dst int32, src opd) {
	if src.is(dst) {
		return
	}
	c.b.ALU(isa.ADD, dst, src.isa(), isa.Imm(0))
}

func (c *fn) alu(op isa.Opcode, dst int32, x, y opd) { c.b.ALU(op, dst, x.isa(), y.isa()) }

// inSlot returns a slot holding o: o itself, or the temp t after moving it there.
func (c *fn) inSlot(o opd, t int32) int32 {
	if !o.imm {
		return o.off()
	}
	c.mov(t, o)
	return t
}

// trapIf emits "if [a] op b then trap code".
func (c *fn) trapIf(op isa.Opcode, a int32, b opd, code TrapCode) {
	c.b.Branch(op, a, b.isa(), c.s.trapLabel(code))
}

// jumpTrap emits an unconditional trap.
func (c *fn) jumpTrap(code TrapCode) { c.b.Jump(c.s.trapLabel(code)) }

var _ = module.I32
