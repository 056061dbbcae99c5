package translate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// 64-bit division and remainder run in routines: [8],[12] = a (lo, hi), [16],[20] = b;
// the result comes back in [8],[12]. Quotients of 32-bit operands use DIVU/REMU; the
// rest a restoring shift-subtract loop over a's significant words.

// div64 translates the 64-bit divisions. Operands that fit 32 bits divide inline:
// unsigned ones when both high words are 0, signed ones when both are sign extensions
// of their low words (except −2^31 / −1, whose quotient does not fit); the rest call a
// routine.
func (c *fn) div64(op module.Opcode, x, y sval) error {
	c.clobberFrom(c.frame) // the routine's frame: before the paths split
	dst := c.dest(module.I64)
	slow, done := c.b.NewLabel("div64.slow"), c.b.NewLabel("div64.done")
	signed := op == module.OpI64DivS || op == module.OpI64RemS
	fast := true
	t := c.tmp(5)
	for _, v := range []sval{x, y} {
		lo, hi := v.w[0], v.w[1]
		switch {
		case !signed && hi.imm:
			fast = fast && hi.v == 0
		case !signed:
			c.b.Branch(isa.BNE, hi.off(), isa.Imm(0), slow)
		case hi.imm && lo.imm:
			fast = fast && hi.v == uint32(int32(lo.v)>>31)
		default: // hi must equal lo >> 31 (arithmetic)
			c.alu(isa.SRA, t, lo, imm(31))
			c.branch(isa.BNE, hi, slot(t), slow)
		}
	}
	if fast {
		if y.w[0].imm {
			if y.w[0].v == 0 {
				c.jumpTrap(TrapDivZero)
			}
		} else {
			c.trapIf(isa.BEQ, y.w[0].off(), imm(0), TrapDivZero)
		}
		var aop isa.Opcode
		switch op {
		case module.OpI64DivU:
			aop = isa.DIVU
		case module.OpI64RemU:
			aop = isa.REMU
		case module.OpI64DivS:
			aop = isa.DIV
			// −2^31 / −1 = 2^31 needs 64 bits: the routine handles it.
			ok := c.b.NewLabel("div64.ok")
			c.branch(isa.BNE, y.w[0], imm(0xFFFFFFFF), ok)
			c.branch(isa.BEQ, x.w[0], imm(0x80000000), slow)
			c.b.Bind(ok)
		case module.OpI64RemS:
			aop = isa.REM // −2^31 rem −1 = 0, as REM gives
		}
		c.alu(aop, dst, x.w[0], y.w[0])
		if signed {
			c.alu(isa.SRA, dst+4, slot(dst), imm(31))
		} else {
			c.mov(dst+4, imm(0))
		}
		c.b.Jump(done)
	}
	c.b.Bind(slow)
	r := c.helperCall(c.s.div64Routine(op), x.w[0], x.w[1], y.w[0], y.w[1])
	c.mov(dst, slot(r))
	c.mov(dst+4, slot(r+4))
	c.b.Bind(done)
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
// remainder goes to (r1:r0). t, i and c are scratch (and w(10)…w(25)).
//
// A 32-bit divisor divides the high word with DIVU, then the (remainder:low word) pair
// with divlu; a wider divisor (the quotient fits 32 bits) estimates the quotient from
// the top words, normalized, and corrects it once (Hacker's Delight, divlu and
// divlu64).
func (r *rb) udivmod(a0, a1, b0, b1, r0, r1, t, i, c int32) {
	small, wide, done := r.label("udiv.small"), r.label("udiv.wide"), r.label("udiv.done")
	r.b.Branch(isa.BNE, b1, isa.Imm(0), wide)
	r.b.Branch(isa.BNE, a1, isa.Imm(0), small)
	r.op(isa.REMU, r0, isa.Slot(a0), isa.Slot(b0))
	r.op(isa.DIVU, a0, isa.Slot(a0), isa.Slot(b0))
	r.mov(r1, isa.Imm(0))
	r.b.Jump(done)

	// b < 2^32 ≤ a: q1 = a1 / b0, then (a1 % b0 : a0) / b0.
	r.b.Bind(small)
	k := w(10)
	r.op(isa.REMU, k, isa.Slot(a1), isa.Slot(b0))
	r.op(isa.DIVU, a1, isa.Slot(a1), isa.Slot(b0))
	long := r.label("udiv.long")
	r.b.Branch(isa.BGEU, b0, isa.Imm(1<<16), long)
	// b < 2^16: short division by 16-bit digits (each partial dividend < 2^32).
	r.op(isa.SLL, k, isa.Slot(k), isa.Imm(16))
	r.op(isa.SRL, t, isa.Slot(a0), isa.Imm(16))
	r.op(isa.OR, k, isa.Slot(k), isa.Slot(t))
	r.op(isa.DIVU, c, isa.Slot(k), isa.Slot(b0))
	r.op(isa.REMU, k, isa.Slot(k), isa.Slot(b0))
	r.op(isa.SLL, k, isa.Slot(k), isa.Imm(16))
	r.op(isa.AND, t, isa.Slot(a0), isa.Imm(0xFFFF))
	r.op(isa.OR, k, isa.Slot(k), isa.Slot(t))
	r.op(isa.DIVU, a0, isa.Slot(k), isa.Slot(b0))
	r.op(isa.REMU, r0, isa.Slot(k), isa.Slot(b0))
	r.op(isa.SLL, c, isa.Slot(c), isa.Imm(16))
	r.op(isa.OR, a0, isa.Slot(a0), isa.Slot(c))
	r.mov(r1, isa.Imm(0))
	r.b.Jump(done)
	r.b.Bind(long)
	r.divluNorm(k, a0, b0, a0, r0, false)
	r.mov(r1, isa.Imm(0))
	r.b.Jump(done)

	// b ≥ 2^32: the quotient fits 32 bits, and is 0 when a's high word is below b's.
	r.b.Bind(wide)
	big := r.label("udiv.big")
	r.b.Branch(isa.BGEU, a1, isa.Slot(b1), big)
	r.mov(r0, isa.Slot(a0))
	r.mov(r1, isa.Slot(a1))
	r.mov(a0, isa.Imm(0))
	r.mov(a1, isa.Imm(0))
	r.b.Jump(done)
	r.b.Bind(big)
	n, v1, u1, u0, q := w(10), w(11), w(12), w(13), w(14)
	r.clz(n, b1, t)
	// v1 = the top 32 bits of b << n; (b0 >> 1) >> (31 − n) is b0 >> (32 − n), 0 for n = 0.
	r.op(isa.SLL, v1, isa.Slot(b1), isa.Slot(n))
	r.op(isa.XOR, t, isa.Slot(n), isa.Imm(31))
	r.op(isa.SRL, c, isa.Slot(b0), isa.Imm(1))
	r.op(isa.SRL, c, isa.Slot(c), isa.Slot(t))
	r.op(isa.OR, v1, isa.Slot(v1), isa.Slot(c))
	// u = a >> 1, so that u1 < 2^31 ≤ v1.
	r.op(isa.SRL, u1, isa.Slot(a1), isa.Imm(1))
	r.op(isa.SRL, u0, isa.Slot(a0), isa.Imm(1))
	r.op(isa.SLL, c, isa.Slot(a1), isa.Imm(31))
	r.op(isa.OR, u0, isa.Slot(u0), isa.Slot(c))
	r.divluNorm(u1, u0, v1, q, c, true)
	// q = (q << n) >> 31 = q >> (31 − n), then one less (an underestimate by at most 1).
	r.op(isa.SRL, q, isa.Slot(q), isa.Slot(t))
	nz := r.label("udiv.nz")
	r.b.Branch(isa.BEQ, q, isa.Imm(0), nz)
	r.op(isa.SUB, q, isa.Slot(q), isa.Imm(1))
	r.b.Bind(nz)
	// r = a − q·b (the product fits 64 bits: q·b ≤ a).
	r.op(isa.MUL, c, isa.Slot(q), isa.Slot(b0))
	r.op(isa.MULHU, t, isa.Slot(q), isa.Slot(b0))
	r.op(isa.MUL, i, isa.Slot(q), isa.Slot(b1))
	r.op(isa.ADD, t, isa.Slot(t), isa.Slot(i))
	r.op(isa.SLTU, i, isa.Slot(a0), isa.Slot(c))
	r.op(isa.SUB, r0, isa.Slot(a0), isa.Slot(c))
	r.op(isa.SUB, r1, isa.Slot(a1), isa.Slot(t))
	r.op(isa.SUB, r1, isa.Slot(r1), isa.Slot(i))
	// if r ≥ b: q++, r −= b
	fix, ok := r.label("udiv.fix"), r.label("udiv.ok")
	r.b.Branch(isa.BLTU, r1, isa.Slot(b1), ok)
	r.b.Branch(isa.BNE, r1, isa.Slot(b1), fix)
	r.b.Branch(isa.BLTU, r0, isa.Slot(b0), ok)
	r.b.Bind(fix)
	r.op(isa.ADD, q, isa.Slot(q), isa.Imm(1))
	r.op(isa.SLTU, i, isa.Slot(r0), isa.Slot(b0))
	r.op(isa.SUB, r0, isa.Slot(r0), isa.Slot(b0))
	r.op(isa.SUB, r1, isa.Slot(r1), isa.Slot(b1))
	r.op(isa.SUB, r1, isa.Slot(r1), isa.Slot(i))
	r.b.Bind(ok)
	r.mov(a0, isa.Slot(q))
	r.mov(a1, isa.Imm(0))
	r.b.Bind(done)
}

// clz sets [n] to the number of leading zero bits of [x] (≠ 0) by binary search; t and
// w(28) are scratch.
func (r *rb) clz(n, x, t int32) {
	r.mov(n, isa.Imm(0))
	r.mov(t, isa.Slot(x))
	for _, k := range []uint32{16, 8, 4, 2, 1} {
		skip := r.label("clz.skip")
		mask := ^uint32(0) << (32 - k) // the top k bits
		r.op(isa.AND, w(28), isa.Slot(t), isa.Imm(mask))
		r.b.Branch(isa.BNE, w(28), isa.Imm(0), skip)
		r.op(isa.ADD, n, isa.Slot(n), isa.Imm(k))
		r.op(isa.SLL, t, isa.Slot(t), isa.Imm(k))
		r.b.Bind(skip)
	}
}

// divluNorm divides the 64-bit (u1:u0) by v, where u1 < v: quotient to q, remainder to
// rem (Hacker's Delight's divlu, 16-bit digits with a normalized divisor; normalized
// says v's top bit is known to be set, which skips the normalization). It writes q and
// rem after reading u1, u0 and v. Scratch: w(15)…w(28).
func (r *rb) divluNorm(u1, u0, v, q, rem int32, normalized bool) {
	s, vn, vn1, vn0, un32, un10, un1, un0, q1, rhat, un21 := w(15), w(16), w(17), w(18), w(19), w(20), w(21), w(22), w(23), w(24), w(15)
	t, sh := w(25), w(26)
	if normalized {
		vn, un32, un10 = v, u1, u0
	} else {
		r.clz(s, v, t)
		r.mov(sh, isa.Slot(s))
		r.op(isa.SLL, vn, isa.Slot(v), isa.Slot(s))
		// un32 = u1 << s | u0 >> (32 − s) (0 for s = 0); un10 = u0 << s
		r.op(isa.XOR, t, isa.Slot(s), isa.Imm(31))
		r.op(isa.SRL, un32, isa.Slot(u0), isa.Imm(1))
		r.op(isa.SRL, un32, isa.Slot(un32), isa.Slot(t))
		r.op(isa.SLL, t, isa.Slot(u1), isa.Slot(s))
		r.op(isa.OR, un32, isa.Slot(un32), isa.Slot(t))
		r.op(isa.SLL, un10, isa.Slot(u0), isa.Slot(s))
	}
	r.op(isa.SRL, vn1, isa.Slot(vn), isa.Imm(16))
	r.op(isa.AND, vn0, isa.Slot(vn), isa.Imm(0xFFFF))
	r.op(isa.SRL, un1, isa.Slot(un10), isa.Imm(16))
	r.op(isa.AND, un0, isa.Slot(un10), isa.Imm(0xFFFF))
	// First digit.
	r.op(isa.DIVU, q1, isa.Slot(un32), isa.Slot(vn1))
	r.op(isa.MUL, t, isa.Slot(q1), isa.Slot(vn1))
	r.op(isa.SUB, rhat, isa.Slot(un32), isa.Slot(t))
	r.digitFix(q1, rhat, vn1, vn0, un1)
	// un21 = un32·b + un1 − q1·vn (mod 2^32)
	r.op(isa.SLL, un21, isa.Slot(un32), isa.Imm(16))
	r.op(isa.ADD, un21, isa.Slot(un21), isa.Slot(un1))
	r.op(isa.MUL, t, isa.Slot(q1), isa.Slot(vn))
	r.op(isa.SUB, un21, isa.Slot(un21), isa.Slot(t))
	// Second digit.
	q0 := w(19)
	r.op(isa.DIVU, q0, isa.Slot(un21), isa.Slot(vn1))
	r.op(isa.MUL, t, isa.Slot(q0), isa.Slot(vn1))
	r.op(isa.SUB, rhat, isa.Slot(un21), isa.Slot(t))
	r.digitFix(q0, rhat, vn1, vn0, un0)
	// rem = (un21·b + un0 − q0·vn) >> s; q = q1·b + q0
	r.op(isa.SLL, t, isa.Slot(un21), isa.Imm(16))
	r.op(isa.ADD, t, isa.Slot(t), isa.Slot(un0))
	r.op(isa.MUL, w(20), isa.Slot(q0), isa.Slot(vn))
	if normalized {
		r.op(isa.SUB, rem, isa.Slot(t), isa.Slot(w(20)))
	} else {
		r.op(isa.SUB, t, isa.Slot(t), isa.Slot(w(20)))
		r.op(isa.SRL, rem, isa.Slot(t), isa.Slot(sh))
	}
	r.op(isa.SLL, q, isa.Slot(q1), isa.Imm(16))
	r.op(isa.ADD, q, isa.Slot(q), isa.Slot(q0))
}

// digitFix corrects a 16-bit quotient digit estimate: while qd ≥ 2^16 or
// qd·vn0 > rhat·2^16 + un: qd−−, rhat += vn1, stopping once rhat ≥ 2^16.
func (r *rb) digitFix(qd, rhat, vn1, vn0, un int32) {
	again, dec, done := r.label("digit.again"), r.label("digit.dec"), r.label("digit.done")
	t, u := w(25), w(27)
	r.b.Bind(again)
	r.b.Branch(isa.BGEU, qd, isa.Imm(1<<16), dec)
	r.op(isa.MUL, t, isa.Slot(qd), isa.Slot(vn0))
	r.op(isa.SLL, u, isa.Slot(rhat), isa.Imm(16))
	r.op(isa.ADD, u, isa.Slot(u), isa.Slot(un))
	r.b.Branch(isa.BGEU, u, isa.Slot(t), done) // qd·vn0 ≤ rhat·b + un
	r.b.Bind(dec)
	r.op(isa.SUB, qd, isa.Slot(qd), isa.Imm(1))
	r.op(isa.ADD, rhat, isa.Slot(rhat), isa.Slot(vn1))
	r.b.Branch(isa.BLTU, rhat, isa.Imm(1<<16), again)
	r.b.Bind(done)
}
