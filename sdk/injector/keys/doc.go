// Package keys makes, caches and checks the Groth16 keys (BN254, gnark) of the
// Hemera Injector's wrap circuit: one pair per circuit version, made once and
// reused for every proof of that version.
//
// A circuit version is named by [CircuitID], the SHA-256 of its serialized
// constraint system: change one constraint, a public input, or the gnark
// version, and the id changes, so keys made for one version are never used
// with another.
//
// # Usage
//
// Proving and verifying use the cache; the keys come from a setup beforehand:
//
//	id, err := keys.CircuitID(ccs)
//	pk, vk, err := keys.Cache{}.Load(id) // ${XDG_CACHE_HOME:-$HOME/.cache}/oneiros/wrap/<id>
//	if keys.IsKeysError(err) {
//		// missing, for another version, or damaged: the error names the file
//		// and the command that makes the keys, "oneiros wrap setup"; exit 2
//	}
//
// For development, [SetupLocal] makes keys in one call:
//
//	pk, vk, err := keys.SetupLocal(ccs)
//	err = keys.Cache{}.Store(id, pk, vk, keys.Origin{Setup: keys.SetupLocalDev, NbConstraints: ccs.GetNbConstraints()})
//
// For production, keys come from an MPC ceremony over gnark's
// backend/groth16/bn254/mpcsetup, driven one participant at a time through
// files. Each step reads the latest file and writes the next; participants
// download, contribute and upload in turn, and anyone can verify the chain:
//
//	keys.Phase1Init(n, "p1-0")                       // coordinator, once for all circuits of ≤ n constraints
//	keys.Phase1Contribute("p1-0", "p1-1")            // participant 1; then p1-1 → p1-2, ...
//	keys.Phase1Verify(n, []string{"p1-1", "p1-2"})   // anyone
//	keys.Phase1Seal(n, p1Files, beacon1, "srs")      // anyone, deterministic
//	keys.Phase2Init(ccs, "srs", "p2-0")              // per circuit version
//	keys.Phase2Contribute("p2-0", "p2-1")            // participant 1; then p2-1 → p2-2, ...
//	keys.Phase2Verify(ccs, "srs", p2Files)           // anyone
//	pk, vk, err := keys.Extract(ccs, "srs", p2Files, beacon2) // anyone, deterministic
//	keys.Cache{}.Store(id, pk, vk, keys.Origin{Setup: keys.SetupMPC, ...})
//
// [VKDigest] names a verifying key in one line; [SolidityConstants] and
// [CheckSolidity] tell whether a Solidity verifier exported by gnark holds a
// given key. docs/injector-keys.md is the operator's guide.
//
// # Security
//
// A Groth16 setup draws secrets (τ, α, β, δ: the "toxic waste"); whoever knows
// them can prove false statements that every verifier accepts. [SetupLocal]
// draws them in one process: its keys are for development and tests, and
// meta.json marks them "local-dev". In the MPC ceremony every participant
// multiplies the secrets by randomness of their own, with a proof of knowledge
// bound to the previous file; the final keys are sound if at least one
// participant, in each phase, was honest and destroyed their randomness.
// Phase 1 (powers of τ) does not depend on the circuit and serves every circuit
// of up to n constraints; phase 2 (δ, and a σ per commitment) is per circuit
// version. A public beacon, unknown before the last contribution, closes each
// phase, so the last participant cannot choose the outcome.
//
// Verification ([Phase1Verify], [Phase2Verify], and the same checks in
// [Phase1Seal] and [Extract]) re-derives each phase's starting point from n or
// from the circuit and the sealed phase 1, and checks every contribution
// against the one before it; errors wrap [ErrInvalidContribution] and name
// the first file at fault. Contributing does not verify: a participant who
// wants to may run the verification first.
//
// Files are untrusted input. Cache and ceremony readers check the shape of an
// encoding (every length prefix against the bytes left) before gnark decodes
// it, since gnark's decoders allocate from a prefix before reading; points are
// checked on the curve and in the subgroup (but a cached proving key's, whose file
// must have the SHA-256 meta.json records: a proving key cannot make a false proof
// verify, and the checks take minutes for a large circuit); a panic in gnark code on such
// input comes back as an error. [Cache.Load] also checks meta.json's circuit
// id, both files' SHA-256, that the proving and verifying keys come from the
// same setup, and that the keys' parts agree in size, so that proving and
// verifying with them cannot index out of range. FuzzLoad fuzzes it. The cache
// protects against damage and mix-ups, not against someone who can write to
// it: they can replace the keys outright.
//
// # Performance
//
// A phase-1 contribution costs about 4N scalar multiplications in G1 and N in
// G2, so it grows linearly with the domain N; phase-2 initialization (run by
// Phase2Init, Phase2Verify and Extract) computes Lagrange bases by FFTs over
// the curve, O(N log N) group operations, and dominates phase 2; a phase-2
// contribution re-scales only the bases that carry δ and σ. On the
// 333-constraint test circuit (N = 512, two loaded cores) a phase-1
// contribution took 0.2-0.3 s, phase-1 verification of three contributions
// 0.3 s, sealing 0.5 s, phase-2 initialization 0.7-0.9 s, a phase-2
// contribution 60 ms, extraction 0.9 s; [SetupLocal] took 0.1-0.15 s, and
// [Cache.Store] and [Cache.Load] about 20 ms each. [Cache.Load] hashes and
// shape-checks pk.bin in one pass, then decodes it (stored uncompressed, so
// without square roots, and without subgroup checks).
package keys
