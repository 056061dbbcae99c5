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

	// 0x20..0x2F: 256-bit integer operations on memory operands (docs/isa.md §6). A
	// 256-bit value is 8 little-endian words, least significant word first; [a] points to
	// the first operand x, the second operand y follows it (32 bytes on), the third n
	// follows y; the result replaces the last operand.
	SysU256First uint32 = 0x20
	SysU256Add   uint32 = 0x20 // y ← x + y mod 2^256
	SysU256Sub   uint32 = 0x21 // y ← x − y mod 2^256
	SysU256Mul   uint32 = 0x22 // y ← x · y mod 2^256
	SysU256Div   uint32 = 0x23 // y ← x / y (unsigned; 0 when y = 0)
	SysU256Mod   uint32 = 0x24 // y ← x mod y (unsigned; 0 when y = 0)
	// 0x25, 0x26 are reserved (signed division and remainder).
	SysU256AddMod uint32 = 0x27 // n ← (x + y) mod n (0 when n = 0)
	SysU256MulMod uint32 = 0x28 // n ← (x · y) mod n (0 when n = 0)
	SysU256Cmp    uint32 = 0x29 // y ← 1 or 0: B selects x<y, x>y, signed x<y, signed x>y, x=y
	SysU256Bit    uint32 = 0x2A // y ← x op y: B selects AND, OR, XOR
	SysU256Shift  uint32 = 0x2B // y ← y shifted by x: B selects left, logical right, arithmetic right
	SysU256Unary  uint32 = 0x2C // x ← op x in place: B selects ISZERO, NOT, BSWAP (byte reversal)
	SysU256Set    uint32 = 0x2D // x ← B (zero-extended)
	SysU256Copy   uint32 = 0x2E // x ← the 32 bytes at [a] + B (B a multiple of 32, 32 … 2^16 − 32)
	SysU256Swap   uint32 = 0x2F // exchange x and the 32 bytes at [a] + B (B as for copy)
	SysU256Last   uint32 = 0x2F

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
	SysU256Add:        "u256_add",
	SysU256Sub:        "u256_sub",
	SysU256Mul:        "u256_mul",
	SysU256Div:        "u256_div",
	SysU256Mod:        "u256_mod",
	SysU256AddMod:     "u256_addmod",
	SysU256MulMod:     "u256_mulmod",
	SysU256Cmp:        "u256_cmp",
	SysU256Bit:        "u256_bit",
	SysU256Unary:      "u256_unary",
	SysU256Set:        "u256_set",
	SysU256Copy:       "u256_copy",
	SysU256Swap:       "u256_swap",
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
	return n == SysPoseidon2 || n == 0x25 || n == 0x26
}

// Selectors of the 256-bit syscalls that take one in B.
const (
	U256Lt, U256Gt, U256SLt, U256SGt, U256Eq uint32 = 0, 1, 2, 3, 4 // SysU256Cmp
	U256And, U256Or, U256Xor                 uint32 = 0, 1, 2       // SysU256Bit
	U256Shl, U256Shr, U256Sar                uint32 = 0, 1, 2       // SysU256Shift
	U256IsZero, U256Not, U256BSwap           uint32 = 0, 1, 2       // SysU256Unary
)

// U256Operands returns how many 256-bit operands syscall n reads (1, 2 or 3; the last
// is replaced by the result), or 0 when n is not a 256-bit syscall.
func U256Operands(n uint32) int {
	switch {
	case n == SysU256AddMod || n == SysU256MulMod:
		return 3
	case n == SysU256Unary || n == SysU256Set:
		return 1
	case n >= SysU256First && n <= SysU256Last && !SyscallReserved(n):
		return 2
	}
	return 0
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
