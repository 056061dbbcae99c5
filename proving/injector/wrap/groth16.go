package wrap

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/injector"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Compile builds the wrap circuit of a shape as an R1CS over BN254 and returns it with
// its circuit ID (injector.CircuitID: the digest of the constraint system, which names the
// circuit's keys).
func Compile(sh *Shape) (constraint.ConstraintSystem, string, error) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, NewCircuit(sh))
	if err != nil {
		return nil, "", fmt.Errorf("wrap: compile: %w", err)
	}
	id, err := injector.CircuitID(ccs)
	if err != nil {
		return nil, "", err
	}
	return ccs, id, nil
}

// Wrapped is a wrapped proof: a Groth16 proof (BN254) of the wrap circuit CircuitID
// with its public inputs (Shape.StatementInputs: the statement's digest, or its
// exposed values).
type Wrapped struct {
	CircuitID string // hex, 64 digits
	Inputs    []fr.Element
	Proof     *groth16bn254.Proof
}

// Prove wraps a STARK proof of the shape: it assigns the circuit and makes the Groth16
// proof with the circuit's proving key. A proof that does not verify (or does not fit
// the shape) fails here, naming why, before any Groth16 work.
func Prove(ccs constraint.ConstraintSystem, id string, pk groth16.ProvingKey, sh *Shape, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) (*Wrapped, error) {
	a, err := Assign(sh, proof, publics, bus)
	if err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("wrap: witness: %w", err)
	}
	gp, err := groth16.Prove(ccs, pk, w)
	if err != nil {
		return nil, fmt.Errorf("wrap: the wrap circuit is not satisfied (does the STARK proof verify?): %w", err)
	}
	p, ok := gp.(*groth16bn254.Proof)
	if !ok {
		return nil, fmt.Errorf("wrap: a Groth16 proof of type %T, want BN254", gp)
	}
	wp := &Wrapped{CircuitID: id, Proof: p, Inputs: make([]fr.Element, len(a.Inputs))}
	for i := range a.Inputs {
		wp.Inputs[i].SetBigInt(a.Inputs[i].(*big.Int)) // Assign's StatementInputs
	}
	return wp, nil
}

// ErrInvalid is wrapped by every rejection of Verify.
var ErrInvalid = errors.New("wrap: invalid wrapped proof")

// Verify checks a wrapped proof against the verifying key of circuit id and the public
// inputs the verifier expects (Shape.StatementInputs of the public values and messages
// it knows). A nil proof (one a caller assembled) or key is refused, not dereferenced.
func Verify(vk groth16.VerifyingKey, id string, w *Wrapped, inputs []fr.Element) error {
	if w == nil || w.Proof == nil {
		return fmt.Errorf("%w: no Groth16 proof", ErrInvalid)
	}
	if vk == nil {
		return fmt.Errorf("%w: no verifying key", ErrInvalid)
	}
	if w.CircuitID != id {
		return fmt.Errorf("%w: a proof of wrap circuit %s, the verifying key is for %s", ErrInvalid, short(w.CircuitID), short(id))
	}
	if len(w.Inputs) != len(inputs) {
		return fmt.Errorf("%w: the proof has %d public inputs, the verifier expects %d", ErrInvalid, len(w.Inputs), len(inputs))
	}
	for i := range inputs {
		if !w.Inputs[i].Equal(&inputs[i]) {
			return fmt.Errorf("%w: the proof's public input %d is %s, the verifier expects %s", ErrInvalid, i, short(hex.EncodeToString(w.Inputs[i].Marshal())), short(hex.EncodeToString(inputs[i].Marshal())))
		}
	}
	if n := vk.NbPublicWitness(); n != len(inputs) {
		return fmt.Errorf("%w: the verifying key has %d public inputs, the statement %d", ErrInvalid, n, len(inputs))
	}
	pub, err := PublicWitness(inputs...)
	if err != nil {
		return err
	}
	if err := groth16.Verify(w.Proof, vk, pub); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return nil
}

// PublicWitness is the wrap circuit's public witness: its public inputs.
func PublicWitness(inputs ...fr.Element) (witness.Witness, error) {
	w, err := witness.New(ecc.BN254.ScalarField())
	if err != nil {
		return nil, err
	}
	ch := make(chan any, len(inputs))
	for _, x := range inputs {
		ch <- x
	}
	close(ch)
	if err := w.Fill(len(inputs), 0, ch); err != nil {
		return nil, fmt.Errorf("wrap: public witness: %w", err)
	}
	return w, nil
}

func short(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

// The encoding of a wrapped proof (a run.snark file): the magic "ONRW", a version byte,
// the circuit ID (32 bytes), the number of public inputs (one byte, 1 to MaxInputs),
// each input (32 bytes, big-endian), then the Groth16 proof's points A, B, C
// compressed (32 + 64 + 32 bytes): WrappedSize(n) bytes, 198 for one input and 262 for
// three. Version 1 had exactly one input and no count.
const (
	wrappedVersion = 2
	MaxInputs      = 8
)

// WrappedSize is the size of an encoded wrapped proof with n public inputs.
func WrappedSize(n int) int {
	return 4 + 1 + 32 + 1 + 32*n + bn254.SizeOfG1AffineCompressed*2 + bn254.SizeOfG2AffineCompressed
}

var wrappedMagic = []byte("ONRW")

// Encode serializes the wrapped proof.
func (w *Wrapped) Encode() ([]byte, error) {
	if w == nil || w.Proof == nil {
		return nil, fmt.Errorf("wrap: no Groth16 proof to encode")
	}
	id, err := hex.DecodeString(w.CircuitID)
	if err != nil || len(id) != 32 {
		return nil, fmt.Errorf("wrap: circuit id %q is not 64 hex digits", w.CircuitID)
	}
	if len(w.Inputs) < 1 || len(w.Inputs) > MaxInputs {
		return nil, fmt.Errorf("wrap: %d public inputs, want 1 to %d", len(w.Inputs), MaxInputs)
	}
	out := make([]byte, 0, WrappedSize(len(w.Inputs)))
	out = append(out, wrappedMagic...)
	out = append(out, wrappedVersion)
	out = append(out, id...)
	out = append(out, byte(len(w.Inputs)))
	for i := range w.Inputs {
		st := w.Inputs[i].Bytes()
		out = append(out, st[:]...)
	}
	a, b, c := w.Proof.Ar.Bytes(), w.Proof.Bs.Bytes(), w.Proof.Krs.Bytes()
	out = append(out, a[:]...)
	out = append(out, b[:]...)
	out = append(out, c[:]...)
	return out, nil
}

// DecodeWrapped parses a wrapped proof. It never panics; the points must be on the
// curve and in the prime-order subgroup, and every input a canonical element.
func DecodeWrapped(b []byte) (*Wrapped, error) {
	if len(b) < 5 || !bytes.Equal(b[:4], wrappedMagic) {
		return nil, fmt.Errorf("wrap: not a wrapped proof (bad magic)")
	}
	if b[4] != wrappedVersion {
		return nil, fmt.Errorf("wrap: wrapped proof version %d, this verifier reads version %d", b[4], wrappedVersion)
	}
	if len(b) < 38 {
		return nil, fmt.Errorf("wrap: a wrapped proof of %d bytes cut short before its input count", len(b))
	}
	n := int(b[37])
	if n < 1 || n > MaxInputs {
		return nil, fmt.Errorf("wrap: %d public inputs, want 1 to %d", n, MaxInputs)
	}
	if len(b) != WrappedSize(n) {
		return nil, fmt.Errorf("wrap: a wrapped proof of %d bytes, want %d for %d public inputs", len(b), WrappedSize(n), n)
	}
	w := &Wrapped{CircuitID: hex.EncodeToString(b[5:37]), Proof: new(groth16bn254.Proof), Inputs: make([]fr.Element, n)}
	at := 38
	for i := range w.Inputs {
		if err := w.Inputs[i].SetBytesCanonical(b[at : at+32]); err != nil {
			return nil, fmt.Errorf("wrap: public input %d: %w", i, err)
		}
		at += 32
	}
	if _, err := w.Proof.Ar.SetBytes(b[at : at+32]); err != nil {
		return nil, fmt.Errorf("wrap: proof point A: %w", err)
	}
	at += 32
	if _, err := w.Proof.Bs.SetBytes(b[at : at+64]); err != nil {
		return nil, fmt.Errorf("wrap: proof point B: %w", err)
	}
	at += 64
	if _, err := w.Proof.Krs.SetBytes(b[at : at+32]); err != nil {
		return nil, fmt.Errorf("wrap: proof point C: %w", err)
	}
	return w, nil
}
