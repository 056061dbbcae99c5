package isa

import (
	"fmt"
	"strings"
)

// Opcode is the first byte of an instruction.
type Opcode uint8

// The opcodes. Numbers are part of the binary format and never change; gaps are reserved
// for later instructions of the same class. Opcode 0 is never valid, so zeroed memory
// never decodes as a program.
const (
	// ALU: [a] = B op C.
	ADD    Opcode = 0x01
	SUB    Opcode = 0x02
	MUL    Opcode = 0x03
	MULH   Opcode = 0x04
	MULHU  Opcode = 0x05
	MULHSU Opcode = 0x06
	DIV    Opcode = 0x07
	DIVU   Opcode = 0x08
	REM    Opcode = 0x09
	REMU   Opcode = 0x0A
	SLT    Opcode = 0x0B
	SLTU   Opcode = 0x0C
	EQ     Opcode = 0x0D
	NE     Opcode = 0x0E
	AND    Opcode = 0x0F
	OR     Opcode = 0x10
	XOR    Opcode = 0x11
	SLL    Opcode = 0x12
	SRL    Opcode = 0x13
	SRA    Opcode = 0x14

	// Loads: [a] = mem[B + c].
	LW  Opcode = 0x20
	LH  Opcode = 0x21
	LHU Opcode = 0x22
	LB  Opcode = 0x23
	LBU Opcode = 0x24

	// Stores: mem[B + c] = [a] (its low 4, 2 or 1 bytes).
	SW Opcode = 0x28
	SH Opcode = 0x29
	SB Opcode = 0x2A

	// Control.
	JMP  Opcode = 0x30
	BEQ  Opcode = 0x31
	BNE  Opcode = 0x32
	BLT  Opcode = 0x33
	BGE  Opcode = 0x34
	BLTU Opcode = 0x35
	BGEU Opcode = 0x36
	CALL Opcode = 0x38
	RET  Opcode = 0x39
	HALT Opcode = 0x3A
	TRAP Opcode = 0x3B

	// System.
	ECALL Opcode = 0x40
)

// Class groups opcodes that share operand shapes, memory accesses and (in the prover) a chip.
type Class uint8

// The instruction classes.
const (
	ClassInvalid Class = iota
	ClassALU           // [a] = B op C
	ClassLoad          // [a] = mem[B + c]
	ClassStore         // mem[B + c] = [a]
	ClassJump          // pc = C
	ClassBranch        // if [a] op B { pc = c }
	ClassCall          // push a frame at fp + a, pc = C
	ClassRet           // pop the frame
	ClassHalt          // stop with exit code B
	ClassTrap          // stop with trap code B
	ClassEcall         // syscall c with arguments [a] and B
)

var classNames = [...]string{"invalid", "alu", "load", "store", "jump", "branch", "call", "ret", "halt", "trap", "ecall"}

func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("class(%d)", uint8(c))
}

type opInfo struct {
	name  string
	class Class
}

var ops = [256]opInfo{
	ADD: {"add", ClassALU}, SUB: {"sub", ClassALU}, MUL: {"mul", ClassALU},
	MULH: {"mulh", ClassALU}, MULHU: {"mulhu", ClassALU}, MULHSU: {"mulhsu", ClassALU},
	DIV: {"div", ClassALU}, DIVU: {"divu", ClassALU}, REM: {"rem", ClassALU}, REMU: {"remu", ClassALU},
	SLT: {"slt", ClassALU}, SLTU: {"sltu", ClassALU}, EQ: {"eq", ClassALU}, NE: {"ne", ClassALU},
	AND: {"and", ClassALU}, OR: {"or", ClassALU}, XOR: {"xor", ClassALU},
	SLL: {"sll", ClassALU}, SRL: {"srl", ClassALU}, SRA: {"sra", ClassALU},

	LW: {"lw", ClassLoad}, LH: {"lh", ClassLoad}, LHU: {"lhu", ClassLoad},
	LB: {"lb", ClassLoad}, LBU: {"lbu", ClassLoad},
	SW: {"sw", ClassStore}, SH: {"sh", ClassStore}, SB: {"sb", ClassStore},

	JMP: {"jmp", ClassJump},
	BEQ: {"beq", ClassBranch}, BNE: {"bne", ClassBranch}, BLT: {"blt", ClassBranch},
	BGE: {"bge", ClassBranch}, BLTU: {"bltu", ClassBranch}, BGEU: {"bgeu", ClassBranch},
	CALL: {"call", ClassCall}, RET: {"ret", ClassRet},
	HALT: {"halt", ClassHalt}, TRAP: {"trap", ClassTrap},
	ECALL: {"ecall", ClassEcall},
}

var opByName = func() map[string]Opcode {
	m := make(map[string]Opcode)
	for i, o := range ops {
		if o.class != ClassInvalid {
			m[o.name] = Opcode(i)
		}
	}
	return m
}()

// Opcodes returns every valid opcode in numeric order.
func Opcodes() []Opcode {
	var out []Opcode
	for i, o := range ops {
		if o.class != ClassInvalid {
			out = append(out, Opcode(i))
		}
	}
	return out
}

// Valid reports whether o is an assigned opcode.
func (o Opcode) Valid() bool { return ops[o].class != ClassInvalid }

// Class returns o's class (ClassInvalid for an unassigned opcode).
func (o Opcode) Class() Class { return ops[o].class }

// String returns the assembler mnemonic, or "op(0xNN)" for an unassigned opcode.
func (o Opcode) String() string {
	if o.Valid() {
		return ops[o].name
	}
	return fmt.Sprintf("op(0x%02x)", uint8(o))
}

// OpcodeByName returns the opcode with the given mnemonic (case-insensitive).
func OpcodeByName(name string) (Opcode, bool) {
	o, ok := opByName[strings.ToLower(name)]
	return o, ok
}
