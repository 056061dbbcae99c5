package wrap

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/hemera/hemeratest"
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
	s := hemeratest.Prove(t, p, tables, bus)
	return &system{e: s.E, vk: s.VK, proof: s.Proof, publics: s.Publics, bus: s.Bus}
}

func (s *system) circuit(t testing.TB) (*Shape, *Circuit) {
	t.Helper()
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
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

// fullSystem has every feature the circuit verifies: several heights, a preprocessed
// table, LogUp lookups, public values and public bus messages.
func fullSystem(t testing.TB) *system {
	bytesT, counts := starktest.Bytes(4, 8)
	return prove(t, outerParams, []starktest.Table{
		starktest.Fib(3),
		starktest.Wide(5, 12, 3),
		bytesT,
		starktest.Range8(counts),
		starktest.Sender(4),
		starktest.Receiver(4),
	}, starktest.SenderPublic())
}

func TestFull(t *testing.T) {
	s := fullSystem(t)
	sh, a := s.circuit(t)
	if err := test.IsSolved(NewCircuit(sh), a, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
}

// Every part of the witness is bound: changing any one value (a public value, a
// message, a commitment, a nonce, a cumulative sum, an opened value, the FRI layers,
// the final polynomial, a query's row or path) leaves the circuit unsatisfied, and so
// does a value written as its canonical value plus p (the native decoder refuses it).
func TestMutationsRejected(t *testing.T) {
	s := fullSystem(t)
	sh, _ := s.circuit(t)
	bump := func(x *frontend.Variable) {
		switch v := (*x).(type) {
		case uint64:
			*x = (v + 1) % field.Modulus
		default:
			*x = addOne(v)
		}
	}
	plusP := func(x *frontend.Variable) { *x = (*x).(uint64) + field.Modulus }
	cases := map[string]func(c *Circuit){
		"statement":          func(c *Circuit) { bump(&c.Inputs[0]) },
		"public value":       func(c *Circuit) { bump(&c.Publics[0][0]) },
		"public value + p":   func(c *Circuit) { plusP(&c.Publics[0][1]) },
		"message mult":       func(c *Circuit) { bump(&c.BusMult[0]) },
		"message tuple":      func(c *Circuit) { bump(&c.BusTuple[0][0]) },
		"main root":          func(c *Circuit) { bump(&c.MainRoot) },
		"aux root":           func(c *Circuit) { bump(&c.AuxRoot) },
		"quotient root":      func(c *Circuit) { bump(&c.QuotRoot) },
		"logup nonce":        func(c *Circuit) { bump(&c.LogUpNonce) },
		"deep nonce":         func(c *Circuit) { bump(&c.DEEPNonce) },
		"cumulative sum":     func(c *Circuit) { bump(&c.CumSums[3][2]) },
		"opened main value":  func(c *Circuit) { bump(&c.Values[1][0][0][0][1]) },
		"opened next value":  func(c *Circuit) { bump(&c.Values[1][1][1][3][0]) },
		"opened prep value":  func(c *Circuit) { bump(&c.Values[0][0][0][0][0]) },
		"opened aux value":   func(c *Circuit) { bump(&c.Values[2][0][0][0][3]) },
		"opened quot value":  func(c *Circuit) { bump(&c.Values[3][0][0][1][0]) },
		"opened value + p":   func(c *Circuit) { plusP(&c.Values[1][0][0][0][0]) },
		"fri layer root":     func(c *Circuit) { bump(&c.FRI.LayerRoots[0]) },
		"fri final poly":     func(c *Circuit) { bump(&c.FRI.FinalPoly[0][0]) },
		"fri nonce":          func(c *Circuit) { bump(&c.FRI.Nonce) },
		"query input row":    func(c *Circuit) { bump(&c.FRI.Queries[1].Inputs[1].Rows[0][0]) },
		"query input path":   func(c *Circuit) { bump(&c.FRI.Queries[1].Inputs[2].Path[0]) },
		"query layer row":    func(c *Circuit) { bump(&c.FRI.Queries[2].Layers[0].Rows[0][5]) },
		"query layer path":   func(c *Circuit) { bump(&c.FRI.Queries[0].Layers[0].Path[1]) },
		"query row + p":      func(c *Circuit) { plusP(&c.FRI.Queries[0].Inputs[1].Rows[1][2]) },
		"query prep row":     func(c *Circuit) { bump(&c.FRI.Queries[2].Inputs[0].Rows[0][0]) },
		"query quotient row": func(c *Circuit) { bump(&c.FRI.Queries[2].Inputs[3].Rows[2][0]) },
	}
	for name, mutate := range cases {
		_, a := s.circuit(t)
		mutate(a)
		if err := test.IsSolved(NewCircuit(sh), a, ecc.BN254.ScalarField()); err == nil {
			t.Errorf("%s: the circuit is satisfied", name)
		}
	}
}

func addOne(v any) any {
	b, ok := v.(*big.Int)
	if !ok {
		panic(fmt.Sprintf("unexpected witness type %T", v))
	}
	return new(big.Int).Add(b, big.NewInt(1))
}

// A shape whose proofs fall below the engine's security floors is refused, as the
// engine's Verify refuses such proofs: the test parameters (3 queries) have far less
// than 100 bits.
func TestShapeFloors(t *testing.T) {
	s := prove(t, outerParams, []starktest.Table{starktest.Fib(3)}, nil)
	p := s.e.Params()
	p.MinSecurityBits = 100
	if _, err := ShapeOf(s.vk, p, s.proof, s.publics, s.bus); err == nil || !strings.Contains(err.Error(), "below the floors") {
		t.Fatalf("a 3-query shape under a 100-bit floor: %v", err)
	}
	p.MinSecurityBits, p.MinProvableBits = 0, 100
	if _, err := ShapeOf(s.vk, p, s.proof, s.publics, s.bus); err == nil {
		t.Fatal("a 3-query shape under a 100-bit provable floor accepted")
	}
}

// A circuit that states values of its statement as public inputs (Shape.Expose) is
// satisfied by a proof of that statement; changing an input, or fixing any other
// element of the statement to another value than the proof's, leaves it unsatisfied
// (a prover holding a valid proof of a statement that differs outside the exposed
// values has no assignment), and StatementInputs refuses such a statement natively.
func TestExposedInputs(t *testing.T) {
	s := fullSystem(t)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	np := 0
	for _, p := range s.publics {
		np += len(p)
	}
	if np < 2 || len(s.bus) != 2 {
		t.Fatalf("the full system has %d public values and %d messages", np, len(s.bus))
	}
	groups := [][]int{{np + 1, np + 3}, {0, 1}} // the two messages' values, then two public values
	if err := sh.Expose(s.publics, s.bus, groups); err != nil {
		t.Fatal(err)
	}
	a, err := Assign(sh, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Inputs) != 2 {
		t.Fatalf("%d public inputs", len(a.Inputs))
	}
	want := hash.OuterPack([]field.Elem{s.bus[0].Tuple[0], s.bus[1].Tuple[0]})
	if got := a.Inputs[0].(*big.Int); got.Cmp(want.BigInt(new(big.Int))) != 0 {
		t.Fatalf("input 0 is %v, want the packed message values %v", got, want)
	}
	if err := test.IsSolved(NewCircuit(sh), a, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	bad := *a
	bad.Inputs = []frontend.Variable{new(big.Int).Add(a.Inputs[0].(*big.Int), big.NewInt(1)), a.Inputs[1]}
	if err := test.IsSolved(NewCircuit(sh), &bad, ecc.BN254.ScalarField()); err == nil {
		t.Fatal("another input accepted")
	}
	// Fix a non-exposed element (the first message's multiplicity) to another value.
	other := *sh
	in := *sh.Inputs
	in.Fixed = append([]field.Elem(nil), in.Fixed...)
	in.Fixed[np] = field.New(2)
	other.Inputs = &in
	if err := test.IsSolved(NewCircuit(&other), a, ecc.BN254.ScalarField()); err == nil {
		t.Fatal("a statement unlike the circuit's fixed elements accepted")
	}
	if _, err := other.StatementInputs(s.publics, s.bus); err == nil || !strings.Contains(err.Error(), "fixes") {
		t.Fatalf("StatementInputs of a statement unlike the fixed one: %v", err)
	}
	for _, g := range [][][]int{nil, {{}}, {{0, 0}}, {{-1}}, {{np + 4}}, {{0, 1, 2, 3, 4, 5, 6, 7, 8}}} {
		if err := sh.Expose(s.publics, s.bus, g); err == nil {
			t.Fatalf("groups %v accepted", g)
		}
	}
}
