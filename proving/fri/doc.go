// Package fri is the FRI-based polynomial commitment scheme of the Hemera Engine:
// coset LDEs committed in mixed-height Merkle trees, one multi-point DEEP quotient
// (col − U_col)/Π(x − z) per column (U_col the interpolant of its opened values on its
// matrix's points), batched per height with an independent transcript coefficient per
// column, FRI folding by 2^LogArity per committed layer with shorter heights rolled in
// by γ, proof of work, and NumQueries queries.
//
// # Usage
//
//	s, err := fri.New(fri.DefaultParams, kernels, workers)
//	c, err := s.Commit(matrices)
//	values, proof, err := s.Open(rounds, tr)   // prover
//	err = s.Verify(verifyRounds, proof, tr)    // verifier
//
// # Security
//
// [PCS.ObserveParams] absorbs log_blowup, num_queries, grinding_bits, fri_log_arity and
// log_final_poly_len into the transcript; package stark calls it before anything else.
//
// [Params.Rounds] gives the soundness error of every round of a run in each [Regime]:
//
//   - batching: the opened functions (one per committed column) combined with
//     independent coefficients, ε_lin(D_h) + 1/|F| per LDE height D_h, however many
//     functions (BCIKS20 Theorem 1.6, affine spaces; soundcalc's affine batching; powers
//     of one challenge would cost a factor m − 1 for m functions, Theorem 1.5);
//   - commit phase: each layer folds 2^a values by the powers of β (and rolls a height
//     in by γ), (2^a − 1 [+ 1])·ε_lin(D_i) on the folded domain D_i;
//   - query phase: (1 − δ)^q·2^−g.
//
// ε_lin(D) is |D|/|F| in the unique-decoding regime (δ = (1 − ρ)/2) and BCHKS25's
// Theorem 4.2 bound in the Johnson regime (δ = 1 − √ρ − η, η = max(ρ/20, √ρ/100), as
// soundcalc); the conjectured regime takes δ = 1 − ρ (the ethSTARK toy problem).
// Grinding is at most 24 bits ([transcript.MaxBits]): the nonce is one field element,
// and p ≈ 2^31 nonces leave a 30-bit search without a solution about once in seven.
//
// The verifier never panics on any proof bytes (FuzzVerify, FuzzDecode).
//
// # Performance
//
// Folding by 4 (LogArity 2) halves the committed layers against folding by 2, which
// keeps the proof small at the defaults' 203 queries. The proof-of-work search runs on
// every worker and returns the smallest nonce, so the proof does not depend on workers.
package fri
