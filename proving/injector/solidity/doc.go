// Package solidity exports gnark's Groth16 verifier for BN254 as a Solidity contract
// and builds the calls to it. It is pure (no compiler, no EVM): the module tools/evmcheck
// compiles the contract with npm's solcjs, deploys it in go-ethereum's EVM over an
// in-memory state and calls it with real proofs, so that the contract, the proof's byte
// layout and the public-input convention are the ones gnark's Go verifier accepts, and
// the gas is measured rather than quoted. (go-ethereum stays out of the root module.)
//
// # Usage
//
//	var src bytes.Buffer
//	err := solidity.Export(vk, &src)                  // gnark's template, pragma solidity 0.8.26
//	proof, err := groth16.Prove(ccs, pk, w, solidity.ProverOption()) // Keccak hash-to-field
//	data, err := solidity.CallData(proof, publicWitness)  // verifyProof(bytes, uint256[N])
//
// and in tools/evmcheck:
//
//	c, err := evmcheck.Compile(ctx, solcjs, src.Bytes()) // creation code, deployed code, ABI
//	e, err := evmcheck.NewEVM(evmcheck.Osaka)         // every fork up to Osaka active
//	addr, deployGas, err := e.Deploy(c.Deploy)
//	r, err := e.Call(addr, data)                      // r.OK, r.GasUsed, r.TxGas, r.Reason
//
// [CompressedCallData] calls verifyCompressedProof instead. The contract's calls:
//
//   - verifyProof(bytes proof, uint256[N] input): proof is gnark's MarshalSolidity, the
//     points A, B, C as EIP-197 words (256 bytes: A.x, A.y, B.x.A1, B.x.A0, B.y.A1,
//     B.y.A0, C.x, C.y, each 32 bytes big-endian), then, with K Pedersen commitments, the
//     K commitments and their one proof of knowledge (64 bytes each): 384 bytes for K = 1.
//   - verifyCompressedProof(uint256[4], [uint256[K], uint256,] uint256[N] input): the same
//     points compressed to their x coordinate and sign bits (32 bytes a G1 point, 64 a G2
//     point): 128 bytes, 192 for K = 1.
//   - input, for both, is the public witness in the order of the circuit's public fields
//     (publicWitness.Vector()), without the constant 1 and without the values derived
//     from the commitments (the contract hashes those itself); each element must be
//     reduced modulo r (an unreduced one reverts with PublicInputNotInField()).
//
// Both revert (ProofInvalid(), CommitmentInvalid(), PublicInputNotInField(), or "invalid
// proof length") and return nothing on success; evmcheck's EVM.Call turns that into
// Result.OK.
//
// # Security
//
// A circuit with commitments (std/rangecheck, for one, commits in Groth16) hashes each
// commitment to a public input. The contract hashes with legacy Keccak-256; gnark's
// default is RFC 9380's hash-to-field, so a proof made without [ProverOption] verifies in
// Go and reverts in the EVM (the tests check both). Export refuses other curves than BN254
// (no precompiles) and circuits without a public input (solc rejects uint256[0]).
//
// gnark calls its Solidity generator experimental. The tests in tools/evmcheck check, on every fork
// from Cancun to Osaka: a valid proof passes through both entry points; flipping a bit in
// any 32-byte word of the proof, in either layout, makes it fail; so does another public
// input, an unreduced one, a proof of the wrong length, and (with a commitment) a proof
// made without ProverOption; the contract's own compressProof agrees with
// CompressedCallData, and CallData with go-ethereum's ABI encoder.
//
// # Running the tests
//
// The tests need solcjs SolcVersion: SOLCJS names it.
//
//	make test-solidity                      # scripts/solc.sh installs it (cached), then go test
//	SOLCJS=$(scripts/solc.sh) go test -v ./tools/evmcheck/
//
// Without SOLCJS they fail under CI (CI set) and skip elsewhere, naming the command.
//
// # Performance
//
// Measured with go-ethereum v1.16.8 and solc 0.8.26 (optimizer on, 200 runs, EVM target
// cancun). Execution is the gas the call used after the transaction's intrinsic cost;
// transaction adds 21000 and the calldata (EIP-2028; the EIP-7623 floor of Prague and
// Osaka is below it here). Prague executes as Cancun. Each run draws new keys and a new
// proof: verifyProof's execution is the same every time, the rest moves by a few hundred
// gas (zero bytes of calldata and code, a branch of the G2 decompression).
//
//	circuit                        entry point            proof B  calldata B  execution  transaction
//	x³+x+5 == y (1 input, K = 0)   verifyProof                256         356    188 706      214 262  (every fork)
//	                               verifyCompressedProof      128         164    200 436      223 688  (Cancun, Prague)
//	                                                                             213 847      237 099  (Osaka)
//	rangecheck (2 inputs, K = 1)   verifyProof                384         516    316 218      344 034  (every fork)
//	                               verifyCompressedProof      192         260    332 107      356 571  (Cancun, Prague)
//	                                                                             350 874      375 338  (Osaka)
//
// Deploying costs 1 130 906 gas (K = 0, 4 984 bytes of code) and 1 500 569 (K = 1,
// 6 694 bytes). On Ethereum's L1 the uncompressed entry point is the cheaper one: the
// compressed one saves 192 and 256 bytes of calldata (2 300 and 3 400 gas) but spends
// 11 700 and 15 900 more on MODEXP square roots (25 100 and 34 700 since Osaka's
// EIP-7883). It pays only where calldata is dear (a rollup posting it to L1). A
// commitment adds a two-pair pairing check (113 000 gas), a Keccak hash and a term of the
// public-input MSM; each public input or commitment adds one ECMUL and one ECADD (6 150).
package solidity
