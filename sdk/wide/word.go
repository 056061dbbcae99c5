package wide

import "github.com/oneiros-zk/oneiros/core/isa"

// Word is one 32-bit word of a value: a frame slot [fp+off] or an immediate. Unlike
// [isa.Operand] it can be inspected, which the emitters need to fold constants and to
// see which slots an operand shares with a destination.
type Word struct {
	imm bool
	v   uint32
}

// Slot is the word [fp+off]; off must be a multiple of 4.
func Slot(off int32) Word { return Word{v: uint32(off)} }

// Imm is an immediate word.
func Imm(v uint32) Word { return Word{imm: true, v: v} }

// IsImm reports whether w is an immediate.
func (w Word) IsImm() bool { return w.imm }

// Value returns an immediate's value (for a slot: its offset as a uint32).
func (w Word) Value() uint32 { return w.v }

// Off returns a slot's frame offset (for an immediate: its value as an int32).
func (w Word) Off() int32 { return int32(w.v) }

// Is reports whether w is the slot [fp+off].
func (w Word) Is(off int32) bool { return !w.imm && int32(w.v) == off }

// IsImmOf reports whether w is the immediate v.
func (w Word) IsImmOf(v uint32) bool { return w.imm && w.v == v }

// Operand returns w as an operand for the [isa.Builder].
func (w Word) Operand() isa.Operand {
	if w.imm {
		return isa.Imm(w.v)
	}
	return isa.Slot(int32(w.v))
}

// Val is a 64-bit value as two words, low and high; each is a slot or an immediate.
type Val struct{ Lo, Hi Word }

// Slots is the value whose low word is [fp+off] and high word [fp+off+4].
func Slots(off int32) Val { return Val{Slot(off), Slot(off + 4)} }

// Const is the constant v.
func Const(v uint64) Val { return Val{Imm(uint32(v)), Imm(uint32(v >> 32))} }

// IsConst reports whether both words are immediates.
func (v Val) IsConst() bool { return v.Lo.imm && v.Hi.imm }

// Uint64 returns a constant's value (meaningful only when IsConst).
func (v Val) Uint64() uint64 { return uint64(v.Lo.v) | uint64(v.Hi.v)<<32 }

// Dst is where a 64-bit result goes: two slots, low and high (adjacent or not).
type Dst struct{ Lo, Hi int32 }

// At is the destination [fp+off] (low word), [fp+off+4] (high word).
func At(off int32) Dst { return Dst{off, off + 4} }

// Val returns the destination as a value (to read a result back).
func (d Dst) Val() Val { return Val{Slot(d.Lo), Slot(d.Hi)} }
