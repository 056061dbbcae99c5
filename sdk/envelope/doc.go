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
// the edited one. input_digest and input_len are proven: the proof's input table holds
// the whole input tape (input_len bytes, zero-padded to words), answers every READ from
// it and absorbs all of it into a Poseidon2 sponge whose digest is a public value
// (core/chips/input), so a verified claim says "the program, run on an input whose
// digest is input_digest, produced this output" — and InputDigest of the expected bytes
// must equal it. output_digest is likewise a Poseidon2 sponge (core/chips/output's
// Digest, OutputDigest), the one the segments' output tables carry from segment to
// segment, so a verifier of an aggregated proof that sees only their states exposes the
// same claim. Unless Params.ZK (engine.zk) is set the proofs are not zero-knowledge:
// they reveal trace values, the input's included (docs/security.md).
// Metadata (backend, timings) is informational.
package envelope
