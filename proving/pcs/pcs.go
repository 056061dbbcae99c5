package pcs

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// Matrix is a column-major matrix of base-field values: M[c][r] is row r of column c.
// Committed matrices hold the evaluations of their columns on the subgroup H_n of their
// height n, in natural order.
type Matrix = [][]field.Elem

// Dim is what a verifier knows of a committed matrix: its width and log2 of its height n.
type Dim struct {
	Width int
	LogN  int
}

// Committed is the prover's handle to one commitment.
type Committed interface {
	// Root is the commitment sent to the verifier.
	Root() hash.Node
	// LDE returns the low-degree extension of matrix i, bit-reversed, on the coset
	// shift·H_{n·blowup}, column-major.
	LDE(i int) (cols [][]field.Elem, shift field.Elem)
}

// OpenRound asks for the values of every column of every matrix of one commitment at
// the given points: Points[i] lists the points of matrix i.
type OpenRound struct {
	Data   Committed
	Points [][]field.Ext
}

// VerifyRound is the verifier's view of one OpenRound: the root, the dimensions, the
// points and the claimed values Values[matrix][point][column]. Hiding says the round was
// committed with randomness (Commit with a non-nil Rand) by a scheme in zero-knowledge
// mode, so that its openings carry salts.
type VerifyRound struct {
	Root   hash.Node
	Dims   []Dim
	Points [][]field.Ext
	Values [][][]field.Ext
	Hiding bool
}

// Scheme is a polynomial commitment scheme over two-adic cosets, for batches of
// matrices of mixed heights. The STARK prover and verifier are written against it; the
// FRI-based implementation is in package fri.
type Scheme interface {
	// LogBlowup is log2 of the LDE blowup, which bounds the constraint degree the STARK
	// may use (quotient degree ≤ blowup).
	LogBlowup() int
	// ObserveParams absorbs every parameter that the scheme's soundness depends on
	// (blowup, queries, proof of work, folding), so that a proof made under one set of
	// parameters cannot be checked under another. The STARK calls it first.
	ObserveParams(tr *transcript.Challenger)
	// Grinding is the proof-of-work bits (each ≤ transcript.MaxBits) the STARK grinds
	// before drawing its LogUp challenges and before its out-of-domain point; they are
	// engine parameters that ObserveParams absorbs with the scheme's own.
	Grinding() (logUp, deep int)
	// ExtDegree is the degree of the extension field (4 or 6) the challenges, the
	// opening points and the opened values live in; the STARK starts its transcript
	// with it (transcript.NewDegree) and sizes its extension columns by it.
	ExtDegree() int
	// Hash is the scheme of the commitments and of the transcript (the STARK starts its
	// transcript with it).
	Hash() hash.Scheme
	// Hiding is 0 for a scheme without zero knowledge. In zero-knowledge mode it is the
	// number of points of the LDE (the queries) at which Open reveals the rows of every
	// committed matrix: the STARK masks each committed polynomial with at least that
	// many random coefficients more than the out-of-domain points it opens.
	Hiding() int
	// MaskLogN is, in zero-knowledge mode, the log height of the random matrix whose
	// opening masks the low-degree test's own messages when the tallest committed
	// matrix has log height logN (see package fri).
	MaskLogN(logN int) int
	// Commit commits to matrices given by their evaluations on H_n. With a non-nil rng,
	// a scheme in zero-knowledge mode makes the commitment hiding (salted leaves); with
	// nil (preprocessed data, which is public) it is deterministic.
	Commit(mats []Matrix, rng *Rand) (Committed, error)
	// Open computes the requested values, observes them into tr, and proves them.
	// values[round][matrix][point][column]. In zero-knowledge mode rng salts the
	// low-degree test's own commitments.
	Open(rounds []OpenRound, tr *transcript.Challenger, rng *Rand) (values [][][][]field.Ext, proof []byte, err error)
	// Verify observes the claimed values into tr and checks the proof.
	Verify(rounds []VerifyRound, proof []byte, tr *transcript.Challenger) error
}

// Releaser is a Scheme that can commit to matrices it is handed over: CommitReleasing is
// Commit that sets each entry of mats to nil once it no longer needs that matrix (its
// LDE computed), so that a matrix the caller holds no other reference to is collected
// while the rest are extended and hashed, instead of after the commitment. The
// commitment is Commit's, bit for bit; the caller must not read mats afterwards.
type Releaser interface {
	CommitReleasing(mats []Matrix, rng *Rand) (Committed, error)
}
