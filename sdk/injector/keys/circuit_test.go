package keys

import (
	"os"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	nativemimc "github.com/consensys/gnark-crypto/ecc/bn254/fr/mimc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/logger"
	"github.com/consensys/gnark/std/hash/mimc"
)

func TestMain(m *testing.M) {
	logger.Disable() // gnark logs every compile, setup and proof
	os.Exit(m.Run())
}

// testCircuit proves knowledge of a MiMC preimage, and commits to its inputs
// (gnark's range checks do, so the wrap circuit has a commitment too): a small
// real circuit, about 330 constraints, with a phase-2 σ to re-randomize.
type testCircuit struct {
	PreImage frontend.Variable
	Hash     frontend.Variable `gnark:",public"`

	other bool // a second version of the circuit, with one more constraint
}

func (c *testCircuit) Define(api frontend.API) error {
	h, err := mimc.NewMiMC(api)
	if err != nil {
		return err
	}
	h.Write(c.PreImage)
	api.AssertIsEqual(c.Hash, h.Sum())
	cm, err := api.(frontend.Committer).Commit(c.PreImage, c.Hash)
	if err != nil {
		return err
	}
	api.AssertIsDifferent(cm, 0)
	if c.other {
		api.AssertIsDifferent(c.PreImage, c.Hash)
	}
	return nil
}

// cubicCircuit proves x³ + x + 5 = y, and commits to x: a circuit of a few
// constraints whose keys are small (fuzzing seeds) and still have a
// commitment.
type cubicCircuit struct {
	X frontend.Variable
	Y frontend.Variable `gnark:",public"`
}

func (c *cubicCircuit) Define(api frontend.API) error {
	x3 := api.Mul(c.X, c.X, c.X)
	api.AssertIsEqual(c.Y, api.Add(x3, c.X, 5))
	cm, err := api.(frontend.Committer).Commit(c.X)
	if err != nil {
		return err
	}
	api.AssertIsDifferent(cm, 0)
	return nil
}

func compile(other bool) constraint.ConstraintSystem {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &testCircuit{other: other})
	if err != nil {
		panic(err)
	}
	return ccs
}

var (
	testCCS      = sync.OnceValue(func() constraint.ConstraintSystem { return compile(false) })
	testLocalKey = sync.OnceValues(func() (groth16.ProvingKey, groth16.VerifyingKey) {
		pk, vk, err := SetupLocal(testCCS())
		if err != nil {
			panic(err)
		}
		return pk, vk
	})
)

// proveVerify proves the circuit for a fresh preimage with pk, and verifies
// the proof with vk.
func proveVerify(t *testing.T, ccs constraint.ConstraintSystem, pk groth16.ProvingKey, vk groth16.VerifyingKey) {
	t.Helper()
	var pre, hash fr.Element
	pre.SetRandom()
	m := nativemimc.NewMiMC()
	b := pre.Bytes()
	m.Write(b[:])
	hash.SetBytes(m.Sum(nil))

	w, err := frontend.NewWitness(&testCircuit{PreImage: pre, Hash: hash}, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	pub, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(ccs, pk, w)
	if err != nil {
		t.Fatalf("prove: %v", err)
	}
	if err := groth16.Verify(proof, vk, pub); err != nil {
		t.Fatalf("verify: %v", err)
	}
}
