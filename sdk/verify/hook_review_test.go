package verify_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// TestHookClaimDroppedInEncoding: the claim encodes its hook fields only when the count
// is nonzero, so a claim with count 0 and some digest encodes (and has the root of) the
// claim without hooks. Neither reading may verify a run whose proofs carry hook calls,
// and a hook-free run may not verify under a claim that keeps a digest with count 0:
// the envelope as given (the digest kept) and as re-encoded (the digest dropped).
func TestHookClaimDroppedInEncoding(t *testing.T) {
	hooked := hookedEnvelope(t, 0)
	plain := envelopeOf(t)
	if err := verify.Envelope(plain, opts); err != nil {
		t.Fatalf("valid hook-free envelope rejected: %v", err)
	}
	digest := hooked.Claim.HookDigest
	for name, env := range map[string]*envelope.Envelope{"the run with hooks": hooked, "the run without hooks": plain} {
		c := env.Claim
		c.HookCount, c.HookDigest = 0, digest
		bare := env.Claim
		bare.HookCount, bare.HookDigest = 0, envelope.HookDigest(nil)
		if !bytes.Equal(c.Encode(), bare.Encode()) || c.Root() != bare.Root() {
			t.Fatalf("%s: a count-0 claim with a digest encodes differently from the claim without hooks", name)
		}
		given := *env
		given.Claim = c
		if err := verify.Envelope(&given, opts); !errors.Is(err, verify.ErrRejected) {
			t.Errorf("%s, claimed with count 0 and the hook digest kept: not rejected: %v", name, err)
		}
		if name == "the run with hooks" {
			e := reencode(t, env, func(e *envelope.Envelope) { e.Claim = c })
			if e.Claim.HookCount != 0 || e.Claim.HookDigest != envelope.HookDigest(nil) {
				t.Fatalf("re-encoded claim keeps a hook log: %d, %v", e.Claim.HookCount, e.Claim.HookDigest)
			}
			if err := verify.Envelope(e, opts); !errors.Is(err, verify.ErrRejected) {
				t.Errorf("%s, claimed with the hook fields dropped by the encoding: not rejected: %v", name, err)
			}
		}
	}
}
