package wide

import "github.com/oneiros-zk/oneiros/core/isa"

// Shift names a 64-bit shift.
type Shift uint8

// The shifts.
const (
	Shl  Shift = iota // left
	ShrU              // right, logical
	ShrS              // right, arithmetic
)

// Shift emits d = a shifted by k mod 64 (only k's low word counts, as in WebAssembly,
// sBPF and RISC-V). A constant amount costs 2 cycles (32 or more) or 4; an amount in a
// slot branches on its bit 5: 9 cycles below 32, 4 from 32 (the ISA's shifts take their
// amount mod 32), with no special case for 0. Uses 3 temps.
func (e *Emitter) Shift(s Shift, d Dst, a Val, k Word) {
	a0, a1 := a.Lo, a.Hi
	d0, d1 := d.Lo, d.Hi
	if k.imm {
		n := k.v & 63
		switch {
		case n == 0:
			e.Copy(d, a)
		case s == Shl && n >= 32:
			e.alu(isa.SLL, d1, a0, Imm(n-32))
			e.Mov(d0, Imm(0))
		case s == Shl:
			t := e.tmp(0)
			e.alu(isa.SRL, t, a0, Imm(32-n))
			e.alu(isa.SLL, d1, a1, Imm(n))
			e.alu(isa.OR, d1, Slot(d1), Slot(t))
			e.alu(isa.SLL, d0, a0, Imm(n))
		case s == ShrU && n >= 32:
			e.alu(isa.SRL, d0, a1, Imm(n-32))
			e.Mov(d1, Imm(0))
		case s == ShrS && n >= 32:
			e.alu(isa.SRA, d0, a1, Imm(n-32))
			e.alu(isa.SRA, d1, a1, Imm(31))
		default: // right shifts by 1..31
			t := e.tmp(0)
			e.alu(isa.SLL, t, a1, Imm(32-n))
			e.alu(isa.SRL, d0, a0, Imm(n))
			e.alu(isa.OR, d0, Slot(d0), Slot(t))
			if s == ShrS {
				e.alu(isa.SRA, d1, a1, Imm(n))
			} else {
				e.alu(isa.SRL, d1, a1, Imm(n))
			}
		}
		return
	}
	t0, t1, t2 := e.tmp(0), e.tmp(1), e.tmp(2)
	big := e.B.NewLabel("shift.big")
	done := e.B.NewLabel("shift.done")
	e.alu(isa.AND, t0, k, Imm(32))
	e.B.Branch(isa.BNE, t0, isa.Imm(0), big)
	// 0 ≤ k mod 64 < 32. The bits crossing words: (w >> 1) >> (31 − k) is w >> (32 − k),
	// and 0 for k = 0.
	e.alu(isa.XOR, t2, k, Imm(31)) // 31 − (k mod 32)
	if s == Shl {
		e.alu(isa.SRL, t1, a0, Imm(1))
		e.alu(isa.SRL, t1, Slot(t1), Slot(t2))
		e.alu(isa.SLL, t0, a1, k)
		e.alu(isa.SLL, d0, a0, k)
		e.alu(isa.OR, d1, Slot(t0), Slot(t1))
	} else {
		e.alu(isa.SLL, t1, a1, Imm(1))
		e.alu(isa.SLL, t1, Slot(t1), Slot(t2))
		e.alu(isa.SRL, t0, a0, k)
		if s == ShrS {
			e.alu(isa.SRA, d1, a1, k)
		} else {
			e.alu(isa.SRL, d1, a1, k)
		}
		e.alu(isa.OR, d0, Slot(t0), Slot(t1))
	}
	e.B.Jump(done)
	e.B.Bind(big)
	switch s {
	case Shl:
		e.alu(isa.SLL, d1, a0, k)
		e.Mov(d0, Imm(0))
	case ShrU:
		e.alu(isa.SRL, d0, a1, k)
		e.Mov(d1, Imm(0))
	default:
		e.alu(isa.SRA, d0, a1, k)
		e.alu(isa.SRA, d1, a1, Imm(31))
	}
	e.B.Bind(done)
}

// Rotl emits d = a rotated left by k mod 64; Rotr right. A rotation by 32 or more first
// swaps the words. A constant amount costs 6 cycles (3 moves for 0 or 32); one in a slot
// 16 (17 for Rotr). Uses 5 temps.
func (e *Emitter) Rotl(d Dst, a Val, k Word) { e.rot(true, d, a, k) }

// Rotr emits d = a rotated right by k mod 64; see [Emitter.Rotl].
func (e *Emitter) Rotr(d Dst, a Val, k Word) { e.rot(false, d, a, k) }

func (e *Emitter) rot(left bool, d Dst, a Val, k Word) {
	d0, d1 := d.Lo, d.Hi
	if k.imm {
		n := k.v & 63
		if !left {
			n = (64 - n) & 63
		}
		x0, x1 := a.Lo, a.Hi
		if n >= 32 {
			x0, x1 = x1, x0
			n -= 32
		}
		if n == 0 {
			t := e.tmp(0)
			e.Mov(t, x0)
			e.Mov(d1, x1)
			e.Mov(d0, Slot(t))
			return
		}
		t0, t1, t2 := e.tmp(0), e.tmp(1), e.tmp(2)
		e.alu(isa.SRL, t0, x0, Imm(32-n))
		e.alu(isa.SRL, t1, x1, Imm(32-n))
		e.alu(isa.SLL, t2, x1, Imm(n))
		e.alu(isa.SLL, d0, x0, Imm(n))
		e.alu(isa.OR, d0, Slot(d0), Slot(t1))
		e.alu(isa.OR, d1, Slot(t2), Slot(t0))
		return
	}
	t0, t1, t2, t3, n := e.tmp(0), e.tmp(1), e.tmp(2), e.tmp(3), e.tmp(4)
	// Copy the words (in temps) swapped or not, then rotate left by r = n mod 32.
	if left {
		e.alu(isa.AND, n, k, Imm(63))
	} else {
		e.alu(isa.SUB, n, Imm(64), k)
		e.alu(isa.AND, n, Slot(n), Imm(63))
	}
	noSwap := e.B.NewLabel("rot.noswap")
	rotate := e.B.NewLabel("rot.go")
	e.alu(isa.AND, t0, Slot(n), Imm(32))
	e.B.Branch(isa.BEQ, t0, isa.Imm(0), noSwap)
	e.Mov(t0, a.Hi)
	e.Mov(t1, a.Lo)
	e.B.Jump(rotate)
	e.B.Bind(noSwap)
	e.Mov(t0, a.Lo)
	e.Mov(t1, a.Hi)
	e.B.Bind(rotate)
	// lo' = (x0 << r) | (x1 >> (32−r)); hi' = (x1 << r) | (x0 >> (32−r)); for r = 0 the
	// crossing bits are (w >> 1) >> 31 = 0.
	// 31 − r: XOR flips the low 5 bits of n, and the shifts read their amount mod 32.
	e.alu(isa.XOR, t2, Slot(n), Imm(31))
	e.alu(isa.SRL, t3, Slot(t1), Imm(1))
	e.alu(isa.SRL, t3, Slot(t3), Slot(t2))
	e.alu(isa.SLL, d0, Slot(t0), Slot(n))
	e.alu(isa.OR, d0, Slot(d0), Slot(t3))
	e.alu(isa.SRL, t3, Slot(t0), Imm(1))
	e.alu(isa.SRL, t3, Slot(t3), Slot(t2))
	e.alu(isa.SLL, d1, Slot(t1), Slot(n))
	e.alu(isa.OR, d1, Slot(d1), Slot(t3))
}
