package stark_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// grindParams grind 12 bits before the LogUp challenges and before ζ: enough that the
// parallel search runs (transcript.GrindParallel searches in parallel from 12 bits).
func grindParams(logUp, deep, workers int) hemera.Params {
	p := testParams
	p.FRI.LogUpGrindingBits, p.FRI.DEEPGrindingBits, p.Workers = logUp, deep, workers
	return p
}

// The nonces are the smallest that meet the bits, whatever the worker count.
func TestGrindingDeterministic(t *testing.T) {
	a := newSystem(t, grindParams(12, 12, 1)).prove(t)
	b := newSystem(t, grindParams(12, 12, 3)).prove(t)
	if !bytes.Equal(a.Encode(), b.Encode()) {
		t.Fatal("proof bytes depend on the worker count")
	}
	if a.LogUpNonce.IsZero() && a.DEEPNonce.IsZero() {
		t.Error("both nonces are 0 with 12 bits each (probability 2^-24)")
	}
}

// A nonce below the honest one (which is the smallest that meets the bits) fails the
// proof of work; any other nonce changes the transcript.
func TestGrindingWrongNonceRejected(t *testing.T) {
	s := newSystem(t, grindParams(8, 8, 2))
	good := s.prove(t)
	if err := s.verify(good); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		nonce func(*stark.Proof) *field.Elem
	}{
		{"LogUp nonce", func(p *stark.Proof) *field.Elem { return &p.LogUpNonce }},
		{"DEEP nonce", func(p *stark.Proof) *field.Elem { return &p.DEEPNonce }},
	} {
		for _, delta := range []int64{-1, 1} {
			p, err := stark.Decode(good.Encode())
			if err != nil {
				t.Fatal(err)
			}
			n := c.nonce(p)
			honest := n.Uint64()
			if delta < 0 && honest == 0 {
				continue // nothing below the smallest nonce (probability 2^-8)
			}
			n.SetUint64(uint64(int64(honest) + delta))
			err = s.verify(p)
			mustReject(t, c.name, err)
			var se *stark.Error
			if delta < 0 && (!errors.As(err, &se) || se.Check != "pow") {
				t.Errorf("%s %d (honest %d): rejected by %v, want the pow check", c.name, n.Uint64(), honest, err)
			}
		}
	}
}

// The grinding bits are absorbed with the other parameters: a proof is rejected by a
// verifier configured with other bits, whichever they are.
func TestGrindingParamsBound(t *testing.T) {
	s := newSystem(t, grindParams(8, 8, 2))
	proof := s.prove(t)
	for _, p := range []struct{ logUp, deep int }{{7, 8}, {9, 8}, {8, 7}, {8, 9}, {0, 0}, {8, 0}} {
		v := newSystem(t, grindParams(p.logUp, p.deep, 2))
		mustReject(t, "verifier with other grinding bits", v.verify(proof))
	}
	// A prover without grinding makes a proof that a grinding verifier rejects.
	weak := newSystem(t, grindParams(0, 0, 2)).prove(t)
	mustReject(t, "proof without grinding", s.verify(weak))
}
