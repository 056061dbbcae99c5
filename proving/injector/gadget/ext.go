package gadget

import (
	"fmt"
	"math/big"
	"math/bits"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// Ext4 is an element of the degree-4 extension, the engine's [field.Ext] of degree 4:
// gnark-crypto's tower F[u]/(u² − 3), then [v]/(v² − u), with coordinates in the order
// (B0.A0, B0.A1, B1.A0, B1.A1), on the basis (1, u, v, u·v). Since u = v², it is also
// F[v]/(v⁴ − 3) with the coordinates of v⁰, v², v¹, v³. Each coordinate is an [Elem]
// with its own bound.
type Ext4 [4]Elem

// extDeg[i] is the power of v that coordinate i multiplies (u = v²).
var extDeg = [4]int{0, 2, 1, 3}

// ExtAssign returns the canonical coordinates of e (degree 4 or a base element), for a
// witness assignment.
func ExtAssign(e field.Ext) [4]frontend.Variable {
	if !e.InDegree(field.ExtDegree4) {
		panic(fmt.Sprintf("gadget: a degree-%d element is not in the degree-4 extension", e.Degree()))
	}
	c := field.ExtCoords(&e)
	return [4]frontend.Variable{c[0].Uint64(), c[1].Uint64(), c[2].Uint64(), c[3].Uint64()}
}

// ExtConst returns the constant e (degree 4 or a base element).
func (f *Field) ExtConst(e field.Ext) Ext4 {
	if !e.InDegree(field.ExtDegree4) {
		panic(fmt.Sprintf("gadget: a degree-%d element is not in the degree-4 extension", e.Degree()))
	}
	c := field.ExtCoords(&e)
	var z Ext4
	for i := range z {
		z[i] = f.ConstElem(c[i])
	}
	return z
}

// ExtWitness makes an extension element of four circuit variables, each proven
// canonical as in [Field.Witness].
func (f *Field) ExtWitness(v [4]frontend.Variable) Ext4 {
	var z Ext4
	for i := range z {
		z[i] = f.Witness(v[i])
	}
	return z
}

// ExtFromBase returns a as an extension element (a, 0, 0, 0).
func (f *Field) ExtFromBase(a Elem) Ext4 { return Ext4{a, f.Zero(), f.Zero(), f.Zero()} }

// ExtZero returns the constant 0.
func (f *Field) ExtZero() Ext4 { return f.ExtFromBase(f.Zero()) }

// ExtOne returns the constant 1.
func (f *Field) ExtOne() Ext4 { return f.ExtFromBase(f.One()) }

// ExtAdd returns a + b coordinate-wise, unreduced ([Field.Add]).
func (f *Field) ExtAdd(a, b Ext4) Ext4 {
	var z Ext4
	for i := range z {
		z[i] = f.Add(a[i], b[i])
	}
	return z
}

// ExtSub returns a − b coordinate-wise, unreduced and non-negative ([Field.Sub]).
func (f *Field) ExtSub(a, b Ext4) Ext4 {
	var z Ext4
	for i := range z {
		z[i] = f.Sub(a[i], b[i])
	}
	return z
}

// ExtNeg returns −a coordinate-wise ([Field.Neg]).
func (f *Field) ExtNeg(a Ext4) Ext4 { return f.ExtSub(f.ExtZero(), a) }

// ExtMulByElem returns a·b for a base element b, unreduced: four products ([Field.Mul]).
func (f *Field) ExtMulByElem(a Ext4, b Elem) Ext4 {
	var z Ext4
	for i := range z {
		z[i] = f.Mul(a[i], b)
	}
	return z
}

// ExtReduce returns a with every coordinate canonical ([Field.Reduce]).
func (f *Field) ExtReduce(a Ext4) Ext4 {
	var z Ext4
	for i := range z {
		z[i] = f.Reduce(a[i])
	}
	return z
}

// ExtWeak returns a with every coordinate weakly reduced (below 2^32, congruent; see
// weakReduce). Coordinates already below 2^32 cost nothing, and a value reduced before
// (the same variable) is not reduced again.
func (f *Field) ExtWeak(a Ext4) Ext4 { return f.extWeakReduce(a) }

// extWeakReduce weak-reduces every coordinate (below 2^32, see weakReduce).
func (f *Field) extWeakReduce(a Ext4) Ext4 {
	var z Ext4
	for i := range z {
		z[i] = f.weakReduce(a[i])
	}
	return z
}

// ExtMul returns a·b with every coordinate weakly reduced: below 2^32 and congruent to
// the product, not necessarily canonical ([Field.ExtReduce] makes it canonical). The
// coordinate products are accumulated unreduced ([Field.ExtMulLazy]) and each output
// coordinate is reduced once.
//
// Range argument: each output coordinate is an exact integer Σ a_i·b_j (with the factor
// 3 of v⁴ = 3) below its tracked bound; its reduction proves q = ⌊c/p⌋ in range and
// c − q·p in 32 bits.
func (f *Field) ExtMul(a, b Ext4) Ext4 { return f.extWeakReduce(f.ExtMulLazy(a, b)) }

// ExtSquare returns a² ([Field.ExtMul]).
func (f *Field) ExtSquare(a Ext4) Ext4 { return f.ExtMul(a, a) }

func extMulBounds(a, b Ext4) [4]*big.Int {
	var c [7]*big.Int
	for k := range c {
		c[k] = new(big.Int)
	}
	for i := range 4 {
		for j := range 4 {
			c[extDeg[i]+extDeg[j]].Add(c[extDeg[i]+extDeg[j]], mulBounds(a[i].bound(), b[j].bound()))
		}
	}
	var out [4]*big.Int
	for d := range 4 {
		out[d] = c[d]
		if d+4 < 7 {
			out[d] = new(big.Int).Add(c[d], new(big.Int).Mul(c[d+4], big.NewInt(3)))
		}
	}
	return out // by power of v
}

func maxBound(a Ext4) *big.Int {
	m := a[0].bound()
	for i := 1; i < 4; i++ {
		if a[i].bound().Cmp(m) > 0 {
			m = a[i].max
		}
	}
	return m
}

// ExtMulLazy returns a·b with unreduced coordinates: each is the exact integer
// Σ a_i·b_j over the pairs that land on it (times 3 for the pairs past v³), with that
// sum of bound products as its bound. Sums of such products can be added before one
// reduction or an [Field.ExtAssertEqual]. Inputs whose product could reach 2^MaxBits are
// weakly reduced first.
//
// Cost: when both operands have non-constant coordinates n_a·n_b ≤ 7, one constraint
// per non-constant pair (schoolbook); otherwise 7 constraints (Toom-Cook at 0, ±1, ±2,
// 3, ∞, interpolated in BN254's field, which is exact because each coefficient is
// below its bound < r; see toom.go).
func (f *Field) ExtMulLazy(a, b Ext4) Ext4 {
	for {
		ok := true
		for _, m := range extMulBounds(a, b) {
			if m.Cmp(limit) >= 0 {
				ok = false
			}
		}
		if ok {
			break
		}
		if maxBound(a).Cmp(maxBound(b)) >= 0 && maxBound(a).Cmp(weakMax) > 0 {
			a = f.extWeakReduce(a)
		} else if maxBound(b).Cmp(weakMax) > 0 {
			b = f.extWeakReduce(b)
		} else {
			panic("gadget: bound overflow on reduced operands")
		}
	}
	bounds := extMulBounds(a, b)

	// By power of v.
	var pa, pb [4]frontend.Variable
	na, nb := 0, 0
	for i := range 4 {
		pa[extDeg[i]], pb[extDeg[i]] = a[i].V, b[i].V
		if _, ok := f.constant(a[i].V); !ok {
			na++
		}
		if _, ok := f.constant(b[i].V); !ok {
			nb++
		}
	}

	var out [4]frontend.Variable // by power of v
	api := f.api
	if na*nb <= len(toomEval) {
		for d := range out {
			out[d] = 0
		}
		for i := range 4 {
			for j := range 4 {
				k := i + j
				p := api.Mul(pa[i], pb[j])
				if k >= 4 {
					k -= 4
					p = api.Mul(p, 3)
				}
				out[k] = api.Add(out[k], p)
			}
		}
	} else {
		var prod [7]frontend.Variable
		for j := range prod {
			ea, eb := frontend.Variable(0), frontend.Variable(0)
			for d := range 4 {
				if toomEval[j][d].Sign() != 0 {
					ea = api.Add(ea, api.Mul(pa[d], toomEval[j][d]))
					eb = api.Add(eb, api.Mul(pb[d], toomEval[j][d]))
				}
			}
			prod[j] = api.Mul(ea, eb)
		}
		for d := range out {
			out[d] = 0
			for j := range prod {
				if toomOut[d][j].Sign() != 0 {
					out[d] = api.Add(out[d], api.Mul(prod[j], toomOut[d][j]))
				}
			}
		}
	}

	var z Ext4
	for i := range z {
		z[i] = Elem{V: out[extDeg[i]], max: bounds[extDeg[i]]}
	}
	return z
}

// ExtAssertEqual constrains a = b coordinate-wise mod p ([Field.AssertEqual]).
func (f *Field) ExtAssertEqual(a, b Ext4) {
	for i := range a {
		f.AssertEqual(a[i], b[i])
	}
}

// ExtSelect returns a when cond is 1 and b when cond is 0 (cond constrained boolean).
func (f *Field) ExtSelect(cond frontend.Variable, a, b Ext4) Ext4 {
	var z Ext4
	for i := range z {
		z[i] = f.Select(cond, a[i], b[i])
	}
	return z
}

// extHint returns 4 hinted coordinates, each range-checked to 32 bits (weakly reduced).
func (f *Field) extHint(h func(*big.Int, []*big.Int, []*big.Int) error, in ...frontend.Variable) Ext4 {
	out, err := f.api.Compiler().NewHint(h, 4, in...)
	if err != nil {
		panic(err)
	}
	var z Ext4
	for i := range z {
		f.checkWeak(out[i])
		z[i] = Elem{V: out[i], max: weakMax}
	}
	return z
}

func (f *Field) extConstant(a Ext4) (field.Ext, bool) {
	c := make([]field.Elem, 4)
	for i := range a {
		v, ok := f.constant(a[i].V)
		if !ok {
			return field.Ext{}, false
		}
		c[i] = toElem(v)
	}
	return field.ExtFromCoords(c), true
}

// ExtInverse returns 1/a. The circuit is unsatisfiable when a = 0.
//
// Range argument: the four coordinates come from a hint, each range-checked to 32 bits
// (weakly reduced, see [Field.ExtMul]); then a·inv = 1 is constrained coordinate-wise
// mod p on the unreduced product ([Field.ExtMulLazy], [Field.AssertEqual]).
func (f *Field) ExtInverse(a Ext4) Ext4 {
	if c, ok := f.extConstant(a); ok {
		if c.IsZero() {
			panic("gadget: inverse of the constant 0")
		}
		c.Inverse(&c)
		return f.ExtConst(c)
	}
	inv := f.extHint(extInvHint, a[0].V, a[1].V, a[2].V, a[3].V)
	f.ExtAssertEqual(f.ExtMulLazy(a, inv), f.ExtOne())
	return inv
}

// ExtDiv returns a/b with one hint and one product check: the result c (weakly reduced
// coordinates, range-checked to 32 bits) is constrained by b·c = a. When b = 0 the
// circuit is unsatisfiable unless a = 0, and then c is unconstrained: use ExtDiv only
// where b ≠ 0 is known (or proven elsewhere); ExtMul(a, ExtInverse(b)) proves it. A
// constant b costs no constraint (the result is then a·(1/b), unreduced).
func (f *Field) ExtDiv(a, b Ext4) Ext4 {
	if cb, ok := f.extConstant(b); ok {
		if cb.IsZero() {
			panic("gadget: division by the constant 0")
		}
		cb.Inverse(&cb)
		return f.ExtMulLazy(a, f.ExtConst(cb))
	}
	c := f.extHint(extDivHint, a[0].V, a[1].V, a[2].V, a[3].V, b[0].V, b[1].V, b[2].V, b[3].V)
	f.ExtAssertEqual(f.ExtMulLazy(b, c), a)
	return c
}

// ExtExp returns a^k by square-and-multiply with [Field.ExtMul].
func (f *Field) ExtExp(a Ext4, k uint64) Ext4 {
	if k == 0 {
		return f.ExtOne()
	}
	a = f.extWeakReduce(a)
	res := a
	for i := bits.Len64(k) - 2; i >= 0; i-- {
		res = f.ExtSquare(res)
		if k>>i&1 == 1 {
			res = f.ExtMul(res, a)
		}
	}
	return res
}
