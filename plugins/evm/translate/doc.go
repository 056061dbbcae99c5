// Package translate lowers an EVM transaction container to one normalized program
// (core/isa): [Build] translates every contract of the pre-state, and a creation's init
// code, ahead of time, and puts them together with the runtime (package runtime) and
// the memory image.
//
// A contract's code is cut into straight-line segments (between JUMPDESTs, jumps and
// the instructions that need the exact gas left): each segment checks the stack and
// charges its static gas once, at its start, which is exact because any failure inside
// it is an exceptional halt of the frame. PUSH followed by JUMP or JUMPI is a direct
// jump; other jumps go through the contract's jump table. PUSH followed by MLOAD,
// MSTORE or CALLDATALOAD with a small constant offset is fused into a direct copy. The
// interpreter is included only when some code can create contracts.
//
// # Usage
//
//	c, err := container.Parse(src)
//	tr, err := translate.Build(c)
//	res, err := exec.Run(ctx, tr.Program, exec.Options{})
//	out, err := evm.DecodeOutput(res.Output)
//
// [Translation.Contracts] maps normalized pcs back to EVM instructions, and
// [Translation.Routines] names the runtime's routines, for cycle statistics.
//
// # Security
//
// The translation is deterministic: the same container gives the same program, so a
// verifier holding the container derives the program_id again. Any code translates
// (fuzzed by FuzzTranslate); a container beyond the runtime's limits is refused with an
// error before anything is emitted.
//
// # Performance
//
// TestCyclesPerInstruction and TestCyclesPerInstructionExamples check the cycles per
// EVM instruction docs/evm.md quotes; BenchmarkCyclesPerInstruction reports them.
package translate
