// Package translate lowers verified sBPF programs into the normalized ISA
// ([Build]). docs/svm.md describes the translation: registers as pairs of frame
// slots, 64-bit arithmetic in 32-bit sequences, each sBPF region in its own window of
// normalized memory with inline bounds checks (fast paths for the current stack frame
// and for the region a register is predicted to point into), metering per basic block,
// a shadow stack for calls, syscalls as normalized routines over the core's I/O and
// hash precompiles, and faults as TRAP with an error code.
//
// # Usage
//
//	p, info, err := translate.Build(exe, translate.Options{Budget: 200_000, HeapSize: 32 << 10,
//		InputFromTape: true, InputWritable: true, Syscalls: syscalls, Accounts: true})
//	res, err := exec.Run(ctx, p, exec.Options{Input: tape})
//
// # The runtime lives here
//
// The code every program carries — the prologue that copies the input tape and expands
// the Solana accounts (runtime.go, abi.go), the syscalls (syscall.go, syscall_mem.go),
// the address translation and division helpers (mem.go, runtime.go), the fault stubs and
// the exit record — is emitted by this package, not by a runtime package of its own as in
// the EVM frontend. Each of those routines is a method of the translator: it charges
// compute units against the meter slot the blocks use, maps sBPF addresses through the
// region table and the input-region limits the analyses planned, jumps to the fault
// stubs, and shares the frame layout (layout.go) with the translated instructions.
// Moving them out would need that state and about a dozen internal helpers exported in
// both directions (the routines need the translator's memory mapping; the translator
// needs the routines' labels), an import cycle or a wide API for no reader's benefit.
// The syscall table ([Syscall], [SyscallNames]) is what other packages see of it.
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
package translate
