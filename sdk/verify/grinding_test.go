package verify_test

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// The envelope's grinding parameters reach the engine: a proof made with proof of work
// before the LogUp challenges and ζ verifies under them, and not once either is edited.
func TestGrindingParams(t *testing.T) {
	p := params
	p.LogUpGrindingBits, p.DEEPGrindingBits = 6, 5
	env := envelopeWith(t, p)
	if err := verify.Envelope(env, opts); err != nil {
		t.Fatal(err)
	}
	enc := env.Encode()
	for _, edit := range []func(*envelope.Params){
		func(p *envelope.Params) { p.LogUpGrindingBits-- },
		func(p *envelope.Params) { p.LogUpGrindingBits = 0 },
		func(p *envelope.Params) { p.DEEPGrindingBits++ },
		func(p *envelope.Params) { p.DEEPGrindingBits = 0 },
		func(p *envelope.Params) { p.LogUpGrindingBits = 25 }, // out of range
	} {
		e, err := envelope.Decode(enc)
		if err != nil {
			t.Fatal(err)
		}
		edit(&e.Params)
		if err := verify.Envelope(e, opts); !errors.Is(err, verify.ErrRejected) {
			t.Errorf("grinding %d/%d: %v", e.Params.LogUpGrindingBits, e.Params.DEEPGrindingBits, err)
		} else {
			t.Logf("grinding %d/%d: %v", e.Params.LogUpGrindingBits, e.Params.DEEPGrindingBits, err)
		}
	}
}
