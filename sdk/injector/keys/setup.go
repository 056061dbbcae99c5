package keys

import (
	"fmt"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
)

// SetupLocal makes Groth16 keys for ccs on this machine with groth16.Setup.
//
// Development only: the setup draws its secrets (τ, α, β, γ, δ, the "toxic
// waste") in this process, and whoever knows them can forge proofs for any
// statement. Nothing erases them from memory, swap or a core dump. Store the
// keys with [SetupLocalDev]; production keys come from an MPC ceremony
// ([Phase1Init] to [Extract]).
func SetupLocal(ccs constraint.ConstraintSystem) (groth16.ProvingKey, groth16.VerifyingKey, error) {
	r, err := asR1CS(ccs)
	if err != nil {
		return nil, nil, fmt.Errorf("local setup: %w", err)
	}
	pk, vk, err := groth16.Setup(r)
	if err != nil {
		return nil, nil, fmt.Errorf("local setup: %w", err)
	}
	return pk, vk, nil
}
