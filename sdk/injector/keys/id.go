package keys

import (
	"crypto/sha256"
	"fmt"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	cs "github.com/consensys/gnark/constraint/bn254"

	"github.com/oneiros-zk/oneiros/proving/injector"
)

// CircuitID is injector.CircuitID: the hex SHA-256 of the serialized constraint system,
// the name keys are stored and looked up under.
func CircuitID(ccs constraint.ConstraintSystem) (string, error) { return injector.CircuitID(ccs) }

// VKDigest is injector.VKDigest: the hex SHA-256 of a verifying key's canonical bytes.
func VKDigest(vk groth16.VerifyingKey) string { return injector.VKDigest(vk) }

func asR1CS(ccs constraint.ConstraintSystem) (*cs.R1CS, error) { return injector.AsR1CS(ccs) }

// checkID reports whether id has the shape [CircuitID] returns: 64 lowercase
// hex digits. It keeps a cache lookup inside the cache directory.
func checkID(id string) error {
	if len(id) != 2*sha256.Size {
		return fmt.Errorf("invalid circuit id %q: want %d hex digits", id, 2*sha256.Size)
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Errorf("invalid circuit id %q: want lowercase hex digits", id)
		}
	}
	return nil
}
