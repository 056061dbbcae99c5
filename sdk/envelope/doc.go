// Package envelope is the proof file of OneirOS: a versioned container of the claim
// (with its claim_root), the normalized program, the public output, the engine
// parameters, the segment proofs, and metadata kept out of the claim.
//
// # Usage
//
//	env := &envelope.Envelope{Claim: claim, Program: prog.Encode(), Output: out, Proofs: [][]byte{p}}
//	os.WriteFile("run.proof", env.Encode(), 0o644)
//	env, err := envelope.Decode(b)          // never panics
//	fmt.Println(env.Claim.Root())            // claim_root
//
// # Security
//
// Nothing in an envelope is trusted: package verify checks that the program's ID and the
// output's digest match the claim, derives the verifying key from the program, and
// checks the proofs against the claim. The claim's context (isa, source_digest,
// input_digest: Claim.Context) is bound into the proofs' public values, so a claim
// edited after proving is rejected; Bound repeats those fields so the verifier can name
// the edited one. input_digest is the digest of the input the prover says it used; in
// this version the proof binds how the program read the input, not its content, so a
// verifier must not rely on input_digest unless it trusts the prover. The proofs are not
// zero-knowledge: they reveal trace values, the input's included (docs/security.md).
// Metadata (backend, timings) is informational.
package envelope
