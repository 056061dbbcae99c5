package gadget

import (
	"crypto/rand"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/oneiros-zk/oneiros/proving/field"
)

var frModulus = ecc.BN254.ScalarField()

// opCircuit runs fn on In and asserts its outputs equal Out.
type opCircuit struct {
	In  []frontend.Variable
	Out []frontend.Variable
	op  *opDef // a pointer: the test engine clones circuits and compares them with DeepEqual
}

type opDef struct{ fn opFunc }

func (c *opCircuit) Define(api frontend.API) error {
	got := c.op.fn(New(api), c.In)
	if len(got) != len(c.Out) {
		return fmt.Errorf("%d outputs, want %d", len(got), len(c.Out))
	}
	for i := range got {
		api.AssertIsEqual(got[i], c.Out[i])
	}
	return nil
}

// newOp returns the circuit and the assignment of fn on in, expecting out.
func newOp(fn opFunc, in, out []frontend.Variable) (*opCircuit, *opCircuit) {
	return &opCircuit{In: make([]frontend.Variable, len(in)), Out: make([]frontend.Variable, len(out)), op: &opDef{fn}},
		&opCircuit{In: in, Out: out}
}

// swap replaces a hint: a cheating prover's solver.
type swap struct {
	fn, with solver.Hint
}

// randomCommit stands in for the Groth16 prover's commitment when only solving.
func randomCommit(mod *big.Int, _ []*big.Int, out []*big.Int) error {
	v, err := rand.Int(rand.Reader, mod)
	out[0].Set(v)
	return err
}

func compile(t testing.TB, c frontend.Circuit) constraint.ConstraintSystem {
	t.Helper()
	ccs, err := frontend.Compile(frModulus, r1cs.NewBuilder, c)
	if err != nil {
		t.Fatal(err)
	}
	return ccs
}

// solveBoth runs the assignment through gnark's test engine and through the compiled
// R1CS solver, with the hints swapped; it returns both errors.
func solveBoth(t testing.TB, c, a frontend.Circuit, swaps ...swap) (engine, system error) {
	t.Helper()
	var eopts []test.TestEngineOption
	sopts := []solver.Option{solver.OverrideHint(solver.GetHintID(cs.Bsb22CommitmentComputePlaceholder), randomCommit)}
	for _, s := range swaps {
		id := solver.GetHintID(s.fn)
		eopts = append(eopts, test.WithReplacementHint(id, s.with))
		sopts = append(sopts, solver.OverrideHint(id, s.with))
	}
	engine = test.IsSolved(c, a, frModulus, eopts...)
	ccs := compile(t, c)
	w, err := frontend.NewWitness(a, frModulus)
	if err != nil {
		t.Fatal(err)
	}
	_, system = ccs.Solve(w, sopts...)
	return engine, system
}

func mustSolve(t *testing.T, c, a frontend.Circuit) {
	t.Helper()
	e, s := solveBoth(t, c, a)
	if e != nil {
		t.Fatalf("test engine: %v", e)
	}
	if s != nil {
		t.Fatalf("r1cs solver: %v", s)
	}
}

func mustFail(t *testing.T, c, a frontend.Circuit, swaps ...swap) {
	t.Helper()
	e, s := solveBoth(t, c, a, swaps...)
	if e == nil {
		t.Fatal("test engine accepted a bad assignment")
	}
	if s == nil {
		t.Fatal("r1cs solver accepted a bad assignment")
	}
	t.Logf("rejected: engine: %.120s; r1cs: %.120s", e, s)
}

type opFunc = func(f *Field, in []frontend.Variable) []frontend.Variable

// checkOp asserts fn(in) = out is satisfiable.
func checkOp(t *testing.T, fn opFunc, in, out []frontend.Variable) {
	t.Helper()
	c, a := newOp(fn, in, out)
	mustSolve(t, c, a)
}

// failOp asserts fn(in) = out is unsatisfiable, with the hints swapped.
func failOp(t *testing.T, fn opFunc, in, out []frontend.Variable, swaps ...swap) {
	t.Helper()
	c, a := newOp(fn, in, out)
	mustFail(t, c, a, swaps...)
}

const p = field.Modulus

func elem(v uint64) field.Elem { return field.New(v) }

func randElem(r *mrand.Rand) field.Elem { return elem(r.Uint64N(p)) }

// edgeElems are the values that stress bounds.
var edgeElems = []uint64{0, 1, 2, p - 1, p - 2, p / 2, 1 << 24, 1<<31 - 1 - (1<<31 - p), 3}

func testElems(r *mrand.Rand, n int) []field.Elem {
	out := make([]field.Elem, 0, len(edgeElems)+n)
	for _, v := range edgeElems {
		out = append(out, elem(v))
	}
	for range n {
		out = append(out, randElem(r))
	}
	return out
}

func randExt(r *mrand.Rand) field.Ext {
	return field.ExtFromCoords([]field.Elem{randElem(r), randElem(r), randElem(r), randElem(r)})
}

func ext(c0, c1, c2, c3 uint64) field.Ext {
	return field.ExtFromCoords([]field.Elem{elem(c0), elem(c1), elem(c2), elem(c3)})
}

func testExts(r *mrand.Rand, n int) []field.Ext {
	out := []field.Ext{
		ext(0, 0, 0, 0), ext(1, 0, 0, 0), ext(p-1, p-1, p-1, p-1), ext(0, 1, 0, 0), ext(0, 0, 1, 0),
		ext(0, 0, 0, 1), ext(p-1, 0, 0, p-1), ext(5, 0, 0, 0),
	}
	for range n {
		out = append(out, randExt(r))
	}
	return out
}

func extVars(e field.Ext) []frontend.Variable {
	a := ExtAssign(e)
	return a[:]
}

func canonicalExt(f *Field, z Ext4) []frontend.Variable {
	out := make([]frontend.Variable, 4)
	for i := range z {
		out[i] = f.Canonical(z[i])
	}
	return out
}

func newRand(t *testing.T) *mrand.Rand {
	return mrand.New(mrand.NewPCG(uint64(len(t.Name())), 0x6a09e667f3bcc908))
}
