package gadget

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// TestGroth16 proves and verifies a circuit using every kind of gadget with the real
// Groth16 backend (the range checker's commitment included), and shows the prover
// refusing the witness of a cheating solver.
func TestGroth16(t *testing.T) {
	a, b := ext(1, 2, 3, p-1), ext(p-1, p-1, 5, 0)
	var q field.Ext
	q.Inverse(&b)
	q.Mul(&q, &a)
	row := []field.Elem{elem(1), elem(p - 1), elem(7), elem(8), elem(9), elem(10), elem(11), elem(12), elem(13)}
	in := append(append(extVars(a), extVars(b)...), Assign(row[0]), Assign(row[1]))
	var out []frontend.Variable
	out = append(out, extVars(q)...)
	out = append(out, frVar(nativeLeafHash(row)))
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		x := f.ExtWitness([4]frontend.Variable(in[:4]))
		y := f.ExtWitness([4]frontend.Variable(in[4:8]))
		got := canonicalExt(f, f.ExtMul(x, f.ExtInverse(y)))
		r := []Elem{f.Witness(in[8]), f.Witness(in[9])}
		for _, v := range []uint64{7, 8, 9, 10, 11, 12, 13} {
			r = append(r, f.Const(v))
		}
		h := f.LeafHash(r)
		f.AssertEqual(f.ChunkMod(f.FrBits(h)[:62]), f.ChunkMod(f.FrBits(h)[:62]))
		return append(got, h)
	}
	circuit, assignment := newOp(fn, in, out)
	ccs := compile(t, circuit)
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(ccs, pk, w)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, vk, pub); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d constraints: proved and verified", ccs.GetNbConstraints())

	// A cheating solver: every quotient forged so that remainders come out 0.
	_, err = groth16.Prove(ccs, pk, w, backend.WithSolverOptions(solver.OverrideHint(solver.GetHintID(quoHint), forgeQuo(0))))
	if err == nil {
		t.Fatal("the prover accepted forged quotients")
	}
	t.Logf("forged quotients: %.160s", err)
	_, err = groth16.Prove(ccs, pk, w, backend.WithSolverOptions(solver.OverrideHint(solver.GetHintID(extInvHint), wrongExtInv(2))))
	if err == nil {
		t.Fatal("the prover accepted a wrong inverse")
	}
	t.Logf("wrong inverse: %.160s", err)
}
