package verify_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// hookedEnvelope proves a program that asks the host twice (storage at key 7, answered
// 3·7 + bias) and wraps it like the host does, with the claim's hook log.
func hookedEnvelope(t *testing.T, bias uint32) *envelope.Envelope {
	t.Helper()
	src := ".fp 0x1000\nmain: ecall 0x100, [8], 7\n ecall 0x100, [12], [8]\n add [16], [8], [12]\n ecall write, [16], 1\n halt 0\n"
	p, err := isa.Assemble("h.s", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	hooks := map[uint32]exec.Syscall{0x100: func(c *exec.Call) error { return c.SetA(3*c.B + bias) }}
	_, recs, err := machine.Execute(context.Background(), p, exec.Options{Hooks: hooks})
	if err != nil {
		t.Fatal(err)
	}
	e, err := hemera.New(hemera.Params{FRI: params})
	if err != nil {
		t.Fatal(err)
	}
	m := machine.New(e)
	keys, err := m.Setup(p)
	if err != nil {
		t.Fatal(err)
	}
	st, err := machine.StatementFromRecords(p, recs, nil)
	if err != nil {
		t.Fatal(err)
	}
	claim := envelope.Claim{ISA: "asm", ProgramID: p.ID(), SourceDigest: envelope.SourceDigest([]byte(src)), InputDigest: envelope.InputDigest(nil),
		OutputDigest: envelope.OutputDigest(st.Output), ExitStatus: uint8(st.Status), ExitCode: st.ExitCode, Cycles: st.Cycles,
		HookCount: st.HookCount, HookDigest: st.HookDigest}
	st.Context = claim.Context()
	proof, err := m.Prove(keys, st, recs)
	if err != nil {
		t.Fatal(err)
	}
	return &envelope.Envelope{Claim: claim, Bound: envelope.BoundOf(&claim), Program: p.Encode(), Output: st.Output,
		Proofs: [][]byte{proof.Encode()}, Params: envelope.Params{Params: params, Machine: m.ID().String()}}
}

// TestHookClaim: an envelope of a run with hooks verifies, and its claim names the
// host answers the run used (a verifier that knows them rebuilds the digest); the
// claim edited to another log (another run's answers, a wrong count, no log) or a
// hook-free claim given a log is rejected.
func TestHookClaim(t *testing.T) {
	env := hookedEnvelope(t, 0)
	if err := verify.Envelope(env, opts); err != nil {
		t.Fatalf("valid envelope rejected: %v", err)
	}
	want := envelope.HookDigest([]hook.Entry{{Number: 0x100, B: 7, A: 21}, {Number: 0x100, B: 21, A: 63}})
	if env.Claim.HookCount != 2 || env.Claim.HookDigest != want {
		t.Fatalf("claim's hook log %d, %v; want 2, %v", env.Claim.HookCount, env.Claim.HookDigest, want)
	}
	other := hookedEnvelope(t, 1) // the same program and output length, other answers
	for name, edit := range map[string]func(c *envelope.Claim){
		"another run's hook digest": func(c *envelope.Claim) { c.HookDigest = other.Claim.HookDigest },
		"a hook count one short":    func(c *envelope.Claim) { c.HookCount = 1 },
		"no hook log":               func(c *envelope.Claim) { c.HookCount, c.HookDigest = 0, envelope.HookDigest(nil) },
	} {
		e := reencode(t, env, func(e *envelope.Envelope) { edit(&e.Claim) })
		if err := verify.Envelope(e, opts); !errors.Is(err, verify.ErrRejected) {
			t.Errorf("%s: not rejected: %v", name, err)
		}
	}
	// Another run's proof under this run's hook digest.
	e := reencode(t, other, func(e *envelope.Envelope) {
		e.Claim.HookDigest = env.Claim.HookDigest
	})
	if err := verify.Envelope(e, opts); !errors.Is(err, verify.ErrRejected) {
		t.Errorf("another run's proof with this run's hook digest: not rejected: %v", err)
	}
	plain := reencode(t, envelopeOf(t), func(e *envelope.Envelope) { e.Claim.HookCount, e.Claim.HookDigest = 2, want })
	if err := verify.Envelope(plain, opts); !errors.Is(err, verify.ErrRejected) {
		t.Errorf("a hook-free run claiming a hook log: not rejected: %v", err)
	}
}
