package wrap

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// The review of Shape.Expose from the attacker's side: a prover who holds a valid
// STARK proof of one statement tries to satisfy the circuit with public inputs that
// name another — by writing an exposed value non-canonically (its value plus p, or
// borrowing 2^31 from its neighbour in the packing), by swapping the inputs, or by
// changing a packing's count. Every attempt leaves the circuit unsatisfied: the
// circuit's witness values are range checked below p, so the packing of a group is
// one-to-one.

// rawPack is Σ x_i·2^(31i) + len·2^248 over the raw integers x_i (not reduced mod p):
// what a prover writes as the public input for witness values it chose.
func rawPack(xs ...*big.Int) *big.Int {
	s := new(big.Int).Lsh(big.NewInt(int64(len(xs))), 248)
	for i, x := range xs {
		s.Add(s, new(big.Int).Lsh(x, uint(31*i)))
	}
	return s
}

func u64(v frontend.Variable) uint64 { return v.(uint64) }

// cloneAssignment copies what the cases edit: the inputs and the public values.
func cloneAssignment(a *Circuit) *Circuit {
	c := *a
	c.Inputs = append([]frontend.Variable(nil), a.Inputs...)
	c.Publics = make([][]frontend.Variable, len(a.Publics))
	for t := range a.Publics {
		c.Publics[t] = append([]frontend.Variable(nil), a.Publics[t]...)
	}
	return &c
}

func TestReviewExposedInputsForgeries(t *testing.T) {
	s := fullSystem(t)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	np := 0
	for _, p := range s.publics {
		np += len(p)
	}
	if len(s.publics[0]) < 2 {
		t.Fatalf("table 0 has %d public values, the cases need 2", len(s.publics[0]))
	}
	// Input 0: the first table's two public values; input 1: the two messages' values.
	if err := sh.Expose(s.publics, s.bus, [][]int{{0, 1}, {np + 1, np + 3}}); err != nil {
		t.Fatal(err)
	}
	a, err := Assign(sh, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	if err := test.IsSolved(NewCircuit(sh), a, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	x0, x1 := u64(a.Publics[0][0]), u64(a.Publics[0][1])
	p := new(big.Int).SetUint64(field.Modulus)
	big0, big1 := new(big.Int).SetUint64(x0), new(big.Int).SetUint64(x1)
	cases := map[string]func(c *Circuit){
		// x0 + p in the witness, the input packing x0 + p: an input no canonical
		// statement has (it differs from pack(x0, x1) by p).
		"an exposed value plus p, packed as written": func(c *Circuit) {
			c.Publics[0][0] = x0 + field.Modulus
			c.Inputs[0] = rawPack(new(big.Int).Add(big0, p), big1)
		},
		// x0 + p in the witness, the honest input: the packing is reduced first.
		"an exposed value plus p, the honest input": func(c *Circuit) {
			c.Publics[0][0] = x0 + field.Modulus
		},
		// (x0 + 2^31, x1 − 1) packs to the same integer as (x0, x1): only the range
		// check on x0 + 2^31 ≥ p stops it.
		"a value borrowing 2^31 from its neighbour": func(c *Circuit) {
			if x1 == 0 {
				c.Publics[0][1] = uint64(1) // makes it a plain change of the value
				return
			}
			c.Publics[0][0] = x0 + 1<<31
			c.Publics[0][1] = x1 - 1
		},
		"the inputs swapped": func(c *Circuit) { c.Inputs[0], c.Inputs[1] = c.Inputs[1], c.Inputs[0] },
		"another count": func(c *Circuit) {
			c.Inputs[0] = new(big.Int).Add(c.Inputs[0].(*big.Int), new(big.Int).Lsh(big.NewInt(1), 248))
		},
		"the input of the values in the other order": func(c *Circuit) { c.Inputs[0] = rawPack(big1, big0) },
	}
	t.Logf("exposed public values %d, %d", x0, x1)
	if x0 == x1 {
		delete(cases, "the input of the values in the other order") // the same input
	}
	for name, edit := range cases {
		c := cloneAssignment(a)
		edit(c)
		err := test.IsSolved(NewCircuit(sh), c, ecc.BN254.ScalarField())
		if err == nil {
			t.Errorf("%s: satisfied", name)
		}
	}
}

// FuzzReviewDecodeWrappedStructured feeds DecodeWrapped inputs that pass the header
// (magic, version, a count of 1 to 8 and the size it asks for), so the fuzzer spends its
// time on the inputs and the points: it never panics, and what it decodes encodes back
// to the same bytes (one encoding per wrapped proof).
func FuzzReviewDecodeWrappedStructured(f *testing.F) {
	_, _, g1, g2 := bn254.Generators()
	w := &Wrapped{CircuitID: strings.Repeat("ab", 32), Inputs: make([]fr.Element, 3), Proof: &groth16bn254.Proof{Ar: g1, Bs: g2, Krs: g1}}
	for i := range w.Inputs {
		w.Inputs[i].SetUint64(uint64(i + 1))
	}
	enc, err := w.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(3), enc[38:])
	f.Add(uint8(1), make([]byte, WrappedSize(1)-38))
	f.Fuzz(func(t *testing.T, n uint8, body []byte) {
		k := int(n%MaxInputs) + 1
		b := append([]byte("ONRW\x02"), make([]byte, 32)...)
		b = append(b, byte(k))
		b = append(b, body...)
		if len(b) < WrappedSize(k) {
			b = append(b, make([]byte, WrappedSize(k)-len(b))...)
		}
		b = b[:WrappedSize(k)]
		d, err := DecodeWrapped(b)
		if err != nil {
			return
		}
		again, err := d.Encode()
		if err != nil {
			t.Fatalf("a decoded proof does not encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("a decoded proof encodes to other bytes:\n%x\n%x", b, again)
		}
	})
}

// TestReviewVerifyWithoutProof: a wrapped proof assembled by a caller (not decoded)
// with the right circuit id and inputs but no Groth16 proof, or no wrapped proof at all,
// is refused with ErrInvalid, not a panic.
func TestReviewVerifyWithoutProof(t *testing.T) {
	f := makeFixture(t)
	st := []fr.Element{StatementDigest(f.s.publics, f.s.bus)}
	for name, w := range map[string]*Wrapped{
		"no Groth16 proof":    {CircuitID: f.id, Inputs: st},
		"no wrapped proof":    nil,
		"a zero proof":        {CircuitID: f.id, Inputs: st, Proof: new(groth16bn254.Proof)},
		"no inputs, no proof": {CircuitID: f.id},
	} {
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return Verify(f.vk, f.id, w, st)
		}()
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := Verify(nil, f.id, f.wrapped, st); !errors.Is(err, ErrInvalid) {
		t.Errorf("no verifying key: %v", err)
	}
}

// TestReviewEncodeWithoutProof: Encode of a wrapped proof without its Groth16 proof is
// an error, not a panic.
func TestReviewEncodeWithoutProof(t *testing.T) {
	for name, w := range map[string]*Wrapped{"nil": nil, "no proof": {CircuitID: strings.Repeat("ab", 32), Inputs: make([]fr.Element, 1)}} {
		if _, err := w.Encode(); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
}
