package cpu_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/kernel/kerneltest"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

var _ kernel.Kernels = (*cpu.Kernels)(nil)

func randCol(r *rand.Rand, n int) []field.Elem {
	c := make([]field.Elem, n)
	for i := range c {
		c[i] = field.New(r.Uint64N(field.Modulus))
	}
	return c
}

// The conformance kit, one worker against several: what kerneltest's own tests run,
// kept here so that `go test ./proving/kernel/cpu` covers the package.
func TestConformance(t *testing.T) {
	kerneltest.Test(t, cpu.New(1), cpu.New(4), kerneltest.Options{Seed: 11})
}

func TestNew(t *testing.T) {
	if got := cpu.New(0).Workers(); got != runtime.NumCPU() {
		t.Errorf("New(0).Workers() = %d, want NumCPU %d", got, runtime.NumCPU())
	}
	if got := cpu.New(-3).Workers(); got != runtime.NumCPU() {
		t.Errorf("New(-3).Workers() = %d", got)
	}
	if got := cpu.New(5).Workers(); got != 5 {
		t.Errorf("New(5).Workers() = %d", got)
	}
	if cpu.New(1).Name() != "cpu" {
		t.Error("name")
	}
}

// The reference itself, against the definition: the LDE of a column is the evaluation of
// its interpolant at shift·ω_N^rev(i), computed here by Lagrange interpolation at each
// point.
func TestCosetLDEMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ logN, logB int }{{0, 1}, {1, 1}, {2, 2}, {3, 1}, {4, 3}} {
		n, N := 1<<tc.logN, 1<<(tc.logN+tc.logB)
		cols := [][]field.Elem{randCol(r, n), randCol(r, n), randCol(r, n)}
		shift := field.New(1 + r.Uint64N(field.Modulus-1))
		out, err := cpu.New(2).CosetLDE(cols, tc.logB, shift)
		if err != nil {
			t.Fatal(err)
		}
		w := ntt.RootOfUnity(tc.logN + tc.logB)
		for c, col := range cols {
			for i := range N {
				var x field.Elem
				x.Exp(w, new(big.Int).SetUint64(ntt.Reverse(uint64(i), tc.logN+tc.logB)))
				x.Mul(&x, &shift)
				if want := lagrange(col, tc.logN, x); out[c][i] != want {
					t.Fatalf("logN %d blowup 2^%d column %d point %d: got %v, want %v", tc.logN, tc.logB, c, i, out[c][i].String(), want.String())
				}
			}
		}
	}
}

// lagrange evaluates at x the polynomial of degree < 2^logN taking vals on H (natural order).
func lagrange(vals []field.Elem, logN int, x field.Elem) field.Elem {
	n := len(vals)
	w := ntt.RootOfUnity(logN)
	var sum, h field.Elem
	h.SetOne()
	for j := range n {
		// L_j(x) = Π_{k≠j} (x − h_k)/(h_j − h_k)
		var num, den, hk field.Elem
		num.SetOne()
		den.SetOne()
		hk.SetOne()
		for k := range n {
			if k != j {
				var a, b field.Elem
				a.Sub(&x, &hk)
				b.Sub(&h, &hk)
				num.Mul(&num, &a)
				den.Mul(&den, &b)
			}
			hk.Mul(&hk, &w)
		}
		den.Inverse(&den)
		num.Mul(&num, &den)
		num.Mul(&num, &vals[j])
		sum.Add(&sum, &num)
		h.Mul(&h, &w)
	}
	return sum
}

// Folding the LDE of f = f_e(x²) + x·f_o(x²) with β gives the evaluations of f_e + β·f_o
// on the squared coset, which is how FRI uses FoldFRI.
func TestFoldFRIHalvesTheDegree(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const logN, logB = 5, 2
	n := 1 << logN
	shift := ntt.CosetShift(logN+logB, field.TwoAdicity)
	col := randCol(r, n)
	lde, err := cpu.New(3).CosetLDE([][]field.Elem{col}, logB, shift)
	if err != nil {
		t.Fatal(err)
	}
	cw := field.NewExtVec(field.ExtDegree4, len(lde[0]))
	copy(cw.C[0], lde[0])
	pts := ntt.CosetPoints(logN+logB, shift)
	invX := make([]field.Elem, cw.Len()/2)
	for i := range invX {
		invX[i].Inverse(&pts[2*i])
	}
	beta := field.ExtFromCoords([]field.Elem{field.New(5), field.New(7), field.New(11), field.New(13)})
	got := field.NewExtVec(field.ExtDegree4, cw.Len()/2)
	if err := cpu.New(3).FoldFRI(got, cw, beta, invX); err != nil {
		t.Fatal(err)
	}
	// Coefficients of f, split into even and odd halves.
	coeffs := append([]field.Elem(nil), col...)
	ntt.Interpolate(coeffs, 1)
	for i := range got.Len() {
		var x2 field.Elem
		x2.Square(&pts[2*i])
		var fe, fo, p field.Elem
		p.SetOne()
		for k := 0; k < n/2; k++ {
			var a, b field.Elem
			a.Mul(&coeffs[2*k], &p)
			b.Mul(&coeffs[2*k+1], &p)
			fe.Add(&fe, &a)
			fo.Add(&fo, &b)
			p.Mul(&p, &x2)
		}
		want := field.NewExt(fo)
		want.Mul(&want, &beta)
		want.Coord(0).Add(want.Coord(0), &fe)
		if g := got.At(i); !g.Equal(&want) {
			t.Fatalf("point %d: got %s, want %s", i, g.String(), want.String())
		}
	}
}

// The MSM against the naive sum of scalar multiplications, points at infinity included.
func TestMSMMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 7, 64, 300} {
		pts := make([]bn254.G1Affine, n)
		sc := make([]fr.Element, n)
		var want bn254.G1Jac
		for i := range pts {
			if i%5 != 3 {
				pts[i].ScalarMultiplicationBase(new(big.Int).SetUint64(r.Uint64()))
			}
			sc[i].SetUint64(r.Uint64())
			sc[i].Square(&sc[i])
			var q bn254.G1Jac
			q.FromAffine(&pts[i])
			q.ScalarMultiplication(&q, sc[i].BigInt(new(big.Int)))
			want.AddAssign(&q)
		}
		for _, w := range []int{1, 3} {
			got, err := cpu.New(w).MSM(pts, sc)
			if err != nil {
				t.Fatal(err)
			}
			var ga, wa bn254.G1Affine
			ga.FromJacobian(&got)
			wa.FromJacobian(&want)
			if !ga.Equal(&wa) {
				t.Errorf("%d points, %d workers: got %s, want %s", n, w, ga.String(), wa.String())
			}
		}
	}
}

// A negative blowup is an input error like a too-large one. Known bug: CosetLDE
// computes n << logBlowup before checking, and a negative shift count panics.
func TestCosetLDERejectsNegativeBlowup(t *testing.T) {
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("CosetLDE with blowup 2^-1 panicked: %v; want an error", p)
		}
	}()
	if _, err := cpu.New(2).CosetLDE([][]field.Elem{make([]field.Elem, 16)}, -1, ntt.Generator); err == nil {
		t.Fatal("CosetLDE with blowup 2^-1 returned no error")
	}
}

// Results never depend on the number of workers (package doc), however many are asked
// for. Known bug: the MSM passes Workers to gnark-crypto's MultiExp as NbTasks, which
// refuses more than 1024, so cpu.New(1025).MSM fails where cpu.New(1).MSM succeeds.
func TestMSMAnyWorkerCount(t *testing.T) {
	var g bn254.G1Affine
	g.ScalarMultiplicationBase(big.NewInt(1))
	sc := []fr.Element{fr.NewElement(3)}
	for _, w := range []int{1, 1024, 1025, 4096} {
		if _, err := cpu.New(w).MSM([]bn254.G1Affine{g}, sc); err != nil {
			t.Errorf("New(%d).MSM: %v", w, err)
		}
	}
}

func ExampleKernels_CosetLDE() {
	k := cpu.New(1)
	// The constant column 7 extends to 7 everywhere.
	col := []field.Elem{field.New(7), field.New(7), field.New(7), field.New(7)}
	out, _ := k.CosetLDE([][]field.Elem{col}, 1, ntt.Generator)
	fmt.Println(len(out[0]), out[0][0].String(), out[0][5].String())
	// Output: 8 7 7
}
