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
// checks the proofs against the claim. The input digest is the digest of the input the
// prover says it used; the input is a private witness and, in this version, the proof
// binds only how the program read it, not its content, so a verifier must not rely on
// input_digest unless it trusts the prover (a Poseidon2 input commitment chip will bind
// it). Metadata (backend, timings) is informational.
package envelope
