// Package pcs defines the polynomial commitment scheme interface of the Hemera Engine:
// commit to batches of column-major matrices of mixed power-of-two heights, open every
// column at out-of-domain points, and verify the openings.
//
// # Usage
//
// Package stark is written against [Scheme] alone; package fri provides the
// implementation (FRI over Merkle-committed coset LDEs) and package hemera wires them.
// Proofs are opaque bytes at this level, so the STARK never depends on FRI's layout.
//
// # Security
//
// A Scheme must be binding: after Commit, the only values Verify accepts at a point z
// are the evaluations at z of the committed columns' interpolants (up to the scheme's
// soundness error), and Open must observe the values into the transcript before it
// samples any challenge.
//
// A scheme with a zero-knowledge mode reports it through Scheme.Hiding (the number of
// query points at which it reveals committed rows) and MaskLogN; Commit and Open then
// take the prover's [Rand] to salt what they commit, and VerifyRound.Hiding tells the
// verifier which rounds carry salts. Rand is ChaCha8 keyed by crypto/rand, or by a fixed
// seed for reproducible proofs.
package pcs
