// Package runtime is what a WebAssembly program may import from OneirOS: the host module
// "oneiros" (the private input tape and the public output) and the subset of WASI
// preview 1 that plain C and Rust programs need. docs/wasm.md (§2, §3) specifies both.
//
// # Usage
//
//	if in, t, ok := runtime.LookupIntrinsic(name); ok { … } // oneiros.input_len, read_word, …
//	m, err := runtime.Module() // the runtime module: WASI and oneiros.read, oneiros.write
//
// The five intrinsics (input_len, read_word, write_byte, write_word, exit) are one core
// syscall or HALT each; package translate lowers a direct call of one inline. Everything
// else is the runtime module (runtime.wat, built with wat2wasm into runtime.wasm and
// embedded): WASI's fd_read, fd_write, proc_exit and the rest, and the host module's
// read and write, written in WebAssembly over the intrinsics. Package translate
// instantiates it once per memory that an importing module uses, through the import
// module [MemoryModule], and translates it with the program, so it is covered by the
// same translator and tests as user code. A WASI function the runtime module lacks
// answers [ErrnoNoSys].
//
// # Security
//
// The runtime module is part of every program that imports from it, so the proof covers
// it like user code: its pointer arguments go through WebAssembly's bounds checks (a
// pointer outside memory traps), and nothing it does reaches outside the input tape and
// the public output (clocks stand still at 0, random_get returns zeros), so runs stay
// deterministic.
package runtime
