package sha256chip

import (
	"math/big"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// Rounds is the number of rounds of the compression function, and the rows of the round
// table per call.
const Rounds = 64

// StateWords and BlockWords are the 32-bit words of the chaining state and of a block.
const (
	StateWords = 8
	BlockWords = 16
)

// Slots of the ECALL's cycle in which SHA256_COMPRESS accesses memory (see core/exec):
// block word i is read in slot BlockSlot + i, state word i written in StateSlot + i.
const (
	BlockSlot = 3
	StateSlot = BlockSlot + BlockWords
)

// Number is the syscall the chip serves.
const Number = isa.SysSHA256Compress

// roundConstants are K_0 … K_63 (FIPS 180-4, §4.2.2): the first 32 bits of the
// fractional parts of the cube roots of the first 64 primes, computed here as
// ⌊∛(p·2^96)⌋ mod 2^32 with integers.
var roundConstants = func() (k [Rounds]uint32) {
	t := 0
	for p := int64(2); t < Rounds; p++ {
		prime := true
		for d := int64(2); d*d <= p; d++ {
			prime = prime && p%d != 0
		}
		if prime {
			k[t] = uint32(icbrt(new(big.Int).Lsh(big.NewInt(p), 96)).Uint64())
			t++
		}
	}
	return k
}()

// icbrt returns ⌊∛x⌋ for x ≥ 0 (bisection).
func icbrt(x *big.Int) *big.Int {
	lo, hi := big.NewInt(0), new(big.Int).Lsh(big.NewInt(1), uint(x.BitLen()/3+1))
	one := big.NewInt(1)
	for new(big.Int).Sub(hi, lo).Cmp(one) > 0 { // invariant: lo³ ≤ x < hi³
		mid := new(big.Int).Rsh(new(big.Int).Add(lo, hi), 1)
		if new(big.Int).Exp(mid, big.NewInt(3), nil).Cmp(x) <= 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// Rotations and shifts of the Σ and σ functions (FIPS 180-4, §4.1.2): each output bit
// is the XOR of the input bits at these distances above it (ROTR n: bit k is input bit
// k + n mod 32; SHR n: bit k is input bit k + n, or 0 past the top).
var (
	bigSigma0   = [3]int{2, 13, 22}  // Σ0(a) = ROTR 2 ⊕ ROTR 13 ⊕ ROTR 22
	bigSigma1   = [3]int{6, 11, 25}  // Σ1(e) = ROTR 6 ⊕ ROTR 11 ⊕ ROTR 25
	smallSigma0 = [3]int{7, 18, 3}   // σ0(x) = ROTR 7 ⊕ ROTR 18 ⊕ SHR 3
	smallSigma1 = [3]int{17, 19, 10} // σ1(x) = ROTR 17 ⊕ ROTR 19 ⊕ SHR 10
)
