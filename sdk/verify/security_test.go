package verify_test

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// TestSecurityIsTheVerifiersFigure: the accounting Security reports (what the CLI
// prints) is the one the verifier's floors check — a floor at its provable bits
// accepts the envelope, one bit above rejects it — and an envelope whose proof does
// not decode has none.
func TestSecurityIsTheVerifiersFigure(t *testing.T) {
	env := envelopeOf(t)
	sec, err := verify.Security(env)
	if err != nil {
		t.Fatal(err)
	}
	if sec.Provable <= 0 || sec.Conjectured < sec.Provable || len(sec.Terms) == 0 {
		t.Fatalf("implausible accounting: %+v", sec)
	}
	o := opts
	o.MinProvableBits = sec.Provable
	if err := verify.Envelope(env, o); err != nil {
		t.Fatalf("a floor at the reported %d provable bits rejected the envelope: %v", sec.Provable, err)
	}
	o.MinProvableBits = sec.Provable + 1
	if err := verify.Envelope(env, o); !errors.Is(err, verify.ErrRejected) {
		t.Fatalf("a floor one bit above the reported %d provable bits accepted the envelope: %v", sec.Provable, err)
	}
	bad := reencode(t, env, func(e *envelope.Envelope) { e.Proofs[0] = e.Proofs[0][:10] })
	if _, err := verify.Security(bad); !errors.Is(err, verify.ErrRejected) {
		t.Fatalf("a truncated proof has an accounting: %v", err)
	}
}
