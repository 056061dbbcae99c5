package recursion

import (
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// The recursion: a STARK proof of a small table, its verifier emitted as a program
// (package proving/recursion/verifier), and that program's execution proven and
// verified by this AIR set, whose publics are the inner proof's statement.
func TestRecursiveVerifier(t *testing.T) {
	inner, err := hemera.New(hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 3, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	tb := starktest.Fib(3)
	w := &stark.Witness{Main: [][][]field.Elem{tb.Main}, Publics: [][]field.Elem{tb.Publics}}
	ipk, ivk, err := inner.Setup([]*air.AIR{tb.AIR}, [][][]field.Elem{tb.Prep})
	if err != nil {
		t.Fatal(err)
	}
	iproof, err := inner.Prove(ipk, w)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := verifier.ShapeOf(ivk, inner.Params(), iproof, w.Publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := verifier.Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	in, err := verifier.Inputs(sh, iproof, w.Publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := prog.Stats()
	t.Logf("verifier program: %d instructions, %d cells, %v", len(prog.Insts), prog.Cells, st)

	e := engine(t)
	t0 := time.Now()
	pk, vk, err := Setup(e, prog)
	if err != nil {
		t.Fatal(err)
	}
	proof, publics, err := Prove(e, pk, in)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rows %v; setup and prove %.2fs", pk.Rows(), time.Since(t0).Seconds())
	if err := Verify(e, vk, publics, proof); err != nil {
		t.Fatalf("the proof of the verifier's execution is rejected: %v", err)
	}
	if len(publics) != len(tb.Publics) {
		t.Fatalf("%d publics, the inner statement has %d", len(publics), len(tb.Publics))
	}
	for i, p := range tb.Publics {
		if want := field.NewExt(p); !publics[i].Equal(&want) {
			t.Fatalf("public %d is %v, the inner statement's is %v", i, publics[i], want)
		}
	}
	plusOne(&publics[0])
	if err := Verify(e, vk, publics, proof); err == nil {
		t.Fatal("the recursive proof verifies with another inner statement")
	}
}
