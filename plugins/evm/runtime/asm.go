package runtime

import "github.com/oneiros-zk/oneiros/core/isa"

// asm is a thin macro assembler over isa.Builder: the runtime and the translated
// contracts are written with it. Slots are frame offsets (int32); operands are
// isa.Operand, made with s (a slot) and i (an immediate).
type asm struct {
	b *isa.Builder
}

func s(off int32) isa.Operand { return isa.Slot(off) }
func i[T ~int | ~int32 | ~int64 | ~uint32 | ~uint64](v T) isa.Operand {
	return isa.Imm(uint32(v))
}

func (a *asm) label(name string) isa.Label { return a.b.NewLabel(name) }
func (a *asm) bind(l isa.Label)            { a.b.Bind(l) }

func (a *asm) alu(op isa.Opcode, dst int32, x, y isa.Operand) { a.b.ALU(op, dst, x, y) }
func (a *asm) mov(dst int32, x isa.Operand)                   { a.b.Move(dst, x) }
func (a *asm) add(dst int32, x, y isa.Operand)                { a.b.ALU(isa.ADD, dst, x, y) }
func (a *asm) sub(dst int32, x, y isa.Operand)                { a.b.ALU(isa.SUB, dst, x, y) }
func (a *asm) and(dst int32, x, y isa.Operand)                { a.b.ALU(isa.AND, dst, x, y) }
func (a *asm) or(dst int32, x, y isa.Operand)                 { a.b.ALU(isa.OR, dst, x, y) }
func (a *asm) xor(dst int32, x, y isa.Operand)                { a.b.ALU(isa.XOR, dst, x, y) }
func (a *asm) sll(dst int32, x, y isa.Operand)                { a.b.ALU(isa.SLL, dst, x, y) }
func (a *asm) srl(dst int32, x, y isa.Operand)                { a.b.ALU(isa.SRL, dst, x, y) }
func (a *asm) sltu(dst int32, x, y isa.Operand)               { a.b.ALU(isa.SLTU, dst, x, y) }
func (a *asm) mul(dst int32, x, y isa.Operand)                { a.b.ALU(isa.MUL, dst, x, y) }
func (a *asm) mulhu(dst int32, x, y isa.Operand)              { a.b.ALU(isa.MULHU, dst, x, y) }
func (a *asm) divu(dst int32, x, y isa.Operand)               { a.b.ALU(isa.DIVU, dst, x, y) }
func (a *asm) remu(dst int32, x, y isa.Operand)               { a.b.ALU(isa.REMU, dst, x, y) }
func (a *asm) eq(dst int32, x, y isa.Operand)                 { a.b.ALU(isa.EQ, dst, x, y) }
func (a *asm) ne(dst int32, x, y isa.Operand)                 { a.b.ALU(isa.NE, dst, x, y) }

func (a *asm) lw(dst int32, base isa.Operand, off int32)  { a.b.Load(isa.LW, dst, base, off) }
func (a *asm) lbu(dst int32, base isa.Operand, off int32) { a.b.Load(isa.LBU, dst, base, off) }
func (a *asm) sw(src int32, base isa.Operand, off int32)  { a.b.Store(isa.SW, src, base, off) }
func (a *asm) sb(src int32, base isa.Operand, off int32)  { a.b.Store(isa.SB, src, base, off) }

func (a *asm) jmp(l isa.Label)           { a.b.Jump(l) }
func (a *asm) jmpSlot(off int32)         { a.b.JumpTo(isa.Slot(off)) }
func (a *asm) call(l isa.Label, f int32) { a.b.Call(l, f) }
func (a *asm) callSlot(off, f int32)     { a.b.CallTo(isa.Slot(off), f) }
func (a *asm) ret()                      { a.b.Ret() }
func (a *asm) halt(code isa.Operand)     { a.b.Halt(code) }
func (a *asm) trap(code isa.Operand)     { a.b.Trap(code) }

func (a *asm) ecall(n uint32, ptr int32, x isa.Operand) { a.b.Ecall(n, ptr, x) }

func (a *asm) beq(x int32, y isa.Operand, l isa.Label)  { a.b.Branch(isa.BEQ, x, y, l) }
func (a *asm) bne(x int32, y isa.Operand, l isa.Label)  { a.b.Branch(isa.BNE, x, y, l) }
func (a *asm) bltu(x int32, y isa.Operand, l isa.Label) { a.b.Branch(isa.BLTU, x, y, l) }
func (a *asm) bgeu(x int32, y isa.Operand, l isa.Label) { a.b.Branch(isa.BGEU, x, y, l) }
func (a *asm) blt(x int32, y isa.Operand, l isa.Label)  { a.b.Branch(isa.BLT, x, y, l) }
func (a *asm) bge(x int32, y isa.Operand, l isa.Label)  { a.b.Branch(isa.BGE, x, y, l) }

// gload and gstore read and write a global word at a fixed address.
func (a *asm) gload(dst int32, addr uint32)  { a.lw(dst, i(int64(addr)), 0) }
func (a *asm) gstore(src int32, addr uint32) { a.sw(src, i(int64(addr)), 0) }
