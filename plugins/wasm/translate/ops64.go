package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// i64 values are two words, lo and hi; these lower the 64-bit operations to 32-bit
// sequences (carries with SLTU, products with MUL/MULHU). Arguments occupy either
// exactly the destination's slots or none of them; each sequence reads what it needs
// from an argument before writing the destination word that may alias it.

func (c *fn) lower64(v *val, dst int32) {
	a, b := v.args[0], v.args[1]
	a0, a1, b0, b1 := a.w[0], a.w[1], b.w[0], b.w[1]
	d0, d1 := dst, dst+4
	switch op := v.op; op {
	case module.OpI64Add:
		cy := c.tmp(0)
		switch {
		case !a0.is(d0):
			c.alu(isa.ADD, d0, a0, b0)
			c.alu(isa.SLTU, cy, slot(d0), a0)
		case !b0.is(d0):
			c.alu(isa.ADD, d0, a0, b0)
			c.alu(isa.SLTU, cy, slot(d0), b0)
		default: // x + x: the carry is the top bit
			c.alu(isa.SRL, cy, a0, imm(31))
			c.alu(isa.ADD, d0, a0, b0)
		}
		c.alu(isa.ADD, d1, a1, b1)
		c.alu(isa.ADD, d1, slot(d1), slot(cy))
	case module.OpI64Sub:
		bw := c.tmp(0)
		c.alu(isa.SLTU, bw, a0, b0)
		c.alu(isa.SUB, d0, a0, b0)
		c.alu(isa.SUB, d1, a1, b1)
		c.alu(isa.SUB, d1, slot(d1), slot(bw))
	case module.OpI64Mul:
		t0, t1 := c.tmp(0), c.tmp(1)
		c.alu(isa.MULHU, t0, a0, b0)
		c.alu(isa.MUL, t1, a0, b1)
		c.alu(isa.ADD, t0, slot(t0), slot(t1))
		c.alu(isa.MUL, t1, a1, b0)
		c.alu(isa.MUL, d0, a0, b0)
		c.alu(isa.ADD, d1, slot(t0), slot(t1))
	case module.OpI64And:
		c.alu(isa.AND, d0, a0, b0)
		c.alu(isa.AND, d1, a1, b1)
	case module.OpI64Or:
		c.alu(isa.OR, d0, a0, b0)
		c.alu(isa.OR, d1, a1, b1)
	case module.OpI64Xor:
		c.alu(isa.XOR, d0, a0, b0)
		c.alu(isa.XOR, d1, a1, b1)
	case module.OpI64Eqz:
		c.alu(isa.OR, dst, a0, a1)
		c.alu(isa.EQ, dst, slot(dst), imm(0))
	case module.OpI64Eq:
		t := c.tmp(0)
		c.alu(isa.EQ, t, a1, b1)
		c.alu(isa.EQ, dst, a0, b0)
		c.alu(isa.AND, dst, slot(dst), slot(t))
	case module.OpI64Ne:
		t := c.tmp(0)
		c.alu(isa.NE, t, a1, b1)
		c.alu(isa.NE, dst, a0, b0)
		c.alu(isa.OR, dst, slot(dst), slot(t))
	case module.OpI64LtS, module.OpI64LtU, module.OpI64GtS, module.OpI64GtU,
		module.OpI64LeS, module.OpI64LeU, module.OpI64GeS, module.OpI64GeU:
		c.cmp64(op, a, b, dst)
	case module.OpI64Shl, module.OpI64ShrS, module.OpI64ShrU:
		c.shift64(op, a, b0, dst)
	case module.OpI64Rotl, module.OpI64Rotr:
		c.rot64(op == module.OpI64Rotl, a, b0, dst)
	case module.OpI64Clz:
		// hi ≠ 0 ? clz(hi) : 32 + clz(lo)
		lo := c.b.NewLabel("clz.lo")
		done := c.b.NewLabel("clz.done")
		hs := c.inSlot(a1, c.tmp(6))
		c.b.Branch(isa.BEQ, hs, isa.Imm(0), lo)
		c.clz32(c.tmp(7), a1)
		c.b.Jump(done)
		c.b.Bind(lo)
		c.clz32(c.tmp(7), a0)
		c.alu(isa.ADD, c.tmp(7), slot(c.tmp(7)), imm(32))
		c.b.Bind(done)
		c.mov(d0, slot(c.tmp(7)))
		c.mov(d1, imm(0))
	case module.OpI64Ctz:
		hi := c.b.NewLabel("ctz.hi")
		done := c.b.NewLabel("ctz.done")
		ls := c.inSlot(a0, c.tmp(6))
		c.b.Branch(isa.BEQ, ls, isa.Imm(0), hi)
		c.ctz32(c.tmp(7), a0)
		c.b.Jump(done)
		c.b.Bind(hi)
		c.ctz32(c.tmp(7), a1)
		c.alu(isa.ADD, c.tmp(7), slot(c.tmp(7)), imm(32))
		c.b.Bind(done)
		c.mov(d0, slot(c.tmp(7)))
		c.mov(d1, imm(0))
	case module.OpI64Popcnt:
		c.popcnt32(c.tmp(6), a1)
		c.popcnt32(c.tmp(7), a0)
		c.alu(isa.ADD, d0, slot(c.tmp(6)), slot(c.tmp(7)))
		c.mov(d1, imm(0))
	default:
		panic("translate: no lowering for " + op.String())
	}
}

// cmp64 computes a 64-bit comparison as 0 or 1: the high words decide unless equal.
func (c *fn) cmp64(op module.Opcode, a, b sval, dst int32) {
	// Normalize to lt or le on (x, y).
	x, y := a, b
	switch op {
	case module.OpI64GtS, module.OpI64GtU:
		x, y = b, a
		op -= 2 // gt → lt
	case module.OpI64GeS, module.OpI64GeU:
		x, y = b, a
		op -= 2 // ge → le
	}
	hiOp := isa.SLTU
	if op == module.OpI64LtS || op == module.OpI64LeS {
		hiOp = isa.SLT
	}
	t0, t1, t2 := c.tmp(0), c.tmp(1), c.tmp(2)
	c.alu(hiOp, t0, x.w[1], y.w[1])
	c.alu(isa.EQ, t1, x.w[1], y.w[1])
	if op == module.OpI64LtS || op == module.OpI64LtU {
		c.alu(isa.SLTU, t2, x.w[0], y.w[0])
	} else { // lo ≤: !(y.lo < x.lo)
		c.alu(isa.SLTU, t2, y.w[0], x.w[0])
		c.alu(isa.XOR, t2, slot(t2), imm(1))
	}
	c.alu(isa.AND, t1, slot(t1), slot(t2))
	c.alu(isa.OR, dst, slot(t0), slot(t1))
}

// cmpBranch64 emits "if a op b goto l" for a 64-bit comparison.
func (c *fn) cmpBranch64(op module.Opcode, a, b sval, l isa.Label) {
	switch op {
	case module.OpI64Eq:
		skip := c.b.NewLabel("eq.skip")
		c.branch(isa.BNE, a.w[0], b.w[0], skip)
		c.branch(isa.BEQ, a.w[1], b.w[1], l)
		c.b.Bind(skip)
		return
	case module.OpI64Ne:
		c.branch(isa.BNE, a.w[0], b.w[0], l)
		c.branch(isa.BNE, a.w[1], b.w[1], l)
		return
	}
	x, y := a, b
	switch op {
	case module.OpI64GtS, module.OpI64GtU:
		x, y = b, a
		op -= 2
	case module.OpI64GeS, module.OpI64GeU:
		x, y = b, a
		op -= 2
	}
	signed := op == module.OpI64LtS || op == module.OpI64LeS
	hiLt := isa.BLTU
	if signed {
		hiLt = isa.BLT
	}
	skip := c.b.NewLabel("cmp.skip")
	// x.hi < y.hi → true; x.hi ≠ y.hi → false; else compare the low words unsigned.
	c.branch(hiLt, x.w[1], y.w[1], l)
	c.branch(isa.BNE, x.w[1], y.w[1], skip)
	if op == module.OpI64LtS || op == module.OpI64LtU {
		c.branch(isa.BLTU, x.w[0], y.w[0], l)
	} else { // x.lo ≤ y.lo ⇔ y.lo ≥ x.lo
		c.branch(isa.BGEU, y.w[0], x.w[0], l)
	}
	c.b.Bind(skip)
}

// shift64 shifts a by k mod 64.
func (c *fn) shift64(op module.Opcode, a sval, k opd, dst int32) {
	a0, a1 := a.w[0], a.w[1]
	d0, d1 := dst, dst+4
	if k.imm {
		n := k.v & 63
		switch {
		case n == 0:
			c.copyS(a, dst)
		case op == module.OpI64Shl && n >= 32:
			c.alu(isa.SLL, d1, a0, imm(n-32))
			c.mov(d0, imm(0))
		case op == module.OpI64Shl:
			t := c.tmp(0)
			c.alu(isa.SRL, t, a0, imm(32-n))
			c.alu(isa.SLL, d1, a1, imm(n))
			c.alu(isa.OR, d1, slot(d1), slot(t))
			c.alu(isa.SLL, d0, a0, imm(n))
		case op == module.OpI64ShrU && n >= 32:
			c.alu(isa.SRL, d0, a1, imm(n-32))
			c.mov(d1, imm(0))
		case op == module.OpI64ShrS && n >= 32:
			c.alu(isa.SRA, d0, a1, imm(n-32))
			c.alu(isa.SRA, d1, a1, imm(31))
		default: // right shifts by 1..31
			t := c.tmp(0)
			c.alu(isa.SLL, t, a1, imm(32-n))
			c.alu(isa.SRL, d0, a0, imm(n))
			c.alu(isa.OR, d0, slot(d0), slot(t))
			if op == module.OpI64ShrS {
				c.alu(isa.SRA, d1, a1, imm(n))
			} else {
				c.alu(isa.SRL, d1, a1, imm(n))
			}
		}
		return
	}
	ks := k.off()
	t0, t1, t2 := c.tmp(0), c.tmp(1), c.tmp(2)
	big := c.b.NewLabel("shift.big")
	done := c.b.NewLabel("shift.done")
	c.alu(isa.AND, t0, slot(ks), imm(32))
	c.b.Branch(isa.BNE, t0, isa.Imm(0), big)
	// 0 ≤ k mod 64 < 32. The bits crossing words: (w >> 1) >> (31 − k) is w >> (32 − k),
	// and 0 for k = 0.
	c.alu(isa.XOR, t2, slot(ks), imm(31)) // 31 − (k mod 32)
	if op == module.OpI64Shl {
		c.alu(isa.SRL, t1, a0, imm(1))
		c.alu(isa.SRL, t1, slot(t1), slot(t2))
		c.alu(isa.SLL, t0, a1, slot(ks))
		c.alu(isa.SLL, d0, a0, slot(ks))
		c.alu(isa.OR, d1, slot(t0), slot(t1))
	} else {
		c.alu(isa.SLL, t1, a1, imm(1))
		c.alu(isa.SLL, t1, slot(t1), slot(t2))
		c.alu(isa.SRL, t0, a0, slot(ks))
		if op == module.OpI64ShrS {
			c.alu(isa.SRA, d1, a1, slot(ks))
		} else {
			c.alu(isa.SRL, d1, a1, slot(ks))
		}
		c.alu(isa.OR, d0, slot(t0), slot(t1))
	}
	c.b.Jump(done)
	c.b.Bind(big)
	switch op {
	case module.OpI64Shl:
		c.alu(isa.SLL, d1, a0, slot(ks))
		c.mov(d0, imm(0))
	case module.OpI64ShrU:
		c.alu(isa.SRL, d0, a1, slot(ks))
		c.mov(d1, imm(0))
	default:
		c.alu(isa.SRA, d0, a1, slot(ks))
		c.alu(isa.SRA, d1, a1, imm(31))
	}
	c.b.Bind(done)
}

// rot64 rotates a left (or right) by k mod 64: a rotation by 32 or more first swaps the
// words.
func (c *fn) rot64(left bool, a sval, k opd, dst int32) {
	d0, d1 := dst, dst+4
	if k.imm {
		n := k.v & 63
		if !left {
			n = (64 - n) & 63
		}
		x0, x1 := a.w[0], a.w[1]
		if n >= 32 {
			x0, x1 = x1, x0
			n -= 32
		}
		if n == 0 {
			t := c.tmp(0)
			c.mov(t, x0)
			c.mov(d1, x1)
			c.mov(d0, slot(t))
			return
		}
		t0, t1, t2 := c.tmp(0), c.tmp(1), c.tmp(2)
		c.alu(isa.SRL, t0, x0, imm(32-n))
		c.alu(isa.SRL, t1, x1, imm(32-n))
		c.alu(isa.SLL, t2, x1, imm(n))
		c.alu(isa.SLL, d0, x0, imm(n))
		c.alu(isa.OR, d0, slot(d0), slot(t1))
		c.alu(isa.OR, d1, slot(t2), slot(t0))
		return
	}
	ks := k.off()
	t0, t1, t2, t3, n := c.tmp(0), c.tmp(1), c.tmp(2), c.tmp(3), c.tmp(4)
	// Copy the words (in temps) swapped or not, then rotate left by r = n mod 32.
	if left {
		c.alu(isa.AND, n, slot(ks), imm(63))
	} else {
		c.alu(isa.SUB, n, imm(64), slot(ks))
		c.alu(isa.AND, n, slot(n), imm(63))
	}
	noSwap := c.b.NewLabel("rot.noswap")
	go_ := c.b.NewLabel("rot.go")
	c.alu(isa.AND, t0, slot(n), imm(32))
	c.b.Branch(isa.BEQ, t0, isa.Imm(0), noSwap)
	c.mov(t0, a.w[1])
	c.mov(t1, a.w[0])
	c.b.Jump(go_)
	c.b.Bind(noSwap)
	c.mov(t0, a.w[0])
	c.mov(t1, a.w[1])
	c.b.Bind(go_)
	// lo' = (x0 << r) | (x1 >> (32−r)); hi' = (x1 << r) | (x0 >> (32−r)); for r = 0 the
	// crossing bits are (w >> 1) >> 31 = 0.
	c.alu(isa.XOR, t2, slot(n), imm(31)) // 31 − r (r = n mod 32: XOR flips the low 5 bits)
	c.alu(isa.AND, t2, slot(t2), imm(31))
	c.alu(isa.SRL, t3, slot(t1), imm(1))
	c.alu(isa.SRL, t3, slot(t3), slot(t2))
	c.alu(isa.SLL, d0, slot(t0), slot(n))
	c.alu(isa.OR, d0, slot(d0), slot(t3))
	c.alu(isa.SRL, t3, slot(t0), imm(1))
	c.alu(isa.SRL, t3, slot(t3), slot(t2))
	c.alu(isa.SLL, d1, slot(t1), slot(n))
	c.alu(isa.OR, d1, slot(d1), slot(t3))
}
