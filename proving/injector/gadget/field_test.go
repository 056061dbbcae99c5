package gadget

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// binOps are the two-operand operations checked against proving/field.
var binOps = []struct {
	name string
	circ func(f *Field, a, b Elem) Elem
	nat  func(a, b field.Elem) field.Elem
}{
	{"add", (*Field).Add, func(a, b field.Elem) field.Elem { a.Add(&a, &b); return a }},
	{"sub", (*Field).Sub, func(a, b field.Elem) field.Elem { a.Sub(&a, &b); return a }},
	{"neg", func(f *Field, a, _ Elem) Elem { return f.Neg(a) }, func(a, _ field.Elem) field.Elem { a.Neg(&a); return a }},
	{"mul", (*Field).Mul, func(a, b field.Elem) field.Elem { a.Mul(&a, &b); return a }},
	{"square", func(f *Field, a, _ Elem) Elem { return f.Square(a) }, func(a, _ field.Elem) field.Elem { a.Square(&a); return a }},
	{"mulconst", func(f *Field, a, _ Elem) Elem { return f.MulConst(a, p-1) },
		func(a, _ field.Elem) field.Elem { m := elem(p - 1); a.Mul(&a, &m); return a }},
	{"mulconstbig", func(f *Field, a, _ Elem) Elem { return f.MulConst(a, 1<<63+12345) },
		func(a, _ field.Elem) field.Elem { m := elem(1<<63 + 12345); a.Mul(&a, &m); return a }},
	{"sub-unreduced", func(f *Field, a, b Elem) Elem { return f.Sub(f.Mul(a, b), f.Mul(f.Mul(b, b), b)) },
		func(a, b field.Elem) field.Elem {
			var c field.Elem
			c.Square(&b).Mul(&c, &b)
			a.Mul(&a, &b).Sub(&a, &c)
			return a
		}},
	{"select1", func(f *Field, a, b Elem) Elem { return f.Select(1, a, b) }, func(a, _ field.Elem) field.Elem { return a }},
	{"select0", func(f *Field, a, b Elem) Elem { return f.Select(0, a, b) }, func(_, b field.Elem) field.Elem { return b }},
	{"exp0", func(f *Field, a, _ Elem) Elem { return f.Exp(a, 0) }, func(field.Elem, field.Elem) field.Elem { return elem(1) }},
	{"exp1", func(f *Field, a, _ Elem) Elem { return f.Exp(a, 1) }, func(a, _ field.Elem) field.Elem { return a }},
	{"exp7", func(f *Field, a, _ Elem) Elem { return f.Exp(a, 7) },
		func(a, _ field.Elem) field.Elem { a.Exp(a, big.NewInt(7)); return a }},
	{"exp-p-2", func(f *Field, a, _ Elem) Elem { return f.Exp(a, p-2) },
		func(a, _ field.Elem) field.Elem { a.Exp(a, big.NewInt(p-2)); return a }},
}

func TestElemOps(t *testing.T) {
	r := newRand(t)
	xs := testElems(r, 6)
	var in, out []frontend.Variable
	for i, a := range xs {
		b := xs[(i*5+3)%len(xs)]
		in = append(in, Assign(a), Assign(b))
		for _, op := range binOps {
			out = append(out, Assign(op.nat(a, b)))
		}
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		var got []frontend.Variable
		for i := 0; i < len(in); i += 2 {
			a, b := f.Witness(in[i]), f.Witness(in[i+1])
			for _, op := range binOps {
				got = append(got, f.Canonical(op.circ(f, a, b)))
			}
		}
		return got
	}
	checkOp(t, fn, in, out)
}

// TestElemOpsDetectWrongOutput guards the harness: a wrong expected value fails.
func TestElemOpsDetectWrongOutput(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Canonical(f.Mul(f.Witness(in[0]), f.Witness(in[1])))}
	}
	checkOp(t, fn, []frontend.Variable{p - 1, p - 1}, []frontend.Variable{1})
	failOp(t, fn, []frontend.Variable{p - 1, p - 1}, []frontend.Variable{2})
}

// TestLazyChains drives bounds up to the limit: long unreduced products and sums of
// p−1, differences of wide values, and equality of unreduced forms.
func TestLazyChains(t *testing.T) {
	m1 := elem(p - 1)
	var want []frontend.Variable
	// (p−1)^k for k = 1..40 by unreduced products.
	acc := elem(1)
	for range 40 {
		acc.Mul(&acc, &m1)
		want = append(want, Assign(acc))
	}
	// Σ_{i<300} (p−1)^2·(p−1)^2 and its negation.
	sq := elem(1)
	var sum field.Elem
	for range 300 {
		sq.Square(&m1)
		sq.Square(&sq)
		sum.Add(&sum, &sq)
	}
	var neg field.Elem
	neg.Neg(&sum)
	want = append(want, Assign(sum), Assign(neg))
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		x := f.Witness(in[0])
		var got []frontend.Variable
		prod := f.One()
		for range 40 {
			prod = f.Mul(prod, x)
			if prod.Bits() >= MaxBits {
				panic("bound past MaxBits")
			}
			got = append(got, f.Canonical(prod))
		}
		s := f.Zero()
		for range 300 {
			s = f.Add(s, f.Square(f.Square(x)))
		}
		n := f.Neg(s)
		got = append(got, f.Canonical(s), f.Canonical(n))
		// Unreduced equalities: s + n ≡ 0, prod ≡ Reduce(prod), (p−1)^40 ≡ 1.
		f.AssertEqual(f.Add(s, n), f.Zero())
		f.AssertEqual(prod, f.Reduce(prod))
		f.AssertEqual(prod, f.One())
		f.AssertEqual(f.One(), prod)
		return got
	}
	checkOp(t, fn, []frontend.Variable{p - 1}, want)
}

func TestInverse(t *testing.T) {
	r := newRand(t)
	var in, out []frontend.Variable
	for _, a := range testElems(r, 8) {
		if a.IsZero() {
			continue
		}
		var inv field.Elem
		inv.Inverse(&a)
		in = append(in, Assign(a))
		out = append(out, Assign(inv))
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		var got []frontend.Variable
		for _, v := range in {
			a := f.Witness(v)
			got = append(got, f.Canonical(f.Inverse(a)))
			// The inverse of an unreduced value, and a division.
			a2 := f.Mul(f.Add(a, f.Const(p)), a)
			f.AssertEqual(f.Mul(f.Inverse(a2), f.Square(a)), f.One())
			f.AssertEqual(f.Div(f.Square(a), a), a)
			// A constant divisor folds to a product.
			f.AssertEqual(f.MulConst(f.Div(a, f.Const(p-3)), p-3), a)
		}
		return got
	}
	checkOp(t, fn, in, out)
	// Constants fold.
	checkOp(t, func(f *Field, _ []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Canonical(f.Inverse(f.Const(p - 1)))}
	}, nil, []frontend.Variable{p - 1})
}

func TestInverseOfZeroUnsatisfiable(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Canonical(f.Inverse(f.Witness(in[0])))}
	}
	failOp(t, fn, []frontend.Variable{0}, []frontend.Variable{0})
	// 0 ≡ p·k in an unreduced form.
	fn2 := func(f *Field, in []frontend.Variable) []frontend.Variable {
		a := f.Witness(in[0])
		return []frontend.Variable{f.Canonical(f.Inverse(f.Mul(a, f.Sub(a, a))))}
	}
	failOp(t, fn2, []frontend.Variable{7}, []frontend.Variable{0})
}

func TestToBitsIsZero(t *testing.T) {
	r := newRand(t)
	ns := []int{1, 5, 24, 30, 31}
	var in, out []frontend.Variable
	for _, a := range testElems(r, 4) {
		in = append(in, Assign(a))
		v := a.Uint64()
		for _, n := range ns {
			for i := range n {
				out = append(out, (v>>i)&1)
			}
		}
		z := 0
		if v == 0 {
			z = 1
		}
		out = append(out, z)
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		var got []frontend.Variable
		for _, v := range in {
			// An unreduced representative a + p·a ≡ a.
			w := f.Witness(v)
			a := f.Add(w, f.Mul(Elem{V: p, max: big.NewInt(p)}, w))
			for _, n := range ns {
				got = append(got, f.ToBits(a, n)...)
			}
			got = append(got, f.IsZero(a))
		}
		return got
	}
	checkOp(t, fn, in, out)
}

func TestConst(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		x := f.Witness(in[0])
		c := f.ConstElem(elem(p - 1))
		if !c.IsCanonical() || c.Bound().Uint64() != p-1 {
			panic("constant bound")
		}
		return []frontend.Variable{
			f.Canonical(f.Const(p + 5)), f.Canonical(f.Mul(c, c)), f.Canonical(f.Add(x, f.Const(1<<40))),
		}
	}
	checkOp(t, fn, []frontend.Variable{0}, []frontend.Variable{5, 1, (1 << 40) % p})
}
