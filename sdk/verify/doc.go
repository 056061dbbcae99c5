// Package verify is the OneirOS verifier that third parties import: it checks a proof
// envelope against its claim, with hooks that accept or reject claims.
//
// # Usage
//
//	env, err := envelope.Decode(b)
//	if err != nil { … } // not a proof file
//	err = verify.Envelope(env, verify.Options{ // the zero value applies the default floor
//		Hooks: []verify.Hook{verify.AllowPrograms(id), verify.RequireHalted, verify.RequireSource(src)},
//	})
//	if errors.Is(err, verify.ErrRejected) { … }
//
// # Security
//
// The verifier trusts nothing in the envelope. It decodes the normalized program and
// checks that its Poseidon2 ID is the claim's program_id, that the output's digest is
// the claim's output_digest, derives the verifying key from the program (the ROM and the
// fixed tables), and checks the STARK proof against the statement (exit status and code,
// cycles, output, input length, image) and the claim's context (isa, source_digest,
// input_digest: public values of the proof, see envelope.Claim.Context), naming a
// context field edited after proving. Engine parameters come from the envelope but are
// absorbed into the transcript and must meet the verifier's own floors: MinSecurityBits
// of conjectured security (0 means the default, 100) and, when set, MinProvableBits of
// provable security; the envelope never lowers them. docs/security.md says what each
// claim field means. It never panics on any input.
//
// # Performance
//
// Verification rebuilds the verifying key (a commitment to the ROM and the fixed lookup
// tables: tens of milliseconds) and checks the proof (milliseconds).
package verify
