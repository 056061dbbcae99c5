package sbpf

// Kind is what an opcode does, independent of its encoding in a given version.
type Kind uint8

// The instruction kinds. ALU kinds read dst and an operand (the source register or the
// immediate, see [Op.Imm]) and write dst.
const (
	KInvalid Kind = iota

	KAdd    // dst + x
	KSub    // dst - x
	KSubRev // x - dst (v2 sub with an immediate)
	KMul    // dst * x (low bits)
	KDiv    // unsigned dst / x; x = 0 faults
	KMod    // unsigned dst % x; x = 0 faults
	KOr     // dst | x
	KAnd    // dst & x
	KLsh    // dst << (x mod width)
	KRsh    // dst >> (x mod width), logical
	KArsh   // dst >> (x mod width), arithmetic
	KNeg    // -dst
	KXor    // dst ^ x
	KMov    // x
	KLe     // truncate to imm bits (16, 32, 64)
	KBe     // byte swap of the low imm bits (16, 32, 64)
	KLddw   // dst = imm | next.imm << 32 (two slots)
	KHor    // dst |= imm << 32 (v2)
	KUhmul  // high 64 bits of unsigned dst * x (v2)
	KShmul  // high 64 bits of signed dst * x (v2)
	KSdiv   // signed dst / x; x = 0 and MIN / -1 fault (v2)
	KSrem   // signed dst % x; x = 0 and MIN % -1 fault (v2)
	KLoad   // dst = mem[src + off], Size bytes, zero-extended
	KStore  // mem[dst + off] = x, Size bytes (x: src or the immediate)
	KJa     // pc += off
	KJump   // if dst Cond x then pc += off (Wide: 64-bit comparison, else 32-bit)
	KCall   // call imm: syscall or internal call
	KCallx  // call through a register
	KExit   // return, or end the program at depth 0
)

// Cond is a branch condition.
type Cond uint8

// The branch conditions.
const (
	CondEq Cond = iota + 1
	CondGt
	CondGe
	CondSet
	CondNe
	CondSgt
	CondSge
	CondLt
	CondLe
	CondSlt
	CondSle
)

// Check is the static check the verifier applies to an instruction (beyond registers).
type Check uint8

// The verifier checks.
const (
	CheckNone   Check = iota
	CheckJump         // the target is inside the text and not the second slot of lddw
	CheckEnd          // imm is 16, 32 or 64
	CheckStore        // a store: dst may be r10
	CheckLddw         // a second slot with opcode 0 follows
	CheckDivImm       // imm is not 0
	CheckSh32         // imm < 32
	CheckSh64         // imm < 64
	CheckCallx        // the register naming the target (imm, src or dst by version) is at most r9
)

// Op is the meaning of an opcode in one version.
type Op struct {
	Kind Kind
	// Imm: the operand x is the immediate instead of the source register.
	Imm bool
	// Wide: a 64-bit operation (ALU64 class, 64-bit jumps, 64-bit PQR variants);
	// otherwise the operation works on the low 32 bits.
	Wide bool
	// Sext32: the 32-bit result is sign-extended to 64 bits; otherwise it is
	// zero-extended. Only meaningful when Wide is false.
	Sext32 bool
	// ImmZext: a 64-bit operation that zero-extends its immediate (v2 udiv64, urem64,
	// uhmul64); all others sign-extend it.
	ImmZext bool
	Size    uint8 // bytes accessed by KLoad and KStore
	Cond    Cond  // condition of KJump
	Check   Check
}

// Valid reports whether the opcode exists in the version.
func (o Op) Valid() bool { return o.Kind != KInvalid }

var condByCode = [16]Cond{1: CondEq, 2: CondGt, 3: CondGe, 4: CondSet, 5: CondNe, 6: CondSgt, 7: CondSge,
	0xa: CondLt, 0xb: CondLe, 0xc: CondSlt, 0xd: CondSle}

// Decode returns the meaning of opcode op in version v; the zero Op (KInvalid) when the
// version has no such opcode.
func Decode(op byte, v Version) Op {
	code, src, class := op>>4, op&0x08 != 0, op&0x07
	imm := !src
	if v.MoveMemoryClasses() {
		if o, ok := movedMemory(op); ok {
			return o
		}
	}
	switch class {
	case 0x00: // LD
		if op == 0x18 && !v.DisableLDDW() {
			return Op{Kind: KLddw, Imm: true, Wide: true, Check: CheckLddw}
		}
	case 0x01, 0x02, 0x03: // LDX, ST, STX (mode MEM)
		if v.MoveMemoryClasses() || op&0xe0 != 0x60 {
			return Op{}
		}
		size := [4]uint8{4, 2, 1, 8}[(op>>3)&3]
		switch class {
		case 0x01:
			return Op{Kind: KLoad, Size: size}
		case 0x02:
			return Op{Kind: KStore, Imm: true, Size: size, Check: CheckStore}
		default:
			return Op{Kind: KStore, Size: size, Check: CheckStore}
		}
	case 0x04, 0x07: // ALU32, ALU64
		return alu(code, imm, class == 0x07, v)
	case 0x05: // JMP
		switch {
		case op == 0x05:
			return Op{Kind: KJa, Check: CheckJump}
		case op == 0x85:
			return Op{Kind: KCall, Imm: true}
		case op == 0x8d:
			return Op{Kind: KCallx, Check: CheckCallx}
		case op == 0x95:
			return Op{Kind: KExit}
		case condByCode[code] != 0:
			return Op{Kind: KJump, Imm: imm, Wide: true, Cond: condByCode[code], Check: CheckJump}
		}
	case 0x06: // PQR (v2) or JMP32 (v3+)
		if v.EnablePQR() {
			return pqr(code, imm)
		}
		if v.EnableJMP32() && condByCode[code] != 0 {
			return Op{Kind: KJump, Imm: imm, Cond: condByCode[code], Check: CheckJump}
		}
	}
	return Op{}
}

// alu decodes the ALU32 and ALU64 classes.
func alu(code byte, imm, wide bool, v Version) Op {
	o := Op{Imm: imm, Wide: wide}
	// In v0/v1/v3 the 32-bit add, sub and mul sign-extend their result; v2 zero-extends
	// (and sign-extends mov32 reg instead).
	legacySext := !wide && !v.ExplicitSignExtension()
	switch code {
	case 0x0:
		o.Kind, o.Sext32 = KAdd, legacySext
	case 0x1:
		o.Kind, o.Sext32 = KSub, legacySext
		if imm && v.SwapSubRegImm() {
			o.Kind = KSubRev
		}
	case 0x2:
		if v.EnablePQR() {
			return Op{}
		}
		o.Kind, o.Sext32 = KMul, legacySext
	case 0x3:
		if v.EnablePQR() {
			return Op{}
		}
		o.Kind = KDiv
		if imm {
			o.Check = CheckDivImm
		}
	case 0x4:
		o.Kind = KOr
	case 0x5:
		o.Kind = KAnd
	case 0x6:
		o.Kind = KLsh
		o.Check = shiftCheck(imm, wide)
	case 0x7:
		o.Kind = KRsh
		o.Check = shiftCheck(imm, wide)
	case 0x8:
		if !imm || v.DisableNeg() {
			return Op{}
		}
		o.Kind = KNeg
	case 0x9:
		if v.EnablePQR() {
			return Op{}
		}
		o.Kind = KMod
		if imm {
			o.Check = CheckDivImm
		}
	case 0xa:
		o.Kind = KXor
	case 0xb:
		o.Kind = KMov
		o.Sext32 = !wide && !imm && v.ExplicitSignExtension()
	case 0xc:
		o.Kind = KArsh
		o.Check = shiftCheck(imm, wide)
	case 0xd:
		if wide || (imm && v.DisableLE()) {
			return Op{}
		}
		o.Kind, o.Imm, o.Check = KLe, true, CheckEnd
		if !imm {
			o.Kind = KBe
		}
	case 0xf:
		if !wide || !imm || !v.DisableLDDW() {
			return Op{}
		}
		o.Kind = KHor
	default:
		return Op{}
	}
	return o
}

func shiftCheck(imm, wide bool) Check {
	switch {
	case !imm:
		return CheckNone
	case wide:
		return CheckSh64
	}
	return CheckSh32
}

// pqr decodes class 0x06 in v2.
func pqr(code byte, imm bool) Op {
	o := Op{Imm: imm}
	switch code {
	case 0x3:
		o.Kind, o.Wide, o.ImmZext = KUhmul, true, true
	case 0x4:
		o.Kind = KDiv
	case 0x5:
		o.Kind, o.Wide, o.ImmZext = KDiv, true, true
	case 0x6:
		o.Kind = KMod
	case 0x7:
		o.Kind, o.Wide, o.ImmZext = KMod, true, true
	case 0x8:
		o.Kind = KMul
	case 0x9:
		o.Kind, o.Wide = KMul, true
	case 0xb:
		o.Kind, o.Wide = KShmul, true
	case 0xc:
		o.Kind = KSdiv
	case 0xd:
		o.Kind, o.Wide = KSdiv, true
	case 0xe:
		o.Kind = KSrem
	case 0xf:
		o.Kind, o.Wide = KSrem, true
	default:
		return Op{}
	}
	if imm && (o.Kind == KDiv || o.Kind == KMod || o.Kind == KSdiv || o.Kind == KSrem) {
		o.Check = CheckDivImm
	}
	return o
}

// movedMemory decodes the v2 load and store opcodes (SIMD-0173), which take the slots
// of the removed multiply, divide, remainder and negate opcodes.
func movedMemory(op byte) (Op, bool) {
	var size uint8
	switch op >> 4 {
	case 0x2:
		size = 1
	case 0x3:
		size = 2
	case 0x8:
		size = 4
	case 0x9:
		size = 8
	default:
		return Op{}, false
	}
	switch op & 0x0f {
	case 0x0c:
		return Op{Kind: KLoad, Size: size}, true
	case 0x07:
		return Op{Kind: KStore, Imm: true, Size: size, Check: CheckStore}, true
	case 0x0f:
		return Op{Kind: KStore, Size: size, Check: CheckStore}, true
	}
	return Op{}, false
}
