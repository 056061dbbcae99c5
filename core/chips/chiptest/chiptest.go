// Package chiptest runs chips through the engine in tests: each table is checked row by
// row (airtest.Check), the buses are balanced (airtest.CheckBus), and the tables are
// proven and verified together with fast, low-security parameters. Tampering tests use
// Prove on a bad witness and expect the verifier to reject it.
package chiptest

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/air/airtest"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Table is one chip's AIR with its witness.
type Table struct {
	AIR     *air.AIR
	Main    [][]field.Elem
	Prep    [][]field.Elem
	Publics []field.Elem
}

// Params are fast test parameters (low security: tests check completeness and the
// rejection of bad witnesses, not the security level).
var Params = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 16, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 2}, Workers: 2}

// RangeTable returns the range chip's table with the counts of c (and no byte pairs).
func RangeTable(c *rangetable.Counter) Table {
	a, _ := rangetable.AIR()
	return Table{AIR: a, Main: c.Trace(nil), Prep: rangetable.Preprocessed()}
}

// LookupTables returns the range table with the counts of rc and the byte pairs' range
// checks counted by bc, then ByteTables(bc).
func LookupTables(rc *rangetable.Counter, bc *bytetable.Counter) []Table {
	a, _ := rangetable.AIR()
	return append([]Table{{AIR: a, Main: rc.Trace(bc), Prep: rangetable.Preprocessed()}}, ByteTables(bc)...)
}

// ByteTables returns the tables of the byte operations with the counts of c: one table
// per op looked up (the machine leaves the others out of its proofs; here they are not
// in the system). The byte pairs' range checks are the range table's (LookupTables).
func ByteTables(c *bytetable.Counter) []Table {
	var out []Table
	for _, op := range bytetable.Ops {
		if m := c.Trace(op); m != nil {
			a, _ := bytetable.AIR(op)
			out = append(out, Table{AIR: a, Main: m, Prep: bytetable.Preprocessed(op)})
		}
	}
	return out
}

// Check runs airtest.Check on every table and airtest.CheckBus on all of them.
func Check(tables []Table, public []lookup.Message) error {
	var errs []error
	var tbs []airtest.Table
	for _, tb := range tables {
		if err := airtest.Check(tb.AIR, tb.Main, tb.Prep, tb.Publics); err != nil {
			errs = append(errs, err)
		}
		tbs = append(tbs, airtest.Table{AIR: tb.AIR, Main: tb.Main, Prep: tb.Prep, Publics: tb.Publics})
	}
	var pub []airtest.Message
	for _, m := range public {
		pub = append(pub, airtest.Message(m))
	}
	if err := airtest.CheckBus(tbs, pub); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ProveVerify proves the tables together and verifies the proof.
func ProveVerify(tables []Table, public []lookup.Message) error {
	e, pk, vk, w, err := setup(Params, tables, public)
	if err != nil {
		return err
	}
	proof, err := e.Prove(pk, w)
	if err != nil {
		return err
	}
	dec, err := stark.Decode(proof.Encode())
	if err != nil {
		return err
	}
	return e.Verify(vk, dec, w.Publics, public)
}

// BenchProve sets the tables' AIR set up under p, proves them once per b.Loop iteration
// and verifies the last proof, which it returns (for the caller's metrics).
func BenchProve(b *testing.B, p hemera.Params, tables []Table, public []lookup.Message) *stark.Proof {
	b.Helper()
	e, pk, vk, w, err := setup(p, tables, public)
	if err != nil {
		b.Fatal(err)
	}
	var proof *stark.Proof
	for b.Loop() {
		if proof, err = e.Prove(pk, w); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.Verify(vk, proof, w.Publics, public); err != nil {
		b.Fatal(err)
	}
	return proof
}

// setup makes the engine for p, the tables' keys and their witness.
func setup(p hemera.Params, tables []Table, public []lookup.Message) (*hemera.Engine, *stark.ProvingKey, *stark.VerifyingKey, *stark.Witness, error) {
	e, err := hemera.New(p)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var airs []*air.AIR
	var prep [][][]field.Elem
	w := &stark.Witness{Bus: public}
	for _, tb := range tables {
		airs = append(airs, tb.AIR)
		prep = append(prep, tb.Prep)
		w.Main = append(w.Main, tb.Main)
		w.Publics = append(w.Publics, tb.Publics)
	}
	pk, vk, err := e.Setup(airs, prep)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return e, pk, vk, w, nil
}

// MustProve checks, proves and verifies; any failure fails the test.
func MustProve(t testing.TB, tables []Table, public []lookup.Message) {
	t.Helper()
	if err := Check(tables, public); err != nil {
		t.Fatalf("witness does not satisfy the chips: %v", err)
	}
	if err := ProveVerify(tables, public); err != nil {
		t.Fatalf("valid witness rejected: %v", err)
	}
}

// MustReject proves a witness that must not satisfy the chips and expects the verifier
// to reject the proof with stark.ErrInvalidProof; a prover error fails the test, since
// the prover checks no constraint and a tampered witness must reach the verifier. It
// also checks that airtest notices.
func MustReject(t testing.TB, what string, tables []Table, public []lookup.Message) {
	t.Helper()
	if err := Check(tables, public); err == nil {
		t.Errorf("%s: airtest accepts the tampered witness", what)
	}
	err := ProveVerify(tables, public)
	if err == nil {
		t.Errorf("%s: tampered witness verifies", what)
		return
	}
	if !errors.Is(err, stark.ErrInvalidProof) {
		// The prover checks no constraint: a tampered witness must reach the verifier.
		t.Errorf("%s: failed before the verifier could reject it: %v", what, err)
	}
}
