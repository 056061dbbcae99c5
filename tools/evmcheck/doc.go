// Package evmcheck runs the Hemera Injector's Solidity verifier for real: it compiles
// the contract package proving/injector/solidity exports with npm's solcjs (Compile),
// deploys it in go-ethereum's EVM over an in-memory state (NewEVM, Deploy) and calls it
// with real Groth16 proofs (Call), reporting the gas. It is its own module so that
// go-ethereum stays out of the root module (STYLE.md); nothing imports it, its tests
// are what it is for:
//
//	SOLCJS=$(scripts/solc.sh) go test -v ./tools/evmcheck/
//
// TestVerifierInEVM checks gnark's exported verifier on small circuits (with and without
// a commitment, every fork from Cancun to Osaka, both entry points, every tampered word
// of the proof); TestWrappedProofInEVM wraps a real STARK proof (proving/injector/wrap)
// and verifies the 256-byte Groth16 proof on chain within 300k gas. Without SOLCJS the
// tests fail under CI and skip elsewhere, naming the command that installs solc.
package evmcheck
