package hemera_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

func TestDefaultSecurity(t *testing.T) {
	e, err := hemera.New(hemera.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if s := e.SecurityBits(20); s < 100 {
		t.Errorf("2^20 rows: %d bits, want ≥ 100", s)
	}
	m := e.MaxLogN()
	if m < 20 {
		t.Fatalf("MaxLogN = %d, want ≥ 20", m)
	}
	if s := e.SecurityBits(m); s < 100 {
		t.Errorf("MaxLogN = %d gives %d bits, want ≥ 100", m, s)
	}
	if s := e.SecurityBits(m + 1); s >= 100 && m+1+hemera.DefaultParams.FRI.LogBlowup <= field.TwoAdicity {
		t.Errorf("MaxLogN = %d is not the largest: 2^%d rows still give %d bits", m, m+1, s)
	}
	// With the defaults (blowup 2, 100 queries, 16 grinding bits) the field bound binds:
	// 123 − (logN + 1) − 1 bits, so 101 at 2^20 and 100 at 2^21 (the package doc's figures).
	if e.SecurityBits(20) != 101 || m != 21 {
		t.Errorf("SecurityBits(20) = %d, MaxLogN = %d; the package doc says 101 and implies 21", e.SecurityBits(20), m)
	}
}

// strictParams make the security floor bind at 2^8 rows: blowup 16 and 100 queries
// give 400 query bits, so the field bound 123 − (logN + 4) − 1 binds, and 110 bits
// allow logN ≤ 8.
var strictParams = hemera.Params{
	FRI:             fri.Params{LogBlowup: 4, NumQueries: 100, GrindingBits: 0, LogArity: 1, LogFinalPolyLen: 0},
	MinSecurityBits: 110,
	Workers:         2,
}

func setup(t *testing.T, p hemera.Params, tb starktest.Table) (*hemera.Engine, *stark.ProvingKey, *stark.VerifyingKey, *stark.Witness) {
	t.Helper()
	e, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := e.Setup([]*air.AIR{tb.AIR}, [][][]field.Elem{tb.Prep})
	if err != nil {
		t.Fatal(err)
	}
	return e, pk, vk, &stark.Witness{Main: [][][]field.Elem{tb.Main}, Publics: [][]field.Elem{tb.Publics}}
}

func TestProveRefusesTooTallTrace(t *testing.T) {
	e, pk, vk, w := setup(t, strictParams, starktest.Fib(8))
	if e.MaxLogN() != 8 {
		t.Fatalf("MaxLogN = %d, want 8", e.MaxLogN())
	}
	proof, err := e.Prove(pk, w) // 2^8 rows: allowed
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(vk, proof, w.Publics, nil); err != nil {
		t.Fatal(err)
	}

	e, pk, _, w = setup(t, strictParams, starktest.Fib(9))
	_, err = e.Prove(pk, w)
	if err == nil || !strings.Contains(err.Error(), "a trace of 2^9 rows gives 109 bits of conjectured security, below min_security_bits = 110") {
		t.Errorf("2^9 rows: %v", err)
	}
}

// With the defaults, a trace one row-doubling past MaxLogN is refused before any work.
func TestProveRefusesTooTallTraceDefaults(t *testing.T) {
	e, err := hemera.New(hemera.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	logN := e.MaxLogN() + 1
	tb := starktest.Wide(logN, 1, 0)
	_, pk, _, w := setup(t, hemera.DefaultParams, tb)
	if _, err := e.Prove(pk, w); err == nil || !strings.Contains(err.Error(), "below min_security_bits = 100") {
		t.Errorf("2^%d rows: %v", logN, err)
	}
}

// A proof of a trace too tall for the verifier's floor is rejected like an invalid proof,
// whoever made it.
func TestVerifyRejectsTooTallTrace(t *testing.T) {
	lenient := strictParams
	lenient.MinSecurityBits = 0
	tb := starktest.Fib(9)
	le, pk, vk, w := setup(t, lenient, tb)
	proof, err := le.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := le.Verify(vk, proof, w.Publics, nil); err != nil {
		t.Fatalf("the lenient engine rejects its own proof: %v", err)
	}
	strict, _, _, _ := setup(t, strictParams, tb)
	err = strict.Verify(vk, proof, w.Publics, nil)
	var se *stark.Error
	if !errors.Is(err, stark.ErrInvalidProof) || !errors.As(err, &se) || se.Check != "security" {
		t.Errorf("strict verifier: %v", err)
	}

	// A proof that claims a taller trace than it has is rejected the same way, on the
	// defaults too, before anything else is checked.
	e, pk, vk, w := setup(t, hemera.DefaultParams, starktest.Fib(4))
	proof, err = e.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	proof.LogN[0] = e.MaxLogN() + 1
	if err := e.Verify(vk, proof, w.Publics, nil); !errors.As(err, &se) || se.Check != "security" {
		t.Errorf("claimed height 2^%d: %v", proof.LogN[0], err)
	}
}

func TestNewValidates(t *testing.T) {
	bad := func(mod func(*hemera.Params)) hemera.Params {
		p := hemera.DefaultParams
		mod(&p)
		return p
	}
	for name, p := range map[string]hemera.Params{
		"min security -1":  bad(func(p *hemera.Params) { p.MinSecurityBits = -1 }),
		"min security 129": bad(func(p *hemera.Params) { p.MinSecurityBits = 129 }),
		"workers -1":       bad(func(p *hemera.Params) { p.Workers = -1 }),
		"workers 1025":     bad(func(p *hemera.Params) { p.Workers = 1025 }),
		"blowup 0":         bad(func(p *hemera.Params) { p.FRI.LogBlowup = 0 }),
	} {
		if _, err := hemera.New(p); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if _, err := hemera.New(hemera.DefaultParams, hemera.WithKernels(nil)); err == nil {
		t.Error("nil kernels accepted")
	}
	k := cpu.New(3)
	e, err := hemera.New(hemera.DefaultParams, hemera.WithKernels(k))
	if err != nil || e.Kernels() != k {
		t.Errorf("WithKernels: %v", err)
	}
	e, err = hemera.New(hemera.DefaultParams)
	if err != nil || e.Params().Workers < 1 || e.Kernels().Name() != "cpu" || e.Config().Workers != e.Params().Workers {
		t.Errorf("defaults: %+v, %v", e.Params(), err)
	}
}
