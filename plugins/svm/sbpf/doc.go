// Package sbpf is Solana's sBPF instruction set: the 8-byte instruction slots
// ([Insn]), the versions and their features ([Version]), what each opcode means in
// each version ([Decode]), the static verifier ([Verify]) and the murmur3 hashes that
// name syscalls and functions ([SymbolHash], [PCHash]).
//
// # Usage
//
//	for i, in := range sbpf.Slots(text) {
//		op := sbpf.Decode(in.Op, sbpf.V0) // Kind, Imm, Wide, Sext32, Size, Cond, Check
//		…
//	}
//	if err := sbpf.Verify(text, sbpf.V3); err != nil { … } // *VerifyError: pc and reason
//
// Version differences follow Agave's program.rs and Firedancer's fd_vm: v2 moves loads
// and stores to the freed multiply/divide opcodes and adds the PQR class, zero-extends
// 32-bit results (and sign-extends mov32 reg), swaps sub with an immediate, drops neg,
// le and lddw (hor64 instead) and takes callx's target from src; v3 adds the 32-bit
// jumps, static syscalls and callx through dst, and keeps v0's arithmetic.
//
// # Security
//
// Decode and Verify read untrusted bytes and never panic; Verify reports the first
// violation, as the reference verifiers do. The shared Firedancer instruction vectors
// (../shared/conformance/svm/instr) check both, version by version.
//
// # Performance
//
// Decode is a few switches per opcode; Verify is linear in the text.
package sbpf
