// Package isa is the normalized instruction set of OneirOS: the contract between the ISA
// frontends (WebAssembly, sBPF, EVM) and the core that proves runs. It defines the
// opcodes and their 16-byte encoding, the [Program] (instructions, initial memory image,
// entry, initial frame pointer) with its canonical binary format and [Program.ID], a
// [Builder] for frontends, a text assembler ([Assemble]) and a disassembler
// ([Disassemble]). docs/isa.md is the full specification; this package implements it.
//
// The machine has no registers: operands are frame slots [fp+off] or immediates, memory
// is 2^32 bytes of little-endian words in pages that appear on first touch, and pc is an
// instruction index.
//
// # Usage
//
// Frontends build programs:
//
//	b := isa.NewBuilder()
//	b.SetFP(0x1000)
//	loop := b.NewLabel("loop")
//	b.Move(0, isa.Imm(10))                      // [0] = 10
//	b.Bind(loop)
//	b.ALU(isa.SUB, 0, isa.Slot(0), isa.Imm(1))  // [0] = [0] - 1
//	b.Branch(isa.BNE, 0, isa.Imm(0), loop)      // if [0] != 0 goto loop
//	b.Halt(isa.Imm(0))
//	prog, err := b.Program()
//
// People write assembler:
//
//	prog, err := isa.Assemble("count.s", []byte(`
//	        .fp 0x1000
//	        mov  [0], 10
//	loop:   sub  [0], [0], 1
//	        bne  [0], 0, loop
//	        halt`))
//
// Programs travel in their canonical encoding:
//
//	b := prog.Encode()
//	prog, err := isa.Decode(b)
//	id := prog.ID() // hash.Tagged("oneiros/program/v1", encoding without metadata)
//
// # Security
//
// [Decode] and [DecodeInstruction] read untrusted bytes: they never panic (fuzzed by
// FuzzDecodeProgram, with a checked-in corpus), bound every allocation by the input size,
// and accept only canonical encodings, so a program ID names exactly one byte string.
// [Assemble] never panics either (FuzzAssemble). The program ID binds instructions, data,
// entry and fp; the name and source digest are metadata outside it (the source digest
// enters the claim on its own).
//
// # Performance
//
// Nothing here is on a hot path; the executor (package exec) reads [Program.Code]
// directly.
package isa
