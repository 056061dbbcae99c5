package aggregate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
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
		k, err := emitChild(b, sh, lay, depth, root, fmt.Sprintf("join: child %d", c))
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

// liftProgram emits the lift of a tree: the verification of one child proof of shape
// sh (a leaf set up at its own heights), whose key is in the allowlist of the given
// depth; its publics are the child's. Its input stream is vk_root, then the child as
// the join reads each of its two.
func liftProgram(sh *verifier.Shape, lay Layout, depth int) (*ir.Program, error) {
	b := ir.NewBuilder()
	b.Label("lift: vk_root")
	root := inputDigest(b)
	k, err := emitChild(b, sh, lay, depth, root, "lift: child")
	if err != nil {
		return nil, err
	}
	b.Label("lift: link")
	for i := range root {
		b.AssertEq(k.Root[i], root[i])
	}
	if err := lay.Output(b, &Cells{Root: root, Start: k.Start, End: k.End, Consts: k.Consts}); err != nil {
		return nil, err
	}
	return b.Program(), nil
}

// emitChild reads a child's key, checks it against the allowlist root, reads its
// public values and emits the verification of its proof under that key with those
// values as its statement (the join's two children, the outer program's one; name
// starts the labels of its checks).
func emitChild(b *ir.Builder, sh *verifier.Shape, lay Layout, depth int, root digest, name string) (*Cells, error) {
	L := lay.Len()
	b.Label(name + ": key")
	var key verifier.Key
	key.Digest = inputDigest(b)
	key.PrepRoot = inputDigest(b)
	addrs := make([]ir.Var, L)
	for i := range addrs {
		addrs[i] = b.InputBase()
	}
	b.Label(name + ": allowlist")
	in := append(append(append([]ir.Var(nil), key.Digest[:]...), key.PrepRoot[:]...), addrs...)
	got := emitPath(b, b.HashElems(in), depth)
	for i := range got {
		b.AssertEq(got[i], root[i])
	}
	b.Label(name + ": publics")
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

// child is what the join's input stream holds of one child: its key, the allowlist
// path of the key's entry, its public values and its proof.
type child struct {
	vk      *recursion.VerifyingKey
	bits    []bool
	sibs    []hash.Digest
	publics []field.Ext
	proof   *stark.Proof
}

// joinInputs writes the join program's input stream for two children (nothing is
// checked: a false child gives inputs on which the program fails).
func (t *Tree) joinInputs(root hash.Digest, kids [2]*Node) ([]field.Ext, error) {
	var cs [2]child
	for c, n := range kids {
		ch, err := t.nodeChild(n)
		if err != nil {
			return nil, fmt.Errorf("aggregate: child %d: %w", c, err)
		}
		cs[c] = ch
	}
	return t.rawInputs(root, cs)
}

// nodeChild is what an honest prover streams for node n: its key, the allowlist path
// of the key's entry, its publics and its proof.
func (t *Tree) nodeChild(n *Node) (child, error) {
	if n.Key < 0 || n.Key >= len(t.keys) {
		return child{}, fmt.Errorf("key %d, the allowlist has %d", n.Key, len(t.keys))
	}
	if t.keys[n.Key].vk == nil {
		return child{}, fmt.Errorf("key %d is not set up in this tree (a leaf of the allowlist the run does not use)", n.Key)
	}
	bits, sibs := t.allow.path(n.Key)
	return child{vk: t.keys[n.Key].vk, bits: bits, sibs: sibs, publics: n.Publics, proof: n.Proof}, nil
}

// rawInputs writes the input stream of any two children (the cheating-prover tests
// give it keys and paths of their choosing).
func (t *Tree) rawInputs(root hash.Digest, cs [2]child) ([]field.Ext, error) {
	in := baseExts(root[:]...)
	for c, ch := range cs {
		s, err := t.childStream(ch)
		if err != nil {
			return nil, fmt.Errorf("aggregate: child %d: %w", c, err)
		}
		in = append(in, s...)
	}
	return in, nil
}

// childStream is what emitChild reads of one child: its key, the allowlist path of its
// entry, its public values and its proof (of the joins' shape).
func (t *Tree) childStream(ch child) ([]field.Ext, error) { return t.childStreamAt(t.shape, ch) }

// childStreamAt is childStream for a proof of shape sh.
func (t *Tree) childStreamAt(sh *verifier.Shape, ch child) ([]field.Ext, error) {
	if len(ch.vk.Publics) != t.lay.Len() || len(ch.publics) != t.lay.Len() || len(ch.bits) != t.allow.depth || len(ch.sibs) != t.allow.depth {
		return nil, fmt.Errorf("%d public cells, %d public values and a path of %d bits and %d siblings; the layout has %d values, the allowlist depth %d",
			len(ch.vk.Publics), len(ch.publics), len(ch.bits), len(ch.sibs), t.lay.Len(), t.allow.depth)
	}
	in := baseExts(ch.vk.STARK.Digest[:]...)
	in = append(in, baseExts(ch.vk.STARK.PrepRoot[:hash.DigestLen]...)...)
	for _, a := range ch.vk.Publics {
		in = append(in, field.NewExt(field.New(uint64(a))))
	}
	for d, bit := range ch.bits {
		var b field.Elem
		if bit {
			b = field.New(1)
		}
		in = append(in, field.NewExt(b))
		in = append(in, baseExts(ch.sibs[d][:]...)...)
	}
	in = append(in, ch.publics...)
	p, err := verifier.ProofInputs(sh, ch.proof)
	if err != nil {
		return nil, err
	}
	return append(in, p...), nil
}

// baseExts is base elements as input values.
func baseExts(xs ...field.Elem) []field.Ext {
	out := make([]field.Ext, len(xs))
	for i, x := range xs {
		out[i] = field.NewExt(x)
	}
	return out
}
