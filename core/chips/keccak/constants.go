package keccak

import "github.com/oneiros-zk/oneiros/core/isa"

// Rounds is the number of rounds of Keccak-f[1600], and the rows per permutation.
const Rounds = 24

// Lanes is the number of 64-bit lanes of the state; lane (x, y) is lane x + 5y.
const Lanes = 25

// Words is the number of 32-bit memory words of the state (lane i = words 2i, 2i+1).
const Words = 2 * Lanes

// Limbs is the number of 16-bit limbs of a lane (little-endian: word 2i's lo and hi
// halves, then word 2i+1's).
const Limbs = 4

// FirstSlot is the slot of the cycle in which KECCAKF accesses word 0 of the state;
// word i is accessed in slot FirstSlot + i (trace.SlotData, see core/exec).
const FirstSlot = 3

// Number is the syscall the chip serves.
const Number = isa.SysKeccakF

// roundConstants are the ι constants RC[0..23] (FIPS 202, §3.2.5): bit 2^j − 1 of RC[i]
// is rc(j + 7i) for j = 0..6, rc being the output of the LFSR x^8 + x^6 + x^5 + x^4 + 1.
var roundConstants = func() (rc [Rounds]uint64) {
	var r uint = 1 // the LFSR state; its low bit is the output
	for i := range rc {
		for j := range 7 {
			rc[i] |= uint64(r&1) << (1<<j - 1)
			r <<= 1
			if r&0x100 != 0 {
				r ^= 0x171 // reduce by x^8 + x^6 + x^5 + x^4 + 1
			}
		}
	}
	return rc
}()

// rcPos are the only bit positions where a round constant may be 1 (2^j − 1).
var rcPos = [7]int{0, 1, 3, 7, 15, 31, 63}

// rotation[x+5y] is the ρ offset of lane (x, y): (t+1)(t+2)/2 mod 64 for the t with
// (x, y) = M^t·(1, 0), M = [[0, 1], [2, 3]] over Z/5; lane (0, 0) is not rotated.
var rotation = func() (rot [Lanes]int) {
	x, y := 1, 0
	for t := range 24 {
		rot[x+5*y] = (t + 1) * (t + 2) / 2 % 64
		x, y = y, (2*x+3*y)%5
	}
	return rot
}()

// piSource[X+5Y] is the lane (x, y) that π moves to (X, Y) = (y, 2x + 3y): x = 3(Y − 3X),
// y = X (mod 5).
var piSource = func() (src [Lanes]int) {
	for x := range 5 {
		for y := range 5 {
			src[y+5*((2*x+3*y)%5)] = x + 5*y
		}
	}
	return src
}()
