package exec

import "math/bits"

// keccakRC are the 24 round constants of Keccak-f[1600] (FIPS 202, §3.2.5), the outputs
// of the rc LFSR; keccakRC is generated from it by init and checked by the tests against
// the standard's table.
var keccakRC [24]uint64

// keccakRot[x+5y] is the ρ rotation offset of lane (x, y).
var keccakRot [25]uint

func init() {
	// ι constants: RC[i] has bit 2^j − 1 set to rc(j + 7i) for j = 0..6.
	r := uint8(1) // rc LFSR state, x^8 + x^6 + x^5 + x^4 + 1
	for i := range keccakRC {
		for j := range 7 {
			if r&1 != 0 {
				keccakRC[i] |= 1 << (1<<j - 1)
			}
			hi := r & 0x80
			r <<= 1
			if hi != 0 {
				r ^= 0x71
			}
		}
	}
	// ρ offsets: walk (x, y) ← (y, 2x + 3y) from (1, 0), offset (t+1)(t+2)/2.
	x, y := 1, 0
	for t := range 24 {
		keccakRot[x+5*y] = uint((t+1)*(t+2)/2) % 64
		x, y = y, (2*x+3*y)%5
	}
}

// KeccakF1600 applies the Keccak-f[1600] permutation to the state a, lane (x, y) at
// a[x+5y], in place.
func KeccakF1600(a *[25]uint64) {
	var c, d [5]uint64
	var b [25]uint64
	for round := range 24 {
		// θ
		for x := range 5 {
			c[x] = a[x] ^ a[x+5] ^ a[x+10] ^ a[x+15] ^ a[x+20]
		}
		for x := range 5 {
			d[x] = c[(x+4)%5] ^ bits.RotateLeft64(c[(x+1)%5], 1)
		}
		// ρ and π: B[y, 2x+3y] = rot(A[x, y] ^ D[x], r[x, y]).
		for y := range 5 {
			for x := range 5 {
				i := x + 5*y
				b[y+5*((2*x+3*y)%5)] = bits.RotateLeft64(a[i]^d[x], int(keccakRot[i]))
			}
		}
		// χ
		for y := 0; y < 25; y += 5 {
			for x := range 5 {
				a[y+x] = b[y+x] ^ (^b[y+(x+1)%5] & b[y+(x+2)%5])
			}
		}
		// ι
		a[0] ^= keccakRC[round]
	}
}
