package wide

import "github.com/oneiros-zk/oneiros/core/isa"

// udivmod divides (a1:a0) by (b1:b0) ≠ 0, unsigned: the quotient replaces a, the
// remainder goes to (r1:r0). t, i and c are scratch (and
// scratch slots 6 to 24).
//
// A 32-bit divisor divides the high word with DIVU, then the (remainder:low word) pair
// with divlu; a wider divisor (the quotient fits 32 bits) estimates the quotient from
// the top words, normalized, and corrects it once (Hacker's Delight, divlu and
// divlu64).
func (r *routine) udivmod(a0, a1, b0, b1, r0, r1, t, i, c int32) {
	small, wide, done := r.B.NewLabel("udiv.small"), r.B.NewLabel("udiv.wide"), r.B.NewLabel("udiv.done")
	r.B.Branch(isa.BNE, b1, isa.Imm(0), wide)
	r.B.Branch(isa.BNE, a1, isa.Imm(0), small)
	r.alu(isa.REMU, r0, Slot(a0), Slot(b0))
	r.alu(isa.DIVU, a0, Slot(a0), Slot(b0))
	r.Mov(r1, Imm(0))
	r.B.Jump(done)

	// b < 2^32 ≤ a: q1 = a1 / b0, then (a1 % b0 : a0) / b0.
	r.B.Bind(small)
	k := r.w(6)
	r.alu(isa.REMU, k, Slot(a1), Slot(b0))
	r.alu(isa.DIVU, a1, Slot(a1), Slot(b0))
	long := r.B.NewLabel("udiv.long")
	r.B.Branch(isa.BGEU, b0, isa.Imm(1<<16), long)
	// b < 2^16: short division by 16-bit digits (each partial dividend < 2^32).
	r.alu(isa.SLL, k, Slot(k), Imm(16))
	r.alu(isa.SRL, t, Slot(a0), Imm(16))
	r.alu(isa.OR, k, Slot(k), Slot(t))
	r.alu(isa.DIVU, c, Slot(k), Slot(b0))
	r.alu(isa.REMU, k, Slot(k), Slot(b0))
	r.alu(isa.SLL, k, Slot(k), Imm(16))
	r.alu(isa.AND, t, Slot(a0), Imm(0xFFFF))
	r.alu(isa.OR, k, Slot(k), Slot(t))
	r.alu(isa.DIVU, a0, Slot(k), Slot(b0))
	r.alu(isa.REMU, r0, Slot(k), Slot(b0))
	r.alu(isa.SLL, c, Slot(c), Imm(16))
	r.alu(isa.OR, a0, Slot(a0), Slot(c))
	r.Mov(r1, Imm(0))
	r.B.Jump(done)
	r.B.Bind(long)
	r.divluNorm(k, a0, b0, a0, r0, false)
	r.Mov(r1, Imm(0))
	r.B.Jump(done)

	// b ≥ 2^32: the quotient fits 32 bits, and is 0 when a's high word is below b's.
	r.B.Bind(wide)
	big := r.B.NewLabel("udiv.big")
	r.B.Branch(isa.BGEU, a1, isa.Slot(b1), big)
	r.Mov(r0, Slot(a0))
	r.Mov(r1, Slot(a1))
	r.Mov(a0, Imm(0))
	r.Mov(a1, Imm(0))
	r.B.Jump(done)
	r.B.Bind(big)
	n, v1, u1, u0, q := r.w(6), r.w(7), r.w(8), r.w(9), r.w(10)
	r.clz(n, b1, t)
	// v1 = the top 32 bits of b << n; (b0 >> 1) >> (31 − n) is b0 >> (32 − n), 0 for n = 0.
	r.alu(isa.SLL, v1, Slot(b1), Slot(n))
	r.alu(isa.XOR, t, Slot(n), Imm(31))
	r.alu(isa.SRL, c, Slot(b0), Imm(1))
	r.alu(isa.SRL, c, Slot(c), Slot(t))
	r.alu(isa.OR, v1, Slot(v1), Slot(c))
	// u = a >> 1, so that u1 < 2^31 ≤ v1.
	r.alu(isa.SRL, u1, Slot(a1), Imm(1))
	r.alu(isa.SRL, u0, Slot(a0), Imm(1))
	r.alu(isa.SLL, c, Slot(a1), Imm(31))
	r.alu(isa.OR, u0, Slot(u0), Slot(c))
	r.divluNorm(u1, u0, v1, q, c, true)
	// q = (q << n) >> 31 = q >> (31 − n), then one less (an underestimate by at most 1).
	r.alu(isa.SRL, q, Slot(q), Slot(t))
	nz := r.B.NewLabel("udiv.nz")
	r.B.Branch(isa.BEQ, q, isa.Imm(0), nz)
	r.alu(isa.SUB, q, Slot(q), Imm(1))
	r.B.Bind(nz)
	// r = a − q·b (the product fits 64 bits: q·b ≤ a).
	r.alu(isa.MUL, c, Slot(q), Slot(b0))
	r.alu(isa.MULHU, t, Slot(q), Slot(b0))
	r.alu(isa.MUL, i, Slot(q), Slot(b1))
	r.alu(isa.ADD, t, Slot(t), Slot(i))
	r.alu(isa.SLTU, i, Slot(a0), Slot(c))
	r.alu(isa.SUB, r0, Slot(a0), Slot(c))
	r.alu(isa.SUB, r1, Slot(a1), Slot(t))
	r.alu(isa.SUB, r1, Slot(r1), Slot(i))
	// if r ≥ b: q++, r −= b
	fix, ok := r.B.NewLabel("udiv.fix"), r.B.NewLabel("udiv.ok")
	r.B.Branch(isa.BLTU, r1, isa.Slot(b1), ok)
	r.B.Branch(isa.BNE, r1, isa.Slot(b1), fix)
	r.B.Branch(isa.BLTU, r0, isa.Slot(b0), ok)
	r.B.Bind(fix)
	r.alu(isa.ADD, q, Slot(q), Imm(1))
	r.alu(isa.SLTU, i, Slot(r0), Slot(b0))
	r.alu(isa.SUB, r0, Slot(r0), Slot(b0))
	r.alu(isa.SUB, r1, Slot(r1), Slot(b1))
	r.alu(isa.SUB, r1, Slot(r1), Slot(i))
	r.B.Bind(ok)
	r.Mov(a0, Slot(q))
	r.Mov(a1, Imm(0))
	r.B.Bind(done)
}

// clz sets [n] to the number of leading zero bits of [x] (≠ 0) by binary search; t and
// scratch slot 24 are scratch.
func (r *routine) clz(n, x, t int32) {
	r.Mov(n, Imm(0))
	r.Mov(t, Slot(x))
	for _, k := range []uint32{16, 8, 4, 2, 1} {
		skip := r.B.NewLabel("clz.skip")
		mask := ^uint32(0) << (32 - k) // the top k bits
		r.alu(isa.AND, r.w(24), Slot(t), Imm(mask))
		r.B.Branch(isa.BNE, r.w(24), isa.Imm(0), skip)
		r.alu(isa.ADD, n, Slot(n), Imm(k))
		r.alu(isa.SLL, t, Slot(t), Imm(k))
		r.B.Bind(skip)
	}
}

// divluNorm divides the 64-bit (u1:u0) by v, where u1 < v: quotient to q, remainder to
// rem (Hacker's Delight's divlu, 16-bit digits with a normalized divisor; normalized
// says v's top bit is known to be set, which skips the normalization). It writes q and
// rem after reading u1, u0 and v. Scratch: slots 11 to 24.
func (r *routine) divluNorm(u1, u0, v, q, rem int32, normalized bool) {
	s, vn, vn1, vn0, un32, un10, un1, un0, q1, rhat, un21 := r.w(11), r.w(12), r.w(13), r.w(14), r.w(15), r.w(16), r.w(17), r.w(18), r.w(19), r.w(20), r.w(11)
	t, sh := r.w(21), r.w(22)
	if normalized {
		vn, un32, un10 = v, u1, u0
	} else {
		r.clz(s, v, t)
		r.Mov(sh, Slot(s))
		r.alu(isa.SLL, vn, Slot(v), Slot(s))
		// un32 = u1 << s | u0 >> (32 − s) (0 for s = 0); un10 = u0 << s
		r.alu(isa.XOR, t, Slot(s), Imm(31))
		r.alu(isa.SRL, un32, Slot(u0), Imm(1))
		r.alu(isa.SRL, un32, Slot(un32), Slot(t))
		r.alu(isa.SLL, t, Slot(u1), Slot(s))
		r.alu(isa.OR, un32, Slot(un32), Slot(t))
		r.alu(isa.SLL, un10, Slot(u0), Slot(s))
	}
	r.alu(isa.SRL, vn1, Slot(vn), Imm(16))
	r.alu(isa.AND, vn0, Slot(vn), Imm(0xFFFF))
	r.alu(isa.SRL, un1, Slot(un10), Imm(16))
	r.alu(isa.AND, un0, Slot(un10), Imm(0xFFFF))
	// First digit.
	r.alu(isa.DIVU, q1, Slot(un32), Slot(vn1))
	r.alu(isa.MUL, t, Slot(q1), Slot(vn1))
	r.alu(isa.SUB, rhat, Slot(un32), Slot(t))
	r.digitFix(q1, rhat, vn1, vn0, un1)
	// un21 = un32·b + un1 − q1·vn (mod 2^32)
	r.alu(isa.SLL, un21, Slot(un32), Imm(16))
	r.alu(isa.ADD, un21, Slot(un21), Slot(un1))
	r.alu(isa.MUL, t, Slot(q1), Slot(vn))
	r.alu(isa.SUB, un21, Slot(un21), Slot(t))
	// Second digit.
	q0 := r.w(15)
	r.alu(isa.DIVU, q0, Slot(un21), Slot(vn1))
	r.alu(isa.MUL, t, Slot(q0), Slot(vn1))
	r.alu(isa.SUB, rhat, Slot(un21), Slot(t))
	r.digitFix(q0, rhat, vn1, vn0, un0)
	// rem = (un21·b + un0 − q0·vn) >> s; q = q1·b + q0
	r.alu(isa.SLL, t, Slot(un21), Imm(16))
	r.alu(isa.ADD, t, Slot(t), Slot(un0))
	r.alu(isa.MUL, r.w(16), Slot(q0), Slot(vn))
	if normalized {
		r.alu(isa.SUB, rem, Slot(t), Slot(r.w(16)))
	} else {
		r.alu(isa.SUB, t, Slot(t), Slot(r.w(16)))
		r.alu(isa.SRL, rem, Slot(t), Slot(sh))
	}
	r.alu(isa.SLL, q, Slot(q1), Imm(16))
	r.alu(isa.ADD, q, Slot(q), Slot(q0))
}

// digitFix corrects a 16-bit quotient digit estimate: while qd ≥ 2^16 or
// qd·vn0 > rhat·2^16 + un: qd−−, rhat += vn1, stopping once rhat ≥ 2^16.
func (r *routine) digitFix(qd, rhat, vn1, vn0, un int32) {
	again, dec, done := r.B.NewLabel("digit.again"), r.B.NewLabel("digit.dec"), r.B.NewLabel("digit.done")
	t, u := r.w(21), r.w(23)
	r.B.Bind(again)
	r.B.Branch(isa.BGEU, qd, isa.Imm(1<<16), dec)
	r.alu(isa.MUL, t, Slot(qd), Slot(vn0))
	r.alu(isa.SLL, u, Slot(rhat), Imm(16))
	r.alu(isa.ADD, u, Slot(u), Slot(un))
	r.B.Branch(isa.BGEU, u, isa.Slot(t), done) // qd·vn0 ≤ rhat·b + un
	r.B.Bind(dec)
	r.alu(isa.SUB, qd, Slot(qd), Imm(1))
	r.alu(isa.ADD, rhat, Slot(rhat), Slot(vn1))
	r.B.Branch(isa.BLTU, rhat, isa.Imm(1<<16), again)
	r.B.Bind(done)
}
