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

// Wrapped is a wrapped proof: a Groth16 proof (BN254) of the wrap circuit CircuitID,
// whose one public input is the statement's digest.
type Wrapped struct {
	CircuitID string // hex, 64 digits
	Statement fr.Element
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
	wp := &Wrapped{CircuitID: id, Proof: p}
	wp.Statement.SetBigInt(a.Statement.(*big.Int)) // Assign's StatementDigest
	return wp, nil
}

// ErrInvalid is wrapped by every rejection of Verify.
var ErrInvalid = errors.New("wrap: invalid wrapped proof")

// Verify checks a wrapped proof against the verifying key of circuit id and the
// statement digest the verifier expects (StatementDigest of the public values and
// messages it knows).
func Verify(vk groth16.VerifyingKey, id string, w *Wrapped, statement fr.Element) error {
	if w.CircuitID != id {
		return fmt.Errorf("%w: a proof of wrap circuit %s, the verifying key is for %s", ErrInvalid, short(w.CircuitID), short(id))
	}
	if !w.Statement.Equal(&statement) {
		return fmt.Errorf("%w: the proof is for statement %s, the verifier expects %s", ErrInvalid, short(hex.EncodeToString(w.Statement.Marshal())), short(hex.EncodeToString(statement.Marshal())))
	}
	pub, err := PublicWitness(statement)
	if err != nil {
		return err
	}
	if err := groth16.Verify(w.Proof, vk, pub); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return nil
}

// PublicWitness is the wrap circuit's public witness: the statement digest.
func PublicWitness(statement fr.Element) (witness.Witness, error) {
	w, err := witness.New(ecc.BN254.ScalarField())
	if err != nil {
		return nil, err
	}
	ch := make(chan any, 1)
	ch <- statement
	close(ch)
	if err := w.Fill(1, 0, ch); err != nil {
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
// the circuit ID (32 bytes), the statement digest (32 bytes, big-endian), then the
// Groth16 proof's points A, B, C compressed (32 + 64 + 32 bytes): 197 bytes in all.
const (
	wrappedVersion = 1
	WrappedSize    = 4 + 1 + 32 + 32 + bn254.SizeOfG1AffineCompressed*2 + bn254.SizeOfG2AffineCompressed
)

var wrappedMagic = []byte("ONRW")

// Encode serializes the wrapped proof.
func (w *Wrapped) Encode() ([]byte, error) {
	id, err := hex.DecodeString(w.CircuitID)
	if err != nil || len(id) != 32 {
		return nil, fmt.Errorf("wrap: circuit id %q is not 64 hex digits", w.CircuitID)
	}
	out := make([]byte, 0, WrappedSize)
	out = append(out, wrappedMagic...)
	out = append(out, wrappedVersion)
	out = append(out, id...)
	st := w.Statement.Bytes()
	out = append(out, st[:]...)
	a, b, c := w.Proof.Ar.Bytes(), w.Proof.Bs.Bytes(), w.Proof.Krs.Bytes()
	out = append(out, a[:]...)
	out = append(out, b[:]...)
	out = append(out, c[:]...)
	return out, nil
}

// DecodeWrapped parses a wrapped proof. It never panics; the points must be on the
// curve and in the prime-order subgroup, and the statement a canonical element.
func DecodeWrapped(b []byte) (*Wrapped, error) {
	if len(b) < 5 || !bytes.Equal(b[:4], wrappedMagic) {
		return nil, fmt.Errorf("wrap: not a wrapped proof (bad magic)")
	}
	if b[4] != wrappedVersion {
		return nil, fmt.Errorf("wrap: wrapped proof version %d, this verifier reads version %d", b[4], wrappedVersion)
	}
	if len(b) != WrappedSize {
		return nil, fmt.Errorf("wrap: a wrapped proof of %d bytes, want %d", len(b), WrappedSize)
	}
	w := &Wrapped{CircuitID: hex.EncodeToString(b[5:37]), Proof: new(groth16bn254.Proof)}
	if err := w.Statement.SetBytesCanonical(b[37:69]); err != nil {
		return nil, fmt.Errorf("wrap: statement digest: %w", err)
	}
	at := 69
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
