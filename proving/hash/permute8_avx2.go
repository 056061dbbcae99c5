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
// shuffles across states. A state is sixteen [archsimd.Uint32x8] values kept in memory
// as a [16]Uint32x8 (vstate: the caller's lane-wise [16][8]uint32 seen as vectors, or
// the kernels' own at a 64-byte boundary); each round loads what it needs and stores
// its results, which costs little beside the arithmetic (keeping all 16 in variables
// over the partial rounds only made the register allocator spill more). Only
// VEX-encoded AVX2 instructions are used: vpaddd, vpsubd, vpminud, vpmuludq, vpmuldq,
// vpshufd, vpslld, vpsrld, vpsrlvd, vpsrad, vpand, vpor, vpbroadcastd (archsimd's
// masked operations such as Merge compile to AVX-512 mask instructions and must not
// appear here).
//
// # Legacy SSE
//
// No instruction of the kernels may write an xmm register in the legacy SSE encoding
// while the upper halves of the ymm registers are dirty, and each kernel ends with
// VZEROUPPER (archsimd.ClearAVXUpperBits) before it returns to ordinary Go code. On an
// AMD EPYC Zen 3 instance without AVX-512 (a microVM) each such write cost about
// 130 ns — a stall of some 400 cycles — where the Zen 4 instance pays nothing visible.
// The Go compiler (1.26) emits them for a logical right shift by a count (ShiftAllRight
// has no immediate form: the count goes to an xmm register through a legacy movq, so
// the kernel shifts by count vectors instead, vpsrlvd), for an array of vectors copied
// or returned by value (movups through X14: Transpose8 works in place), for a spilled
// 128-bit value (the constant vectors are loaded from memory, kc), and Go's own code
// after a kernel (memmove, scalar floating point) writes xmm registers all the time,
// hence the VZEROUPPER. The partial rounds had two such movq: the permutation took
// 7.3 µs per eight states on the Zen 3 and 1.5 µs without them (1.0–1.2 µs with the
// VZEROUPPER too). TestKernelsClearUpperHalves checks the machine code (package
// field/ssecheck).
//
// # No inline marks
//
// Every call the compiler inlines leaves an inline mark at the call's line, which
// becomes a one-byte NOP unless an instruction of the calling function itself (not of
// an inlined body) sits on that same line. With small helpers wrapping helpers, a third
// of the partial round's instructions were such NOPs. So the hot code follows one rule:
// a line that calls an inlined function (a helper here, or an archsimd function that is
// not an intrinsic, such as PermuteScalarsGrouped) also performs an intrinsic
// operation itself — an addition is written red(a.Add(b), p), a helper never calls a
// helper — and the full rounds' S-box is written out in the round's loop rather than
// called (objdump shows no NOP in the rounds). With the round keys stored broadcast,
// the permutation went from 1.79 to 1.60 µs of thread CPU time per 16 permutations on
// the Zen 4 development machine, bit for bit the same.
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
//     (−p, p) (one vpsubd, the keys stored negated), x² and x²·x by the same
//     Montgomery product on signed words through vpmuldq, which leaves its result in
//     (−p, p) unreduced so that x² feeds the second product directly; only x³ is
//     reduced (cubeKey's comment has the range argument).
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

// vstate is a state as vectors: vstate[i] is element i of the eight lanes.
type vstate = [Width]vec

const (
	prime = field.Prime8
	muInv = field.MuInv8
)

var hasVector8 = archsimd.X86.AVX2()

// keys8 holds the round keys, negated (negKey) and broadcast to the eight lanes: full
// rounds' keys (first half, then second half) and the partial rounds' single keys.
type keys8 struct {
	full    [FullRounds][Width]vec
	partial [PartialRounds]vec
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
			k.full[r][i] = bcast(negKey(rk[r][i][0]))
			k.full[rf+r][i] = bcast(negKey(rk[rf+PartialRounds+r][i][0]))
		}
	}
	for r := range PartialRounds {
		k.partial[r] = bcast(negKey(rk[rf+r][0][0]))
	}
	return k
})

// red reduces s ∈ [0, 2p) to [0, p) (Add8's correction): red(a.Add(b), p) is a + b.
func red(s, p vec) vec { return s.Min(s.Sub(p)) }

// redS reduces d ∈ (−p, p), held mod 2^32, to [0, p) (Sub8's correction):
// redS(a.Sub(b), p) is a − b.
func redS(d, p vec) vec { return d.Min(d.Add(p)) }

// add and sub are the field's Add8 and Sub8, for code off the rounds' path.
func add(a, b, p vec) vec { return red(a.Add(b), p) }
func sub(a, b, p vec) vec { return redS(a.Sub(b), p) }

// cubeKey is (s + k)^3, canonical, for canonical s and nk = negKey(k), through
// Montgomery products on signed words: x = s − nk ∈ (−p, p) held as int32. For a, b ∈
// (−p, p), vpmuldq forms the signed products c, |c| < p² < p·2^31; q = c·μ mod 2^32
// taken as an int32 makes c ≡ q·p mod 2^32 with |q·p| ≤ 2^31·p, so the high words of c
// and q·p are each within ±p/2 and their difference d = c − q·p, exact (the low words
// are equal, so the low word of d is 0), lies in (−p, p) in the high word and is
// ≡ a·b·2^−32. x² is such a d, which may be multiplied again unreduced; only x³ is
// reduced. The odd lanes are multiplied after the word swap (vpshufd, as field.Odd8)
// brings their words to the even positions that vpmuldq reads; the even lanes'
// products sit in the odd words of de and the odd lanes' in those of do, the swap
// brings x² down for the second product, and swap(de) | do is x³ in place (de's low
// words and do's even ones are 0). The full rounds have this code written out in their
// loop, two elements at a time (as a call it cost 4 % more there).
func cubeKey(s, nk, p, mu vec) vec {
	ps := p.AsInt32x8()
	x := s.Sub(nk)
	xo, ce := x.PermuteScalarsGrouped(1, 0, 3, 2), x.AsInt32x8().MulEvenWiden(x.AsInt32x8()).AsUint32x8()
	xi, xoi := x.AsInt32x8(), xo.AsInt32x8()
	co := xoi.MulEvenWiden(xoi).AsUint32x8()
	de := ce.Sub(ce.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
	do := co.Sub(co.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
	ce, co = de.PermuteScalarsGrouped(1, 0, 3, 2).AsInt32x8().MulEvenWiden(xi).AsUint32x8(), do.PermuteScalarsGrouped(1, 0, 3, 2).AsInt32x8().MulEvenWiden(xoi).AsUint32x8()
	de = ce.Sub(ce.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
	do = co.Sub(co.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
	d := de.PermuteScalarsGrouped(1, 0, 3, 2).Or(do)
	return d.Min(d.Add(p))
}

// halve and mul2n shift right logically by a count vector (vpsrlvd: one, eight), never
// by ShiftAllRight: archsimd's logical right shift by a count has no immediate form, and
// the compiler moves the count into an xmm register with a legacy SSE movq (see
// "Legacy SSE" above).
func halve(x, p, one vec) vec {
	m := x.ShiftAllLeft(31).AsInt32x8().ShiftAllRight(31).AsUint32x8() // all ones where x is odd
	return x.Add(m.And(p)).ShiftRight(one)
}

func mul2n(x vec, n uint64, p, one, eight vec) vec {
	u := x.ShiftAllLeft(32 - n)
	t := u.ShiftRight(one).Sub(u.ShiftRight(eight))
	hi := x.AsInt32x8().ShiftAllRight(n).AsUint32x8() // x < 2^31: the arithmetic shift is logical (and has an immediate form)
	return redS(hi.Sub(t), p)
}

type state8 = [Width][Lanes8]uint32

// stateBuf holds a state8 at a 64-byte boundary (alignedState): the Go stack aligns a
// local array only to 8 bytes, and a state whose vectors straddle cache lines makes
// every other load and store of the rounds a split access, which measured 20 % slower
// in the Merkle leaves when a caller's frame happened to put it so.
type stateBuf [Width*Lanes8 + 16]uint32

func alignedState(b *stateBuf) *vstate {
	off := (64 - uintptr(unsafe.Pointer(b))%64) % 64
	return (*vstate)(unsafe.Add(unsafe.Pointer(b), off))
}

func bcast(x uint32) vec { return archsimd.BroadcastUint32x8(x) }

// vconsts are the kernels' constant vectors, built once and loaded from memory with
// VEX moves: broadcast in each call (vmovd, vpbroadcastd), the permutation kept μ's
// 128-bit source across its first call and spilled it with a legacy SSE movups.
type vconsts struct{ p, mu, one, eight vec }

// kc is a variable initialiser, not an init function: Go orders initialisers by what
// they reference, through function bodies too, so a package-level value hashed with the
// kernels is always computed after kc.
var kc = func() vconsts {
	if !hasVector8 {
		return vconsts{}
	}
	return vconsts{p: bcast(prime), mu: bcast(muInv), one: bcast(1), eight: bcast(8)}
}()

func consts() (p, mu vec)                          { return kc.p, kc.mu }
func asState(s *[Width][Lanes8]field.Elem) *vstate { return (*vstate)(unsafe.Pointer(s)) }

// external multiplies the state by circ(2·M4, M4, M4, M4).
func external(s *vstate, p vec) {
	for k := 0; k < Width; k += 4 {
		a, b, c, d := s[k], s[k+1], s[k+2], s[k+3]
		t01 := red(a.Add(b), p)
		t23 := red(c.Add(d), p)
		t0123 := red(t01.Add(t23), p)
		t01123 := red(t0123.Add(b), p)
		t01233 := red(t0123.Add(d), p)
		s[k] = red(t01.Add(t01123), p)
		s[k+1] = red(red(c.Add(c), p).Add(t01123), p)
		s[k+2] = red(t23.Add(t01233), p)
		s[k+3] = red(red(a.Add(a), p).Add(t01233), p)
	}
	for j := range 4 {
		a, b, c, d := s[j], s[j+4], s[j+8], s[j+12]
		sum := red(red(a.Add(b), p).Add(red(c.Add(d), p)), p)
		s[j] = red(a.Add(sum), p)
		s[j+4] = red(b.Add(sum), p)
		s[j+8] = red(c.Add(sum), p)
		s[j+12] = red(d.Add(sum), p)
	}
}

// fullRound is s_i ← cubeKey(s_i, nk_i) for every i, then the external matrix. The
// S-box is written out, two elements an iteration with their steps alternated (x and y):
// in program order each chain's next step then follows the other's, which measured 4 %
// faster than one element an iteration (the out-of-order core finds more ready work);
// twelve vectors live, no spill.
func fullRound(s *vstate, nk *[Width]vec, p, mu vec) {
	ps := p.AsInt32x8()
	for i := 0; i < Width; i += 2 {
		x := s[i].Sub(nk[i])
		y := s[i+1].Sub(nk[i+1])
		xo, cx := x.PermuteScalarsGrouped(1, 0, 3, 2), x.AsInt32x8().MulEvenWiden(x.AsInt32x8()).AsUint32x8()
		yo, cy := y.PermuteScalarsGrouped(1, 0, 3, 2), y.AsInt32x8().MulEvenWiden(y.AsInt32x8()).AsUint32x8()
		xi, xoi := x.AsInt32x8(), xo.AsInt32x8()
		yi, yoi := y.AsInt32x8(), yo.AsInt32x8()
		cxo := xoi.MulEvenWiden(xoi).AsUint32x8()
		cyo := yoi.MulEvenWiden(yoi).AsUint32x8()
		dx := cx.Sub(cx.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
		dy := cy.Sub(cy.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
		dxo := cxo.Sub(cxo.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
		dyo := cyo.Sub(cyo.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
		cx, cxo = dx.PermuteScalarsGrouped(1, 0, 3, 2).AsInt32x8().MulEvenWiden(xi).AsUint32x8(), dxo.PermuteScalarsGrouped(1, 0, 3, 2).AsInt32x8().MulEvenWiden(xoi).AsUint32x8()
		cy, cyo = dy.PermuteScalarsGrouped(1, 0, 3, 2).AsInt32x8().MulEvenWiden(yi).AsUint32x8(), dyo.PermuteScalarsGrouped(1, 0, 3, 2).AsInt32x8().MulEvenWiden(yoi).AsUint32x8()
		dx = cx.Sub(cx.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
		dy = cy.Sub(cy.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
		dxo = cxo.Sub(cxo.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
		dyo = cyo.Sub(cyo.MulEvenWiden(mu).AsInt32x8().MulEvenWiden(ps).AsUint32x8())
		rx := dx.PermuteScalarsGrouped(1, 0, 3, 2).Or(dxo)
		ry := dy.PermuteScalarsGrouped(1, 0, 3, 2).Or(dyo)
		s[i] = rx.Min(rx.Add(p))
		s[i+1] = ry.Min(ry.Add(p))
	}
	external(s, p)
}

// internalLayer is the partial round's linear layer given x0, the S-box's output for
// s_0: it stores s_1 … s_15 and returns the new s_0, which the partial rounds keep in
// a register. s15 = s_1 + … + s_15 does not wait for the S-box; then
// s_0 ← sum − 2·x0 = s15 − x0. Each s_i is loaded again where its output is formed (an
// L1 load) rather than kept live across the round, which made the compiler spill most
// of them.
func internalLayer(s *vstate, x0, p vec) vec {
	one, eight := kc.one, kc.eight
	s15 := red(red(red(s[1].Add(red(s[2].Add(s[3]), p)), p).Add(red(red(s[4].Add(s[5]), p).Add(red(s[6].Add(s[7]), p)), p)), p).Add(
		red(red(red(s[8].Add(s[9]), p).Add(red(s[10].Add(s[11]), p)), p).Add(red(red(s[12].Add(s[13]), p).Add(red(s[14].Add(s[15]), p)), p)), p)), p)
	sum := red(s15.Add(x0), p)
	s0 := redS(s15.Sub(x0), p)
	s[1] = red(sum.Add(s[1]), p)
	x := s[2]
	s[2] = red(sum.Add(red(x.Add(x), p)), p)
	s[3] = red(sum.Add(halve(s[3], p, one)), p)
	x = s[4]
	s[4] = red(sum.Add(red(red(x.Add(x), p).Add(x), p)), p)
	x = s[5]
	x = red(x.Add(x), p)
	s[5] = red(sum.Add(red(x.Add(x), p)), p)
	s[6] = redS(sum.Sub(halve(s[6], p, one)), p)
	x = s[7]
	s[7] = redS(sum.Sub(red(red(x.Add(x), p).Add(x), p)), p)
	x = s[8]
	x = red(x.Add(x), p)
	s[8] = redS(sum.Sub(red(x.Add(x), p)), p)
	s[9] = red(sum.Add(mul2n(s[9], 8, p, one, eight)), p)
	s[10] = red(sum.Add(mul2n(s[10], 3, p, one, eight)), p)
	s[11] = red(sum.Add(mul2n(s[11], 24, p, one, eight)), p)
	s[12] = redS(sum.Sub(mul2n(s[12], 8, p, one, eight)), p)
	s[13] = redS(sum.Sub(mul2n(s[13], 3, p, one, eight)), p)
	s[14] = redS(sum.Sub(mul2n(s[14], 4, p, one, eight)), p)
	s[15] = redS(sum.Sub(mul2n(s[15], 24, p, one, eight)), p)
	return s0
}

func permuteState8(s *vstate, k *keys8) {
	p, mu := consts()
	external(s, p)
	rf := FullRounds / 2
	for r := range rf {
		fullRound(s, &k.full[r], p, mu)
	}
	s0 := s[0]
	for r := range PartialRounds {
		s0 = internalLayer(s, cubeKey(s0, k.partial[r], p, mu), p)
	}
	s[0] = s0
	for r := rf; r < FullRounds; r++ {
		fullRound(s, &k.full[r], p, mu)
	}
}

func permute8Vec(s *[Width][Lanes8]field.Elem) {
	permuteState8(asState(s), roundKeys8())
	archsimd.ClearAVXUpperBits()
}

// permute1Vec is Permute through the 8-lane kernel: the state broadcast to every lane,
// lane 0 read back.
func permute1Vec(st *[Width]field.Elem) {
	var buf stateBuf
	s := alignedState(&buf)
	for i := range Width {
		s[i] = bcast(st[i][0])
	}
	permuteState8(s, roundKeys8())
	w := (*[Width][Lanes8]uint32)(unsafe.Pointer(s))
	for i := range Width {
		st[i][0] = w[i][0]
	}
	archsimd.ClearAVXUpperBits()
}

// loadRow loads eight consecutive elements as one vector.
func loadRow(e *field.Elem) vec { return archsimd.LoadUint32x8((*[8]uint32)(unsafe.Pointer(e))) }

func compress8Vec(state *[DigestLen][Lanes8]field.Elem, blocks []field.Elem) {
	k := roundKeys8()
	p, _ := consts()
	var buf stateBuf
	s := alignedState(&buf)
	for i := range DigestLen {
		s[i] = loadRow(&state[i][0])
	}
	for len(blocks) > 0 {
		for i := range Rate {
			s[DigestLen+i] = loadRow(&blocks[i*Lanes8])
		}
		permuteState8(s, k)
		for i := range DigestLen {
			s[i] = red(s[DigestLen+i].Add(loadRow(&blocks[i*Lanes8])), p)
		}
		blocks = blocks[Rate*Lanes8:]
	}
	for i := range DigestLen {
		s[i].Store((*[8]uint32)(unsafe.Pointer(&state[i])))
	}
	archsimd.ClearAVXUpperBits()
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
				blk[i] = loadRow(&cols[c][r])
			}
			s[DigestLen+i] = blk[i]
		}
		permuteState8(s, k)
		for i := range DigestLen {
			s[i] = red(s[DigestLen+i].Add(blk[i]), p)
		}
	}
	c := (*[8]vec)(s[:DigestLen])
	field.Transpose8(c)
	for l := range Lanes8 {
		c[l].Store((*[8]uint32)(unsafe.Pointer(&out[l])))
	}
	archsimd.ClearAVXUpperBits()
}

// compressDigests8Vec is CompressDigests8: the left digests transposed into the
// chaining values, the right ones into the block, the results transposed back.
func compressDigests8Vec(out []Digest, left, right []Digest, step int) {
	k := roundKeys8()
	p, _ := consts()
	var buf stateBuf
	s := alignedState(&buf)
	for l := range Lanes8 {
		s[l] = loadDigest(&left[l*step])
		s[DigestLen+l] = loadDigest(&right[l*step])
	}
	a, b := (*[8]vec)(s[:DigestLen]), (*[8]vec)(s[DigestLen:])
	field.Transpose8(a)
	field.Transpose8(b)
	var blk [DigestLen]vec
	for i := range DigestLen {
		blk[i] = b[i]
	}
	permuteState8(s, k)
	for i := range DigestLen {
		a[i] = red(b[i].Add(blk[i]), p)
	}
	field.Transpose8(a)
	for l := range Lanes8 {
		a[l].Store((*[8]uint32)(unsafe.Pointer(&out[l])))
	}
	archsimd.ClearAVXUpperBits()
}
