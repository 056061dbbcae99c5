package lookup

import "github.com/oneiros-zk/oneiros/proving/field"

// Blinding the cumulative sums (zero knowledge).
//
// A table's cumulative sum S_t = Σ_rows Σ ±m/(α − fingerprint) is a function of its
// whole trace and is sent in the clear: it would leak, for instance, which messages a
// table sent when the verifier can guess a few candidates. In zero-knowledge mode the
// prover instead reveals σ_t = S_t + δ_t, with offsets δ_t drawn by [Blinds]: uniform
// extension elements subject to Σ_t δ_t = 0. Each table that has LogUp columns commits
// δ_t as a blinding column (d base coordinates, d the extension's degree, the same value on every row) with its
// main trace, before the LogUp challenges are drawn, and its last-row constraint
// becomes S + blind − σ = 0 ([AuxBatch].Blind, [EvalPoint]). The verifier checks the
// bus balance Σ_t σ_t + PublicSum = 0 as before.
//
// Completeness: Σ_t σ_t = Σ_t S_t + Σ_t δ_t = Σ_t S_t.
//
// Soundness: the blinding values δ_t (each column's value on the last row) are fixed by
// the main commitment before (α, β). An accepting proof gives Σ_t S_t + PublicSum =
// −Σ_t δ_t =: c, a constant fixed before the challenges, where the left side is the
// rational function F(α, β) = Σ_i ±m_i/d_i(α, β) over the M fractions of the statement.
// Cleared of denominators, F − c = (N − c·D)/D with D = Π_i d_i of degree M (each d_i
// affine, monic in α) and N of degree < M in α. If c ≠ 0, N − c·D has the monomial
// −c·α^M, so it is a nonzero polynomial; if c = 0 it is N, nonzero exactly when the
// multisets differ (the argument without blinding). Either way a false statement passes
// with probability at most M/|F| by Schwartz–Zippel, plus M/|F| for a vanishing
// denominator: the 2·M/|F| of the unblinded argument, unchanged. Choosing offsets that
// do not sum to zero cannot help a cheating prover: it only makes an honest bus fail.
//
// Zero knowledge: the offsets are uniform on the hyperplane Σ δ_t = 0, so the revealed
// (σ_t) are uniform subject to Σ_t σ_t = −PublicSum, which is public anyway; the
// blinding column is masked like every main column (package stark), so its openings
// reveal nothing of δ_t. With a single table with LogUp columns there is nothing to hide
// (its sum is −PublicSum) and its offset is zero.

// Blinds returns k offsets uniform subject to summing to zero: k − 1 values from draw
// (a uniform extension element each time), then minus their sum. k ≤ 1 gives zeros.
func Blinds(k int, draw func() field.Ext) []field.Ext {
	out := make([]field.Ext, max(k, 0))
	if k <= 1 {
		return out
	}
	var sum field.Ext
	for i := range k - 1 {
		out[i] = draw()
		sum.Add(&sum, &out[i])
	}
	out[k-1].Neg(&sum)
	return out
}
