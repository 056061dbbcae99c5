package wide

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// DivOp is a 64-bit division or remainder.
type DivOp uint8

// The divisions: quotient or remainder, unsigned or signed (rounding toward zero; the
// remainder has the dividend's sign).
const (
	DivU DivOp = iota
	RemU
	DivS
	RemS
)

var divNames = [...]string{"div_u", "rem_u", "div_s", "rem_s"}

func (op DivOp) String() string {
	if int(op) < len(divNames) {
		return divNames[op]
	}
	return fmt.Sprintf("divop(%d)", uint8(op))
}

// Signed reports whether op divides signed operands.
func (op DivOp) Signed() bool { return op == DivS || op == RemS }

// Rem reports whether op gives the remainder.
func (op DivOp) Rem() bool { return op == RemU || op == RemS }

// Traps says where a division jumps when the source machine faults. A zero Label means
// the machine does not fault there and the result is RISC-V's instead: x / 0 = all ones
// (−1), x rem 0 = x; −2^63 / −1 = −2^63 and −2^63 rem −1 = 0 (what wrapping gives).
// WebAssembly traps on both for div_s and on a zero divisor only for rem_s; sBPF faults
// on both for sdiv and srem.
type Traps struct {
	DivZero  isa.Label // the divisor is 0
	Overflow isa.Label // signed −2^63 divided by −1
}

// RoutineScratch is the number of scratch slots [Emitter.DivRoutine] needs.
const RoutineScratch = 25

// Div emits d = a op b. Operands that fit 32 bits (zero-extended for the unsigned ops,
// sign-extended for the signed ones: known from immediates, else checked at run time)
// divide inline with one DIVU, REMU, DIV or REM; the rest go through call, which the
// frontend supplies: it runs the routine [Emitter.DivRoutine] emitted for op (once per
// program, with the same traps) on a and b, and returns where the routine left the
// result. The inline path jumps to the traps itself. Uses temp 0.
func (e *Emitter) Div(op DivOp, d Dst, a, b Val, traps Traps, call func(a, b Val) Val) {
	slow, done := e.B.NewLabel("div64.slow"), e.B.NewLabel("div64.done")
	signed := op.Signed()
	fast := true
	t := e.tmp(0)
	for _, v := range []Val{a, b} {
		lo, hi := v.Lo, v.Hi
		switch {
		case !signed && hi.imm:
			fast = fast && hi.v == 0
		case !signed:
			e.B.Branch(isa.BNE, hi.Off(), isa.Imm(0), slow)
		case hi.imm && lo.imm:
			fast = fast && hi.v == uint32(int32(lo.v)>>31)
		default: // hi must equal lo >> 31 (arithmetic)
			e.alu(isa.SRA, t, lo, Imm(31))
			e.Branch(isa.BNE, hi, Slot(t), slow)
		}
	}
	if fast {
		zero := traps.DivZero
		if zero == (isa.Label{}) {
			// RISC-V results: DIV, REM and REMU by 0 already give them, extended; DIVU
			// gives 2^32 − 1, which the routine makes 2^64 − 1.
			if op == DivU {
				zero = slow
			}
		}
		if zero != (isa.Label{}) {
			e.Branch(isa.BEQ, b.Lo, Imm(0), zero)
		}
		var aop isa.Opcode
		switch op {
		case DivU:
			aop = isa.DIVU
		case RemU:
			aop = isa.REMU
		case DivS:
			aop = isa.DIV
			// −2^31 / −1 = 2^31 needs 64 bits: the routine computes it.
			ok := e.B.NewLabel("div64.ok")
			e.Branch(isa.BNE, b.Lo, Imm(0xFFFFFFFF), ok)
			e.Branch(isa.BEQ, a.Lo, Imm(0x80000000), slow)
			e.B.Bind(ok)
		case RemS:
			aop = isa.REM // −2^31 rem −1 = 0, as REM gives
		}
		e.alu(aop, d.Lo, a.Lo, b.Lo)
		if signed {
			e.alu(isa.SRA, d.Hi, Slot(d.Lo), Imm(31))
		} else {
			e.Mov(d.Hi, Imm(0))
		}
		e.B.Jump(done)
	}
	e.B.Bind(slow)
	e.Copy(d, call(a, b))
	e.B.Bind(done)
}

// DivRoutine emits the general 64-bit division op of the slots a by b (both overwritten)
// into res (which may be a or b), falling through at its end: the frontend wraps it in
// its own routine convention (a RET, an indirect jump back). It jumps to traps' labels,
// or gives RISC-V's results where a label is zero. scratch holds [RoutineScratch] slots
// disjoint from a, b and res.
//
// Signed operands are divided as magnitudes and the signs applied after. A divisor
// below 2^32 divides the high word with DIVU, then the (remainder : low word) pair by
// 16-bit digits (two DIVU for a divisor below 2^16, else Hacker's Delight's divlu on a
// normalized divisor); a wider divisor (the quotient fits 32 bits) estimates the
// quotient from the top words, normalized, and corrects it once (divlu64).
func (e *Emitter) DivRoutine(op DivOp, a, b, res Dst, traps Traps, scratch []int32) {
	if len(scratch) < RoutineScratch {
		panic(fmt.Sprintf("wide: DivRoutine needs %d scratch slots, it has %d", RoutineScratch, len(scratch)))
	}
	r := &routine{Emitter: &Emitter{B: e.B}, s: scratch}
	a0, a1, b0, b1 := a.Lo, a.Hi, b.Lo, b.Hi
	r0, r1, t, sign := r.w(0), r.w(1), r.w(2), r.w(4)
	end := r.B.NewLabel("div.end")
	r.alu(isa.OR, t, Slot(b0), Slot(b1))
	if traps.DivZero != (isa.Label{}) {
		r.B.Branch(isa.BEQ, t, isa.Imm(0), traps.DivZero)
	} else {
		nz := r.B.NewLabel("div.nonzero")
		r.B.Branch(isa.BNE, t, isa.Imm(0), nz)
		if !op.Rem() { // x / 0 = all ones; x rem 0 = x
			r.Mov(a0, Imm(0xFFFFFFFF))
			r.Mov(a1, Imm(0xFFFFFFFF))
		}
		r.B.Jump(end)
		r.B.Bind(nz)
	}
	if op.Signed() && traps.Overflow != (isa.Label{}) {
		ok := r.B.NewLabel("div.ok")
		r.B.Branch(isa.BNE, a1, isa.Imm(0x80000000), ok)
		r.B.Branch(isa.BNE, a0, isa.Imm(0), ok)
		r.B.Branch(isa.BNE, b0, isa.Imm(0xFFFFFFFF), ok)
		r.B.Branch(isa.BEQ, b1, isa.Imm(0xFFFFFFFF), traps.Overflow)
		r.B.Bind(ok)
	}
	if op.Signed() {
		if op == DivS {
			r.alu(isa.XOR, sign, Slot(a1), Slot(b1))
		} else {
			r.Mov(sign, Slot(a1))
		}
		pa, pb := r.B.NewLabel("abs.a"), r.B.NewLabel("abs.b")
		r.B.Branch(isa.BGE, a1, isa.Imm(0), pa)
		r.neg64(a0, a1, t)
		r.B.Bind(pa)
		r.B.Branch(isa.BGE, b1, isa.Imm(0), pb)
		r.neg64(b0, b1, t)
		r.B.Bind(pb)
	}
	r.udivmod(a0, a1, b0, b1, r0, r1, t, r.w(3), r.w(5))
	if op.Rem() {
		r.Mov(a0, Slot(r0))
		r.Mov(a1, Slot(r1))
	}
	if op.Signed() {
		pos := r.B.NewLabel("sign.done")
		r.B.Branch(isa.BGE, sign, isa.Imm(0), pos)
		r.neg64(a0, a1, t)
		r.B.Bind(pos)
	}
	r.B.Bind(end)
	r.Copy(res, Val{Slot(a0), Slot(a1)})
}

// routine emits a routine body over numbered scratch slots.
type routine struct {
	*Emitter
	s []int32
}

func (r *routine) w(i int) int32 { return r.s[i] }

func (r *routine) neg64(x0, x1, t int32) {
	r.alu(isa.NE, t, Slot(x0), Imm(0))
	r.alu(isa.SUB, x0, Imm(0), Slot(x0))
	r.alu(isa.SUB, x1, Imm(0), Slot(x1))
	r.alu(isa.SUB, x1, Slot(x1), Slot(t))
}
