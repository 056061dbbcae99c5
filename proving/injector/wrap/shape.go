package wrap

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/verifyshape"
)

// Shape is what a wrap circuit is built for: the verifying key (the AIRs, the LogUp
// layouts, the preprocessed commitment), the proof parameters, the height of every
// table, and the shape of the statement (the number of public values of each table, and
// the bus, direction and length of every public bus message), with the opened rounds,
// fri's groups and folding schedule that follow (package verifyshape derives them, for
// the recursion verifier too). Two proofs of one Shape share a circuit and its keys;
// the values (public values, message contents, commitments, openings) are the
// circuit's witness.
type Shape struct {
	verifyshape.Shape
	// Inputs, when not nil, makes the circuit's public inputs chosen values of the
	// statement instead of its digest (Expose).
	Inputs *Inputs
}

// Inputs are the public inputs of a circuit that states values of its statement
// itself: each public input packs the statement elements at one group of positions of
// its flattening (verifyshape.Statement), at most 8, as hash.OuterPack packs them
// (Σ x_i·2^(31i) plus the count at bit 248: injective on canonical elements, which the
// circuit's witness values are); every position in no group is the constant Fixed
// holds there. A statement whose other elements are not those constants has no
// assignment.
type Inputs struct {
	Fixed  []field.Elem // the flattened statement; its values at exposed positions are ignored
	Groups [][]int      // the positions each public input packs, in order
}

// Expose makes the circuit of s state the statement's elements at the positions of
// groups as its public inputs (Inputs), with every other element of the statement
// fixed to its value in the statement (publics, bus) given here. It refuses groups of
// no position or of more than 8, positions outside the statement or exposed twice.
func (s *Shape) Expose(publics [][]field.Elem, bus []lookup.Message, groups [][]int) error {
	flat := verifyshape.Statement(publics, bus)
	if len(flat) != s.StatementLen() {
		return fmt.Errorf("wrap: a statement of %d elements for a shape of %d", len(flat), s.StatementLen())
	}
	if _, err := CheckGroups(groups, len(flat)); err != nil {
		return err
	}
	if len(groups) == 0 {
		return fmt.Errorf("wrap: no public input to expose")
	}
	in := &Inputs{Fixed: flat, Groups: make([][]int, len(groups))}
	for g := range groups {
		in.Groups[g] = append([]int(nil), groups[g]...)
	}
	for _, grp := range in.Groups {
		for _, i := range grp {
			in.Fixed[i] = field.Elem{}
		}
	}
	s.Inputs = in
	return nil
}

// CheckGroups checks groups of positions among n values, each group one public input:
// 1 to hash.OuterRate positions each, all in [0, n), none in two groups or twice. It
// returns which positions the groups cover.
func CheckGroups(groups [][]int, n int) ([]bool, error) {
	seen := make([]bool, n)
	for g, grp := range groups {
		if len(grp) == 0 || len(grp) > hash.OuterRate {
			return nil, fmt.Errorf("wrap: public input %d packs %d elements, want 1 to %d", g, len(grp), hash.OuterRate)
		}
		for _, i := range grp {
			if i < 0 || i >= n || seen[i] {
				return nil, fmt.Errorf("wrap: public input %d: position %d is outside the %d elements or in two inputs", g, i, n)
			}
			seen[i] = true
		}
	}
	return seen, nil
}

// PackGroups is the public inputs of the groups (checked by CheckGroups): each group's
// values, val(i) at position i, packed into one BN254 element by hash.OuterPack.
func PackGroups(groups [][]int, val func(i int) field.Elem) []fr.Element {
	out := make([]fr.Element, len(groups))
	for g, grp := range groups {
		vals := make([]field.Elem, len(grp))
		for j, i := range grp {
			vals[j] = val(i)
		}
		out[g] = hash.OuterPack(vals)
	}
	return out
}

// NumInputs is the number of the circuit's public inputs: 1 (the statement digest) or
// one per exposed group.
func (s *Shape) NumInputs() int {
	if s.Inputs == nil {
		return 1
	}
	return len(s.Inputs.Groups)
}

// StatementInputs are the public inputs of s's circuit for a statement: its digest
// (StatementDigest), or with Inputs the packed groups — refusing a statement whose
// fixed elements differ from the circuit's, naming the first.
func (s *Shape) StatementInputs(publics [][]field.Elem, bus []lookup.Message) ([]fr.Element, error) {
	if s.Inputs == nil {
		return []fr.Element{StatementDigest(publics, bus)}, nil
	}
	flat := verifyshape.Statement(publics, bus)
	if len(flat) != len(s.Inputs.Fixed) {
		return nil, fmt.Errorf("wrap: a statement of %d elements, the circuit's has %d", len(flat), len(s.Inputs.Fixed))
	}
	exposed := make([]bool, len(flat))
	for _, grp := range s.Inputs.Groups {
		for _, i := range grp {
			exposed[i] = true
		}
	}
	out := PackGroups(s.Inputs.Groups, func(i int) field.Elem { return flat[i] })
	for i, x := range flat {
		if !exposed[i] && x != s.Inputs.Fixed[i] {
			return nil, fmt.Errorf("wrap: statement element %d is %v, the circuit fixes it to %v", i, x, s.Inputs.Fixed[i])
		}
	}
	return out, nil
}

// BusShape is the constant part of a public bus message: its bus, direction and tuple
// length (its multiplicity and tuple are witness).
type BusShape = verifyshape.Message

// NewShape derives the circuit shape of proofs of vk under the engine parameters p
// with the table heights logN, the public values publics and the public bus messages
// bus (only their sizes and constant fields are kept). It refuses what the wrap circuit
// does not verify: zero-knowledge proofs, an extension of degree other than 4, any
// hash but the Outer one (hash.Outer, poseidon2-bn254), whose Merkle trees and
// transcript a BN254 circuit checks natively, and an absent optional table with
// preprocessed columns; and, as the engine's Verify does (verifyshape.New), heights out
// of range or unlike the preprocessed ones, an absent table that is not optional, bus
// ids or slot counts the native verifier refuses, and a shape whose proofs fall below
// p's security floors (MinSecurityBits, MinProvableBits): a circuit built for it would
// accept proofs the engine rejects.
func NewShape(vk *stark.VerifyingKey, p hemera.Params, logN []int, publics [][]field.Elem, bus []lookup.Message) (*Shape, error) {
	params := p.FRI
	if err := params.Validate(); err != nil {
		return nil, err
	}
	switch {
	case params.ZK:
		return nil, fmt.Errorf("wrap: zero-knowledge proofs are not wrapped (the Groth16 proof hides the witness; prove the outer layer with engine.zk false)")
	case params.Ext() != field.ExtDegree4:
		return nil, fmt.Errorf("wrap: extension degree %d, the wrap circuit verifies degree 4", params.Ext())
	case params.Hash != hash.Outer:
		return nil, fmt.Errorf("wrap: hash %v, the wrap circuit verifies proofs hashed with %v", params.Hash, hash.Outer)
	case vk.Hash != hash.Outer || vk.LogBlowup != params.LogBlowup:
		return nil, fmt.Errorf("wrap: a verifying key for hash %v and blowup 2^%d, the parameters have %v and 2^%d", vk.Hash, vk.LogBlowup, params.Hash, params.LogBlowup)
	}
	s, err := verifyshape.New(vk, p, logN, publics, bus)
	if err != nil {
		return nil, fmt.Errorf("wrap: %w", err)
	}
	// The circuit opens every matrix at its points: it has no matrix opened nowhere.
	for r := range s.Rounds {
		for m, n := range s.Rounds[r].Lists {
			if n == 0 {
				return nil, fmt.Errorf("wrap: table %s has preprocessed columns and is absent", vk.AIRs[s.Rounds[r].Tables[m]].Name)
			}
		}
	}
	return &Shape{Shape: *s}, nil
}

// ShapeOf is NewShape for the heights of a proof.
func ShapeOf(vk *stark.VerifyingKey, p hemera.Params, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) (*Shape, error) {
	return NewShape(vk, p, proof.LogN, publics, bus)
}

// StatementDigest is the wrap circuit's public input: the Outer hash (hash.OuterElems)
// of the statement (verifyshape.Statement), every table's public values in table order,
// then every public message's multiplicity and tuple. The rest of the statement (the verifying key, the
// heights, the messages' buses and directions) is fixed by the circuit's Shape.
func StatementDigest(publics [][]field.Elem, bus []lookup.Message) fr.Element {
	return hash.OuterElems(verifyshape.Statement(publics, bus))
}
