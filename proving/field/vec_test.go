package field

import (
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/koalabear"
)

// vecCases returns pairs of vectors of lengths 0..40 and 1024 (and 1031), random and
// drawn from the edge values 0, 1, p−1, p−2, and mixed.
func vecCases(r *rand.Rand) [][2]Vector {
	edges := []Elem{New(0), New(1), New(Modulus - 1), New(Modulus - 2)}
	// The raw Montgomery words 0, 1, p−1, p−2 too (the canonical bounds of the representation).
	for _, w := range []uint32{1, Modulus - 1, Modulus - 2} {
		edges = append(edges, Elem{w})
	}
	rnd := func() Elem { return New(r.Uint64N(Modulus)) }
	var out [][2]Vector
	lengths := []int{1024, 1031}
	for n := 0; n <= 40; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		for kind := range 3 {
			a, b := make(Vector, n), make(Vector, n)
			for i := range n {
				switch kind {
				case 0:
					a[i], b[i] = rnd(), rnd()
				case 1:
					a[i], b[i] = edges[r.IntN(len(edges))], edges[r.IntN(len(edges))]
				default:
					a[i], b[i] = edges[i%len(edges)], rnd()
				}
			}
			out = append(out, [2]Vector{a, b})
		}
	}
	// Every pair of edge values, in one vector of 49 elements.
	var a, b Vector
	for _, x := range edges {
		for _, y := range edges {
			a, b = append(a, x), append(b, y)
		}
	}
	return append(out, [2]Vector{a, b}, [2]Vector{b, a})
}

func equalVec(t *testing.T, name string, n int, got, want Vector) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s (n=%d): element %d is %v, want %v (gnark-crypto)", name, n, i, got[i][0], want[i][0])
		}
	}
}

// TestVecOps checks VecMul, VecAdd, VecSub and VecScalarMul bit for bit against
// gnark-crypto's Vector methods and its scalar code, also with dst aliasing an input,
// and the AVX2 kernels themselves wherever they can run (whether or not the Vec
// functions select them).
func TestVecOps(t *testing.T) {
	t.Logf("VecAVX2=%v kernels8=%v", VecAVX2(), kernels8)
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range vecCases(r) {
		a, b := c[0], c[1]
		n := len(a)
		scalars := []Elem{New(0), New(1), New(Modulus - 1), New(Modulus - 2), {1}, {Modulus - 1}}
		if n > 0 {
			scalars = append(scalars, b[0], New(r.Uint64N(Modulus)))
		}
		type op struct {
			name   string
			vec    func(dst, a, b Vector)
			gnark  func(dst, a, b Vector)
			scalar func(z, x, y *Elem)
			kernel func(dst, a, b Vector)
		}
		ops := []op{
			{"Mul", VecMul, func(d, x, y Vector) { d.Mul(x, y) }, func(z, x, y *Elem) { z.Mul(x, y) }, mulVec8},
			{"Add", VecAdd, func(d, x, y Vector) { d.Add(x, y) }, func(z, x, y *Elem) { z.Add(x, y) }, addVec8},
			{"Sub", VecSub, func(d, x, y Vector) { d.Sub(x, y) }, func(z, x, y *Elem) { z.Sub(x, y) }, subVec8},
		}
		for _, s := range scalars {
			ops = append(ops, op{"ScalarMul",
				func(d, x, _ Vector) { VecScalarMul(d, x, &s) },
				func(d, x, _ Vector) { d.ScalarMul(x, &s) },
				func(z, x, _ *Elem) { z.Mul(x, &s) },
				func(d, x, _ Vector) { scalarMulVec8(d, x, s) }})
			loop := func(f func(z, x *Elem)) func(d, x, _ Vector) {
				return func(d, x, _ Vector) {
					for i := range x {
						f(&d[i], &x[i])
					}
				}
			}
			ops = append(ops,
				op{"AddScalar", func(d, x, _ Vector) { VecAddScalar(d, x, &s) },
					loop(func(z, x *Elem) { z.Add(x, &s) }), func(z, x, _ *Elem) { z.Add(x, &s) },
					func(d, x, _ Vector) { scalarOpVec8(d, x, s, false, false) }},
				op{"SubScalar", func(d, x, _ Vector) { VecSubScalar(d, x, &s) },
					loop(func(z, x *Elem) { z.Sub(x, &s) }), func(z, x, _ *Elem) { z.Sub(x, &s) },
					func(d, x, _ Vector) { scalarOpVec8(d, x, s, true, false) }},
				op{"ScalarSub", func(d, x, _ Vector) { VecScalarSub(d, &s, x) },
					loop(func(z, x *Elem) { z.Sub(&s, x) }), func(z, x, _ *Elem) { z.Sub(&s, x) },
					func(d, x, _ Vector) { scalarOpVec8(d, x, s, true, true) }})
		}
		for _, o := range ops {
			want := make(Vector, n)
			o.gnark(want, a, b)
			ref := make(Vector, n)
			for i := range n {
				o.scalar(&ref[i], &a[i], &b[i])
			}
			equalVec(t, o.name+" gnark vs scalar", n, want, ref)
			got := make(Vector, n)
			o.vec(got, a, b)
			equalVec(t, "Vec"+o.name, n, got, want)
			alias := append(Vector(nil), a...)
			o.vec(alias, alias, b)
			equalVec(t, "Vec"+o.name+" (dst = a)", n, alias, want)
			alias = append(Vector(nil), b...)
			o.vec(alias, a, alias)
			if o.name != "ScalarMul" {
				equalVec(t, "Vec"+o.name+" (dst = b)", n, alias, want)
			}
			if kernels8 && n >= 8 {
				m := n &^ 7
				got := make(Vector, m)
				o.kernel(got, a[:m], b[:m])
				equalVec(t, o.name+" AVX2 kernel", m, got, want[:m])
			}
		}
		want := a.InnerProduct(b)
		var ref, tmp Elem
		for i := range n {
			tmp.Mul(&a[i], &b[i])
			ref.Add(&ref, &tmp)
		}
		if want != ref {
			t.Fatalf("InnerProduct (n=%d): gnark-crypto's method and scalar code differ", n)
		}
		if got := VecInnerProduct(a, b); got != want {
			t.Fatalf("VecInnerProduct (n=%d) = %v, want %v", n, got[0], want[0])
		}
		if kernels8 && n >= 8 {
			m := n &^ 7
			am := a[:m]
			w := am.InnerProduct(b[:m])
			if got := innerProductVec8(a[:m], b[:m]); got != w {
				t.Fatalf("InnerProduct AVX2 kernel (n=%d) = %v, want %v", m, got[0], w[0])
			}
		}
	}
}

func TestVecLengthMismatch(t *testing.T) {
	for _, f := range []func(){
		func() { VecMul(make(Vector, 8), make(Vector, 8), make(Vector, 9)) },
		func() { VecAdd(make(Vector, 9), make(Vector, 8), make(Vector, 8)) },
		func() { VecSub(make(Vector, 16), make(Vector, 17), make(Vector, 16)) },
		func() { var one Elem; VecScalarMul(make(Vector, 8), make(Vector, 16), &one) },
		func() { VecInnerProduct(make(Vector, 8), make(Vector, 16)) },
		func() { var one Elem; VecAddScalar(make(Vector, 8), make(Vector, 16), &one) },
		func() { var one Elem; VecScalarSub(make(Vector, 9), &one, make(Vector, 8)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic on vectors of different lengths")
				}
			}()
			f()
		}()
	}
}

// BenchmarkVecMul compares gnark-crypto's Vector.Mul (its AVX-512 kernel or generic
// loop, as built) with VecMul and, where they can run, the AVX2 kernels alone.
func BenchmarkVecMul(b *testing.B) {
	const n = 1 << 14
	r := rand.New(rand.NewPCG(3, 4))
	x, y, z := make(Vector, n), make(Vector, n), make(Vector, n)
	for i := range n {
		x[i], y[i] = New(r.Uint64N(Modulus)), New(r.Uint64N(Modulus))
	}
	bench := func(name string, f func()) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(4 * n)
			for b.Loop() {
				f()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Melem/s")
		})
	}
	s := New(12345)
	bench("op=mul/impl=gnark", func() { z.Mul(x, y) })
	bench("op=mul/impl=Vec", func() { VecMul(z, x, y) })
	bench("op=scalarmul/impl=gnark", func() { z.ScalarMul(x, &s) })
	bench("op=scalarmul/impl=Vec", func() { VecScalarMul(z, x, &s) })
	bench("op=add/impl=gnark", func() { z.Add(x, y) })
	bench("op=add/impl=Vec", func() { VecAdd(z, x, y) })
	bench("op=innerproduct/impl=gnark", func() { _ = x.InnerProduct(y) })
	bench("op=innerproduct/impl=Vec", func() { _ = VecInnerProduct(x, y) })
	if kernels8 {
		bench("op=mul/impl=avx2", func() { mulVec8(z, x, y) })
	}
}

// BatchInvert is gnark-crypto's BatchInvert word for word (zeros, p−1, runs of zeros,
// lengths around the 8-lane path's threshold and its tails), and its 8-lane kernel is
// on its own where it can run.
func TestBatchInvert(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 7, 8, 9, batchInvertMin - 1, batchInvertMin, batchInvertMin + 5, 1000, 4099} {
		a := make(Vector, n)
		for i := range a {
			switch r.IntN(10) {
			case 0:
				a[i] = Elem{}
			case 1:
				a[i] = New(Modulus - 1)
			default:
				a[i] = Elem{r.Uint32N(Modulus)}
			}
		}
		if n > 40 {
			clear(a[16:40]) // a run of zeros across blocks
		}
		in := append(Vector(nil), a...)
		want := koalabear.BatchInvert(a)
		got := BatchInvert(a)
		equalVec(t, "BatchInvert", n, got, want)
		equalVec(t, "BatchInvert input", n, a, in)
		if kernels8 && n >= 8 {
			m := n &^ 7
			k := make(Vector, m)
			batchInvertVec8(k, a[:m])
			equalVec(t, "BatchInvert AVX2 kernel", m, k, want[:m])
		}
	}
}

// VecMulAcc (vector and scalar factors, add and sub) is the separate multiplication
// and addition, on both paths where they can run, tails included.
func TestVecMulAcc(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, c := range vecCases(r) {
		a, b := c[0], c[1]
		n := len(a)
		acc0 := make(Vector, n)
		for i := range acc0 {
			acc0[i] = Elem{r.Uint32N(Modulus)}
		}
		s := New(Modulus - 1)
		if n > 0 {
			s = b[n/2]
		}
		for _, sub := range []bool{false, true} {
			for _, scalar := range []bool{false, true} {
				want := append(Vector(nil), acc0...)
				for i := range want {
					var t Elem
					if scalar {
						t.Mul(&a[i], &s)
					} else {
						t.Mul(&a[i], &b[i])
					}
					if sub {
						want[i].Sub(&want[i], &t)
					} else {
						want[i].Add(&want[i], &t)
					}
				}
				bb := b
				if scalar {
					bb = nil
				}
				got := append(Vector(nil), acc0...)
				VecMulAcc(got, a, bb, &s, sub, make(Vector, n))
				equalVec(t, "VecMulAcc", n, got, want)
				if kernels8 && n >= 8 {
					m := n &^ 7
					k := append(Vector(nil), acc0[:m]...)
					var bm Vector
					if !scalar {
						bm = b[:m]
					}
					mulAccVec8(k, a[:m], bm, &s, sub)
					equalVec(t, "VecMulAcc AVX2 kernel", m, k, want[:m])
				}
			}
		}
	}
}

// VecScalarMulAcc4 is four VecMulAcc, on both paths where they can run (tails, edge
// values p−1 everywhere: the largest 64-bit sums).
func TestVecScalarMulAcc4(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for _, n := range []int{0, 3, 8, 13, 64, 1031} {
		for _, edge := range []bool{false, true} {
			var a [4]Vector
			var s [4]Elem
			el := func() Elem {
				if edge {
					return Elem{Modulus - 1}
				}
				return Elem{r.Uint32N(Modulus)}
			}
			for k := range a {
				a[k] = make(Vector, n)
				for i := range a[k] {
					a[k][i] = el()
				}
				s[k] = el()
			}
			acc0 := make(Vector, n)
			for i := range acc0 {
				acc0[i] = el()
			}
			want := append(Vector(nil), acc0...)
			for k := range a {
				for i := range want {
					var p Elem
					p.Mul(&a[k][i], &s[k])
					want[i].Add(&want[i], &p)
				}
			}
			got := append(Vector(nil), acc0...)
			VecScalarMulAcc4(got, &a, &s, make(Vector, n))
			equalVec(t, "VecScalarMulAcc4", n, got, want)
			if kernels8 && n >= 8 {
				m := n &^ 7
				k := append(Vector(nil), acc0[:m]...)
				dot4Vec8(k, &a, &s, m)
				equalVec(t, "VecScalarMulAcc4 AVX2 kernel", m, k, want[:m])
			}
		}
	}
}

// BenchmarkBatchInvert compares gnark-crypto's BatchInvert with BatchInvert (8 lanes
// where the AVX2 kernels can run) on 2^16 elements.
func BenchmarkBatchInvert(b *testing.B) {
	r := rand.New(rand.NewPCG(11, 12))
	a := make(Vector, 1<<16)
	for i := range a {
		a[i] = Elem{r.Uint32N(Modulus)}
	}
	b.Run("impl=gnark", func(b *testing.B) {
		for b.Loop() {
			koalabear.BatchInvert(a)
		}
	})
	b.Run("impl=field", func(b *testing.B) {
		for b.Loop() {
			BatchInvert(a)
		}
	})
}
