package verify_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// TestClaimFieldsBound edits each claim field that no table produces (isa,
// source_digest, input_digest) after proving, the way the audit did (re-encoding the
// envelope recomputes its checksum), and expects a rejection naming the field. With the
// envelope's Bound copy edited too — a forger who knows the format — the proofs still
// reject: they are bound to the claim's context through their public values.
func TestClaimFieldsBound(t *testing.T) {
	env := envelopeOf(t)
	if err := verify.Envelope(env, opts); err != nil {
		t.Fatalf("valid envelope rejected: %v", err)
	}
	other := envelope.InputDigest([]byte("another input"))
	cases := []struct {
		field string
		edit  func(c *envelope.Claim)
	}{
		{"isa", func(c *envelope.Claim) { c.ISA = "evm" }},
		{"source_digest", func(c *envelope.Claim) { c.SourceDigest = envelope.SourceDigest([]byte("another source")) }},
		{"input_digest", func(c *envelope.Claim) { c.InputDigest = other }},
	}
	for _, tc := range cases {
		e := reencode(t, env, func(e *envelope.Envelope) { tc.edit(&e.Claim) })
		err := verify.Envelope(e, opts)
		if !errors.Is(err, verify.ErrRejected) || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("claim %s edited: want a rejection naming it, got %v", tc.field, err)
		}
		// The forger edits the Bound copy too: the proof itself must reject.
		e = reencode(t, env, func(e *envelope.Envelope) {
			tc.edit(&e.Claim)
			e.Bound = envelope.BoundOf(&e.Claim)
		})
		err = verify.Envelope(e, opts)
		if !errors.Is(err, verify.ErrRejected) {
			t.Errorf("claim %s and its bound copy edited: not rejected: %v", tc.field, err)
		}
	}
}

// TestRequireSource checks source_digest against the source bytes.
func TestRequireSource(t *testing.T) {
	env := envelopeOf(t)
	src := ".fp 0x1000\nmain: ecall read, [8]\n add [12], [8], 5\n ecall write, [12], 1\n halt [12]\n"
	o := opts
	o.Hooks = []verify.Hook{verify.RequireSource([]byte(src))}
	if err := verify.Envelope(env, o); err != nil {
		t.Fatalf("the right source rejected: %v", err)
	}
	o.Hooks = []verify.Hook{verify.RequireSource([]byte(src + "\n"))}
	if err := verify.Envelope(env, o); !errors.Is(err, verify.ErrRejected) || !strings.Contains(err.Error(), "source_digest") {
		t.Fatalf("another source: %v", err)
	}
}

// TestRequireInput checks input_digest against the input bytes.
func TestRequireInput(t *testing.T) {
	env := envelopeOf(t)
	o := opts
	o.Hooks = []verify.Hook{verify.RequireInput([]byte{7})}
	if err := verify.Envelope(env, o); err != nil {
		t.Fatalf("the right input rejected: %v", err)
	}
	o.Hooks = []verify.Hook{verify.RequireInput([]byte{8})}
	if err := verify.Envelope(env, o); !errors.Is(err, verify.ErrRejected) || !strings.Contains(err.Error(), "input_digest") {
		t.Fatalf("another input: %v", err)
	}
}

// reencode copies env through its encoding (checksum recomputed) with an edit.
func reencode(t *testing.T, env *envelope.Envelope, edit func(*envelope.Envelope)) *envelope.Envelope {
	t.Helper()
	e, err := envelope.Decode(env.Encode())
	if err != nil {
		t.Fatal(err)
	}
	edit(e)
	e, err = envelope.Decode(e.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return e
}
