package rom

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/isa"
)

// Class numbers of the CPU's one-hot instruction class (1-based, so kind 0 is never an
// instruction).
const (
	ClassALU = iota + 1
	ClassLoad
	ClassStore
	ClassJump
	ClassBranch
	ClassCall
	ClassRet
	ClassHalt
	ClassTrap
	ClassEcall
	NumClasses = ClassEcall
)

// Kind flag bits above the class number.
const (
	FlagBRead  = 16  // operand b is read from [fp+b]
	FlagCRead  = 32  // operand c is read from [fp+c]
	FlagARead  = 64  // [fp+a] is read
	FlagAWrite = 128 // [fp+a] is written
)

// Row is the decoded form of one instruction, as the ROM commits it and the CPU fetches
// it: the fields are field-element-sized.
type Row struct {
	PC           uint32
	Kind         uint32 // class + flags
	SubOp        uint32 // ALU op (ALU, branch), opcode (load/store), syscall number (ECALL)
	AOff         int32  // slot/frame offset a / 4
	BOff, COff   int32  // slot offsets b / 4 and c / 4 when read from memory, else 0
	BImm, CImm   uint32 // immediate values when immediate, else 0
	Class        int
	BRead, CRead bool
	ARead        bool
	AWrite       bool
}

var classOf = map[isa.Class]int{
	isa.ClassALU: ClassALU, isa.ClassLoad: ClassLoad, isa.ClassStore: ClassStore,
	isa.ClassJump: ClassJump, isa.ClassBranch: ClassBranch, isa.ClassCall: ClassCall,
	isa.ClassRet: ClassRet, isa.ClassHalt: ClassHalt, isa.ClassTrap: ClassTrap, isa.ClassEcall: ClassEcall,
}

// BranchOp maps a branch opcode to the ALU op that computes its condition.
var BranchOp = map[isa.Opcode]uint32{
	isa.BEQ: uint32(isa.EQ), isa.BNE: uint32(isa.NE), isa.BLT: uint32(isa.SLT),
	isa.BGE: bus.OpGE, isa.BLTU: uint32(isa.SLTU), isa.BGEU: bus.OpGEU,
}

// MaxSyscall bounds the syscall numbers the ROM can encode: an ECALL's number is its
// sub_op, one field element, so only numbers below p are injective; the ROM takes those
// below 2^16 (every number a chip serves is) and makes every other ECALL unfetchable.
const MaxSyscall = 1 << 16

// Decode returns the decoded row of instruction in at pc. An ECALL whose number is
// MaxSyscall or more decodes to the unfetchable row (kind 0, every field 0): as one field
// element the number p + k would read as k, so a call the executor refuses (unknown
// syscall) would be proven as syscall k. No chip serves such a number, so no honest run
// that reaches the instruction is provable anyway.
func Decode(pc uint32, in isa.Instruction) Row {
	if in.Op.Class() == isa.ClassEcall && in.C >= MaxSyscall {
		return Row{PC: pc}
	}
	return DecodeFields(pc, in)
}

// DecodeFields is the instruction's fields as a CPU row holds them, whether or not the
// ROM serves the instruction (Decode): the CPU's trace is filled from it, so a run that
// reaches an unfetchable instruction gets a witness the verifier rejects instead of a
// prover that fails.
func DecodeFields(pc uint32, in isa.Instruction) Row {
	r := Row{PC: pc, Class: classOf[in.Op.Class()]}
	usesB, usesC := false, false
	switch in.Op.Class() {
	case isa.ClassALU:
		usesB, usesC, r.AWrite, r.SubOp = true, true, true, uint32(in.Op)
	case isa.ClassLoad:
		usesB, usesC, r.AWrite, r.SubOp = true, true, true, uint32(in.Op)
	case isa.ClassStore:
		usesB, usesC, r.ARead, r.SubOp = true, true, true, uint32(in.Op)
	case isa.ClassBranch:
		usesB, usesC, r.ARead, r.SubOp = true, true, true, BranchOp[in.Op]
	case isa.ClassJump:
		usesC = true
	case isa.ClassCall:
		usesC = true
	case isa.ClassHalt, isa.ClassTrap:
		usesB = true
	case isa.ClassEcall:
		usesB, usesC, r.SubOp = true, true, in.C
		switch {
		case in.C == isa.SysRead || in.C == isa.SysInputLen:
			r.AWrite = true
		case in.C >= isa.FirstHook:
			// A hook's answer goes to [a] (package hook): the access may write.
			r.AWrite = true
		default:
			r.ARead = true
		}
	}
	switch in.Op.Class() {
	case isa.ClassALU, isa.ClassLoad, isa.ClassStore, isa.ClassBranch, isa.ClassCall, isa.ClassEcall:
		r.AOff = in.SlotA() / 4
	}
	if usesB {
		if in.ImmB() {
			r.BImm = in.B
		} else {
			r.BRead, r.BOff = true, int32(in.B)/4
		}
	}
	if usesC {
		if in.ImmC() {
			r.CImm = in.C
		} else {
			r.CRead, r.COff = true, int32(in.C)/4
		}
	}
	r.Kind = uint32(r.Class)
	for _, f := range []struct {
		on  bool
		bit uint32
	}{{r.BRead, FlagBRead}, {r.CRead, FlagCRead}, {r.ARead, FlagARead}, {r.AWrite, FlagAWrite}} {
		if f.on {
			r.Kind += f.bit
		}
	}
	return r
}
