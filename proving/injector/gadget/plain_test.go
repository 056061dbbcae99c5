package gadget

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// plainCircuit multiplies two witnesses with bit-decomposition range checks.
type plainCircuit struct {
	A, B, C frontend.Variable
}

func (c *plainCircuit) Define(api frontend.API) error {
	f := NewPlain(api)
	f.AssertEqual(f.Mul(f.Witness(c.A), f.Witness(c.B)), f.Witness(c.C))
	return nil
}

// NewPlain's range checks accept canonical values and refuse p and above, like New's.
func TestPlainRangeChecks(t *testing.T) {
	a, b := field.New(field.Modulus-1), field.New(123456789)
	var c field.Elem
	c.Mul(&a, &b)
	good := &plainCircuit{A: a.Uint64(), B: b.Uint64(), C: c.Uint64()}
	if err := test.IsSolved(&plainCircuit{}, good, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]*plainCircuit{
		"a = p":        {A: uint64(field.Modulus), B: b.Uint64(), C: 0},
		"c + p":        {A: a.Uint64(), B: b.Uint64(), C: c.Uint64() + field.Modulus},
		"wrong c":      {A: a.Uint64(), B: b.Uint64(), C: (c.Uint64() + 1) % field.Modulus},
		"a = 2^32":     {A: uint64(1) << 32, B: 1, C: 0},
		"b = 2^31 - 1": {A: 1, B: 1<<31 - 1, C: (1<<31 - 1) % field.Modulus},
	} {
		if err := test.IsSolved(&plainCircuit{}, w, ecc.BN254.ScalarField()); err == nil {
			t.Errorf("%s: satisfied", name)
		}
	}
}
