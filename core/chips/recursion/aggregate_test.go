package recursion

import (
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier/verifiertest"
)

// The recursion: a STARK proof of a small table, its verifier emitted as a program
// (package proving/recursion/verifier), and that program's execution proven and
// verified by this AIR set, whose publics are the inner proof's statement.
func TestRecursiveVerifier(t *testing.T) {
	fx := verifiertest.Fib(t)
	sh, iproof := fx.Shape, fx.Proof
	prog, err := verifier.Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	in, err := verifier.Inputs(sh, iproof, fx.Publics, nil)
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
	if len(publics) != len(fx.Publics[0]) {
		t.Fatalf("%d publics, the inner statement has %d", len(publics), len(fx.Publics[0]))
	}
	for i, p := range fx.Publics[0] {
		if want := field.NewExt(p); !publics[i].Equal(&want) {
			t.Fatalf("public %d is %v, the inner statement's is %v", i, publics[i], want)
		}
	}
	plusOne(&publics[0])
	if err := Verify(e, vk, publics, proof); err == nil {
		t.Fatal("the recursive proof verifies with another inner statement")
	}
}
