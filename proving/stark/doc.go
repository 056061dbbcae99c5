// Package stark is the multi-table STARK of the Hemera Engine: each table is an AIR
// over a main trace, optional preprocessed columns and LogUp columns for its bus
// interactions; one proof covers every table, committed in four rounds (preprocessed,
// main, LogUp, quotient) through a [pcs.Scheme] and opened at an out-of-domain point ζ
// (and ζ·ω for the next row) with DEEP openings.
//
// # Usage
//
//	pk, vk, err := stark.Setup(scheme, airs, prep)             // deterministic, both sides
//	proof, err := stark.Prove(cfg, pk, &stark.Witness{Main: traces, Publics: pubs, Bus: bus})
//	err = stark.Verify(cfg, vk, proof, pubs, bus)                // errors.Is(err, stark.ErrInvalidProof)
//
// Package hemera wires a configured FRI scheme and kernels into a [Config].
//
// # Security
//
// The transcript absorbs the scheme's parameters, the verifying key's digest, the
// heights, the public values and the public bus messages before any commitment. A
// proof of work (Proof.LogUpNonce, pcs.Scheme.Grinding's logUp bits) follows the main
// commitment and precedes the LogUp challenges, and another (Proof.DEEPNonce, deep
// bits) follows the quotient commitment and precedes ζ: each divides its round's
// soundness error by 2^bits; the prover searches the smallest nonce on all workers, so
// the proof bytes do not depend on their number. The verifier checks the constraints at ζ against the quotient chunks and the bus balance,
// then the scheme's opening proof. Verify never panics on any proof.
//
// # Zero knowledge
//
// When the scheme is in zero-knowledge mode ([pcs.Scheme].Hiding() = Q > 0, fri.Params.ZK)
// the prover masks everything it commits from the witness: main and LogUp columns become
// f + Z_H·r (2Q+2 random coefficients, committed on H_(n·2^ext)), the quotient is
// computed on a domain twice as large for large tables and split into at most
// 2^⌈log2 d⌉ chunks (of n coefficients, more for a table of a few rows) that carry
// telescoping masks cancelling in Σ_j ζ^(jc)·Q_j, and a random matrix opened at ζ masks
// the FRI batch; those commitments are salted. Each table with interactions adds a
// LogUp blinding column to its main trace ([BlindingColumns] base columns), so the
// revealed cumulative sums are uniform subject to their public total (package lookup,
// blind.go). The verifier derives the same shapes from the heights and Q. [Config].Seed
// fixes the randomness for reproducible proofs; nil (the default) keys it from
// crypto/rand. The preprocessed round is public and unmasked. What the mode hides and
// what it does not (heights, publics) is in docs/security.md, "What a proof hides";
// zk.go has the argument.
//
// # Performance
//
// Quotient evaluation runs on the kernels' Quotient in batches of 1024 rows; LDEs and
// Merkle trees are the scheme's. Zero knowledge costs about 2.4× the prove time and 14%
// of proof size on a 64-column table (BenchmarkProve, zk=0 and zk=1): the trace LDE, the
// quotient domain and the chunk commitments double; on the zkVM (examples/mix.s, 2^18 to
// 2^20 rows) about 2.5–4× the time, 2.3× the memory and a quarter more proof bytes.
package stark
