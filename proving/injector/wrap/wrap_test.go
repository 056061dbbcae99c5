package wrap

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// outerParams are small Outer-hash parameters for the tests (few queries: the circuit's
// size, not its soundness, is what the tests exercise).
var outerParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 3, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1,
	LogUpGrindingBits: 1, DEEPGrindingBits: 1, Hash: hash.Outer}, Workers: 2}

type system struct {
	e       *hemera.Engine
	vk      *stark.VerifyingKey
	proof   *stark.Proof
	publics [][]field.Elem
	bus     []lookup.Message
}

func prove(t testing.TB, p hemera.Params, tables []starktest.Table, bus []lookup.Message) *system {
	t.Helper()
	e, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	w := &stark.Witness{Bus: bus}
	var airs []*air.AIR
	var prep [][][]field.Elem
	for _, tb := range tables {
		airs = append(airs, tb.AIR)
		prep = append(prep, tb.Prep)
		w.Main = append(w.Main, tb.Main)
		w.Publics = append(w.Publics, tb.Publics)
	}
	pk, vk, err := e.Setup(airs, prep)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := e.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(vk, proof, w.Publics, bus); err != nil {
		t.Fatal(err)
	}
	return &system{e: e, vk: vk, proof: proof, publics: w.Publics, bus: bus}
}

func (s *system) circuit(t testing.TB) (*Shape, *Circuit) {
	t.Helper()
	sh, err := ShapeOf(s.vk, s.e.Params().FRI, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Assign(sh, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	return sh, a
}

func TestFib(t *testing.T) {
	s := prove(t, outerParams, []starktest.Table{starktest.Fib(3)}, nil)
	sh, a := s.circuit(t)
	if err := test.IsSolved(NewCircuit(sh), a, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, NewCircuit(sh))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fib 2^3: %d constraints", ccs.GetNbConstraints())
}
