// Package container is the frontend's own program format: an sBPF program (an ELF or raw
// bytecode) together with the settings of one run — versions the loader accepts, compute
// budget, heap, initial registers, the input region and its sub-regions, the syscalls
// registered and whether the exit record carries the registers. Conformance harnesses
// build containers (one per test vector); a plain .so needs none.
//
// # Format (version 1)
//
// Little-endian. A header, then sections, each at most once and in increasing id order:
//
//	magic "OSVM" | u16 format version = 1 | u16 reserved = 0
//	section = u8 id | u32 payload length | payload
//
//	id  section     payload
//	 1  ELF         the ELF file                                  (ELF or TEXT, not both)
//	 2  TEXT        u8 sBPF version, bytecode (a multiple of 8)
//	 3  VERSIONS    u8 lowest, u8 highest sBPF version the loader accepts (ELF)
//	 4  LOADER      u8 flags: 1 reject broken ELFs, 2 optimize rodata (ELF)
//	 5  BUDGET      u64 compute units
//	 6  HEAP        u32 heap bytes
//	 7  REGS        12 × u64: r0..r11 at entry
//	 8  INPUT       u8 flags (1 writable), the input region's bytes; absent: the input
//	                region is the run's private input (the Solana program input)
//	 9  BOUNDARIES  u32 × n: ends of the input's sub-regions, increasing
//	10  SYSCALLS    u32 n, then n × (u8 implementation, u8 name length, name)
//	11  FUNCTIONS   n × (u32 key, u32 instruction): call immediates of internal calls
//	12  OUTPUT      u8 flags: 1 the exit record carries r0..r11
package container
