package air_test

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// native is field.Ext as an air.Arith.
type native struct{}

func (native) Const(c field.Elem) field.Ext { return field.NewExt(c) }
func (native) Add(a, b field.Ext) field.Ext { a.Add(&a, &b); return a }
func (native) Sub(a, b field.Ext) field.Ext { a.Sub(&a, &b); return a }
func (native) Mul(a, b field.Ext) field.Ext { a.Mul(&a, &b); return a }
func (native) Neg(a field.Ext) field.Ext    { a.Neg(&a); return a }

// EvalWith in the native arithmetic is EvalPoint on every used node.
func TestEvalWithAgrees(t *testing.T) {
	a := randomAIR()
	r := rand.New(rand.NewPCG(2, 2))
	ext := func(k int) []field.Ext {
		out := make([]field.Ext, k)
		for i := range out {
			co := make([]field.Elem, field.ExtDegree4)
			for c := range co {
				co[c] = field.New(r.Uint64N(field.Modulus))
			}
			out[i] = field.ExtFromCoords(co)
		}
		return out
	}
	publics := []field.Elem{field.New(r.Uint64N(field.Modulus))}
	pv := &air.PointValues{Main: ext(2), MainNext: ext(2), Prep: ext(1), PrepNext: ext(1), Publics: publics}
	want := make([]field.Ext, len(a.Nodes))
	a.EvalPoint(pv, want)
	got := air.EvalWith[field.Ext](a, native{}, &air.Opened[field.Ext]{Main: pv.Main, MainNext: pv.MainNext, Prep: pv.Prep, PrepNext: pv.PrepNext,
		Publics: []field.Ext{field.NewExt(publics[0])}})
	used := a.Used()
	for i := range a.Nodes {
		if used[i] && got[i] != want[i] {
			t.Fatalf("node %d (%+v): EvalWith %v, EvalPoint %v", i, a.Nodes[i], got[i].String(), want[i].String())
		}
		if !used[i] && got[i] != (field.Ext{}) {
			t.Fatalf("unused node %d evaluated", i)
		}
	}
}
