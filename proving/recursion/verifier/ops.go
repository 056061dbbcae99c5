package verifier

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/recursion"
)

type Var = recursion.Var

// digest is a Narrow digest held in eight base cells.
type digest = [hash.DigestLen]Var

// ext is an extension element entered as its four coordinates (base cells) and the
// cell that holds it: the transcript absorbs the coordinates, arithmetic uses v.
type ext struct {
	v Var
	c [field.ExtDegree4]Var
}

// ops is the arithmetic of the emitted program over a recursion.Builder.
type ops struct {
	b     *recursion.Builder
	basis [field.ExtDegree4]Var // basis[c]: coordinate c one, the others zero (field.ExtCoords order)
}

func newOps(b *recursion.Builder) *ops {
	o := &ops{b: b}
	for c := range o.basis {
		co := make([]field.Elem, field.ExtDegree4)
		co[c].SetOne()
		o.basis[c] = b.Const(field.ExtFromCoords(co))
	}
	return o
}

func (o *ops) cb(k field.Elem) Var          { return o.b.ConstBase(k) }
func (o *ops) cu(k uint64) Var              { return o.b.ConstBase(field.New(k)) }
func (o *ops) zero() Var                    { return o.cu(0) }
func (o *ops) one() Var                     { return o.cu(1) }
func (o *ops) add(x, y Var) Var             { return o.b.Add(x, y) }
func (o *ops) sub(x, y Var) Var             { return o.b.Sub(x, y) }
func (o *ops) mul(x, y Var) Var             { return o.b.Mul(x, y) }
func (o *ops) inv(x Var) Var                { return o.b.Inv(x) } // asserts x ≠ 0
func (o *ops) div(x, y Var) Var             { return o.b.Div(x, y) }
func (o *ops) eq(x, y Var)                  { o.b.AssertEq(x, y) }
func (o *ops) mulc(x Var, k field.Elem) Var { return o.b.Mul(x, o.cb(k)) }

// arith is the program's arithmetic as an air.Arith: the AIR's expressions at ζ
// (air.EvalWith).
type arith struct{ *ops }

func (a arith) Const(c field.Elem) Var { return a.cb(c) }
func (a arith) Add(x, y Var) Var       { return a.add(x, y) }
func (a arith) Sub(x, y Var) Var       { return a.sub(x, y) }
func (a arith) Mul(x, y Var) Var       { return a.mul(x, y) }
func (a arith) Neg(x Var) Var          { return a.sub(a.zero(), x) }

// fromCoords is Σ_c basis_c·x_c: the extension element of four base cells.
func (o *ops) fromCoords(c [field.ExtDegree4]Var) Var {
	v := c[0]
	for i := 1; i < field.ExtDegree4; i++ {
		v = o.add(v, o.mul(c[i], o.basis[i]))
	}
	return v
}

// extColumns rebuilds extension columns from their coordinates' values (d = 4 per
// column), as stark's extColumns.
func (o *ops) extColumns(coords []Var) []Var {
	out := make([]Var, len(coords)/field.ExtDegree4)
	for i := range out {
		var c [field.ExtDegree4]Var
		copy(c[:], coords[field.ExtDegree4*i:])
		out[i] = o.fromCoords(c)
	}
	return out
}

// sel is x when the bit cell b is 0 and y when it is 1: x + b·(y − x).
func (o *ops) sel(b, x, y Var) Var { return o.add(x, o.mul(b, o.sub(y, x))) }

// mux is vals[i] for the index i given by bits (least significant first).
func (o *ops) mux(bits []Var, vals []Var) Var {
	for _, b := range bits {
		next := make([]Var, len(vals)/2)
		for j := range next {
			next[j] = o.sel(b, vals[2*j], vals[2*j+1])
		}
		vals = next
	}
	return vals[0]
}

// eqDigest asserts a = b.
func (o *ops) eqDigest(a, b digest) {
	for i := range a {
		o.eq(a[i], b[i])
	}
}

// constDigest is a digest of constant cells.
func (o *ops) constDigest(d []field.Elem) digest {
	var out digest
	for i := range out {
		out[i] = o.cb(d[i])
	}
	return out
}
