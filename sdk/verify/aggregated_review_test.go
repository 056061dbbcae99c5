package verify_test

// Attacks on aggregated envelopes (envelope flags bit 4, Envelope.Aggregation, opened
// by verify.Envelope through machine.VerifyAggregated): weak aggregation parameters,
// parameters the recursion verifier does not verify (zero knowledge, degree 6, the wide
// and outer hashes), 0 or 2 proofs, a tree cached under Security's floor of 1, swapped
// root keys, truncated proofs and truncated envelope parameters. Each must be a
// rejection (ErrRejected), never a panic.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// reviewTreeParams prove the tree cheaply: one query, 2 grinding bits (3 conjectured
// bits); ExtDegree left 0 as the default, as a caller may.
var reviewTreeParams = fri.Params{LogBlowup: 1, NumQueries: 1, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1}

// aggregatedEnvelope is envelopeOf's run aggregated under reviewTreeParams, through an
// encode/decode round trip.
func aggregatedEnvelope(t *testing.T) *envelope.Envelope {
	t.Helper()
	env := envelopeOf(t)
	o, err := verify.Open(env, opts)
	if err != nil {
		t.Fatal(err)
	}
	e, err := hemera.New(hemera.Params{FRI: reviewTreeParams})
	if err != nil {
		t.Fatal(err)
	}
	a, err := o.Machine.Aggregate(context.Background(), e, o.Keys.VK, o.Statement, o.Segments, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := reviewTreeParams
	env.Aggregation = &p
	env.Proofs = [][]byte{a.Encode()}
	d, err := envelope.Decode(env.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func clone(t *testing.T, env *envelope.Envelope) *envelope.Envelope {
	t.Helper()
	d, err := envelope.Decode(env.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// rejects requires a rejection (no panic) of Envelope and no panic of Security.
func rejects(t *testing.T, name string, env *envelope.Envelope, o verify.Options, want string) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s: panic: %v\n%s", name, p, debug.Stack())
		}
	}()
	err := verify.Envelope(env, o)
	if !errors.Is(err, verify.ErrRejected) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: %v (want a rejection naming %q)", name, err, want)
	} else {
		t.Logf("%s: %v", name, err)
	}
	_, _ = verify.Security(env)
}

var weakOpts = verify.Options{MinSecurityBits: 3}

func TestReviewAggregatedEnvelope(t *testing.T) {
	env := aggregatedEnvelope(t)
	if env.Aggregation.Ext() != 4 {
		t.Fatalf("aggregation parameters decode with degree %d", env.Aggregation.Ext())
	}
	if err := verify.Envelope(env, weakOpts); err != nil {
		t.Fatalf("the honest aggregated envelope at 3 bits: %v", err)
	}
	// Weak aggregation parameters (one query: 3 bits): refused under floors the
	// segments meet (20), under the defaults, and when Security — floor 1 — built and
	// cached the tree first.
	rejects(t, "one query, floor 20", env, opts, "min_security_bits = 20")
	rejects(t, "one query, the defaults", env, verify.Options{}, "min_security_bits = 100")
	if _, err := verify.Security(env); err != nil {
		t.Fatal(err)
	}
	rejects(t, "one query, floor 20 after Security", env, opts, "min_security_bits = 20")
	// Zero or two proofs.
	e0 := clone(t, env)
	e0.Proofs = nil
	rejects(t, "no proofs", e0, weakOpts, "no segment proofs")
	e2 := clone(t, env)
	e2.Proofs = [][]byte{env.Proofs[0], env.Proofs[0]}
	rejects(t, "two proofs", e2, weakOpts, "holds 2 proofs")
	// Aggregation parameters the recursion verifier does not verify, or not the proof's.
	for name, edit := range map[string]func(p *fri.Params){
		"zk":          func(p *fri.Params) { p.ZK = true },
		"degree 6":    func(p *fri.Params) { p.ExtDegree = 6 },
		"wide hash":   func(p *fri.Params) { p.Hash = hash.Wide },
		"outer hash":  func(p *fri.Params) { p.Hash = hash.Outer },
		"no queries":  func(p *fri.Params) { p.NumQueries = 0 },
		"blowup 0":    func(p *fri.Params) { p.LogBlowup = 0 },
		"two queries": func(p *fri.Params) { p.NumQueries = 2 },
		"grinding 3":  func(p *fri.Params) { p.GrindingBits = 3 },
	} {
		e := clone(t, env)
		p := *e.Aggregation
		edit(&p)
		e.Aggregation = &p
		e = clone(t, e) // through the encoding
		rejects(t, name, e, weakOpts, "")
	}
	// The aggregated proof as segment proofs (Aggregation dropped), and a segment proof
	// as the aggregated proof.
	e := clone(t, env)
	e.Aggregation = nil
	rejects(t, "aggregation dropped", e, weakOpts, "segment proof 0")
	seg := envelopeOf(t)
	e = clone(t, env)
	e.Proofs = seg.Proofs
	rejects(t, "a segment proof as the aggregated proof", e, weakOpts, "aggregated proof")
	// Truncations of the aggregated proof.
	for _, n := range []int{0, 1, 4, 5, 20, len(env.Proofs[0]) / 2, len(env.Proofs[0]) - 1} {
		e := clone(t, env)
		e.Proofs = [][]byte{env.Proofs[0][:n]}
		rejects(t, "aggregated proof truncated", e, weakOpts, "")
	}
	// Every root key of the allowlist but the proof's own.
	a, err := machine.DecodeAggregated(env.Proofs[0])
	if err != nil {
		t.Fatal(err)
	}
	for key := range 1 << 6 {
		if key == a.Root.Key {
			continue
		}
		b := *a
		r := *a.Root
		r.Key = key
		b.Root = &r
		e := clone(t, env)
		e.Proofs = [][]byte{b.Encode()}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("root key %d: panic: %v", key, p)
				}
			}()
			if err := verify.Envelope(e, weakOpts); !errors.Is(err, verify.ErrRejected) {
				t.Errorf("root key %d (the proof's is %d): %v", key, a.Root.Key, err)
			}
			_, _ = verify.Security(e)
		}()
	}
	// Single bytes of the aggregated proof's header (shapes, root key, publics) and of
	// its STARK proof changed: rejected, no panic (a sample: each costs a tree).
	pb := env.Proofs[0]
	for _, i := range []int{0, 1, 5, 6, 7, 8, 12, 20, 30, len(pb) / 3, len(pb) / 2, len(pb) - 40, len(pb) - 1} {
		for _, x := range []byte{1, 0x80} {
			b := bytes.Clone(pb)
			b[i] ^= x
			e := clone(t, env)
			e.Proofs = [][]byte{b}
			rejects(t, "proof byte changed", e, weakOpts, "")
		}
	}
	// A claim of another exit code over the honest aggregated proof.
	e = clone(t, env)
	e.Claim.ExitCode++
	rejects(t, "another exit code", e, weakOpts, "")
}

// TestReviewAggregatedEnvelopeTruncated: every truncation of an aggregated envelope's
// body (its checksum recomputed), and every prefix of the aggregation parameters with
// the rest of the file dropped, is refused by Decode without a panic.
func TestReviewAggregatedEnvelopeTruncated(t *testing.T) {
	env := aggregatedEnvelope(t)
	enc := env.Encode()
	body := enc[:len(enc)-sha256.Size]
	// The aggregation parameters follow the flags word after the 7 integer parameters.
	at := bytes.Index(body, []byte{byte(env.Params.NumQueries), 0, 0, 0})
	if at < 0 {
		t.Fatal("no num_queries in the encoding")
	}
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	for n := 4; n < len(body); n++ {
		if n < at-64 || (n > at+128 && n < len(body)-len(env.Proofs[0])-200 && n%97 != 0) {
			continue // the region around the parameters, and a sample of the rest
		}
		b := bytes.Clone(body[:n])
		sum := sha256.Sum256(b)
		if _, err := envelope.Decode(append(b, sum[:]...)); err == nil {
			t.Fatalf("a body truncated to %d of %d bytes decodes", n, len(body))
		}
	}
	// Program still decodes (sanity of the fixture).
	if _, err := isa.Decode(env.Program); err != nil {
		t.Fatal(err)
	}
}
