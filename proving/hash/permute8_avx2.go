//go:build goexperiment.simd && amd64

package hash

import (
	"simd/archsimd"
	"sync"
	"unsafe"

	"github.com/consensys/gnark-crypto/field/koalabear/poseidon2"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// The 8-lane AVX2 Poseidon2 kernel (built with GOEXPERIMENT=simd on amd64).
//
// # Layout
//
// The kernel is vertical: vector i holds element i of eight independent states, so
// every step of the permutation is the scalar step applied to eight lanes, with no
// shuffles across states. A state is sixteen [archsimd.Uint32x8] values kept in a
// [16][8]uint32 (the caller's lane-wise array, or Compress8's on the stack); each round
// loads what it needs and stores its results, which costs little beside the arithmetic
// (keeping all 16 in variables over the partial rounds only made the register
// allocator spill more). Only VEX-encoded AVX2 instructions are used: vpaddd, vpsubd,
// vpminud, vpmuludq, vpmuldq, vpshufd, vpslld, vpsrld, vpsrad, vpand, vpor, vpbroadcastd (checked
// with objdump; archsimd's masked operations such as Merge compile to AVX-512 mask
// instructions and must not appear here).
//
// # Representation and ranges
//
// Lanes hold gnark-crypto's koalabear Elements unchanged: x·R mod p in Montgomery form
// with R = 2^32, p = 2^31 − 2^24 + 1 = 0x7f000001. Every value stored between two
// operations is canonical, in [0, p); since each operation below computes the field
// operation exactly and reduces to [0, p), and the representation of a field element
// is unique there, the output is bit for bit gnark-crypto's whatever the order of its
// own reductions. The operations and their ranges:
//
//   - add(a, b): s = a + b < 2p < 2^32 does not wrap; s − p wraps to ≥ 2^32 − p > s
//     when s < p, so min(s, s − p) (unsigned) is s mod p.
//   - sub(a, b): d = a − b mod 2^32; when a ≥ b, d < p ≤ d + p < 2^32, and when a < b,
//     d > 2^32 − p > p while d + p (wrapping) = a − b + p < p: min(d, d + p) is
//     a − b mod p. The same correction serves any d ∈ (−p, p) held mod 2^32.
//   - mul(a, b), Montgomery multiplication (the technique of Plonky3's packed AVX2
//     arithmetic for 31-bit fields): vpmuludq multiplies the even words into 64-bit
//     products, and again after vpshufd swaps the two words of each 64-bit lane, for
//     the odd words. For a product c = a·b < p², q = c·p^−1 mod 2^32 (vpmuludq by
//     μ = p^−1 mod 2^32 = 0x81000001, keeping the low half) makes c ≡ q·p mod 2^32,
//     so (c − q·p)/2^32 = hi(c) − hi(q·p) exactly, and it is ≡ a·b·2^−32 (mod p).
//     Both high halves are below p (c < p·2^32 and q·p < 2^32·p), so the difference d
//     lies in (−p, p): the 32-bit subtraction c − q·p leaves d in the high word and 0
//     in the low one (the low halves are equal, so no borrow crosses), the even
//     products' d move down by the same word swap and are or-ed with the odd ones', and
//     sub's correction min(d, d + p) gives the canonical result.
//   - The S-box with its round key, cubeKey: (s + k)^3 computed as x = s − (p − k) ∈
//     (−p, p) (one vpsubd, the keys stored negated), x² and x²·x by mulS, the same
//     Montgomery product on signed words through vpmuldq, which leaves its result in
//     (−p, p) unreduced so that x² feeds the second product directly; only x³ is
//     reduced (mulS's comment has the range argument).
//   - halve(x) = x·2^−1: (x + (p if x is odd)) / 2, with x + p < 2p < 2^32.
//   - mul2n(x, n) = x·2^−n for 1 ≤ n ≤ 24: with x = hi·2^n + lo, lo < 2^n,
//     x·2^−n ≡ hi + lo·2^−n and 2^−n ≡ −127·2^(24−n) (mod p) because
//     2^n·127·2^(24−n) = p − 1. t = lo·127·2^(24−n) = lo·2^(31−n) − lo·2^(24−n),
//     computed from u = x << (32 − n) as (u >> 1) − (u >> 8), is below 127·2^24 = p − 1,
//     and hi < 2^(31−n) < p, so hi − t ∈ (−p, p) and sub's correction finishes it
//     (x < 2^31, so hi may use the arithmetic shift, which has an immediate form).
//     A field multiplication by a constant is linear, so it applies to the Montgomery
//     representation directly.
//
// The permutation is gnark-crypto's generic one step for step: the external matrix
// circ(2·M4, M4, M4, M4) first (M4 with gnark-crypto's addition chain), R_F/2 full
// rounds (round key on every element, x^3 on every element, external matrix), R_P
// partial rounds (round key and x^3 on element 0, then the internal matrix
// 1 + diag(−2, 1, 2, 1/2, 3, 4, −1/2, −3, −4, 2^−8, 1/8, 2^−24, −2^−8, −1/8, −1/16,
// −2^−24): s_i ← Σ s + diag_i·s_i, where Σ s − 2·s_0 is computed as (s_1 + … + s_15) − s_0
// so that the sum of the other fifteen does not wait for the S-box), R_F/2 full rounds.
// The round keys are gnark-crypto's, read from poseidon2.NewParameters.

type vec = archsimd.Uint32x8

const (
	prime = field.Prime8
	muInv = field.MuInv8
)

var hasVector8 = archsimd.X86.AVX2()

// keys8 holds the round keys, negated (negKey), as raw Montgomery words: full rounds' keys (first half,
// then second half) and the partial rounds' single keys.
type keys8 struct {
	full    [FullRounds][Width]uint32
	partial [PartialRounds]uint32
}

// negKey is (p − k) mod p for a canonical key k: s − negKey(k) ∈ (−p, p) is s + k
// unreduced, the signed input cubeKey takes.
func negKey(k uint32) uint32 {
	if k == 0 {
		return 0
	}
	return prime - k
}

var roundKeys8 = sync.OnceValue(func() *keys8 {
	rk := poseidon2.NewParameters(Width, FullRounds, PartialRounds).RoundKeys
	k := new(keys8)
	rf := FullRounds / 2
	for r := range rf {
		for i := range Width {
			k.full[r][i] = negKey(rk[r][i][0])
			k.full[rf+r][i] = negKey(rk[rf+PartialRounds+r][i][0])
		}
	}
	for r := range PartialRounds {
		k.partial[r] = negKey(rk[rf+r][0][0])
	}
	return k
})

// The field arithmetic is package field's (simd8.go: Add8, Sub8, Odd8, MontMul8).
func add(a, b, p vec) vec                     { return field.Add8(a, b, p) }
func sub(a, b, p vec) vec                     { return field.Sub8(a, b, p) }
func odd(x vec) vec                           { return field.Odd8(x) }
func montMul(a, aOdd, b, bOdd, p, mu vec) vec { return field.MontMul8(a, aOdd, b, bOdd, p, mu) }

// mulS is Montgomery multiplication on signed words: for a, b ∈ (−p, p) held as int32
// (aOdd = odd(a), bOdd = odd(b)) it returns a·b·2^−32 mod p as a value in (−p, p),
// not reduced. vpmuldq forms the signed products c, |c| < p² < p·2^31; q = c·μ mod
// 2^32 taken as an int32 makes c ≡ q·p mod 2^32 with |q·p| ≤ 2^31·p, so the high words
// of c and q·p are each within ±p/2 and their difference, exact (the low words are
// equal), lies in (−p, p). A result in (−p, p) may be multiplied again; sub's
// correction min(d, d + p) makes it canonical.
func mulS(a, aOdd, b, bOdd, p, mu vec) vec {
	ps := p.AsInt32x8()
	ce := a.AsInt32x8().MulEvenWiden(b.AsInt32x8()).AsUint32x8()
	co := aOdd.AsInt32x8().MulEvenWiden(bOdd.AsInt32x8()).AsUint32x8()
	qpe := ce.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8()
	qpo := co.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8()
	return odd(ce.Sub(qpe)).Or(co.Sub(qpo))
}

// cubeKey is (s + k)^3, canonical, for canonical s and nk = negKey(k): x = s − nk ∈
// (−p, p) and x² ∈ (−p, p) go into mulS unreduced; only the cube is reduced.
func cubeKey(s, nk, p, mu vec) vec {
	x := s.Sub(nk)
	xo := odd(x)
	x2 := mulS(x, xo, x, xo, p, mu)
	d := mulS(x2, odd(x2), x, xo, p, mu)
	return d.Min(d.Add(p))
}

func halve(x, p vec) vec {
	m := x.ShiftAllLeft(31).AsInt32x8().ShiftAllRight(31).AsUint32x8() // all ones where x is odd
	return x.Add(m.And(p)).ShiftAllRight(1)
}

func mul2n(x vec, n uint64, p vec) vec {
	u := x.ShiftAllLeft(32 - n)
	t := u.ShiftAllRight(1).Sub(u.ShiftAllRight(8))
	hi := x.AsInt32x8().ShiftAllRight(n).AsUint32x8() // x < 2^31: the arithmetic shift is logical (and has an immediate form)
	return sub(hi, t, p)
}

// m4 multiplies (a, b, c, d) by M4 with gnark-crypto's addition chain.
func m4(a, b, c, d, p vec) (vec, vec, vec, vec) {
	t01 := add(a, b, p)
	t23 := add(c, d, p)
	t0123 := add(t01, t23, p)
	t01123 := add(t0123, b, p)
	t01233 := add(t0123, d, p)
	return add(t01, t01123, p), add(add(c, c, p), t01123, p), add(t23, t01233, p), add(add(a, a, p), t01233, p)
}

type state8 = [Width][Lanes8]uint32

// stateBuf holds a state8 at a 64-byte boundary (alignedState): the Go stack aligns a
// local array only to 8 bytes, and a state whose vectors straddle cache lines makes
// every other load and store of the rounds a split access, which measured 20 % slower
// in the Merkle leaves when a caller's frame happened to put it so.
type stateBuf [Width*Lanes8 + 16]uint32

func alignedState(b *stateBuf) *state8 {
	off := (64 - uintptr(unsafe.Pointer(b))%64) % 64
	return (*state8)(unsafe.Add(unsafe.Pointer(b), off))
}

func ld(s *state8, i int) vec                      { return archsimd.LoadUint32x8(&s[i]) }
func st(s *state8, i int, x vec)                   { x.Store(&s[i]) }
func bcast(x uint32) vec                           { return archsimd.BroadcastUint32x8(x) }
func consts() (p, mu vec)                          { return bcast(prime), bcast(muInv) }
func asState(s *[Width][Lanes8]field.Elem) *state8 { return (*state8)(unsafe.Pointer(s)) }

// external multiplies the state by circ(2·M4, M4, M4, M4).
func external(s *state8, p vec) {
	for k := 0; k < Width; k += 4 {
		a, b, c, d := m4(ld(s, k), ld(s, k+1), ld(s, k+2), ld(s, k+3), p)
		st(s, k, a)
		st(s, k+1, b)
		st(s, k+2, c)
		st(s, k+3, d)
	}
	for j := range 4 {
		a, b, c, d := ld(s, j), ld(s, j+4), ld(s, j+8), ld(s, j+12)
		sum := add(add(a, b, p), add(c, d, p), p)
		st(s, j, add(a, sum, p))
		st(s, j+4, add(b, sum, p))
		st(s, j+8, add(c, sum, p))
		st(s, j+12, add(d, sum, p))
	}
}

func fullRound(s *state8, rk *[Width]uint32, p, mu vec) {
	for i := range Width {
		st(s, i, cubeKey(ld(s, i), bcast(rk[i]), p, mu))
	}
	external(s, p)
}

func partialRound(s *state8, rk uint32, p, mu vec) {
	x0 := cubeKey(ld(s, 0), bcast(rk), p, mu)
	// s15 = s_1 + … + s_15 does not wait for the S-box; then s_0 ← sum − 2·x0 = s15 − x0.
	// Each s_i is loaded again where its output is formed (an L1 load) rather than
	// kept live across the round, which made the compiler spill most of them.
	s15 := add(add(add(ld(s, 1), add(ld(s, 2), ld(s, 3), p), p), add(add(ld(s, 4), ld(s, 5), p), add(ld(s, 6), ld(s, 7), p), p), p),
		add(add(add(ld(s, 8), ld(s, 9), p), add(ld(s, 10), ld(s, 11), p), p), add(add(ld(s, 12), ld(s, 13), p), add(ld(s, 14), ld(s, 15), p), p), p), p)
	sum := add(s15, x0, p)
	st(s, 0, sub(s15, x0, p))
	st(s, 1, add(sum, ld(s, 1), p))
	x := ld(s, 2)
	st(s, 2, add(sum, add(x, x, p), p))
	st(s, 3, add(sum, halve(ld(s, 3), p), p))
	x = ld(s, 4)
	st(s, 4, add(sum, add(add(x, x, p), x, p), p))
	x = ld(s, 5)
	x = add(x, x, p)
	st(s, 5, add(sum, add(x, x, p), p))
	st(s, 6, sub(sum, halve(ld(s, 6), p), p))
	x = ld(s, 7)
	st(s, 7, sub(sum, add(add(x, x, p), x, p), p))
	x = ld(s, 8)
	x = add(x, x, p)
	st(s, 8, sub(sum, add(x, x, p), p))
	st(s, 9, add(sum, mul2n(ld(s, 9), 8, p), p))
	st(s, 10, add(sum, mul2n(ld(s, 10), 3, p), p))
	st(s, 11, add(sum, mul2n(ld(s, 11), 24, p), p))
	st(s, 12, sub(sum, mul2n(ld(s, 12), 8, p), p))
	st(s, 13, sub(sum, mul2n(ld(s, 13), 3, p), p))
	st(s, 14, sub(sum, mul2n(ld(s, 14), 4, p), p))
	st(s, 15, sub(sum, mul2n(ld(s, 15), 24, p), p))
}

func permuteState8(s *state8, k *keys8) {
	p, mu := consts()
	external(s, p)
	rf := FullRounds / 2
	for r := range rf {
		fullRound(s, &k.full[r], p, mu)
	}
	for r := range PartialRounds {
		partialRound(s, k.partial[r], p, mu)
	}
	for r := rf; r < FullRounds; r++ {
		fullRound(s, &k.full[r], p, mu)
	}
}

func permute8Vec(s *[Width][Lanes8]field.Elem) {
	permuteState8(asState(s), roundKeys8())
}

func compress8Vec(state *[DigestLen][Lanes8]field.Elem, blocks []field.Elem) {
	k := roundKeys8()
	p, _ := consts()
	var buf stateBuf
	s := alignedState(&buf)
	for i := range DigestLen {
		s[i] = *(*[Lanes8]uint32)(unsafe.Pointer(&state[i]))
	}
	for len(blocks) > 0 {
		blk := (*[Rate][Lanes8]uint32)(unsafe.Pointer(&blocks[0]))
		for i := range Rate {
			s[DigestLen+i] = blk[i]
		}
		permuteState8(s, k)
		for i := range DigestLen {
			st(s, i, add(ld(s, DigestLen+i), archsimd.LoadUint32x8(&blk[i]), p))
		}
		blocks = blocks[Rate*Lanes8:]
	}
	for i := range DigestLen {
		state[i] = *(*[Lanes8]field.Elem)(unsafe.Pointer(&s[i]))
	}
}

// loadDigest loads a digest as one vector (its eight elements in the lanes).
func loadDigest(d *Digest) vec { return archsimd.LoadUint32x8((*[8]uint32)(unsafe.Pointer(d))) }

// elems8Vec is Elems8 (out is a slice, not an array pointer: the nil check of a
// pointer is a load, which on a fresh output page maps the zero page before the store
// faults again, doubling the page faults): the columns' words of rows r to r+7 loaded in place as the
// blocks' vectors (columns past the last are zero), the final chaining values
// transposed into the eight digests.
func elems8Vec(out []Digest, cols [][]field.Elem, r int) {
	k := roundKeys8()
	p, _ := consts()
	var buf stateBuf
	s := alignedState(&buf)
	for c0 := 0; c0 < len(cols); c0 += Rate {
		var blk [Rate]vec
		for i := range Rate {
			if c := c0 + i; c < len(cols) {
				blk[i] = archsimd.LoadUint32x8((*[8]uint32)(unsafe.Pointer(&cols[c][r])))
			}
			st(s, DigestLen+i, blk[i])
		}
		permuteState8(s, k)
		for i := range DigestLen {
			st(s, i, add(ld(s, DigestLen+i), blk[i], p))
		}
	}
	var c [8]vec
	for i := range DigestLen {
		c[i] = ld(s, i)
	}
	t := field.Transpose8(&c)
	for l := range Lanes8 {
		t[l].Store((*[8]uint32)(unsafe.Pointer(&out[l])))
	}
}

// compressDigests8Vec is CompressDigests8: the left digests transposed into the
// chaining values, the right ones into the block, the results transposed back.
func compressDigests8Vec(out []Digest, left, right []Digest, step int) {
	k := roundKeys8()
	p, _ := consts()
	var a, b [8]vec
	for l := range Lanes8 {
		a[l] = loadDigest(&left[l*step])
		b[l] = loadDigest(&right[l*step])
	}
	ta, tb := field.Transpose8(&a), field.Transpose8(&b)
	var buf stateBuf
	s := alignedState(&buf)
	for i := range DigestLen {
		st(s, i, ta[i])
		st(s, DigestLen+i, tb[i])
	}
	permuteState8(s, k)
	var c [8]vec
	for i := range DigestLen {
		c[i] = add(ld(s, DigestLen+i), tb[i], p)
	}
	t := field.Transpose8(&c)
	for l := range Lanes8 {
		t[l].Store((*[8]uint32)(unsafe.Pointer(&out[l])))
	}
}
