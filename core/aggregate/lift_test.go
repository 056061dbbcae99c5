package aggregate

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// bigLeaf is toyLeaf(step) with n permutations more: taller than the join in the perm
// and Poseidon2 tables.
func bigLeaf(step uint64, n int) *ir.Program {
	b := ir.NewBuilder()
	c := readLeafCells(b, lay)
	var st [hash.Width]ir.Var
	for i := range st {
		st[i] = c.Start[i%len(c.Start)]
	}
	for range n {
		st = b.Perm(st)
	}
	for _, s := range c.Start {
		c.End = append(c.End, b.Add(s, b.ConstBase(field.New(step))))
	}
	if err := lay.Output(b, c); err != nil {
		panic(err)
	}
	return b.Program()
}

// TestJoinHeightsAndLift: under TreeOptions.JoinHeights the joins' heights do not
// depend on the leaves (two trees of other leaves have the same heights and the same
// join key, so one outer layer serves both), a leaf taller than the join is proven at
// its own heights and lifted (ProveLeaf returns the lift's node, of the joins' shape),
// and a tree mixing lifted and plain leaves aggregates and verifies; the big leaf's own
// proof is not a child a join accepts.
func TestJoinHeightsAndLift(t *testing.T) {
	f := testTree(t)
	opts := TreeOptions{Depth: 3, JoinHeights: true}
	small, err := NewTreeWith(f.e, lay, opts, toyLeaf(1))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTreeWith(f.e, lay, opts, toyLeaf(1), bigLeaf(1, 1<<13))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("joins at %v; the big leaf at %v", tr.Heights(), tr.bigHeights)
	if tr.Heights() != small.Heights() || tr.Key(tr.JoinKey()).STARK.Digest != small.Key(small.JoinKey()).STARK.Digest {
		t.Fatalf("the joins differ between trees: %v vs %v", tr.Heights(), small.Heights())
	}
	if !tr.Lifted(1) || tr.Lifted(0) || small.Lifted(0) || tr.JoinKey() != 3 {
		t.Fatalf("lifted: %v %v %v, join key %d", tr.Lifted(0), tr.Lifted(1), small.Lifted(0), tr.JoinKey())
	}
	consts := []uint64{7}
	a, err := tr.ProveLeaf(0, leafInputs(tr.Root(), []uint64{1, 2}, consts))
	if err != nil {
		t.Fatal(err)
	}
	big, err := tr.ProveLeaf(1, leafInputs(tr.Root(), []uint64{2, 3}, consts))
	if err != nil {
		t.Fatal(err)
	}
	if big.Key != tr.lift {
		t.Fatalf("the big leaf's node is under key %d, want the lift's %d", big.Key, tr.lift)
	}
	c, err := tr.ProveLeaf(1, leafInputs(tr.Root(), []uint64{3, 4}, consts))
	if err != nil {
		t.Fatal(err)
	}
	root, err := tr.Aggregate([]*Node{a, big, c})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.VerifyRoot(root, elems(1, 2), elems(4, 5), elems(7)); err != nil {
		t.Fatalf("a tree with a lifted leaf: %v", err)
	}
	// The tree's security is its weakest program's: at most the root's (a join) and the
	// big leaf's at its own heights.
	sec := tr.Security()
	for name, n := range map[string]*Node{"root": root, "big leaf": {Key: 1, Proof: nil}} {
		h := tr.Heights()
		if n.Proof == nil {
			h = tr.bigHeights
		}
		k := tr.Key(n.Key)
		x := f.e.Security(k.STARK, h[:], recursion.Messages(k.Publics, make([]field.Ext, lay.Len())))
		if sec.Conjectured > x.Conjectured || sec.Provable > x.Provable || sec.Conjectured <= 0 {
			t.Fatalf("tree security %d/%d above the %s's %d/%d", sec.Conjectured, sec.Provable, name, x.Conjectured, x.Provable)
		}
	}
	// A run of the big leaf alone: its lifted node is the root.
	if err := tr.VerifyRoot(big, elems(2, 3), elems(3, 4), elems(7)); err != nil {
		t.Fatalf("a lifted leaf as the root: %v", err)
	}
	// The big leaf's own proof, unlifted, as a join's child: the join's execution fails
	// (it verifies its children as proofs of the joins' heights).
	raw, err := tr.proveRaw(1, leafInputs(tr.Root(), []uint64{2, 3}, consts))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Join(a, raw); err == nil {
		t.Fatal("a join of an unlifted big leaf")
	}
}
