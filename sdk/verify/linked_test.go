package verify_test

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// linkerOf verifies env's proofs the way the host does as segments arrive, with the
// floors of opts, and returns the finished linker.
func linkerOf(t *testing.T, env *envelope.Envelope) *machine.Linker {
	t.Helper()
	p, err := isa.Decode(env.Program)
	if err != nil {
		t.Fatal(err)
	}
	e, err := hemera.New(hemera.Params{FRI: env.Params.Params, MinSecurityBits: opts.MinSecurityBits})
	if err != nil {
		t.Fatal(err)
	}
	m := machine.New(e)
	keys, err := m.Setup(p)
	if err != nil {
		t.Fatal(err)
	}
	c := &env.Claim
	l := m.NewLinker(keys.VK, p, c.InputLen, c.InputDigest, c.Context())
	if _, err := l.VerifyEncoded(env.Proofs[0], env.Output, isa.ExitStatus(c.ExitStatus), c.ExitCode); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestEnvelopeLinked: an envelope whose proofs a linker already verified is accepted
// without verifying them again, and a linker never launders anything else: a flipped
// proof byte, an edited claim or a linker of another run is verified (and rejected) as
// without it.
func TestEnvelopeLinked(t *testing.T) {
	env, err := envelope.Decode(plainEnvelope(t))
	if err != nil {
		t.Fatal(err)
	}
	l := linkerOf(t, env)
	with := opts
	with.Linked = l
	if err := verify.Envelope(env, with); err != nil {
		t.Fatalf("linked: %v", err)
	}
	flipped, _ := envelope.Decode(plainEnvelope(t))
	flipped.Proofs[0] = append([]byte(nil), flipped.Proofs[0]...)
	flipped.Proofs[0][len(flipped.Proofs[0])/3] ^= 1
	if err := verify.Envelope(flipped, with); !errors.Is(err, verify.ErrRejected) {
		t.Errorf("a flipped proof byte with the honest linker: %v", err)
	}
	code, _ := envelope.Decode(plainEnvelope(t))
	code.Claim.ExitCode++
	if err := verify.Envelope(code, with); !errors.Is(err, verify.ErrRejected) {
		t.Errorf("another exit code with the honest linker: %v", err)
	}
	// A linker of another run (other parameters, so other proofs) covers nothing here.
	q := params
	q.NumQueries++
	other := envelopeWith(t, q)
	with.Linked = linkerOf(t, other)
	if err := verify.Envelope(flipped, with); !errors.Is(err, verify.ErrRejected) {
		t.Errorf("a flipped proof byte with another run's linker: %v", err)
	}
	if err := verify.Envelope(env, with); err != nil {
		t.Errorf("the honest envelope with another run's linker: %v", err)
	}
}
