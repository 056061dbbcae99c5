// Package injector is the Hemera Injector: it compresses Hemera STARK proofs. Its
// subpackages are the wrap (wrap: a Groth16 circuit over BN254 verifying a STARK proof
// of the Outer hash), the circuit gadgets it is built from (gadget) and the Solidity
// export of its verifier (solidity); the keys' cache and ceremony are in
// sdk/injector/keys. This package names circuit versions and verifying keys.
package injector

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	cs "github.com/consensys/gnark/constraint/bn254"
)

// CircuitVersion names the code of the wrap circuit (packages wrap and gadget): bump
// it with any change to what a shape compiles to. Labels of cached circuits
// (core/machine.WrapLabel) include it, so that keys and a compiled circuit set up by
// older code are not taken for the new circuit (a cached constraint system refers to
// the hints of the code that compiled it). Version 2: the reductions of December 2026
// (lazy products, exact range widths, linear forms; 7.36M → 3.43M constraints at the
// outer layer's parameters). Version 3: public inputs that state the statement's
// values (wrap.Inputs), a slice of public inputs in place of the one digest.
const CircuitVersion = 3

// CircuitID returns the identity of a circuit version: the hex SHA-256 of the
// constraint system as ccs.WriteTo serializes it (gnark's version, the
// constraints, the coefficient table, the public and secret input names, the
// commitment layout). Keys are stored and looked up under this id, so keys made
// for one version of a circuit are never used with another.
//
// Compile the circuit the same way every time: building with gnark's `debug`
// tag, or calling api.Println in the circuit, records source locations in the
// constraint system and changes the id.
func CircuitID(ccs constraint.ConstraintSystem) (string, error) {
	if _, err := AsR1CS(ccs); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := ccs.WriteTo(h); err != nil {
		return "", fmt.Errorf("serialize constraint system: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// VKDigest returns the hex SHA-256 of a verifying key's canonical bytes (its
// compressed encoding, vk.WriteTo). It is the digest that meta.json records for
// vk.bin, and the short name of a verifying key in logs and release notes.
// [SolidityConstants] gives the values a deployed verifier must hold for the
// same key. It panics if vk is nil.
func VKDigest(vk groth16.VerifyingKey) string {
	h := sha256.New()
	if _, err := vk.WriteTo(h); err != nil {
		// Writing points to a hash cannot fail for an in-memory key.
		panic(fmt.Sprintf("injector: encode verifying key: %v", err))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AsR1CS returns ccs as a BN254 R1CS, the only kind of circuit the Injector makes
// Groth16 keys for.
func AsR1CS(ccs constraint.ConstraintSystem) (*cs.R1CS, error) {
	if ccs == nil {
		return nil, errors.New("nil constraint system")
	}
	r, ok := ccs.(*cs.R1CS)
	if !ok {
		return nil, fmt.Errorf("constraint system is %T; want a BN254 R1CS (frontend.Compile with ecc.BN254.ScalarField() and r1cs.NewBuilder)", ccs)
	}
	return r, nil
}
