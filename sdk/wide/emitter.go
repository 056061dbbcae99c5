package wide

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// Temps is the number of scratch slots the inline emitters use at most ([Emitter.Temps]).
const Temps = 8

// Emitter emits 64-bit operations into a builder. Temps are scratch slots, disjoint from
// every operand and destination the emitter is given; an operation may overwrite any of
// them (the first [Temps] at most).
//
// # Aliasing
//
// A destination may share slots with the arguments, position by position: an argument's
// low word may be the destination's low slot and its high word the destination's high
// slot (x += y, x = x * x), but an argument's word is never the destination's other
// word. A one-word result (comparisons, Eqz) may share its slot with an argument's low
// word. A shift or rotation amount may be the destination's low slot.
type Emitter struct {
	B     *isa.Builder
	Temps []int32
}

// New returns an emitter over b with the given scratch slots.
func New(b *isa.Builder, temps ...int32) *Emitter { return &Emitter{B: b, Temps: temps} }

// tmp returns scratch slot i; too few is the frontend's bug, not its input's.
func (e *Emitter) tmp(i int) int32 {
	if i >= len(e.Temps) {
		panic(fmt.Sprintf("wide: the emitter needs scratch slot %d, it has %d", i, len(e.Temps)))
	}
	return e.Temps[i]
}

func (e *Emitter) alu(op isa.Opcode, dst int32, x, y Word) {
	e.B.ALU(op, dst, x.Operand(), y.Operand())
}

// Mov emits [dst] = x, nothing when x is [dst] already.
func (e *Emitter) Mov(dst int32, x Word) {
	if x.Is(dst) {
		return
	}
	e.B.Move(dst, x.Operand())
}

// Copy moves v into d, low word first.
func (e *Emitter) Copy(d Dst, v Val) {
	e.Mov(d.Lo, v.Lo)
	e.Mov(d.Hi, v.Hi)
}

// inSlot returns a slot holding w: w itself, or t after moving w there.
func (e *Emitter) inSlot(w Word, t int32) int32 {
	if !w.imm {
		return w.Off()
	}
	e.Mov(t, w)
	return t
}

// Branch emits "if x op y goto l" for a branch opcode and any words: the ISA wants a
// slot first, so an immediate there moves to the other side (k < y ⇔ y ≥ k+1, …) and
// two immediates decide at translation time.
func (e *Emitter) Branch(op isa.Opcode, x, y Word, l isa.Label) {
	if !x.imm {
		e.B.Branch(op, x.Off(), y.Operand(), l)
		return
	}
	if y.imm {
		if evalBranch(op, x.v, y.v) {
			e.B.Jump(l)
		}
		return
	}
	k := x.v
	switch op {
	case isa.BEQ, isa.BNE:
		e.B.Branch(op, y.Off(), isa.Imm(k), l)
	case isa.BLT: // k < y ⇔ y ≥ k+1
		if k != 0x7FFFFFFF {
			e.B.Branch(isa.BGE, y.Off(), isa.Imm(k+1), l)
		}
	case isa.BLTU:
		if k != 0xFFFFFFFF {
			e.B.Branch(isa.BGEU, y.Off(), isa.Imm(k+1), l)
		}
	case isa.BGE: // k ≥ y ⇔ y < k+1
		if k == 0x7FFFFFFF {
			e.B.Jump(l)
		} else {
			e.B.Branch(isa.BLT, y.Off(), isa.Imm(k+1), l)
		}
	case isa.BGEU:
		if k == 0xFFFFFFFF {
			e.B.Jump(l)
		} else {
			e.B.Branch(isa.BLTU, y.Off(), isa.Imm(k+1), l)
		}
	default:
		panic(fmt.Sprintf("wide: %s is not a branch", op))
	}
}

func evalBranch(op isa.Opcode, x, y uint32) bool {
	switch op {
	case isa.BEQ:
		return x == y
	case isa.BNE:
		return x != y
	case isa.BLT:
		return int32(x) < int32(y)
	case isa.BGE:
		return int32(x) >= int32(y)
	case isa.BLTU:
		return x < y
	case isa.BGEU:
		return x >= y
	}
	return false
}
