package hash

import (
	"sync"

	"github.com/consensys/gnark-crypto/field/koalabear/poseidon2"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// WideBatch applies the Wide permutation to many states at once, lane-wise: element i
// of lane l is S[i][l]. Every step is a field.Vector operation over the lanes
// (field.VecMul and the like: gnark-crypto's AVX-512 kernels where the CPU has them,
// field's AVX2 kernels in a GOEXPERIMENT=simd build without AVX-512, plain loops
// elsewhere), the
// same steps as gnark-crypto's permutation (external matrix, full rounds, partial rounds
// with the internal diagonal, full rounds), so the result is bit for bit PermuteWide's:
// a test checks it. A batch is for one goroutine.
type WideBatch struct {
	S       [WideWidth]field.Vector
	n       int
	keys    [][]field.Vector // per round, the round keys broadcast over the lanes
	t, u, w field.Vector
}

var wideKeys = sync.OnceValue(func() [][]field.Elem {
	return poseidon2.NewParameters(WideWidth, WideFullRounds, WidePartialRounds).RoundKeys
})

// wideDiag is the internal matrix's diagonal for width 24 (gnark-crypto's, from
// Plonky3): [−2, 1, 2, 1/2, 3, 4, −1/2, −3, −4, 2^−8, 1/4, 1/8, 1/16, 1/32, 1/64, 2^−24,
// −2^−8, −1/8, −1/16, −1/32, −1/64, −2^−7, −2^−9, −2^−24]: M_I = 1 + diag.
var wideDiag = sync.OnceValue(func() [WideWidth]field.Elem {
	pow := func(k int) field.Elem { // 2^−k
		e := field.New(1 << k)
		e.Inverse(&e)
		return e
	}
	neg := func(e field.Elem) field.Elem { e.Neg(&e); return e }
	half := pow(1)
	return [WideWidth]field.Elem{
		neg(field.New(2)), field.New(1), field.New(2), half, field.New(3), field.New(4), neg(half), neg(field.New(3)), neg(field.New(4)),
		pow(8), pow(2), pow(3), pow(4), pow(5), pow(6), pow(24),
		neg(pow(8)), neg(pow(3)), neg(pow(4)), neg(pow(5)), neg(pow(6)), neg(pow(7)), neg(pow(9)), neg(pow(24)),
	}
})

// NewWideBatch allocates a batch of n lanes.
func NewWideBatch(n int) *WideBatch {
	b := &WideBatch{n: n, t: make(field.Vector, n), u: make(field.Vector, n), w: make(field.Vector, n)}
	back := make(field.Vector, WideWidth*n)
	for i := range b.S {
		b.S[i] = back[i*n : (i+1)*n]
	}
	for _, rk := range wideKeys() {
		row := make([]field.Vector, len(rk))
		for i := range rk {
			row[i] = make(field.Vector, n)
			for l := range row[i] {
				row[i][l] = rk[i]
			}
		}
		b.keys = append(b.keys, row)
	}
	return b
}

// Lanes is the batch's number of lanes.
func (b *WideBatch) Lanes() int { return b.n }

// Permute permutes the first m ≤ Lanes lanes of S in place.
func (b *WideBatch) Permute(m int) {
	var s [WideWidth]field.Vector
	for i := range s {
		s[i] = b.S[i][:m]
	}
	t, u, w := b.t[:m], b.u[:m], b.w[:m]
	b.external(&s, t, u, w)
	rf := WideFullRounds / 2
	full := func(r int) {
		for i := range s {
			field.VecAdd(s[i], s[i], b.keys[r][i][:m])
			field.VecMul(t, s[i], s[i])
			field.VecMul(s[i], s[i], t)
		}
		b.external(&s, t, u, w)
	}
	for r := range rf {
		full(r)
	}
	diag := wideDiag()
	for r := rf; r < rf+WidePartialRounds; r++ {
		field.VecAdd(s[0], s[0], b.keys[r][0][:m])
		field.VecMul(t, s[0], s[0])
		field.VecMul(s[0], s[0], t)
		// s_i ← Σ s + diag_i·s_i
		copy(u, s[0])
		for i := 1; i < WideWidth; i++ {
			field.VecAdd(u, u, s[i])
		}
		for i := range s {
			if i != 1 { // diag_1 = 1
				field.VecScalarMul(s[i], s[i], &diag[i])
			}
			field.VecAdd(s[i], s[i], u)
		}
	}
	for r := rf + WidePartialRounds; r < WideFullRounds+WidePartialRounds; r++ {
		full(r)
	}
}

// external multiplies by circ(2·M4, M4, …, M4): M4 on each block of four, then each
// element plus the sum of its position over the blocks.
func (b *WideBatch) external(s *[WideWidth]field.Vector, t, u, w field.Vector) {
	for k := 0; k < WideWidth; k += 4 {
		x0, x1, x2, x3 := s[k], s[k+1], s[k+2], s[k+3]
		// t01 = x0+x1, t23 = x2+x3, t0123 = t01+t23, t01123 = t0123+x1, t01233 = t0123+x3;
		// y3 = 2x0 + t01233, y1 = 2x2 + t01123, y0 = t01 + t01123, y2 = t23 + t01233.
		field.VecAdd(t, x0, x1)  // t01
		field.VecAdd(u, x2, x3)  // t23
		field.VecAdd(x3, x3, t)  // x3 + t01
		field.VecAdd(x3, x3, u)  // t01233
		field.VecAdd(x1, x1, t)  // x1 + t01
		field.VecAdd(x1, x1, u)  // t01123
		field.VecAdd(x0, x0, x0) // 2x0
		field.VecAdd(x2, x2, x2) // 2x2
		field.VecAdd(x0, x0, x3) // y3 (kept in x0 for now)
		field.VecAdd(x2, x2, x1) // y1 (kept in x2)
		field.VecAdd(x1, x1, t)  // y0 (in x1)
		field.VecAdd(x3, x3, u)  // y2 (in x3)
		// (x0, x1, x2, x3) hold (y3, y0, y1, y2): rotate the values back in place.
		copy(w, x0)
		copy(x0, x1)
		copy(x1, x2)
		copy(x2, x3)
		copy(x3, w)
	}
	for p := range 4 {
		copy(t, s[p])
		for k := 4 + p; k < WideWidth; k += 4 {
			field.VecAdd(t, t, s[k])
		}
		for k := p; k < WideWidth; k += 4 {
			field.VecAdd(s[k], s[k], t)
		}
	}
}
