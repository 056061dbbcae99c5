// Package verifiertest has the fixtures of tests that verify a STARK proof inside a
// recursion program: a small real proof and its verifier's shape.
package verifiertest

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/hemera/hemeratest"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// Inner is a proof to verify in a program: its engine, its proof and statement (public
// values; no public messages) and the shape of its verifier program.
type Inner struct {
	Engine  *hemera.Engine
	VK      *stark.VerifyingKey
	Proof   *stark.Proof
	Publics [][]field.Elem
	Shape   *verifier.Shape
}

// FastParams are the inner proof's parameters: three queries, every proof of work on a
// few bits — fast, far from any security level (the tests check soundness of the
// checks, not their level).
var FastParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 3, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1}, Workers: 2}

// Fib proves starktest.Fib(3) (one table of 8 rows; publics a, b and the last value) at
// FastParams and derives its verifier's shape.
func Fib(t testing.TB) *Inner {
	t.Helper()
	s := hemeratest.Prove(t, FastParams, []starktest.Table{starktest.Fib(3)}, nil)
	sh, err := verifier.ShapeOf(s.VK, s.E.Params(), s.Proof, s.Publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Inner{Engine: s.E, VK: s.VK, Proof: s.Proof, Publics: s.Publics, Shape: sh}
}
