package wrap

import (
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/injector/gadget"
)

// linAIR is a Poseidon2-like graph: partial rounds whose internal layer multiplies the
// lanes by constants near p and by inverses of powers of two (the case the linear forms
// are for), cubes, negations, differences and products of two variables.
func linAIR() *air.AIR {
	b := air.NewBuilder("lin_test")
	const width, rounds = 8, 10
	cols := b.MainN("s", width)
	parts := b.MainN("p", rounds)
	var s [width]air.Expr
	for i := range s {
		s[i] = cols[i].Cur
	}
	var inv2 field.Elem
	inv2.SetUint64(2)
	inv2.Inverse(&inv2)
	diag := make([]field.Elem, width)
	for i := range diag {
		diag[i].Exp(inv2, big.NewInt(int64(3*i+1)))
		if i%2 == 1 {
			diag[i].Neg(&diag[i])
		}
	}
	for r := range rounds {
		x := s[0].Add(b.Const(uint64(1000 + r)))
		b.AssertEq(fmt.Sprintf("partial[%d]", r), parts[r].Cur, x.Mul(x).Mul(x))
		s[0] = parts[r].Cur
		sum := b.Const(0)
		for i := range s {
			sum = sum.Add(s[i])
		}
		for i := range s {
			s[i] = sum.Add(s[i].Mul(b.ConstElem(diag[i])))
		}
	}
	for i := range s {
		b.AssertTransition(fmt.Sprintf("out[%d]", i), cols[i].Next.Sub(s[i].Neg().MulC(-3)))
	}
	b.AssertTransition("prod", cols[0].Cur.Mul(cols[1].Next).Sub(s[2].Mul(s[3])))
	return b.MustBuild()
}

// linCircuit evaluates an AIR at opened values as linear forms and asserts every
// constraint's value equal to Want (mod p).
type linCircuit struct {
	Main, Next [][4]frontend.Variable
	Want       [][4]frontend.Variable
	a          *air.AIR
}

func (c *linCircuit) Define(api frontend.API) error {
	o := newOps(api)
	la := &linArith{o: o}
	wit := func(vs [][4]frontend.Variable) []ext {
		out := make([]ext, len(vs))
		for i := range vs {
			out[i] = o.witx(vs[i])
		}
		return out
	}
	nodes := air.EvalWith(c.a, la, &air.Opened[*lin]{Main: la.atoms1(wit(c.Main)), MainNext: la.atoms1(wit(c.Next))})
	for k, cs := range c.a.Constraints {
		o.eq(la.ext(nodes[cs.Root]), o.witx(c.Want[k]))
	}
	return nil
}

// TestLinForms: the circuit's AIR evaluation by linear forms gives the native
// evaluation's constraint values at random points; a claimed value off by one in any
// coordinate is refused, with the equality's quotient forged to hold modulo r.
func TestLinForms(t *testing.T) {
	a := linAIR()
	r := mrand.New(mrand.NewPCG(7, 11))
	rnd := func() field.Ext {
		c := make([]field.Elem, 4)
		for i := range c {
			c[i] = field.New(r.Uint64N(field.Modulus))
		}
		return field.ExtFromCoords(c)
	}
	n := len(a.Nodes)
	main, next := make([]field.Ext, 0, 18), make([]field.Ext, 0, 18)
	for range 18 {
		main, next = append(main, rnd()), append(next, rnd())
	}
	out := make([]field.Ext, n)
	a.EvalPoint(&air.PointValues{Main: main, MainNext: next}, out)
	vars := func(xs []field.Ext) [][4]frontend.Variable {
		v := make([][4]frontend.Variable, len(xs))
		for i := range xs {
			v[i] = gadget.ExtAssign(xs[i])
		}
		return v
	}
	want := make([]field.Ext, len(a.Constraints))
	for k, cs := range a.Constraints {
		want[k] = out[cs.Root]
	}
	shape := &linCircuit{Main: make([][4]frontend.Variable, len(main)), Next: make([][4]frontend.Variable, len(next)),
		Want: make([][4]frontend.Variable, len(want)), a: a}
	good := &linCircuit{Main: vars(main), Next: vars(next), Want: vars(want)}
	if err := test.IsSolved(shape, good, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	forge := forgeQuotient()
	for _, k := range []int{0, 4, len(want) - 1} {
		for c := range 4 {
			bad := &linCircuit{Main: vars(main), Next: vars(next), Want: vars(want)}
			bad.Want[k][c] = (bad.Want[k][c].(uint64) + 1) % field.Modulus
			if err := test.IsSolved(shape, bad, ecc.BN254.ScalarField()); err == nil {
				t.Errorf("constraint %d coordinate %d off by one: accepted", k, c)
			}
			if err := test.IsSolved(shape, bad, ecc.BN254.ScalarField(), test.WithReplacementHint(forge.id, forge.h)); err == nil {
				t.Errorf("constraint %d coordinate %d off by one, quotient forged: accepted", k, c)
			}
		}
	}
}

type hintSwap struct {
	id solver.HintID
	h  solver.Hint
}

// forgeQuotient replaces the gadget's quotient hint ⌊v/p⌋ with q = v/p in BN254's
// field: the q that makes v − q·p = 0 hold natively whatever v (only q's range check
// stops it).
func forgeQuotient() hintSwap {
	quo := gadget.GetHints()[0]
	p := big.NewInt(field.Modulus)
	return hintSwap{id: solver.GetHintID(quo), h: func(m *big.Int, in, out []*big.Int) error {
		if in[1].Cmp(p) != 0 {
			out[0].Quo(in[0], in[1])
			return nil
		}
		out[0].Mul(in[0], new(big.Int).ModInverse(p, m))
		out[0].Mod(out[0], m)
		return nil
	}}
}
