// Package runtime is the normalized code every EVM program carries: the transaction
// itself, the world state, and the routines translated contracts call for everything
// longer than a few instructions. It is generated, not interpreted: [Gen] writes it
// into an isa.Builder with a small macro assembler, once per program, and only the
// routines some code refers to are emitted.
//
// What it holds:
//
//   - the memory map (layout.go): globals, the transaction and block, the hash tables
//     of accounts, storage and transient storage, the image, the heap, the journal,
//     logs, return data, frames, EVM stacks and EVM memory;
//   - the image (image.go): [PlanLayout] places the container's pre-state, block and
//     transaction, and [Gen.Program] writes them as the program's initial memory, so
//     the claim's program_id binds them;
//   - the transaction (tx.go): intrinsic gas, validity, buying gas, the call or
//     creation, the refund, the payments, EIP-161 and EIP-6780 clean-up, then the
//     public output (output.go, the format of sdk/evm.DecodeOutput);
//   - the world state and the journal (world.go), message calls and precompiles
//     (call.go), creation (create.go), storage (storage.go), memory, copies, SHA3, logs
//     and RETURN (memory.go, bytes.go), and the long opcodes (ops.go);
//   - the opcode bodies (opcode.go), shared by translated code ([Contract]) and the
//     interpreter ([Gen.Interpreter]), which runs code that exists only at run time.
//
// # Usage
//
// A translator (package translate) drives it in this order:
//
//	l, err := runtime.PlanLayout(c)          // refuses what the runtime cannot hold
//	g := runtime.New()                       // the transaction's code, the shared exits
//	em := g.Contract(len(code), l.JumpTable(addr))
//	g.Segment(need, grow, gas)               // per straight-line segment
//	em.Op(pc, op, imm)                       // per instruction (or em.Jump, em.JumpI, em.ConstOffset)
//	g.Interpreter()                          // or g.NoInterpreter()
//	prog, err := g.Program(c, l, runtime.Entries{Accounts: entries})
//
// # Security
//
// Everything here is ordinary normalized code and memory: the proof covers it as it
// covers any program (storage is a hash table in memory, proven by the memory argument;
// 256-bit arithmetic is the u256 syscalls the 256-bit chip proves). The runtime never
// trusts the contracts it runs: stack bounds, gas and jump destinations are checked and
// fail as an exceptional halt of the EVM frame; only the runtime's own regions
// overflowing (more journal, heap or logs than the memory map gives) or a precompile it
// lacks end the run with a TRAP, which is not an EVM outcome.
//
// # Performance
//
// The cycles per EVM instruction the docs quote (docs/evm.md) are checked by the
// translate package's tests; `oneiros execute --isa evm FILE --profile-cycles` names
// the routines ("runtime:<name>" in the source map) by the cycles they take.
package runtime
