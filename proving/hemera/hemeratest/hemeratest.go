// Package hemeratest proves test systems on the engine: the fixture of tests that need
// a real proof of starktest's tables (the verifier program's, the wrap circuit's).
package hemeratest

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// System is a proven set of tables: the engine, the verifying key, the proof and its
// statement (public values and public bus messages).
type System struct {
	E       *hemera.Engine
	VK      *stark.VerifyingKey
	Proof   *stark.Proof
	Publics [][]field.Elem
	Bus     []lookup.Message
}

// Prove sets up, proves and verifies tables with the public messages bus under p,
// failing the test on any error.
func Prove(t testing.TB, p hemera.Params, tables []starktest.Table, bus []lookup.Message) *System {
	t.Helper()
	e, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	airs, prep, w := starktest.Collect(tables, bus)
	pk, vk, err := e.Setup(airs, prep)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := e.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(vk, proof, w.Publics, bus); err != nil {
		t.Fatal(err)
	}
	return &System{E: e, VK: vk, Proof: proof, Publics: w.Publics, Bus: bus}
}
