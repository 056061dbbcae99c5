package solidity

import (
	"fmt"
	"io"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	gsolidity "github.com/consensys/gnark/backend/solidity"
	"golang.org/x/crypto/sha3"
)

// SolcVersion is the Solidity compiler the exported contract is pinned to: its pragma
// names this exact version, and tools/evmcheck's Compile refuses a solcjs that reports
// another. It is
// the npm package the project uses elsewhere (examples/evm/compile.sh, scripts/solc.sh).
const SolcVersion = "0.8.26"

// EVMVersion is the EVM target tools/evmcheck's Compile asks solc for (solc 0.8.26's default). The
// contract needs only the BN254 precompiles 0x05–0x08 (Byzantium) and the opcodes every
// fork since Shanghai has; the gas tools/evmcheck measures on Cancun and Osaka runs this code.
const EVMVersion = "cancun"

// Export writes gnark's Groth16 Solidity verifier for a BN254 verifying key to w, with
// the pragma pinned to [SolcVersion] and the Pedersen commitments (if the circuit has
// any) hashed to the field with legacy Keccak-256, which is what the contract computes.
// Proofs for it must be made with [ProverOption]; [CallData] and
// [CompressedCallData] build the calls.
//
// The contract is gnark v0.16's template (backend/groth16/bn254/solidity.go), named
// Verifier, with two view entry points that revert on a bad proof and return nothing:
//
//	verifyProof(bytes proof, uint256[N] input)
//	verifyCompressedProof(uint256[4] compressedProof, [uint256[K] compressedCommitments, uint256 compressedCommitmentPok,] uint256[N] input)
//
// and compressProof(bytes) returning the compressed form. N is the number of public
// inputs of the circuit (the constant 1 wire and the K commitment-derived values
// excluded), K the number of commitments. A circuit with no public input gives
// uint256[0], which solc rejects: such a circuit cannot be exported.
func Export(vk groth16.VerifyingKey, w io.Writer) error {
	if vk == nil {
		return fmt.Errorf("solidity: nil verifying key")
	}
	if id := vk.CurveID(); id != ecc.BN254 {
		return fmt.Errorf("solidity: verifying key on %s: only BN254 has EVM precompiles", id)
	}
	bvk, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return fmt.Errorf("solidity: verifying key of type %T, want *bn254.VerifyingKey", vk)
	}
	if len(bvk.G1.K)-1-len(bvk.PublicAndCommitmentCommitted) <= 0 {
		return fmt.Errorf("solidity: the circuit has no public input (the contract would take uint256[0], which solc rejects)")
	}
	return vk.ExportSolidity(w,
		gsolidity.WithPragmaVersion(SolcVersion),
		gsolidity.WithHashToFieldFunction(sha3.NewLegacyKeccak256()))
}

// ProverOption is the option every proof meant for the exported contract must be made
// with: it hashes the Pedersen commitments to the field with legacy Keccak-256, as the
// contract does (gnark's default, RFC 9380 hash-to-field, is not available in Solidity).
// For a circuit without commitments it changes nothing.
func ProverOption() backend.ProverOption {
	return gsolidity.WithProverTargetSolidityVerifier(backend.GROTH16)
}

// VerifierOption is [ProverOption]'s counterpart for groth16.Verify in Go.
func VerifierOption() backend.VerifierOption {
	return gsolidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)
}
