package translate

// Control flow: blocks, branches, br_table, select and returns. At a block boundary
// every stack value is in its own slot; a branch moves the values it carries to the
// target's slots.

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// ctl is a control frame of the translation.
type ctl struct {
	op          module.Opcode // OpBlock, OpLoop, OpIf, or OpEnd for the function
	label       isa.Label     // branch target: the end (block, if, function) or the start (loop)
	elseLabel   isa.Label     // if: the else branch
	hasElse     bool
	base        int // stack index of the first parameter
	params      []module.ValType
	results     []module.ValType
	targeted    bool // a branch goes to the end (so it is reachable)
	unreachable bool // the rest of this block's code cannot run
}

func (k *ctl) labelTypes() []module.ValType {
	if k.op == module.OpLoop {
		return k.params
	}
	return k.results
}

func (c *fn) setUnreachable() {
	k := c.cur()
	k.unreachable = true
	// Drop the operand stack down to the block's base: the code after cannot run.
	for len(c.stack) > k.base {
		c.pop()
	}
}

// resetStack sets the stack to base entries plus the block's parameters in their slots.
func (c *fn) resetStack(base int, params []module.ValType) {
	for len(c.stack) > base {
		c.pop()
	}
	for _, t := range params {
		c.pushS(slotVal(t, c.nextPos()))
	}
}

// placeResults puts the values a block leaves (its results) in their slots at the
// block's base, for code that continues after the block.
func (c *fn) placeResults(k *ctl) {
	c.moveValues(k.base, len(k.results))
}

// moveValues moves the n values on top of the stack to the slots of stack indices
// base…base+n-1, leaving the stack as it was.
func (c *fn) moveValues(base, n int) {
	h := len(c.stack)
	from := h - n
	if from == base {
		for i := from; i < h; i++ {
			c.materialize(i)
		}
		return
	}
	// Compute pending values in their own slots first, then copy downwards in ascending
	// word order (no source word is overwritten before it is read).
	for i := from; i < h; i++ {
		if c.stack[i].pending {
			c.materialize(i)
		}
	}
	dst := c.posAt(base)
	for i := from; i < h; i++ {
		v := c.stack[i].sval
		c.copyS(v, dst)
		dst += 4 * int32(v.words())
	}
}

func (c *fn) end() error {
	k := c.cur()
	if len(c.ctrls) == 1 {
		if !k.unreachable {
			c.ret()
		}
		if k.targeted {
			// Branches to the function's label arrive with the results in place.
			c.b.Bind(k.label)
			c.b.Ret()
		} else {
			c.b.Bind(k.label)
		}
		c.ctrls = c.ctrls[:0]
		return nil
	}
	reach := !k.unreachable
	if reach {
		c.placeResults(k)
	}
	if k.op == module.OpIf && !k.hasElse {
		// The false branch arrives here with the parameters (= results) in place.
		c.b.Bind(k.elseLabel)
		reach = true
	}
	if k.op != module.OpLoop {
		c.b.Bind(k.label)
		if k.targeted {
			reach = true
		}
	}
	base, results := k.base, k.results
	c.ctrls = c.ctrls[:len(c.ctrls)-1]
	// Leave the stack as the block's base plus its results in their slots.
	for len(c.stack) > base {
		c.pop()
	}
	if !reach {
		c.setUnreachable()
		return nil
	}
	for _, t := range results {
		c.pushS(slotVal(t, c.nextPos()))
	}
	return nil
}

// br branches unconditionally to label depth d.
func (c *fn) br(d uint32) {
	k := &c.ctrls[len(c.ctrls)-1-int(d)]
	if len(c.ctrls)-1-int(d) == 0 {
		c.ret()
		return
	}
	c.moveValues(k.base, len(k.labelTypes()))
	c.b.Jump(k.label)
	if k.op != module.OpLoop {
		k.targeted = true
	}
}

func (c *fn) brIf(d uint32) {
	cond := c.pop()
	k := &c.ctrls[len(c.ctrls)-1-int(d)]
	n := len(k.labelTypes())
	h := len(c.stack)
	isFunc := len(c.ctrls)-1-int(d) == 0
	if !isFunc && h-n == k.base {
		// The values are where the target wants them: compute them there and branch.
		for i := h - n; i < h; i++ {
			c.materialize(i)
		}
		c.branchOn(cond, true, k.label)
		if k.op != module.OpLoop {
			k.targeted = true
		}
		return
	}
	// Compute the carried values in their own slots before the branch splits the paths:
	// the moves on the taken path then change no compile-time state that the path not
	// taken would miss (a pending value computed there only).
	for i := h - n; i < h; i++ {
		c.materialize(i)
	}
	skip := c.b.NewLabel("br_if.skip")
	c.branchOn(cond, false, skip)
	c.br(d)
	c.b.Bind(skip)
}

// ret returns from the function: results to the slots from 8, then RET.
func (c *fn) ret() {
	n := len(c.fun.Type.Results)
	h := len(c.stack)
	from := h - n
	// The results go over the parameters and locals. Copying in ascending order is safe
	// unless a result reads a slot that an earlier copy overwrites; a pending result is
	// computed in place only if it reads nothing of the result area. Otherwise the
	// results are first computed into their own stack slots (above the area).
	area := int32(8)
	safe := true
	dst := area
	for i := from; i < h && safe; i++ {
		v := &c.stack[i]
		if v.pending {
			// Each argument must read no earlier result's slots, and its own target's slots
			// exactly or not at all (the lowerings handle exact aliasing only).
			for k := 0; k < v.nargs; k++ {
				a := v.args[k]
				if a.reads(area, int(dst-area)/4) || a.reads(dst, v.words()) && !sameSlots(a, dst) {
					safe = false
				}
			}
		} else {
			for k := 0; k < v.words(); k++ {
				if o := v.w[k]; !o.imm && o.off() >= area && o.off() < dst+4*int32(k) {
					safe = false // reads a word already overwritten
				}
			}
		}
		dst += 4 * int32(v.words())
	}
	if !safe {
		for i := from; i < h; i++ {
			c.materialize(i)
		}
	}
	dst = area
	for i := from; i < h; i++ {
		v := c.stack[i]
		c.emitInto(v, dst)
		dst += 4 * int32(v.words())
	}
	c.b.Ret()
}

// brTable: the index selects a jump-table word (in the data area) holding the target's
// pc (or a stub's that moves the values first); out-of-range indices take the default.
func (c *fn) brTable(labels []uint32) {
	idx := c.popS()
	def := labels[len(labels)-1]
	if idx.w[0].imm {
		i := idx.w[0].v
		if uint64(i) < uint64(len(labels)-1) {
			c.br(labels[i])
		} else {
			c.br(def)
		}
		return
	}
	arity := len(c.ctrls[len(c.ctrls)-1-int(def)].labelTypes())
	h := len(c.stack)
	for i := h - arity; i < h; i++ {
		c.materialize(i)
	}
	ix := idx.w[0].off()
	// One stub per distinct target depth.
	stubs := map[uint32]isa.Label{}
	var order []uint32
	target := func(d uint32) isa.Label {
		if l, ok := stubs[d]; ok {
			return l
		}
		l := c.b.NewLabel("br_table.case")
		stubs[d] = l
		order = append(order, d)
		return l
	}
	n := uint32(len(labels) - 1)
	defL := target(def)
	if n == 0 {
		c.b.Jump(defL)
	} else {
		table := c.s.data.alloc(4 * n)
		for i, d := range labels[:n] {
			c.s.b.LabelWord(table+4*uint32(i), target(d))
		}
		c.b.Branch(isa.BGEU, ix, isa.Imm(n), defL)
		t := c.tmp(0)
		c.b.ALU(isa.SLL, t, isa.Slot(ix), isa.Imm(2))
		c.b.Load(isa.LW, t, isa.Slot(t), int32(table))
		c.b.JumpTo(isa.Slot(t))
	}
	for _, d := range order {
		c.b.Bind(stubs[d])
		c.br(d)
	}
}

// selectOp: select(a, b, cond) = cond ? a : b.
func (c *fn) selectOp() {
	cond := c.pop()
	// Keep a and b simple; a pending condition stays pending (it is a compare to fuse).
	c.materializePending(len(c.stack) - 1)
	c.materializePending(len(c.stack) - 2)
	b := c.pop().sval
	a := c.pop().sval
	if cond.pending && !isCompare(cond.op) {
		cond = c.condInTemp(cond)
	}
	if !cond.pending && cond.w[0].imm {
		if cond.w[0].v != 0 {
			c.pushS(a)
		} else {
			c.pushS(b)
		}
		return
	}
	dst := c.pushSlot(a.t)
	done := c.b.NewLabel("select.done")
	switch {
	case sameSlots(a, dst):
		c.branchOn(cond, true, done)
		c.copyS(b, dst)
	case sameSlots(b, dst):
		c.branchOn(cond, false, done)
		c.copyS(a, dst)
	default:
		useB := c.b.NewLabel("select.b")
		c.branchOn(cond, false, useB)
		c.copyS(a, dst)
		c.b.Jump(done)
		c.b.Bind(useB)
		c.copyS(b, dst)
	}
	c.b.Bind(done)
}

func sameSlots(v sval, off int32) bool {
	if !v.w[0].is(off) {
		return false
	}
	return v.words() == 1 || v.w[1].is(off+4)
}

func (c *fn) materializePending(i int) {
	if c.stack[i].pending {
		c.materialize(i)
	}
}

// condInTemp computes a non-compare pending condition into a temporary.
func (c *fn) condInTemp(v val) val {
	t := c.tmp(numTemps - 1)
	c.lower(&v, t)
	return simple(slotVal(module.I32, t))
}
