package verifier

import (
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/hemera/hemeratest"
	"github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// TestFinalPolynomialCheckReached: a false final polynomial whose query index happens
// to be the honest one (one query, no grinding: try deltas until the native verifier
// fails at the final-polynomial check rather than at the Merkle openings, whose honest
// rows then still open) makes the program fail at its own final-polynomial check. A
// tampered final polynomial otherwise moves the query index and fails at the openings
// first, so without this test the program's final check could be deleted unnoticed.
func TestFinalPolynomialCheckReached(t *testing.T) {
	p := hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 1, LogArity: 1, LogFinalPolyLen: 1}, Workers: 2}
	s := hemeratest.Prove(t, p, []starktest.Table{starktest.Fib(3)}, nil)
	sh, err := ShapeOf(s.VK, s.E.Params(), s.Proof, s.Publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	for delta := uint64(1); delta <= 4096; delta++ {
		proof, err := stark.Decode(s.Proof.Encode())
		if err != nil {
			t.Fatal(err)
		}
		fp, err := fri.DecodeParams(proof.PCS, p.FRI)
		if err != nil {
			t.Fatal(err)
		}
		d := field.NewExt(field.New(delta))
		fp.FinalPoly[0].Add(&fp.FinalPoly[0], &d)
		proof.PCS = fp.Encode()
		err = s.E.Verify(s.VK, proof, s.Publics, nil)
		if err == nil {
			t.Fatalf("delta %d: the native verifier accepts a false final polynomial", delta)
		}
		if !strings.Contains(err.Error(), "final polynomial disagrees") {
			continue // the index moved: the openings fail first
		}
		in, err := Inputs(sh, proof, s.Publics, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = prog.Execute(in)
		var ee *recursion.ExecError
		if !errors.As(err, &ee) || !strings.Contains(ee.Label, "final polynomial") {
			t.Fatalf("delta %d: the native verifier fails at the final polynomial, the program %v", delta, err)
		}
		return
	}
	t.Fatal("no delta kept the query index: the final-polynomial check was never reached")
}
