package translate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// 64-bit division and remainder run in routines: [8],[12] = a (lo, hi), [16],[20] = b;
// the result comes back in [8],[12]. Quotients of 32-bit operands use DIVU/REMU; the
// rest a restoring shift-subtract loop over a's significant words.

func (c *fn) div64(op module.Opcode, x, y sval) error {
	r := c.helperCall(c.s.div64Routine(op), x.w[0], x.w[1], y.w[0], y.w[1])
	dst := c.dest(module.I64)
	c.mov(dst, slot(r))
	c.mov(dst+4, slot(r+4))
	return nil
}

func (s *Store) div64Routine(op module.Opcode) isa.Label {
	return s.routineLabel(fmt.Sprintf("%s", op), func(r *rb) {
		a0, a1, b0, b1 := w(0), w(1), w(2), w(3)
		r0, r1, t, sign := w(4), w(5), w(6), w(8)
		r.op(isa.OR, t, isa.Slot(b0), isa.Slot(b1))
		r.trap(isa.BEQ, t, isa.Imm(0), TrapDivZero)
		signed := op == module.OpI64DivS || op == module.OpI64RemS
		if op == module.OpI64DivS {
			ok := r.label("div.ok")
			r.b.Branch(isa.BNE, a1, isa.Imm(0x80000000), ok)
			r.b.Branch(isa.BNE, a0, isa.Imm(0), ok)
			r.b.Branch(isa.BNE, b0, isa.Imm(0xFFFFFFFF), ok)
			r.trap(isa.BEQ, b1, isa.Imm(0xFFFFFFFF), TrapOverflow)
			r.b.Bind(ok)
		}
		if signed {
			if op == module.OpI64DivS {
				r.op(isa.XOR, sign, isa.Slot(a1), isa.Slot(b1))
			} else {
				r.mov(sign, isa.Slot(a1))
			}
			pa, pb := r.label("abs.a"), r.label("abs.b")
			r.b.Branch(isa.BGE, a1, isa.Imm(0), pa)
			r.neg64(a0, a1, t)
			r.b.Bind(pa)
			r.b.Branch(isa.BGE, b1, isa.Imm(0), pb)
			r.neg64(b0, b1, t)
			r.b.Bind(pb)
		}
		r.udivmod(a0, a1, b0, b1, r0, r1, t, w(7), w(9))
		rem := op == module.OpI64RemS || op == module.OpI64RemU
		if rem {
			r.mov(a0, isa.Slot(r0))
			r.mov(a1, isa.Slot(r1))
		}
		if signed {
			done := r.label("sign.done")
			r.b.Branch(isa.BGE, sign, isa.Imm(0), done)
			r.neg64(a0, a1, t)
			r.b.Bind(done)
		}
		r.b.Ret()
	})
}

func (r *rb) neg64(x0, x1, t int32) {
	r.op(isa.NE, t, isa.Slot(x0), isa.Imm(0))
	r.op(isa.SUB, x0, isa.Imm(0), isa.Slot(x0))
	r.op(isa.SUB, x1, isa.Imm(0), isa.Slot(x1))
	r.op(isa.SUB, x1, isa.Slot(x1), isa.Slot(t))
}

// udivmod divides (a1:a0) by (b1:b0) ≠ 0, unsigned: the quotient replaces a, the
// remainder goes to (r1:r0). i and c are scratch.
func (r *rb) udivmod(a0, a1, b0, b1, r0, r1, t, i, c int32) {
	slow, loop, sub, next, done := r.label("udiv.slow"), r.label("udiv.loop"), r.label("udiv.sub"), r.label("udiv.next"), r.label("udiv.done")
	r.b.Branch(isa.BNE, a1, isa.Imm(0), slow)
	r.b.Branch(isa.BNE, b1, isa.Imm(0), slow)
	r.op(isa.REMU, r0, isa.Slot(a0), isa.Slot(b0))
	r.op(isa.DIVU, a0, isa.Slot(a0), isa.Slot(b0))
	r.mov(r1, isa.Imm(0))
	r.b.Jump(done)
	r.b.Bind(slow)
	r.mov(r0, isa.Imm(0))
	r.mov(r1, isa.Imm(0))
	r.mov(i, isa.Imm(64))
	r.b.Branch(isa.BNE, a1, isa.Imm(0), loop)
	r.mov(a1, isa.Slot(a0)) // a's high word is zero: skip 32 steps
	r.mov(a0, isa.Imm(0))
	r.mov(i, isa.Imm(32))
	r.b.Bind(loop)
	// (c:r) = r << 1 | a >> 63; a <<= 1
	r.op(isa.SRL, c, isa.Slot(r1), isa.Imm(31))
	r.op(isa.SLL, r1, isa.Slot(r1), isa.Imm(1))
	r.op(isa.SRL, t, isa.Slot(r0), isa.Imm(31))
	r.op(isa.OR, r1, isa.Slot(r1), isa.Slot(t))
	r.op(isa.SLL, r0, isa.Slot(r0), isa.Imm(1))
	r.op(isa.SRL, t, isa.Slot(a1), isa.Imm(31))
	r.op(isa.OR, r0, isa.Slot(r0), isa.Slot(t))
	r.op(isa.SLL, a1, isa.Slot(a1), isa.Imm(1))
	r.op(isa.SRL, t, isa.Slot(a0), isa.Imm(31))
	r.op(isa.OR, a1, isa.Slot(a1), isa.Slot(t))
	r.op(isa.SLL, a0, isa.Slot(a0), isa.Imm(1))
	// if (c:r) ≥ b: r −= b, set the quotient bit
	r.b.Branch(isa.BNE, c, isa.Imm(0), sub)
	r.b.Branch(isa.BLTU, r1, isa.Slot(b1), next)
	r.b.Branch(isa.BNE, r1, isa.Slot(b1), sub)
	r.b.Branch(isa.BLTU, r0, isa.Slot(b0), next)
	r.b.Bind(sub)
	r.op(isa.SLTU, t, isa.Slot(r0), isa.Slot(b0))
	r.op(isa.SUB, r0, isa.Slot(r0), isa.Slot(b0))
	r.op(isa.SUB, r1, isa.Slot(r1), isa.Slot(b1))
	r.op(isa.SUB, r1, isa.Slot(r1), isa.Slot(t))
	r.op(isa.OR, a0, isa.Slot(a0), isa.Imm(1))
	r.b.Bind(next)
	r.op(isa.SUB, i, isa.Slot(i), isa.Imm(1))
	r.b.Branch(isa.BNE, i, isa.Imm(0), loop)
	r.b.Bind(done)
}
