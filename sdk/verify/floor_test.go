package verify_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// The verifier owns its floor: the zero Options ask for 100 bits of conjectured security
// whatever the envelope's parameters say, and the rejection names the parameters.
func TestZeroOptionsHaveTheDefaultFloor(t *testing.T) {
	env := envelopeOf(t) // 20 queries, 2 grinding bits: 22 conjectured bits
	err := verify.Envelope(env, verify.Options{})
	if !errors.Is(err, verify.ErrRejected) || !strings.Contains(err.Error(), "below min_security_bits = 100") ||
		!strings.Contains(err.Error(), "num_queries 20, grinding_bits 2") {
		t.Fatalf("zero options: %v", err)
	}
	// An envelope that names weaker parameters (one query, no grinding) is rejected too,
	// with the zero options and with DefaultOptions.
	e, err := envelope.Decode(env.Encode())
	if err != nil {
		t.Fatal(err)
	}
	e.Params.NumQueries, e.Params.GrindingBits = 1, 0
	for _, o := range []verify.Options{{}, verify.DefaultOptions} {
		if err := verify.Envelope(e, o); !errors.Is(err, verify.ErrRejected) || !strings.Contains(err.Error(), "num_queries 1, grinding_bits 0") {
			t.Errorf("one query, %+v: %v", o, err)
		}
	}
	// The provable floor is the caller's to raise: 20 queries at rate 1/2 are ~10 bits.
	if err := verify.Envelope(env, verify.Options{MinSecurityBits: 20, MinProvableBits: 50}); !errors.Is(err, verify.ErrRejected) ||
		!strings.Contains(err.Error(), "below min_provable_bits = 50") {
		t.Errorf("provable floor: %v", err)
	}
}
