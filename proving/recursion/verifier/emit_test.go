package verifier

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/recursion"
)

// TestEmitTwoProofsWithStatementCells verifies two proofs in one program with Emit, the
// statement given as cells rather than read: the first proof's statement from constants
// (a program that knows it), the second's from inputs; the program executes on the
// honest proofs and fails when the constant statement is not the proof's, or when the
// two proofs are swapped.
func TestEmitTwoProofsWithStatementCells(t *testing.T) {
	s := fullSystem(t)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	build := func(publics [][]field.Elem) *recursion.Program {
		b := recursion.NewBuilder()
		// Statement 1: constants.
		st1 := &Statement{}
		for _, row := range publics {
			var cells []Var
			for _, x := range row {
				cells = append(cells, b.ConstBase(x))
			}
			st1.Publics = append(st1.Publics, cells)
		}
		for _, m := range s.bus {
			st1.Mult = append(st1.Mult, b.ConstBase(m.Mult))
			var tup []Var
			for _, x := range m.Tuple {
				tup = append(tup, b.ConstBase(x))
			}
			st1.Tuples = append(st1.Tuples, tup)
		}
		if err := Emit(b, sh, st1); err != nil {
			t.Fatal(err)
		}
		// Statement 2: read and published, as Program does.
		if err := Emit(b, sh, nil); err != nil {
			t.Fatal(err)
		}
		return b.Program()
	}
	p1, err := ProofInputs(sh, s.proof)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := Inputs(sh, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	in := append(append([]field.Ext(nil), p1...), p2...)
	if _, err := build(s.publics).Execute(in); err != nil {
		t.Fatalf("two honest proofs: %v", err)
	}
	// Another statement as constants: the first verification fails.
	other := make([][]field.Elem, len(s.publics))
	for i, row := range s.publics {
		other[i] = append([]field.Elem(nil), row...)
	}
	found := false
	for i := range other {
		if len(other[i]) > 0 {
			other[i][0].SetUint64(other[i][0].Uint64() + 1)
			found = true
			break
		}
	}
	if !found {
		t.Fatal("the system has no public value to change")
	}
	var ee *recursion.ExecError
	if _, err := build(other).Execute(in); !errors.As(err, &ee) {
		t.Fatalf("another constant statement: %v", err)
	}
	// The streams in the other order: the first Emit reads a statement as proof.
	if _, err := build(s.publics).Execute(append(append([]field.Ext(nil), p2...), p1...)); err == nil {
		t.Fatal("the input streams swapped: executed")
	}
	// Emit refuses a statement of the wrong size.
	if err := Emit(recursion.NewBuilder(), sh, &Statement{}); err == nil {
		t.Fatal("an empty statement for a shape with publics was accepted")
	}
}
