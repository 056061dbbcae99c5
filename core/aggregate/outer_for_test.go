package aggregate

import (
	"slices"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// TestOuterFor: the outer layer set up on a tree of the shape alone (ShapeTree, no
// real leaf) proves and verifies the root of a tree of real leaves with the same
// options (Outer.For), its statement is the one OuterStatement computes without the
// outer set-up, and For refuses a tree of another shape (another depth).
func TestOuterFor(t *testing.T) {
	f := testTree(t)
	opts := TreeOptions{Depth: 3, JoinHeights: true}
	st, err := ShapeTree(f.e, lay, opts)
	if err != nil {
		t.Fatal(err)
	}
	o, err := st.Outer(testOuterParams, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTreeWith(f.e, lay, opts, toyLeaf(1), toyLeaf(0))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Root() == st.Root() {
		t.Fatal("the shape tree and the real tree have one allowlist")
	}
	// The outer layer of the shape tree refuses the real tree's root (another vk_root)
	// until it is moved to that tree.
	a, err := tr.ProveLeaf(0, leafInputs(tr.Root(), []uint64{1, 2}, []uint64{7}))
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr.ProveLeaf(1, leafInputs(tr.Root(), []uint64{2, 3}, []uint64{7}))
	if err != nil {
		t.Fatal(err)
	}
	root, err := tr.Join(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Prove(root); err == nil {
		t.Fatal("the shape tree's outer layer proved another tree's root")
	}
	ot, err := o.For(tr)
	if err != nil {
		t.Fatal(err)
	}
	if ot.Key().STARK.Digest != o.Key().STARK.Digest {
		t.Fatal("For changed the outer key")
	}
	op, err := ot.Prove(root)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := ot.Verify(op)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ot.Statement(outs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.OuterStatement(nil, outs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || len(got) != 1 {
		t.Fatalf("OuterStatement %v, Outer.Statement %v", got, want)
	}
	if other, err := st.OuterStatement(nil, outs); err != nil || slices.Equal(other, want) {
		t.Fatalf("the same outputs under the shape tree's vk_root: %v, same statement %v", err, slices.Equal(other, want))
	}
	// Public inputs that state the values: each group packed, vk_root's among them.
	vr := tr.Root()
	pub := append(baseExts(vr[:]...), outs...)
	var groups [][]int
	for i := 0; i < len(pub); i += hash.OuterRate {
		var g []int
		for j := i; j < min(i+hash.OuterRate, len(pub)); j++ {
			g = append(g, j)
		}
		groups = append(groups, g)
	}
	ins, err := tr.OuterStatement(nil, outs, groups...)
	if err != nil || len(ins) != len(groups) {
		t.Fatalf("%d inputs for %d groups: %v", len(ins), len(groups), err)
	}
	for g, grp := range groups {
		vals := make([]field.Elem, len(grp))
		for j, i := range grp {
			vals[j] = pub[i].Base()
		}
		if w := hash.OuterPack(vals); ins[g] != w {
			t.Fatalf("input %d is not its group packed", g)
		}
	}
	for _, bad := range [][][]int{groups[1:], append(groups, []int{0}), {{0, 1, 2, 3, 4, 5, 6, 7, 8}}} {
		if _, err := tr.OuterStatement(nil, outs, bad...); err == nil {
			t.Fatalf("groups %v accepted", bad)
		}
	}
	if _, err := tr.OuterStatement(nil, outs[:len(outs)-1]); err == nil {
		t.Fatal("OuterStatement took one output too few")
	}
	deeper, err := NewTreeWith(f.e, lay, TreeOptions{Depth: 4, JoinHeights: true}, toyLeaf(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.For(deeper); err == nil {
		t.Fatal("For took a tree of another allowlist depth")
	}
	if _, err := ShapeTree(f.e, lay, TreeOptions{Depth: 3}); err == nil {
		t.Fatal("ShapeTree without JoinHeights")
	}
}
