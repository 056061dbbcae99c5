package ntt

import (
	"testing"

	"github.com/consensys/gnark-crypto/utils"

	"github.com/oneiros-zk/oneiros/proving/field"
)

func randCol(n int, seed uint64) []field.Elem {
	v := make([]field.Elem, n)
	x := seed
	for i := range v {
		x = x*6364136223846793005 + 1442695040888963407
		v[i] = field.New(x >> 33)
	}
	return v
}

// TestCosetLDEMatchesDirectEvaluation compares the LDE with evaluating the interpolant
// at every coset point directly.
func TestCosetLDEMatchesDirectEvaluation(t *testing.T) {
	for _, tc := range []struct{ logN, logB, logMax int }{{0, 1, 1}, {3, 1, 4}, {4, 2, 6}, {5, 1, 9}} {
		n := 1 << tc.logN
		col := randCol(n, uint64(tc.logN*7+tc.logB))
		coeffs := append([]field.Elem(nil), col...)
		Interpolate(coeffs, 1)
		shift := CosetShift(tc.logN+tc.logB, tc.logMax)
		out := make([]field.Elem, n<<tc.logB)
		CosetLDE(out, col, tc.logB, shift, 1)
		pts := CosetPoints(tc.logN+tc.logB, shift)
		for i := range out {
			want := EvalExt(coeffs, field.NewExt(pts[i]))
			if !want.Coord(0).Equal(&out[i]) {
				t.Fatalf("logN=%d: point %d: got %v want %v", tc.logN, i, out[i], want.Coord(0))
			}
		}
		// The prefix of length n is the coset shift·H_n in bit-reversed order, and on
		// H_n itself (shift 1) the LDE reproduces the column.
		one := field.New(1)
		CosetLDE(out, col, tc.logB, one, 1)
		for i := range n {
			j := Reverse(uint64(i), tc.logN)
			if !out[i].Equal(&col[j]) {
				t.Fatalf("logN=%d: prefix %d != col[%d]", tc.logN, i, j)
			}
		}
	}
}

func TestInterpolateEvaluateRoundTrip(t *testing.T) {
	col := randCol(64, 3)
	v := append([]field.Elem(nil), col...)
	Interpolate(v, 2)
	Evaluate(v, 2)
	for i := range v {
		if !v[i].Equal(&col[i]) {
			t.Fatal("round trip differs at", i)
		}
	}
}

func TestCosetShiftSquares(t *testing.T) {
	a := CosetShift(10, 12)
	b := CosetShift(11, 12)
	b.Square(&b)
	if !a.Equal(&b) {
		t.Fatal("shift of a half-size coset must be the square")
	}
	if Log2(1024) != 10 || Log2(3) != -1 || Reverse(1, 3) != 4 {
		t.Fatal("helpers")
	}
}

// BitReverse agrees with the naive permutation at the sizes where it switches to the
// cache-blocked one.
func TestBitReverseLarge(t *testing.T) {
	n := 1 << 22
	v, w := make([]field.Elem, n), make([]field.Elem, n)
	for i := range v {
		v[i] = field.New(uint64(i))
		w[i] = v[i]
	}
	BitReverse(v)
	utils.BitReverseNaive(w)
	for i := range v {
		if v[i] != w[i] {
			t.Fatalf("element %d differs", i)
		}
	}
}
