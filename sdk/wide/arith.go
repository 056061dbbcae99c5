package wide

import "github.com/oneiros-zk/oneiros/core/isa"

// Add emits d = a + b (mod 2^64): the low words' sum, its carry (SLTU), and the high
// words' sum with the carry; 4 cycles, 3 when a high word is the immediate 0, a copy
// when a word of b (or of a) is 0 throughout.
func (e *Emitter) Add(d Dst, a, b Val) {
	if b.Lo.IsImmOf(0) && b.Hi.IsImmOf(0) {
		e.Copy(d, a)
		return
	}
	if a.Lo.IsImmOf(0) && a.Hi.IsImmOf(0) {
		e.Copy(d, b)
		return
	}
	if b.Lo.IsImmOf(0) || a.Lo.IsImmOf(0) { // no carry
		lo := a.Lo
		if lo.IsImmOf(0) {
			lo = b.Lo
		}
		e.Mov(d.Lo, lo)
		e.alu(isa.ADD, d.Hi, a.Hi, b.Hi)
		return
	}
	cy := e.tmp(0)
	switch {
	case !a.Lo.Is(d.Lo):
		e.alu(isa.ADD, d.Lo, a.Lo, b.Lo)
		e.alu(isa.SLTU, cy, Slot(d.Lo), a.Lo)
	case !b.Lo.Is(d.Lo):
		e.alu(isa.ADD, d.Lo, a.Lo, b.Lo)
		e.alu(isa.SLTU, cy, Slot(d.Lo), b.Lo)
	default: // x + x: the carry is the top bit
		e.alu(isa.SRL, cy, a.Lo, Imm(31))
		e.alu(isa.ADD, d.Lo, a.Lo, b.Lo)
	}
	switch {
	case b.Hi.IsImmOf(0):
		e.alu(isa.ADD, d.Hi, a.Hi, Slot(cy))
	case a.Hi.IsImmOf(0):
		e.alu(isa.ADD, d.Hi, b.Hi, Slot(cy))
	default:
		e.alu(isa.ADD, d.Hi, a.Hi, b.Hi)
		e.alu(isa.ADD, d.Hi, Slot(d.Hi), Slot(cy))
	}
}

// Sub emits d = a − b (mod 2^64): the borrow (SLTU) first, then the words; 4 cycles, 3
// when b's high word is the immediate 0, 2 moves for x − x.
func (e *Emitter) Sub(d Dst, a, b Val) {
	if b.Lo.IsImmOf(0) && b.Hi.IsImmOf(0) {
		e.Copy(d, a)
		return
	}
	if a == b && !a.Lo.imm { // x − x, whatever x is
		e.Mov(d.Lo, Imm(0))
		e.Mov(d.Hi, Imm(0))
		return
	}
	if b.Lo.IsImmOf(0) { // no borrow
		e.Mov(d.Lo, a.Lo)
		e.alu(isa.SUB, d.Hi, a.Hi, b.Hi)
		return
	}
	bw := e.tmp(0)
	e.alu(isa.SLTU, bw, a.Lo, b.Lo)
	e.alu(isa.SUB, d.Lo, a.Lo, b.Lo)
	if b.Hi.IsImmOf(0) {
		e.alu(isa.SUB, d.Hi, a.Hi, Slot(bw))
		return
	}
	e.alu(isa.SUB, d.Hi, a.Hi, b.Hi)
	e.alu(isa.SUB, d.Hi, Slot(d.Hi), Slot(bw))
}

// Neg emits d = −a (mod 2^64); 4 cycles.
func (e *Emitter) Neg(d Dst, a Val) { e.Sub(d, Const(0), a) }

// Mul emits d = a × b (mod 2^64): lo·lo in full (MUL, MULHU) and the low halves of the
// two cross products; 6 cycles, 4 when a high word is the immediate 0, 2 when both are.
func (e *Emitter) Mul(d Dst, a, b Val) {
	a1z, b1z := a.Hi.IsImmOf(0), b.Hi.IsImmOf(0)
	if a1z && b1z {
		e.alu(isa.MULHU, d.Hi, a.Lo, b.Lo)
		e.alu(isa.MUL, d.Lo, a.Lo, b.Lo)
		return
	}
	t0, t1 := e.tmp(0), e.tmp(1)
	e.alu(isa.MULHU, t0, a.Lo, b.Lo)
	switch {
	case b1z:
		e.alu(isa.MUL, t1, a.Hi, b.Lo)
	case a1z:
		e.alu(isa.MUL, t1, a.Lo, b.Hi)
	default:
		e.alu(isa.MUL, t1, a.Lo, b.Hi)
		e.alu(isa.ADD, t0, Slot(t0), Slot(t1))
		e.alu(isa.MUL, t1, a.Hi, b.Lo)
	}
	e.alu(isa.MUL, d.Lo, a.Lo, b.Lo)
	e.alu(isa.ADD, d.Hi, Slot(t0), Slot(t1))
}

// MulHU emits d = the high 64 bits of the unsigned 128-bit product a × b (22 cycles);
// MulHS the signed one (up to 30). Unlike the other emitters these read their arguments
// after writing d, so d must share no slot with a or b; they use 6 temps.
func (e *Emitter) MulHU(d Dst, a, b Val) { e.mulh(d, a, b, false) }

// MulHS emits d = the high 64 bits of the signed 128-bit product a × b; see [Emitter.MulHU].
func (e *Emitter) MulHS(d Dst, a, b Val) { e.mulh(d, a, b, true) }

func (e *Emitter) mulh(d Dst, a, b Val, signed bool) {
	for _, w := range []Word{a.Lo, a.Hi, b.Lo, b.Hi} {
		if w.Is(d.Lo) || w.Is(d.Hi) {
			panic("wide: MulH's destination shares a slot with an argument")
		}
	}
	a0, a1, b0, b1 := a.Lo, a.Hi, b.Lo, b.Hi
	rl, rh := d.Lo, d.Hi
	m, x, c, u := e.tmp(0), e.tmp(1), e.tmp(2), e.tmp(3)
	// The middle column: hi(a0·b0) + lo(a0·b1) + lo(a1·b0), its carries in c.
	e.alu(isa.MULHU, m, a0, b0)
	e.alu(isa.MUL, x, a0, b1)
	e.alu(isa.ADD, m, Slot(m), Slot(x))
	e.alu(isa.SLTU, c, Slot(m), Slot(x))
	e.alu(isa.MUL, x, a1, b0)
	e.alu(isa.ADD, m, Slot(m), Slot(x))
	e.alu(isa.SLTU, u, Slot(m), Slot(x))
	e.alu(isa.ADD, c, Slot(c), Slot(u))
	// The high columns: a1·b1 + hi(a0·b1) + hi(a1·b0) + c.
	e.alu(isa.MUL, rl, a1, b1)
	e.alu(isa.MULHU, rh, a1, b1)
	for _, p := range [][2]Word{{a0, b1}, {a1, b0}} {
		e.alu(isa.MULHU, x, p[0], p[1])
		e.alu(isa.ADD, rl, Slot(rl), Slot(x))
		e.alu(isa.SLTU, u, Slot(rl), Slot(x))
		e.alu(isa.ADD, rh, Slot(rh), Slot(u))
	}
	e.alu(isa.ADD, rl, Slot(rl), Slot(c))
	e.alu(isa.SLTU, u, Slot(rl), Slot(c))
	e.alu(isa.ADD, rh, Slot(rh), Slot(u))
	if !signed {
		return
	}
	// hi_signed = hi_unsigned − (a < 0 ? b : 0) − (b < 0 ? a : 0) (mod 2^64)
	for _, p := range [][3]Word{{a1, b0, b1}, {b1, a0, a1}} {
		skip := e.B.NewLabel("mulh.nonneg")
		e.Branch(isa.BGE, p[0], Imm(0), skip)
		e.alu(isa.SLTU, u, Slot(rl), p[1])
		e.alu(isa.SUB, rl, Slot(rl), p[1])
		e.alu(isa.SUB, rh, Slot(rh), p[2])
		e.alu(isa.SUB, rh, Slot(rh), Slot(u))
		e.B.Bind(skip)
	}
}

// And emits d = a & b, word by word (a word ANDed with 0 is 0, with all ones a copy).
func (e *Emitter) And(d Dst, a, b Val) {
	e.logic(isa.AND, d.Lo, a.Lo, b.Lo)
	e.logic(isa.AND, d.Hi, a.Hi, b.Hi)
}

// Or emits d = a | b, word by word.
func (e *Emitter) Or(d Dst, a, b Val) {
	e.logic(isa.OR, d.Lo, a.Lo, b.Lo)
	e.logic(isa.OR, d.Hi, a.Hi, b.Hi)
}

// Xor emits d = a ^ b, word by word (x ^ x is 0).
func (e *Emitter) Xor(d Dst, a, b Val) {
	e.logic(isa.XOR, d.Lo, a.Lo, b.Lo)
	e.logic(isa.XOR, d.Hi, a.Hi, b.Hi)
}

// logic emits one word of a bitwise operation, folding identities and absorbing values.
func (e *Emitter) logic(op isa.Opcode, d int32, x, y Word) {
	if x.imm && !y.imm {
		x, y = y, x
	}
	if x.imm { // both immediates
		v := map[isa.Opcode]func(a, b uint32) uint32{isa.AND: func(a, b uint32) uint32 { return a & b },
			isa.OR: func(a, b uint32) uint32 { return a | b }, isa.XOR: func(a, b uint32) uint32 { return a ^ b }}[op](x.v, y.v)
		e.Mov(d, Imm(v))
		return
	}
	switch {
	case x == y && op == isa.XOR:
		e.Mov(d, Imm(0))
	case x == y:
		e.Mov(d, x)
	case y.IsImmOf(0) && op == isa.AND, y.IsImmOf(^uint32(0)) && op == isa.OR:
		e.Mov(d, y)
	case y.IsImmOf(0), y.IsImmOf(^uint32(0)) && op == isa.AND:
		e.Mov(d, x)
	default:
		e.alu(op, d, x, y)
	}
}
