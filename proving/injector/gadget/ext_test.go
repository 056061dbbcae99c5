package gadget

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// extOps are the extension operations checked against proving/field (degree 4).
var extOps = []struct {
	name string
	circ func(f *Field, a, b Ext4, s Elem) Ext4
	nat  func(a, b field.Ext, s field.Elem) field.Ext
}{
	{"add", func(f *Field, a, b Ext4, _ Elem) Ext4 { return f.ExtAdd(a, b) },
		func(a, b field.Ext, _ field.Elem) field.Ext { a.Add(&a, &b); return a }},
	{"sub", func(f *Field, a, b Ext4, _ Elem) Ext4 { return f.ExtSub(a, b) },
		func(a, b field.Ext, _ field.Elem) field.Ext { a.Sub(&a, &b); return a }},
	{"neg", func(f *Field, a, _ Ext4, _ Elem) Ext4 { return f.ExtNeg(a) },
		func(a, _ field.Ext, _ field.Elem) field.Ext { a.Neg(&a); return a }},
	{"mul", func(f *Field, a, b Ext4, _ Elem) Ext4 { return f.ExtMul(a, b) },
		func(a, b field.Ext, _ field.Elem) field.Ext { a.Mul(&a, &b); return a }},
	{"mullazy", func(f *Field, a, b Ext4, _ Elem) Ext4 { return f.ExtMulLazy(a, b) },
		func(a, b field.Ext, _ field.Elem) field.Ext { a.Mul(&a, &b); return a }},
	{"square", func(f *Field, a, _ Ext4, _ Elem) Ext4 { return f.ExtSquare(a) },
		func(a, _ field.Ext, _ field.Elem) field.Ext { a.Square(&a); return a }},
	{"mulbyelem", func(f *Field, a, _ Ext4, s Elem) Ext4 { return f.ExtMulByElem(a, s) },
		func(a, _ field.Ext, s field.Elem) field.Ext { a.MulByElement(&a, &s); return a }},
	{"frombase", func(f *Field, _, _ Ext4, s Elem) Ext4 { return f.ExtFromBase(s) },
		func(_, _ field.Ext, s field.Elem) field.Ext { return field.NewExt(s).WithDegree(4) }},
	{"mulbase", func(f *Field, a, _ Ext4, s Elem) Ext4 { return f.ExtMul(f.ExtFromBase(s), a) },
		func(a, _ field.Ext, s field.Elem) field.Ext { a.MulByElement(&a, &s); return a }},
	{"mulconst", func(f *Field, a, _ Ext4, _ Elem) Ext4 { return f.ExtMul(a, f.ExtConst(ext(7, p-1, 0, 3))) },
		func(a, _ field.Ext, _ field.Elem) field.Ext { c := ext(7, p-1, 0, 3); a.Mul(&a, &c); return a }},
	{"select1", func(f *Field, a, b Ext4, _ Elem) Ext4 { return f.ExtSelect(1, a, b) },
		func(a, _ field.Ext, _ field.Elem) field.Ext { return a }},
	{"select0", func(f *Field, a, b Ext4, _ Elem) Ext4 { return f.ExtSelect(0, a, b) },
		func(_, b field.Ext, _ field.Elem) field.Ext { return b }},
	{"exp5", func(f *Field, a, _ Ext4, _ Elem) Ext4 { return f.ExtExp(a, 5) },
		func(a, _ field.Ext, _ field.Elem) field.Ext { a.ExpInt64(a, 5); return a }},
	{"exp2^20", func(f *Field, a, _ Ext4, _ Elem) Ext4 { return f.ExtExp(a, 1<<20) },
		func(a, _ field.Ext, _ field.Elem) field.Ext { a.ExpInt64(a, 1<<20); return a }},
	{"mul-unreduced", func(f *Field, a, b Ext4, _ Elem) Ext4 {
		x := f.ExtMulLazy(a, b)
		return f.ExtMulLazy(f.ExtMulLazy(x, x), f.ExtSub(x, f.ExtMulLazy(a, a)))
	}, func(a, b field.Ext, _ field.Elem) field.Ext {
		var x, y, z field.Ext
		x.Mul(&a, &b)
		y.Square(&x)
		z.Square(&a)
		z.Sub(&x, &z)
		y.Mul(&y, &z)
		return y
	}},
}

func TestExtOps(t *testing.T) {
	r := newRand(t)
	xs := testExts(r, 6)
	ss := testElems(r, len(xs))
	var in, out []frontend.Variable
	for i, a := range xs {
		b := xs[(i*3+1)%len(xs)]
		s := ss[i]
		in = append(in, extVars(a)...)
		in = append(in, extVars(b)...)
		in = append(in, Assign(s))
		for _, op := range extOps {
			out = append(out, extVars(op.nat(a, b, s).WithDegree(4))...)
		}
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		var got []frontend.Variable
		for i := 0; i < len(in); i += 9 {
			a := f.ExtWitness([4]frontend.Variable(in[i : i+4]))
			b := f.ExtWitness([4]frontend.Variable(in[i+4 : i+8]))
			s := f.Witness(in[i+8])
			for _, op := range extOps {
				got = append(got, canonicalExt(f, op.circ(f, a, b, s))...)
			}
		}
		return got
	}
	checkOp(t, fn, in, out)
}

func TestExtInverseDiv(t *testing.T) {
	r := newRand(t)
	var in, out []frontend.Variable
	xs := testExts(r, 6)
	for i, a := range xs {
		if a.IsZero() {
			continue
		}
		b := xs[(i+1)%len(xs)]
		var inv, q field.Ext
		inv.Inverse(&a)
		q.Mul(&b, &inv)
		in = append(in, extVars(a)...)
		in = append(in, extVars(b)...)
		out = append(out, extVars(inv)...)
		out = append(out, extVars(q)...)
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		var got []frontend.Variable
		for i := 0; i < len(in); i += 8 {
			a := f.ExtWitness([4]frontend.Variable(in[i : i+4]))
			b := f.ExtWitness([4]frontend.Variable(in[i+4 : i+8]))
			got = append(got, canonicalExt(f, f.ExtInverse(a))...)
			got = append(got, canonicalExt(f, f.ExtDiv(b, a))...)
			// Unreduced operands.
			a3 := f.ExtMulLazy(f.ExtMulLazy(a, a), a)
			f.ExtAssertEqual(f.ExtMul(f.ExtInverse(a3), a3), f.ExtOne())
			f.ExtAssertEqual(f.ExtDiv(f.ExtMulLazy(b, a3), a3), b)
			// A constant divisor folds to a product.
			k := f.ExtConst(ext(3, 0, p-1, 9))
			f.ExtAssertEqual(f.ExtMul(f.ExtDiv(a, k), k), a)
		}
		return got
	}
	checkOp(t, fn, in, out)
	// Constants fold.
	c := ext(1, 2, 3, 4)
	var ci field.Ext
	ci.Inverse(&c)
	checkOp(t, func(f *Field, _ []frontend.Variable) []frontend.Variable {
		return canonicalExt(f, f.ExtInverse(f.ExtConst(c)))
	}, nil, extVars(ci))
}

// TestExtMulBounds multiplies many maximal elements without reductions: ExtMulLazy must
// weakly reduce its inputs before a coordinate could reach 2^MaxBits, and Toom-Cook
// must agree with schoolbook on every coordinate.
func TestExtMulBounds(t *testing.T) {
	m := ext(p-1, p-1, p-1, p-1)
	var want []frontend.Variable
	acc := ext(1, 0, 0, 0)
	for range 12 {
		acc.Mul(&acc, &m)
		want = append(want, extVars(acc)...)
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		x := f.ExtWitness([4]frontend.Variable(in))
		var got []frontend.Variable
		acc := f.ExtOne()
		for range 12 {
			acc = f.ExtMulLazy(acc, x)
			for _, c := range acc {
				if c.Bits() >= MaxBits {
					panic("bound past MaxBits")
				}
			}
			got = append(got, canonicalExt(f, acc)...)
		}
		return got
	}
	checkOp(t, fn, extVars(m), want)
}

func TestExtToomMatchesSchoolbook(t *testing.T) {
	// Interpolation weights reproduce each product coefficient: evaluate the Toom
	// formulas on integer polynomials with big.Int and compare.
	a := []int64{3, -1, 4, 1}
	b := []int64{5, 9, -2, 6}
	var school [4]*big.Int
	for d := range school {
		school[d] = new(big.Int)
	}
	for i := range 4 {
		for j := range 4 {
			v := big.NewInt(a[i] * b[j])
			k := i + j
			if k >= 4 {
				k -= 4
				v.Mul(v, big.NewInt(3))
			}
			school[k].Add(school[k], v)
		}
	}
	var prod [7]*big.Int
	for j := range prod {
		ea, eb := new(big.Int), new(big.Int)
		for d := range 4 {
			ea.Add(ea, new(big.Int).Mul(big.NewInt(a[d]), toomEval[j][d]))
			eb.Add(eb, new(big.Int).Mul(big.NewInt(b[d]), toomEval[j][d]))
		}
		prod[j] = new(big.Int).Mul(ea, eb)
	}
	for d := range 4 {
		got := new(big.Int)
		for j := range prod {
			got.Add(got, new(big.Int).Mul(prod[j], toomOut[d][j]))
		}
		got.Mod(got, frModulus)
		want := new(big.Int).Mod(school[d], frModulus)
		if got.Cmp(want) != 0 {
			t.Fatalf("coefficient %d: %s, want %s", d, got, want)
		}
	}
}
