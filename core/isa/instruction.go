package isa

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Flags says which of operands b and c are immediates; the other bits are reserved.
type Flags uint8

// The operand-mode flags.
const (
	ImmB Flags = 1 << 0 // operand b is the immediate b, not the slot [fp+b]
	ImmC Flags = 1 << 1 // operand c is the immediate c, not the slot [fp+c]

	flagsMask = ImmB | ImmC
)

// InstructionSize is the size of an encoded instruction in bytes.
const InstructionSize = 16

// Instruction is one normalized instruction: an opcode, operand-mode flags and three
// 32-bit fields. Slot offsets are stored as the two's-complement uint32 of a signed
// offset; use [Instruction.SlotA] and friends to read them as int32.
type Instruction struct {
	Op    Opcode
	Flags Flags
	A     uint32
	B     uint32
	C     uint32
}

// SlotA returns field a as a signed slot offset.
func (in Instruction) SlotA() int32 { return int32(in.A) }

// ImmB reports whether operand b is an immediate.
func (in Instruction) ImmB() bool { return in.Flags&ImmB != 0 }

// ImmC reports whether operand c is an immediate.
func (in Instruction) ImmC() bool { return in.Flags&ImmC != 0 }

// ErrInstruction is wrapped by every error about a malformed instruction.
var ErrInstruction = errors.New("invalid instruction")

// Operand rules per class: which flags must be set, which must be clear, which fields are
// unused (and so must be zero), and which fields are slot offsets (multiples of 4).
type shape struct {
	flagsSet, flagsClear Flags
	zeroA, zeroB, zeroC  bool
	slotA                bool // a is a slot offset; CALL's a is a frame offset, also a multiple of 4
}

var shapes = [...]shape{
	ClassALU:    {slotA: true},
	ClassLoad:   {flagsSet: ImmC, slotA: true},
	ClassStore:  {flagsSet: ImmC, slotA: true},
	ClassJump:   {flagsClear: ImmB, zeroA: true, zeroB: true},
	ClassBranch: {flagsSet: ImmC, slotA: true},
	ClassCall:   {flagsClear: ImmB, zeroB: true, slotA: true},
	ClassRet:    {flagsClear: ImmB | ImmC, zeroA: true, zeroB: true, zeroC: true},
	ClassHalt:   {flagsClear: ImmC, zeroA: true, zeroC: true},
	ClassTrap:   {flagsClear: ImmC, zeroA: true, zeroC: true},
	ClassEcall:  {flagsSet: ImmC, slotA: true},
}

// Validate checks in against the operand rules of its opcode (docs/isa.md, "Encoding").
func (in Instruction) Validate() error {
	cl := in.Op.Class()
	if cl == ClassInvalid {
		return fmt.Errorf("%w: unknown opcode 0x%02x", ErrInstruction, uint8(in.Op))
	}
	if in.Flags&^flagsMask != 0 {
		return fmt.Errorf("%w: %s: reserved flag bits set (flags 0x%02x)", ErrInstruction, in.Op, uint8(in.Flags))
	}
	s := shapes[cl]
	if in.Flags&s.flagsSet != s.flagsSet || in.Flags&s.flagsClear != 0 {
		return fmt.Errorf("%w: %s: flags 0x%02x not allowed (%s)", ErrInstruction, in.Op, uint8(in.Flags), s.flagsRule())
	}
	switch {
	case s.zeroA && in.A != 0:
		return fmt.Errorf("%w: %s: unused field a must be 0, is 0x%x", ErrInstruction, in.Op, in.A)
	case s.zeroB && in.B != 0:
		return fmt.Errorf("%w: %s: unused field b must be 0, is 0x%x", ErrInstruction, in.Op, in.B)
	case s.zeroC && in.C != 0:
		return fmt.Errorf("%w: %s: unused field c must be 0, is 0x%x", ErrInstruction, in.Op, in.C)
	case s.slotA && in.A%4 != 0:
		return fmt.Errorf("%w: %s: field a (%d) is not a multiple of 4", ErrInstruction, in.Op, int32(in.A))
	case !s.zeroB && !in.ImmB() && in.B%4 != 0:
		return fmt.Errorf("%w: %s: slot offset b (%d) is not a multiple of 4", ErrInstruction, in.Op, int32(in.B))
	case !s.zeroC && !in.ImmC() && in.C%4 != 0:
		return fmt.Errorf("%w: %s: slot offset c (%d) is not a multiple of 4", ErrInstruction, in.Op, int32(in.C))
	}
	return nil
}

func (s shape) flagsRule() string {
	switch {
	case s.flagsSet == ImmC && s.flagsClear == 0:
		return "c must be an immediate"
	case s.flagsClear == ImmB|ImmC:
		return "no immediate operands"
	case s.flagsClear == ImmB:
		return "b is unused"
	case s.flagsClear == ImmC:
		return "c is unused"
	}
	return "any mode"
}

// Encode appends the 16-byte encoding of in: opcode, flags, two zero bytes, then a, b, c
// as little-endian uint32. It does not validate.
func (in Instruction) Encode(dst []byte) []byte {
	dst = append(dst, byte(in.Op), byte(in.Flags), 0, 0)
	dst = binary.LittleEndian.AppendUint32(dst, in.A)
	dst = binary.LittleEndian.AppendUint32(dst, in.B)
	return binary.LittleEndian.AppendUint32(dst, in.C)
}

// DecodeInstruction decodes and validates one instruction from the first 16 bytes of b.
func DecodeInstruction(b []byte) (Instruction, error) {
	if len(b) < InstructionSize {
		return Instruction{}, fmt.Errorf("%w: %d bytes, want %d", ErrInstruction, len(b), InstructionSize)
	}
	if b[2] != 0 || b[3] != 0 {
		return Instruction{}, fmt.Errorf("%w: reserved bytes 2..3 are 0x%02x%02x, must be zero", ErrInstruction, b[3], b[2])
	}
	in := Instruction{
		Op:    Opcode(b[0]),
		Flags: Flags(b[1]),
		A:     binary.LittleEndian.Uint32(b[4:]),
		B:     binary.LittleEndian.Uint32(b[8:]),
		C:     binary.LittleEndian.Uint32(b[12:]),
	}
	return in, in.Validate()
}
