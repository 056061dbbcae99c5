// Package loader loads sBPF programs: Solana ELF files ([Load]) and raw bytecode
// ([FromText]), into an [Executable] — relocated bytecode, the read-only region and its
// address, the entry point and the function registry of v0 calls.
//
// # Usage
//
//	exe, err := loader.Load(elf, loader.Config{MinVersion: sbpf.V0, MaxVersion: sbpf.MaxVersion,
//		OptimizeRodata: true, Syscalls: registered})
//	// err: *loader.Error named as Agave names it, wrapping ErrParse or ErrLoad
//
// v0 to v2 files go through the lenient parser of Agave's solana-sbpf (0.23): file,
// program and section headers, the dynamic table, relocations (relative calls,
// R_BPF_64_64, R_BPF_64_RELATIVE in text and in data, R_BPF_64_32 to functions and to
// syscalls by hash) and the read-only sections. v3 and later go through the strict
// parser of SIMD-0189 (two program headers, read-only data at 0, bytecode at 1 << 32).
//
// # Security
//
// Load reads untrusted bytes: every offset and length is checked before use, arithmetic
// saturates or is checked, and a recover turns any remaining bug into a refusal
// (FailedToParse) rather than a crash. FuzzLoad fuzzes it from the shared suite's files.
//
// # Performance
//
// Linear in the file size; one copy of the file for the relocations.
package loader
