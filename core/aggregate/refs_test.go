package aggregate

import (
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// TestTreeRefs: a tree over a fixed allowlist of four leaves (one taller than the
// joins, lifted), of which a run uses two, aggregates and verifies with only those set
// up; its root is the refs' root whichever leaves are set up; a leaf whose program is
// not the one its ref names, a leaf without keys proven, and malformed refs are refused.
func TestTreeRefs(t *testing.T) {
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	opts := TreeOptions{Depth: 3, JoinHeights: true}
	leaves := []*ir.Program{toyLeaf(1), toyLeaf(2), bigLeaf(1, 1<<13), toyLeaf(0)}
	built := 0
	refs, err := LeafRefs(e, lay, opts, len(leaves), func(i int) (*ir.Program, error) {
		built++
		return leaves[i], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if built != len(leaves)+1 { // the big leaf twice
		t.Fatalf("%d leaf programs built, want %d", built, len(leaves)+1)
	}
	full, err := NewTreeWith(e, lay, opts, leaves...)
	if err != nil {
		t.Fatal(err)
	}
	for i := range leaves {
		if i != 2 && entry(full.Key(i)) != refs[i].Entry { // the big leaf: NewTreeWith's lift is another program
			t.Fatalf("leaf %d's ref is not NewTreeWith's entry", i)
		}
	}
	root, err := RefsRoot(e, lay, opts, refs)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTreeRefs(e, lay, opts, refs, map[int]*ir.Program{0: leaves[0], 2: leaves[2]})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Root() != root {
		t.Fatal("the tree with two leaves set up has another root than the refs'")
	}
	if !tr.Keyed(0) || tr.Keyed(1) || !tr.Keyed(2) || tr.Keyed(3) {
		t.Fatal("Keyed does not say which leaves are set up")
	}
	consts := []uint64{9}
	a, err := tr.ProveLeaf(0, leafInputs(root, []uint64{1, 2}, consts))
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr.ProveLeaf(2, leafInputs(root, []uint64{2, 3}, consts))
	if err != nil {
		t.Fatal(err)
	}
	if b.Key != tr.lift {
		t.Fatalf("the big leaf's node is under key %d, want the lift's %d", b.Key, tr.lift)
	}
	j, err := tr.Aggregate([]*Node{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.VerifyRoot(j, elems(1, 2), elems(3, 4), elems(9)); err != nil {
		t.Fatal(err)
	}
	// A verifier's tree with no leaf set up verifies a join root.
	v, err := NewTreeRefs(e, lay, opts, refs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.VerifyRoot(j, elems(1, 2), elems(3, 4), elems(9)); err != nil {
		t.Fatalf("the root under a tree without leaves: %v", err)
	}
	// Refused: a leaf without keys proven or as a root, a leaf program that is not its
	// ref's, refs of another engine's leaves.
	if _, err := v.ProveLeaf(1, leafInputs(root, []uint64{1, 2}, consts)); err == nil {
		t.Fatal("a leaf without keys proven")
	}
	if _, err := v.RootPublics(a); err == nil || !strings.Contains(err.Error(), "does not set up") {
		t.Fatalf("a root under a leaf without keys: %v", err)
	}
	if _, err := NewTreeRefs(e, lay, opts, refs, map[int]*ir.Program{1: toyLeaf(5)}); err == nil || !strings.Contains(err.Error(), "not the one its ref") {
		t.Fatalf("another program for leaf 1: %v", err)
	}
	other, err := hemera.New(hemera.Params{FRI: testParams.FRI, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	otherFRI := other.Params()
	otherFRI.FRI.NumQueries = 2
	if oe, err := hemera.New(otherFRI); err == nil {
		if _, err := NewTreeRefs(oe, lay, opts, refs, map[int]*ir.Program{0: leaves[0]}); err == nil {
			t.Fatal("refs made under other parameters accepted for a leaf")
		}
	}
	// The encoding round-trips; malformed encodings are refused.
	enc := EncodeRefs(refs)
	dec, err := DecodeRefs(enc)
	if err != nil || !slices.Equal(dec, refs) {
		t.Fatalf("refs do not round-trip: %v", err)
	}
	for _, bad := range [][]byte{nil, {2}, enc[:len(enc)-1], append(slices.Clone(enc), 0)} {
		if _, err := DecodeRefs(bad); err == nil {
			t.Fatalf("malformed refs (%d bytes) accepted", len(bad))
		}
	}
}

// FuzzDecodeRefs: the refs' decoder never panics.
func FuzzDecodeRefs(f *testing.F) {
	f.Add(EncodeRefs([]LeafRef{{}, {}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if refs, err := DecodeRefs(b); err == nil {
			if !slices.Equal(EncodeRefs(refs), b) {
				t.Fatal("decoded refs encode otherwise")
			}
		}
	})
}
