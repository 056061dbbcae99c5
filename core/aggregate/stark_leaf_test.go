package aggregate

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier/verifiertest"
)

// TestLeafVerifyingAStark builds a tree whose leaves are of two kinds: a program that
// verifies a STARK proof of a Fibonacci table (publics a, b, f: the sequence from a, b
// reaches f) and outputs start = a, end = f, constants = b — the shape of the zkVM's
// leaf, a segment verifier whose statement becomes the layout — and the toy +1 leaf. The
// join of the two verifies, from 1 to f + 1; a Fib proof of another statement cannot be
// made into a leaf proof.
func TestLeafVerifyingAStark(t *testing.T) {
	f := testTree(t)
	fx := verifiertest.Fib(t)
	sh, iproof, fibPublics := fx.Shape, fx.Proof, fx.Publics[0]
	one := Layout{K: 1, C: 1}
	b := ir.NewBuilder()
	c := &Cells{}
	for i := range c.Root {
		c.Root[i] = b.InputBase()
	}
	st := &verifier.Statement{Publics: [][]ir.Var{{b.InputBase(), b.InputBase(), b.InputBase()}}}
	if err := verifier.Emit(b, sh, st); err != nil {
		t.Fatal(err)
	}
	c.Start, c.Consts, c.End = st.Publics[0][:1], st.Publics[0][1:2], st.Publics[0][2:]
	if err := one.Output(b, c); err != nil {
		t.Fatal(err)
	}
	fibLeaf := b.Program()

	tr, err := NewTree(f.e, one, fibLeaf, toyLeafOf(one, 1))
	if err != nil {
		t.Fatal(err)
	}
	fib := fibPublics[2]
	fibInputs := func(publics []field.Elem) []field.Ext {
		root := tr.Root()
		var in []field.Ext
		for _, x := range append(root[:], publics...) {
			in = append(in, field.NewExt(x))
		}
		p, err := verifier.ProofInputs(sh, iproof)
		if err != nil {
			t.Fatal(err)
		}
		return append(in, p...)
	}
	x, err := tr.ProveLeaf(0, fibInputs(fibPublics))
	if err != nil {
		t.Fatal(err)
	}
	y, err := tr.ProveLeaf(1, leafInputs(tr.Root(), []uint64{fib.Uint64()}, []uint64{1}))
	if err != nil {
		t.Fatal(err)
	}
	r, err := tr.Join(x, y)
	if err != nil {
		t.Fatal(err)
	}
	var next field.Elem
	next.Add(&fib, ptr(field.New(1)))
	if err := tr.VerifyRoot(r, elems(1), []field.Elem{next}, elems(1)); err != nil {
		t.Fatalf("a STARK-verifying leaf joined with a toy leaf: %v", err)
	}
	// Another f than the proof's: the leaf program does not execute.
	lie := append([]field.Elem(nil), fibPublics...)
	lie[2] = next
	if _, err := tr.ProveLeaf(0, fibInputs(lie)); err == nil {
		t.Fatal("a leaf proof of a Fib statement the inner proof does not prove")
	}
}

func ptr(e field.Elem) *field.Elem { return &e }
