package verify_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

var params = fri.Params{LogBlowup: 1, NumQueries: 20, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 2}

var opts = verify.Options{MinSecurityBits: 20}

// envelopeOf proves a small program in-process and wraps it like the host does.
func envelopeOf(t *testing.T) *envelope.Envelope { return envelopeWith(t, params) }

// envelopeWith is envelopeOf under the given FRI parameters.
func envelopeWith(t *testing.T, params fri.Params) *envelope.Envelope {
	t.Helper()
	src := ".fp 0x1000\nmain: ecall read, [8]\n add [12], [8], 5\n ecall write, [12], 1\n halt [12]\n"
	p, err := isa.Assemble("v.s", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	input := []byte{7}
	res, recs, err := machine.Execute(context.Background(), p, exec.Options{Input: input})
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
	st := machine.StatementOf(p, res, input)
	claim := envelope.Claim{ISA: "asm", ProgramID: p.ID(), SourceDigest: envelope.SourceDigest([]byte(src)), InputDigest: envelope.InputDigest(input), InputLen: 1,
		OutputDigest: envelope.OutputDigest(res.Output), ExitStatus: uint8(res.ExitStatus), ExitCode: res.ExitCode, Cycles: res.Cycles}
	st.Context = claim.Context()
	proof, err := m.Prove(keys, st, recs)
	if err != nil {
		t.Fatal(err)
	}
	return &envelope.Envelope{
		Claim:   claim,
		Bound:   envelope.BoundOf(&claim),
		Program: p.Encode(), Output: res.Output, Proofs: [][]byte{proof.Encode()},
		Params: envelope.Params{Params: params, Machine: m.ID().String()},
	}
}

// plainEnvelope is envelopeOf's encoding, made once for the tests that share it.
var plainEnvelope = func() func(t *testing.T) []byte {
	var enc []byte
	return func(t *testing.T) []byte {
		t.Helper()
		if enc == nil {
			enc = envelopeOf(t).Encode()
		}
		return enc
	}
}()

func TestEnvelope(t *testing.T) {
	env, err := envelope.Decode(plainEnvelope(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := verify.Envelope(env, opts); err != nil {
		t.Fatalf("valid envelope rejected: %v", err)
	}
	if env.Claim.ExitCode != 12 || string(env.Output) != "\x0c" {
		t.Fatalf("unexpected claim %+v output %x", env.Claim, env.Output)
	}
	cases := map[string]func(e *envelope.Envelope, o *verify.Options){
		"exit code":    func(e *envelope.Envelope, o *verify.Options) { e.Claim.ExitCode++ },
		"exit status":  func(e *envelope.Envelope, o *verify.Options) { e.Claim.ExitStatus = uint8(isa.StatusTrap) },
		"cycles":       func(e *envelope.Envelope, o *verify.Options) { e.Claim.Cycles-- },
		"input length": func(e *envelope.Envelope, o *verify.Options) { e.Claim.InputLen = 2 },
		"output":       func(e *envelope.Envelope, o *verify.Options) { e.Output = []byte{13} },
		"output and hash": func(e *envelope.Envelope, o *verify.Options) {
			e.Output = []byte{13}
			e.Claim.OutputDigest = envelope.OutputDigest(e.Output)
		},
		"program id": func(e *envelope.Envelope, o *verify.Options) { e.Claim.ProgramID[0].SetUint64(5) },
		"program": func(e *envelope.Envelope, o *verify.Options) {
			p, _ := isa.Decode(e.Program)
			p.Code[1].C = 6 // add 6, not 5
			e.Program = p.Encode()
		},
		"program and id": func(e *envelope.Envelope, o *verify.Options) {
			p, _ := isa.Decode(e.Program)
			p.Code[1].C = 6
			e.Program, e.Claim.ProgramID = p.Encode(), p.ID()
		},
		"no proof":     func(e *envelope.Envelope, o *verify.Options) { e.Proofs = nil },
		"two proofs":   func(e *envelope.Envelope, o *verify.Options) { e.Proofs = append(e.Proofs, e.Proofs[0]) },
		"proof byte":   func(e *envelope.Envelope, o *verify.Options) { e.Proofs[0][len(e.Proofs[0])/2] ^= 4 },
		"params":       func(e *envelope.Envelope, o *verify.Options) { e.Params.NumQueries = 21 },
		"bad params":   func(e *envelope.Envelope, o *verify.Options) { e.Params.LogBlowup = 9 },
		"security":     func(e *envelope.Envelope, o *verify.Options) { o.MinSecurityBits = 100 },
		"program hook": func(e *envelope.Envelope, o *verify.Options) { o.Hooks = []verify.Hook{verify.AllowPrograms("00")} },
		"halted hook":  func(e *envelope.Envelope, o *verify.Options) { o.Hooks = []verify.Hook{verify.RequireHalted} },
	}
	enc := env.Encode()
	for name, mutate := range cases {
		e, err := envelope.Decode(enc) // a fresh copy of the one proof
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		mutate(e, &o)
		if err := verify.Envelope(e, o); !errors.Is(err, verify.ErrRejected) {
			t.Errorf("%s: not rejected: %v", name, err)
		}
	}
	// Allowed programs pass the hook.
	o := opts
	o.Hooks = []verify.Hook{verify.AllowPrograms(env.Claim.ProgramID.String())}
	if err := verify.Envelope(env, o); err != nil {
		t.Fatalf("allowed program rejected: %v", err)
	}
}

// A zero-knowledge envelope verifies, through its encoding; labelled without zero
// knowledge it is rejected, and so is a plain proof labelled zero-knowledge.
func TestEnvelopeZK(t *testing.T) {
	zp := params
	zp.ZK = true
	zk := envelopeWith(t, zp)
	dec, err := envelope.Decode(zk.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if !dec.Params.ZK {
		t.Fatal("the encoding lost zk")
	}
	if err := verify.Envelope(dec, opts); err != nil {
		t.Fatalf("zero-knowledge envelope rejected: %v", err)
	}
	dec.Params.ZK = false
	if err := verify.Envelope(dec, opts); !errors.Is(err, verify.ErrRejected) {
		t.Errorf("zero-knowledge proof labelled plain: %v", err)
	}
	plain, err := envelope.Decode(plainEnvelope(t))
	if err != nil {
		t.Fatal(err)
	}
	plain.Params.ZK = true
	if err := verify.Envelope(plain, opts); !errors.Is(err, verify.ErrRejected) {
		t.Errorf("plain proof labelled zero-knowledge: %v", err)
	}
}
