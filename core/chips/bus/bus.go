// Package bus names the LogUp buses over which the zkVM's chips talk, and fixes the
// layout of every bus's tuples. It is the contract between chips: a chip that sends a
// tuple on a bus and the chip that receives it agree only through this file.
//
// # Conventions
//
//   - A 32-bit word travels as two 16-bit limbs (lo, hi); whoever produces a word
//     (an ALU chip, the input syscall) range-checks its limbs, so a word read back from
//     memory is known to be well-formed.
//   - Memory addresses on the buses are word indices addr/4 (< 2^30), field elements.
//   - Timestamps are ts = 128·(clk+1) + slot (package trace), field elements below
//     2^28 within a segment; the memory argument checks prev_ts < ts with a 28-bit
//     range check, so a segment may hold up to 2^21 − 2 cycles.
//   - Public buses (Exit, HookEnd, MemTree's root tuple, Poseidon2's hook and input
//     states: see each bus and package machine's messages) carry messages the verifier
//     adds from the claim (lookup.Message). Output, Image and MemoryFinal are private:
//     the output table (package output) and the memory-tree tables (package memtree)
//     answer them and prove fixed-size public values (sponge states, roots).
package bus

import (
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// The buses. IDs are part of the proof system (they enter every fingerprint) and never
// change.
var (
	// Program: the CPU fetches (pc, kind, sub_op, a_off, b_off, c_off, b_imm_lo,
	// b_imm_hi, c_imm_lo, c_imm_hi); the ROM receives each instruction with the number of
	// times it was executed. See package rom for the fields.
	Program = air.Bus{ID: 1, Name: "program"}
	// Memory: (addr, lo, hi, ts). Every access receives the word's previous (value, ts)
	// and sends its new (value, ts); the memory table sends each touched word's initial
	// value at ts 0 and receives its final value and ts.
	Memory = air.Bus{ID: 2, Name: "memory"}
	// U16, U12, U8: (v) with v < 2^16, 2^12, 2^8; received by the range table.
	U16 = air.Bus{ID: 3, Name: "u16"}
	U12 = air.Bus{ID: 4, Name: "u12"}
	U8  = air.Bus{ID: 5, Name: "u8"}
	// ALU: (op, x_lo, x_hi, y_lo, y_hi, z_lo, z_hi): z = x op y, op an ALU op code
	// (the ISA opcode for ALU instructions, or one of the comparison codes below for
	// branches). Sent by the CPU, received by the ALU chips.
	ALU = air.Bus{ID: 6, Name: "alu"}
	// LoadStore: (clk, op, base_lo, base_hi, off_lo, off_hi, val_lo, val_hi): the load or
	// store of the CPU cycle clk at address base + off; val is the value loaded into [a]
	// or the value of [a] stored. Sent by the CPU, received by the load/store chip,
	// which makes the data-word accesses (slots 3 and 4).
	LoadStore = air.Bus{ID: 7, Name: "loadstore"}
	// Frame: (clk, kind, fp, pc, saved_fp): CALL (kind 0) writes the new frame's words
	// [fp] = pc and [fp+1] = saved_fp (fp a word index; saved_fp a byte address);
	// RET (kind 1) reads them. Received by the frame chip, which accesses slots 3 and 4.
	Frame = air.Bus{ID: 8, Name: "frame"}
	// Syscall: (clk, number, a_lo, a_hi, b_lo, b_hi): an ECALL with its [a] value (the
	// value read, or for READ and INPUT_LEN the value written) and B. Received by the
	// chip that serves the number (io, keccak).
	Syscall = air.Bus{ID: 9, Name: "syscall"}
	// Bitwise: (op, x, y, z) for bytes x, y and z = x op y, op one of AND, OR, XOR (their
	// ISA opcodes) or bytetable.OpRange = 0 (z = 0: a two-byte range check); received by
	// the byte tables (package bytetable: one per op, each present when it is looked up)
	// and, for OpRange, the range table (package rangetable).
	Bitwise = air.Bus{ID: 10, Name: "bitwise"}

	// KeccakState: the Keccak chip's two tables pass each permutation's input and
	// output state between them (package keccak).
	KeccakState = air.Bus{ID: 20, Name: "keccak_state"}

	SHA256State = air.Bus{ID: 21, Name: "sha256_state"} // the SHA-256 chip's two tables (package sha256chip)

	// Poseidon2: (kind, dom, id, s[16]): a caller sends (0, dom, id, in) and receives
	// (1, dom, id, out); the poseidon2 chip receives the first and sends the second with
	// out = Poseidon2(in) (package poseidon2). Each caller keeps (dom, id) unique: dom 0
	// is the input tape's sponge (package input), dom 1 the host answers' (package hook),
	// 3 and 4 the memory trees (package memtree), 5 the output's sponge (package output);
	// package poseidon2 keeps the list.
	Poseidon2 = air.Bus{ID: 22, Name: "poseidon2"}

	// U256: (op, sel, x[16], y[16], n[16], z[16]): a 256-bit syscall's operands and
	// result as 16-bit limbs, least significant first (zero for operands the syscall does
	// not have): z = op(sel; x, y, n). Sent by the u256 chip's memory table, received by
	// its arithmetic tables (package u256).
	U256 = air.Bus{ID: 30, Name: "u256"}

	// Exit (public): (status, code_lo, code_hi), sent once by the CPU's HALT or TRAP row,
	// in the segment that ends the run.
	Exit = air.Bus{ID: 16, Name: "exit"}
	// Output: (index, byte) for each byte of the public output: the I/O chip sends one
	// per byte a WRITE writes, the output table (package output) receives it and absorbs
	// the byte into the output sponge whose states where the segment's output starts and
	// ends are its public values. Private: the verifier adds no message.
	Output = air.Bus{ID: 17, Name: "output"}
	// Input: (offset, word_lo, word_hi): the I/O chip sends one per READ, the word read
	// at byte offset offset of the input tape; the input table (package input) receives
	// them from its words. Private: the verifier adds no message.
	Input = air.Bus{ID: 18, Name: "input"}
	// Image: (addr, lo, hi) for each word the segment touches, its value when the
	// segment starts: the memory-tree leaf table (package memtree) sends it from the
	// tree whose root is where the segment starts, and the memory table receives it.
	// Private: the verifier adds no message (it puts the roots on MemTree).
	Image = air.Bus{ID: 19, Name: "image"}
	// MemoryFinal: (addr, lo, hi) for each word the segment touches, its value when the
	// segment ends: the memory table sends it, the memory-tree leaf table receives it
	// into the tree whose root is where the segment ends. Private, as Image.
	MemoryFinal = air.Bus{ID: 23, Name: "memory_final"}
	// HookEnd (public): (n, s[16]): the hook table's final row sends the number of hook
	// calls of the segment and the host answers' sponge state after them; the verifier
	// receives them from the segment's state (package hook), only for a segment that
	// makes hook calls.
	HookEnd = air.Bus{ID: 24, Name: "hook_end"}
	// MemTree: (id, h, init[8], final[8]): a node of the memory Merkle tree (package
	// memtree) at height h with heap index id, and its digests in the trees before and
	// after the segment. An expanded node's row sends its expanded children's tuples and
	// receives its own; the verifier sends the root's (1, 27, R_init, R_final).
	MemTree = air.Bus{ID: 25, Name: "memtree"}
)

// ALU op codes that are not ISA opcodes: the branch conditions without an ALU
// instruction of their own (BGE, BGEU). BEQ, BNE, BLT and BLTU use EQ, NE, SLT, SLTU.
const (
	OpGE  = 0x15 // x ≥ y, signed
	OpGEU = 0x16 // x ≥ y, unsigned
)

// ALUEvent is one message on the ALU bus: Z = X op Y.
type ALUEvent struct {
	Op      uint32
	X, Y, Z uint32
}

// LoadStoreEvent is one message on the LoadStore bus with the data-word accesses it
// stands for (slots 3 and 4 of the cycle; one word, or two for an access that crosses a
// word boundary).
type LoadStoreEvent struct {
	Clk            uint64
	Op             uint32 // isa.LW … isa.SB
	Base, Off, Val uint32
	Words          []trace.Access
}

// FrameEvent is one message on the Frame bus with its two frame-word accesses.
type FrameEvent struct {
	Clk     uint64
	Call    bool   // CALL writes the words, RET reads them
	FP      uint32 // word index of the frame (the callee's fp / 4)
	PC      uint32 // the return pc stored in [fp]
	SavedFP uint32 // word index of the caller's frame, stored as a byte address in [fp+1]
	Words   [2]trace.Access
}

// SyscallEvent is one message on the Syscall bus, with the record of its ECALL (for the
// syscall's data and its own accesses).
type SyscallEvent struct {
	Clk    uint64
	Number uint32
	A, B   uint32
	Rec    *trace.Record
}
