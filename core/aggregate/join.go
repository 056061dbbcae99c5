package aggregate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
)

// joinProgram emits the join of a tree: the verification of two child proofs of the
// shape sh, whose keys are in the allowlist of the given depth, and whose publics
// (layout lay) link. Its input stream, in order (joinInputs writes it):
//
//	vk_root                                   8 base elements
//	per child, first then second:
//	  STARK key digest, preprocessed root     8 + 8
//	  public cells                            lay.Len()
//	  allowlist path                          depth × (bit, sibling 8)
//	  public values                           lay.Len()
//	  the proof                               verifier.ProofInputs
//
// and its publics are [vk_root | first.start | second.end | first.constants].
func joinProgram(sh *verifier.Shape, lay Layout, depth int) (*ir.Program, error) {
	b := ir.NewBuilder()
	b.Label("join: vk_root")
	root := inputDigest(b)
	var kids [2]*Cells
	for c := range kids {
		k, err := emitChild(b, sh, lay, depth, root, c)
		if err != nil {
			return nil, err
		}
		kids[c] = k
	}
	b.Label("join: link")
	for i := range root {
		b.AssertEq(kids[0].Root[i], root[i])
		b.AssertEq(kids[1].Root[i], root[i])
	}
	for i := range lay.K {
		b.AssertEq(kids[0].End[i], kids[1].Start[i])
	}
	for i := range lay.C {
		b.AssertEq(kids[0].Consts[i], kids[1].Consts[i])
	}
	out := &Cells{Root: root, Start: kids[0].Start, End: kids[1].End, Consts: kids[0].Consts}
	if err := lay.Output(b, out); err != nil {
		return nil, err
	}
	return b.Program(), nil
}

// emitChild reads child c's key, checks it against the allowlist root, reads its
// public values and emits the verification of its proof under that key with those
// values as its statement.
func emitChild(b *ir.Builder, sh *verifier.Shape, lay Layout, depth int, root digest, c int) (*Cells, error) {
	L := lay.Len()
	b.Label(fmt.Sprintf("join: child %d: key", c))
	var key verifier.Key
	key.Digest = inputDigest(b)
	key.PrepRoot = inputDigest(b)
	addrs := make([]ir.Var, L)
	for i := range addrs {
		addrs[i] = b.InputBase()
	}
	b.Label(fmt.Sprintf("join: child %d: allowlist", c))
	in := append(append(append([]ir.Var(nil), key.Digest[:]...), key.PrepRoot[:]...), addrs...)
	got := emitPath(b, hashElems(b, in), depth)
	for i := range got {
		b.AssertEq(got[i], root[i])
	}
	b.Label(fmt.Sprintf("join: child %d: publics", c))
	pub := lay.read(b)
	vals := pub.flat()
	// The child's statement: no table has public values; the verifier receives
	// (cell, value, 0, 0, 0) once per public output (recursion.Messages).
	st := &verifier.Statement{Publics: make([][]ir.Var, len(sh.NumPublics))}
	for t, n := range sh.NumPublics {
		if n != 0 {
			return nil, fmt.Errorf("aggregate: table %d of the shape has %d public values; the recursion AIR set has none", t, n)
		}
		st.Publics[t] = []ir.Var{}
	}
	if len(sh.Bus) != L {
		return nil, fmt.Errorf("aggregate: the shape has %d public messages, the layout %d values", len(sh.Bus), L)
	}
	one, zero := b.ConstBase(field.New(1)), b.ConstBase(field.Elem{})
	for i := range L {
		st.Mult = append(st.Mult, one)
		st.Tuples = append(st.Tuples, []ir.Var{addrs[i], vals[i], zero, zero, zero})
	}
	if err := verifier.EmitKey(b, sh, st, &key); err != nil {
		return nil, err
	}
	return pub, nil
}

// joinInputs writes the join program's input stream for two children (nothing is
// checked: a false child gives inputs on which the program fails).
func (t *Tree) joinInputs(root hash.Digest, kids [2]*Node) ([]field.Ext, error) {
	var in []field.Ext
	base := func(xs ...field.Elem) {
		for _, x := range xs {
			in = append(in, field.NewExt(x))
		}
	}
	base(root[:]...)
	for c, n := range kids {
		if n.Key < 0 || n.Key >= len(t.keys) {
			return nil, fmt.Errorf("aggregate: child %d: key %d, the allowlist has %d", c, n.Key, len(t.keys))
		}
		vk := t.keys[n.Key].vk
		base(vk.STARK.Digest[:]...)
		base(vk.STARK.PrepRoot[:hash.DigestLen]...)
		for _, a := range vk.Publics {
			base(field.New(uint64(a)))
		}
		bits, sibs := t.allow.path(n.Key)
		for d := range bits {
			if bits[d] {
				base(field.New(1))
			} else {
				base(field.Elem{})
			}
			base(sibs[d][:]...)
		}
		if len(n.Publics) != t.lay.Len() {
			return nil, fmt.Errorf("aggregate: child %d: %d public values, the layout has %d", c, len(n.Publics), t.lay.Len())
		}
		in = append(in, n.Publics...)
		p, err := verifier.ProofInputs(t.shape, n.Proof)
		if err != nil {
			return nil, fmt.Errorf("aggregate: child %d: %w", c, err)
		}
		in = append(in, p...)
	}
	return in, nil
}
