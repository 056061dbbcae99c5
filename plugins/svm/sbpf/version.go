package sbpf

import "fmt"

// Version is an sBPF version as Agave and Firedancer number them: the value of an ELF's
// e_flags. V0 is the legacy format of most deployed programs.
type Version uint8

// The versions this package knows. V1 and V4 are accepted by the loader but share their
// neighbours' instruction sets (V1 is V0 with dynamic stack frames, V4 is V3).
const (
	V0 Version = 0
	V1 Version = 1
	V2 Version = 2
	V3 Version = 3
	V4 Version = 4
)

// MaxVersion is the highest version the loader accepts.
const MaxVersion = V4

func (v Version) String() string { return fmt.Sprintf("v%d", uint8(v)) }

// Valid reports whether v is a known version.
func (v Version) Valid() bool { return v <= MaxVersion }

// ManualStackFrameBump (SIMD-0166): calls do not move r10; add64 r10, imm is allowed.
func (v Version) ManualStackFrameBump() bool { return v == V1 || v == V2 }

// StackFrameGaps: v0 stack frames are separated by unmapped gaps of one frame.
func (v Version) StackFrameGaps() bool { return v == V0 }

// EnablePQR (SIMD-0174): product, quotient and remainder instructions (class 0x06).
func (v Version) EnablePQR() bool { return v == V2 }

// ExplicitSignExtension (SIMD-0174): 32-bit add, sub and mov results are zero-extended
// (mov32 reg sign-extends) instead of sign-extended.
func (v Version) ExplicitSignExtension() bool { return v == V2 }

// SwapSubRegImm (SIMD-0174): sub reg, imm computes imm - reg.
func (v Version) SwapSubRegImm() bool { return v == V2 }

// DisableNeg (SIMD-0174): no neg32 or neg64.
func (v Version) DisableNeg() bool { return v == V2 }

// CallxUsesSrc (SIMD-0173): callx takes its target from the source register.
func (v Version) CallxUsesSrc() bool { return v == V2 }

// DisableLDDW (SIMD-0173): no lddw; hor64 instead.
func (v Version) DisableLDDW() bool { return v == V2 }

// DisableLE (SIMD-0173): no le16/32/64.
func (v Version) DisableLE() bool { return v == V2 }

// MoveMemoryClasses (SIMD-0173): loads and stores use the freed multiply, divide and
// remainder opcodes.
func (v Version) MoveMemoryClasses() bool { return v == V2 }

// StaticSyscalls (SIMD-0178): call imm with src 0 is a syscall by hash, src 1 a
// relative internal call.
func (v Version) StaticSyscalls() bool { return v >= V3 }

// StricterELFHeaders (SIMD-0189): the strict ELF parser, no relocations.
func (v Version) StricterELFHeaders() bool { return v >= V3 }

// LowerRodataVaddr (SIMD-0189): read-only data at virtual address 0, bytecode alone in
// region 1.
func (v Version) LowerRodataVaddr() bool { return v >= V3 }

// EnableJMP32 (SIMD-0377): 32-bit conditional jumps (class 0x06).
func (v Version) EnableJMP32() bool { return v >= V3 }

// CallxUsesDst (SIMD-0377): callx takes its target from the destination register.
func (v Version) CallxUsesDst() bool { return v >= V3 }
