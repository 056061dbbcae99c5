package poseidon2

import (
	gnark "github.com/consensys/gnark-crypto/field/koalabear/poseidon2"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The instance: package hash's (width 16, 6 full and 21 partial rounds, x^3 S-box).
const (
	Width         = hash.Width
	FullRounds    = hash.FullRounds
	PartialRounds = hash.PartialRounds
	halfFull      = FullRounds / 2
)

// roundKeys are gnark-crypto's round constants of the instance, the ones hash.Permute
// uses: FullRounds/2 rows of 16, PartialRounds rows of 1, FullRounds/2 rows of 16.
var roundKeys = gnark.NewParameters(Width, FullRounds, PartialRounds).RoundKeys

// diag is d of the internal matrix M_I = J + diag(d) (J all ones), as gnark-crypto and
// Plonky3 give it: [−2, 1, 2, 1/2, 3, 4, −1/2, −3, −4, 1/2^8, 1/8, 1/2^24, −1/2^8,
// −1/8, −1/16, −1/2^24].
var diag = func() [Width]field.Elem {
	frac := func(num int64, log2den uint) field.Elem {
		v, den := field.NewInt(num), field.New(1<<log2den)
		den.Inverse(&den)
		return *v.Mul(&v, &den)
	}
	return [Width]field.Elem{
		frac(-2, 0), frac(1, 0), frac(2, 0), frac(1, 1), frac(3, 0), frac(4, 0), frac(-1, 1), frac(-3, 0),
		frac(-4, 0), frac(1, 8), frac(1, 3), frac(1, 24), frac(-1, 8), frac(-1, 3), frac(-1, 4), frac(-1, 24),
	}
}()

// m4 is the 4×4 block of the external matrix M_E = circ(2·M4, M4, M4, M4): Plonky3's
// circ(2, 3, 1, 1), which gnark-crypto uses (see proving/hash/interop_test.go).
var m4 = [4][4]uint64{{2, 3, 1, 1}, {1, 2, 3, 1}, {1, 1, 2, 3}, {3, 1, 1, 2}}

// external returns M_E·x.
func external(x *[Width]field.Elem) [Width]field.Elem {
	var blk [Width]field.Elem // M4 on each block of four
	var sum [4]field.Elem     // Σ over blocks of (M4·block)
	for b := range 4 {
		for i := range 4 {
			for j := range 4 {
				c := field.New(m4[i][j])
				c.Mul(&c, &x[4*b+j])
				blk[4*b+i].Add(&blk[4*b+i], &c)
			}
			sum[i].Add(&sum[i], &blk[4*b+i])
		}
	}
	// circ(2·M4, M4, M4, M4)·x: block b gets M4·x_b + Σ_c M4·x_c.
	var out [Width]field.Elem
	for k := range Width {
		out[k].Add(&blk[k], &sum[k%4])
	}
	return out
}

// internal returns M_I·x = Σx + d∘x.
func internal(x *[Width]field.Elem) [Width]field.Elem {
	var sum field.Elem
	for i := range x {
		sum.Add(&sum, &x[i])
	}
	var out [Width]field.Elem
	for i := range x {
		out[i].Mul(&diag[i], &x[i])
		out[i].Add(&out[i], &sum)
	}
	return out
}

func cube(x field.Elem) field.Elem {
	var y field.Elem
	y.Square(&x)
	return *y.Mul(&y, &x)
}

// Rounds are a permutation's intermediate values, as the chip's columns hold them.
type Rounds struct {
	Full    [FullRounds][Width]field.Elem // the state after each full round
	Partial [PartialRounds]field.Elem     // each partial round's S-box output
}

// Out is the permutation's output (the state after the last full round).
func (r *Rounds) Out() [Width]field.Elem { return r.Full[FullRounds-1] }

// Permute computes the permutation of in with its intermediate values: M_E first, then
// FullRounds/2 full rounds (add the round's 16 constants, cube every element, M_E),
// PartialRounds partial rounds (add the round constant to element 0, cube it, M_I), and
// FullRounds/2 full rounds. It is hash.Permute, step by step.
func Permute(in [Width]field.Elem) Rounds {
	var r Rounds
	s := external(&in)
	full := func(f, round int) {
		for i := range s {
			s[i].Add(&s[i], &roundKeys[round][i])
			s[i] = cube(s[i])
		}
		s = external(&s)
		r.Full[f] = s
	}
	for f := range halfFull {
		full(f, f)
	}
	for p := range PartialRounds {
		s[0].Add(&s[0], &roundKeys[halfFull+p][0])
		s[0] = cube(s[0])
		r.Partial[p] = s[0]
		s = internal(&s)
	}
	for f := halfFull; f < FullRounds; f++ {
		full(f, f+PartialRounds)
	}
	return r
}
