// Package lower translates verified sBPF programs into the normalized ISA
// ([Translate]). docs/svm.md describes the translation: registers as pairs of frame
// slots, 64-bit arithmetic in 32-bit sequences, each sBPF region in its own window of
// normalized memory with inline bounds checks (fast paths for the current stack frame
// and for the region a register is predicted to point into), metering per basic block,
// a shadow stack for calls, syscalls as normalized routines over the core's I/O and
// hash precompiles, and faults as TRAP with an error code.
//
// # Usage
//
//	p, info, err := lower.Translate(exe, lower.Options{Budget: 200_000, HeapSize: 32 << 10,
//		InputFromTape: true, InputWritable: true, Syscalls: syscalls, Accounts: true})
//	res, err := exec.Run(ctx, p, exec.Options{Input: tape})
//
// # Security
//
// The translation is what gets proven, so it must do exactly what the reference VM
// does: the shared instruction vectors, the ELF cases, and a differential test against
// a reference interpreter on random programs (package interp) check it. The static
// analyses that make the code cheaper only predict (regions, checked at run time) or
// prove facts over every path (high words that are zero, registers a callee writes);
// programs with callx, which can enter any instruction, use neither fact.
//
// # Performance
//
// About 3.5 normalized cycles per sBPF instruction on the example programs (Info.Ranges
// and Info.Meters split a run's cycles; see TestCyclesPerInstruction).
package lower
