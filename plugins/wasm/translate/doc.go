// Package translate lowers validated WebAssembly modules to the OneirOS normalized ISA
// (docs/isa.md): one normalized program per store of linked instances, built with
// core/isa's Builder. docs/wasm.md describes the translation in full; this is the map.
//
// # Usage
//
//	st := translate.NewStore(translate.Options{})
//	inst, err := st.Instantiate(mod, "main") // link imports, allocate memories, tables, globals
//	prog, err := st.ProgramMain(inst, inst.Exports["_start"].Func)
//
// or, for many invocations sharing state (the spec tests), Options.Container and
// ProgramSteps with a list of Steps (instantiate, invoke, read a global): the program
// writes each step's outcome to the public output and recovers from traps.
//
// # Translation
//
// Values: an i32 (or f32, or a reference) is one 32-bit word, an i64 (or f64) two (low
// word first). Every function has a frame: CALL's two words, parameters and locals at
// fixed offsets, a few temporaries, then the operand stack, each stack position at an
// offset known from validation. There is no run-time stack pointer and no register
// allocation: an instruction names the slots it reads and writes.
//
// Values are computed lazily: local.get, constants and pure operations (arithmetic,
// comparisons, shifts) are kept as descriptions on a compile-time stack and computed
// only when needed, straight into where they go — a local for local.set, the callee's
// parameter slot for a call, the return slots, or a comparison fused into a branch.
// Stores, loads, calls and anything that may trap are emitted in program order. Before
// a slot is overwritten every pending value that reads it is computed first. This is
// what keeps typical code under one normalized cycle per WebAssembly instruction.
//
// 64-bit operations are lowered to 32-bit sequences: carries with SLTU, products with
// MUL and MULHU, comparisons on the high words then the low ones, shifts and rotations
// with a branch on the amount's bit 5; division and remainder run inline for 32-bit
// operands and in a routine otherwise. Linear memory is a region of normalized memory
// at a fixed base; an access of k+w bytes at address a is checked with one compare
// against a per-frame copy of max(size − FastWindow, 0), falling back to an exact
// check (a + k + w ≤ size without wrapping) out of line. Globals, tables and jump
// tables live in the data area at fixed addresses. Traps jump to per-kind stubs that
// end the run with the normalized TRAP and a TrapCode.
//
// Imports from the host come from package runtime: a direct call of one of the host
// module's intrinsics (input_len, read_word, write_byte, write_word, exit) is lowered
// inline to its core syscall or HALT; WASI and the host module's read and write are the
// runtime module, instantiated once per memory that an importing module uses and
// translated with the program. The normalized routines (routine.go) are this package's
// own: they are emitted per memory and use the store's trap stubs.
//
// # Security
//
// The translator only runs on validated modules, never panics on them (a panic is a
// bug: the plugin's Load recovers and reports it), bounds what it allocates by the
// module's size and the implementation limits (frame sizes within the stack, tables up
// to MaxTableEntries, memories within the address space), and keeps every per-
// instruction scan bounded (at most maxVirtual pending values). The programs it writes
// are validated by the Builder. Soundness does not depend on the translator: the proof
// covers the normalized program, whatever it is.
//
// # Performance
//
// Measured with the profile table (Options.Profile): 0.5 to 0.7 normalized cycles per
// WebAssembly instruction on compiled C programs, 0.3 to 1.9 per group of the spec tests
// (docs/wasm.md has the table).
package translate
