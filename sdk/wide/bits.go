package wide

import "github.com/oneiros-zk/oneiros/core/isa"

// Popcnt32 emits [d] = the number of set bits of x (SWAR: 12 cycles). Uses temps 2 and 3.
func (e *Emitter) Popcnt32(d int32, x Word) {
	t, u := e.tmp(2), e.tmp(3)
	e.alu(isa.SRL, u, x, Imm(1))
	e.alu(isa.AND, u, Slot(u), Imm(0x55555555))
	e.alu(isa.SUB, t, x, Slot(u))
	e.alu(isa.SRL, u, Slot(t), Imm(2))
	e.alu(isa.AND, u, Slot(u), Imm(0x33333333))
	e.alu(isa.AND, t, Slot(t), Imm(0x33333333))
	e.alu(isa.ADD, t, Slot(t), Slot(u))
	e.alu(isa.SRL, u, Slot(t), Imm(4))
	e.alu(isa.ADD, t, Slot(t), Slot(u))
	e.alu(isa.AND, t, Slot(t), Imm(0x0F0F0F0F))
	e.alu(isa.MUL, t, Slot(t), Imm(0x01010101))
	e.alu(isa.SRL, d, Slot(t), Imm(24))
}

// Clz32 emits [d] = the number of leading zero bits of x (32 for 0): smear the highest
// set bit down, then 32 − popcount (23 cycles). Uses temps 2 to 5.
func (e *Emitter) Clz32(d int32, x Word) {
	s := e.tmp(4)
	e.alu(isa.SRL, s, x, Imm(1))
	e.alu(isa.OR, s, Slot(s), x)
	for _, n := range []uint32{2, 4, 8, 16} {
		e.alu(isa.SRL, e.tmp(5), Slot(s), Imm(n))
		e.alu(isa.OR, s, Slot(s), Slot(e.tmp(5)))
	}
	e.Popcnt32(s, Slot(s))
	e.alu(isa.SUB, d, Imm(32), Slot(s))
}

// Ctz32 emits [d] = the number of trailing zero bits of x (32 for 0): popcount((x & −x)
// − 1), 15 cycles. Uses temps 2 to 4.
func (e *Emitter) Ctz32(d int32, x Word) {
	s := e.tmp(4)
	e.alu(isa.SUB, s, Imm(0), x)
	e.alu(isa.AND, s, Slot(s), x)
	e.alu(isa.SUB, s, Slot(s), Imm(1))
	e.Popcnt32(d, Slot(s))
}

// Clz emits d = the number of leading zero bits of a (64 for 0): the high word's, or 32
// plus the low word's when the high word is 0. Uses temps 2 to 7.
func (e *Emitter) Clz(d Dst, a Val) {
	r := e.tmp(7)
	lo := e.B.NewLabel("clz.lo")
	done := e.B.NewLabel("clz.done")
	e.Branch(isa.BEQ, a.Hi, Imm(0), lo)
	e.Clz32(r, a.Hi)
	e.B.Jump(done)
	e.B.Bind(lo)
	e.Clz32(r, a.Lo)
	e.alu(isa.ADD, r, Slot(r), Imm(32))
	e.B.Bind(done)
	e.Mov(d.Lo, Slot(r))
	e.Mov(d.Hi, Imm(0))
}

// Ctz emits d = the number of trailing zero bits of a (64 for 0). Uses temps 2 to 7.
func (e *Emitter) Ctz(d Dst, a Val) {
	r := e.tmp(7)
	hi := e.B.NewLabel("ctz.hi")
	done := e.B.NewLabel("ctz.done")
	e.Branch(isa.BEQ, a.Lo, Imm(0), hi)
	e.Ctz32(r, a.Lo)
	e.B.Jump(done)
	e.B.Bind(hi)
	e.Ctz32(r, a.Hi)
	e.alu(isa.ADD, r, Slot(r), Imm(32))
	e.B.Bind(done)
	e.Mov(d.Lo, Slot(r))
	e.Mov(d.Hi, Imm(0))
}

// Popcnt emits d = the number of set bits of a (25 cycles). Uses temps 2, 3, 6 and 7.
func (e *Emitter) Popcnt(d Dst, a Val) {
	e.Popcnt32(e.tmp(6), a.Hi)
	e.Popcnt32(e.tmp(7), a.Lo)
	e.alu(isa.ADD, d.Lo, Slot(e.tmp(6)), Slot(e.tmp(7)))
	e.Mov(d.Hi, Imm(0))
}
