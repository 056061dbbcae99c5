package isa

import "fmt"

// Syscall numbers, carried in the immediate c of ECALL. Numbers below [FirstHook] belong to
// the core; numbers from FirstHook up are frontends' own hooks, served by the executor's
// hook table (exec.Options.Hooks). Numbers are part of the ISA and never change.
const (
	SysRead     uint32 = 0x01 // [a] = next 4 bytes of the private input, zero-padded
	SysInputLen uint32 = 0x02 // [a] = remaining input bytes
	SysWrite    uint32 = 0x03 // append the low B (1..4) bytes of [a] to the public output

	SysKeccakF        uint32 = 0x10 // Keccak-f[1600] in place on the 50 words at [a]
	SysSHA256Compress uint32 = 0x11 // SHA-256 compression: state at [a] (8 words), block at B (16 words)
	SysPoseidon2      uint32 = 0x12 // reserved: Poseidon2 permutation (not implemented yet)

	// 0x20..0x2F are reserved for 256-bit integer operations (not implemented yet).
	SysU256First uint32 = 0x20
	SysU256Last  uint32 = 0x2F

	// FirstHook is the first syscall number left to frontends.
	FirstHook uint32 = 0x100
)

var syscallNames = map[uint32]string{
	SysRead:           "read",
	SysInputLen:       "input_len",
	SysWrite:          "write",
	SysKeccakF:        "keccakf",
	SysSHA256Compress: "sha256_compress",
	SysPoseidon2:      "poseidon2",
}

var syscallByName = func() map[string]uint32 {
	m := make(map[string]uint32, len(syscallNames))
	for n, s := range syscallNames {
		m[s] = n
	}
	return m
}()

// SyscallName returns the assembler name of a core syscall, or "" for a number without one.
func SyscallName(n uint32) string { return syscallNames[n] }

// SyscallByName returns the number of a named core syscall.
func SyscallByName(name string) (uint32, bool) {
	n, ok := syscallByName[name]
	return n, ok
}

// SyscallReserved reports whether n is reserved for a core syscall that is not implemented
// yet (an ECALL with it traps as an unknown syscall).
func SyscallReserved(n uint32) bool {
	return n == SysPoseidon2 || (n >= SysU256First && n <= SysU256Last)
}

// ExitStatus is how a run ends: halted, or one of the traps. The numbers enter the claim
// and never change.
type ExitStatus uint8

// The exit statuses.
const (
	StatusHalted         ExitStatus = 0  // HALT executed; the exit code is its operand
	StatusInvalidPC      ExitStatus = 1  // pc ≥ number of instructions
	StatusMisaligned     ExitStatus = 2  // an access that must be word aligned was not
	StatusMemoryLimit    ExitStatus = 3  // touching one more page would pass max_memory_bytes
	StatusCycleLimit     ExitStatus = 4  // max_cycles instructions ran without a HALT
	StatusOutputLimit    ExitStatus = 5  // WRITE would pass max_output_bytes
	StatusInputExhausted ExitStatus = 6  // READ with no input left
	StatusUnknownSyscall ExitStatus = 7  // ECALL with a number that has no handler
	StatusTrap           ExitStatus = 8  // TRAP executed; the exit code is its operand
	StatusBadFrame       ExitStatus = 9  // CALL's new fp would leave [0, 2^32), or RET restores a misaligned fp
	StatusBadArgument    ExitStatus = 10 // a syscall argument out of its range (e.g. WRITE of 5 bytes)
)

var statusNames = [...]string{
	StatusHalted:         "halted",
	StatusInvalidPC:      "invalid pc",
	StatusMisaligned:     "misaligned access",
	StatusMemoryLimit:    "memory limit",
	StatusCycleLimit:     "cycle limit",
	StatusOutputLimit:    "output limit",
	StatusInputExhausted: "input exhausted",
	StatusUnknownSyscall: "unknown syscall",
	StatusTrap:           "trap",
	StatusBadFrame:       "bad frame",
	StatusBadArgument:    "bad syscall argument",
}

// Valid reports whether s is a defined status.
func (s ExitStatus) Valid() bool { return int(s) < len(statusNames) }

func (s ExitStatus) String() string {
	if s.Valid() {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}
