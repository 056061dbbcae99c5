package verifier

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/verifyshape"
)

// Shape is what a verifier program is emitted for: the verifying key, the proof
// parameters, the height of every table and the shape of the statement (each table's
// number of public values; each public bus message's bus, direction and tuple length),
// with the opened rounds, fri's groups and folding schedule that follow (package
// verifyshape derives them, for the wrap circuit too). Everything else — the public
// values, the messages' multiplicities and tuples, the commitments, nonces, opened
// values and the FRI proof — is the program's input.
type Shape struct {
	verifyshape.Shape
}

// BusShape is the constant part of a public bus message: its bus, direction and tuple
// length.
type BusShape = verifyshape.Message

// NewShape derives the shape of the proofs of vk under the engine parameters p with the
// table heights logN, the public values publics and the public bus messages bus (only
// their sizes and constant fields are kept). It refuses what the verifier program does
// not verify — zero knowledge, an extension of degree other than 4, any hash but the
// Narrow one — and what the native verifier (hemera.Engine.Verify) rejects whatever the
// proof (verifyshape.New): heights out of range or unlike the preprocessed ones, an
// absent table that is not optional, bus ids or slot counts that could wrap, security
// below p's floors. An absent optional table with preprocessed columns is supported:
// its preprocessed matrix is committed (in the key) and opened nowhere.
func NewShape(vk *stark.VerifyingKey, p hemera.Params, logN []int, publics [][]field.Elem, bus []lookup.Message) (*Shape, error) {
	params := p.FRI
	if err := params.Validate(); err != nil {
		return nil, err
	}
	switch {
	case params.ZK:
		return nil, fmt.Errorf("recursion verifier: zero-knowledge proofs are not verified (engine.zk must be false)")
	case params.Ext() != field.ExtDegree4:
		return nil, fmt.Errorf("recursion verifier: extension degree %d, the program verifies degree 4", params.Ext())
	case params.Hash != hash.Narrow:
		return nil, fmt.Errorf("recursion verifier: hash %v, the program verifies proofs hashed with %v", params.Hash, hash.Narrow)
	case vk.Hash != hash.Narrow || vk.LogBlowup != params.LogBlowup:
		return nil, fmt.Errorf("recursion verifier: a verifying key for hash %v and blowup 2^%d, the parameters have %v and 2^%d", vk.Hash, vk.LogBlowup, params.Hash, params.LogBlowup)
	}
	s, err := verifyshape.New(vk, p, logN, publics, bus)
	if err != nil {
		return nil, fmt.Errorf("recursion verifier: %w", err)
	}
	return &Shape{Shape: *s}, nil
}

// ShapeOf is NewShape for the heights of a proof.
func ShapeOf(vk *stark.VerifyingKey, p hemera.Params, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) (*Shape, error) {
	return NewShape(vk, p, proof.LogN, publics, bus)
}
