package aggregate

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// testParams are fast test parameters (low security: the tests check completeness and
// the rejection of cheating provers, not the security level).
var testParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 1, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1}, Workers: 2}

var lay = Layout{K: 2, C: 1}

// toyLeaf is a leaf program: it reads vk_root, the start boundary and the constants,
// and outputs end_i = start_i + step (step 0: end_i = 2·start_i).
func toyLeaf(step uint64) *ir.Program { return toyLeafOf(lay, step) }

// readLeafCells reads a test leaf's vk_root, start boundary and constants, base inputs in
// the layout's order; the leaf sets End.
func readLeafCells(b *ir.Builder, lay Layout) *Cells {
	c := &Cells{}
	for i := range c.Root {
		c.Root[i] = b.InputBase()
	}
	for range lay.K {
		c.Start = append(c.Start, b.InputBase())
	}
	for range lay.C {
		c.Consts = append(c.Consts, b.InputBase())
	}
	return c
}

// toyLeafOf is toyLeaf for another layout.
func toyLeafOf(lay Layout, step uint64) *ir.Program {
	b := ir.NewBuilder()
	c := readLeafCells(b, lay)
	for _, s := range c.Start {
		if step == 0 {
			c.End = append(c.End, b.Add(s, s))
		} else {
			c.End = append(c.End, b.Add(s, b.ConstBase(field.New(step))))
		}
	}
	if err := lay.Output(b, c); err != nil {
		panic(err)
	}
	return b.Program()
}

// leafInputs is a toy leaf's input stream.
func leafInputs(root hash.Digest, start []uint64, consts []uint64) []field.Ext {
	var in []field.Ext
	for _, x := range root {
		in = append(in, field.NewExt(x))
	}
	for _, x := range append(slices.Clone(start), consts...) {
		in = append(in, field.NewExt(field.New(x)))
	}
	return in
}

func elems(xs ...uint64) []field.Elem {
	out := make([]field.Elem, len(xs))
	for i, x := range xs {
		out[i] = field.New(x)
	}
	return out
}

type fixture struct {
	e    *hemera.Engine
	tree *Tree
	// evil is a program with the layout, set up at the tree's heights but not allowed.
	evilPK *recursion.ProvingKey
	evilVK *recursion.VerifyingKey

	mu     sync.Mutex
	leaves map[string]*Node
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
)

// tree is the tree of two leaf programs (+1 and ×2), built once for the package's tests.
func testTree(t testing.TB) *fixture {
	t.Helper()
	fixOnce.Do(func() {
		e, err := hemera.New(testParams)
		if err != nil {
			fixErr = err
			return
		}
		t0 := time.Now()
		tr, err := NewTree(e, lay, toyLeaf(1), toyLeaf(0))
		if err != nil {
			fixErr = err
			return
		}
		t.Logf("NewTree %.2fs: heights %v, join %d instructions", time.Since(t0).Seconds(), tr.Heights(), len(tr.JoinProgram().Insts))
		pk, vk, err := recursion.SetupHeights(e, toyLeaf(3), tr.Heights())
		if err != nil {
			fixErr = err
			return
		}
		fix = &fixture{e: e, tree: tr, evilPK: pk, evilVK: vk, leaves: map[string]*Node{}}
	})
	if fixErr != nil {
		t.Fatal(fixErr)
	}
	return fix
}

// leaf proves leaf program i from start with constant 7 under the tree's root (once per
// test binary: the tests share the proofs, and none modifies a Node it is given).
func (f *fixture) leaf(t testing.TB, i int, start ...uint64) *Node {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	key := fmt.Sprint(i, start)
	if n, ok := f.leaves[key]; ok {
		return n
	}
	n, err := f.tree.ProveLeaf(i, leafInputs(f.tree.Root(), start, []uint64{7}))
	if err != nil {
		t.Fatal(err)
	}
	f.leaves[key] = n
	return n
}

// TestAggregateFour aggregates four leaf proofs of two programs (+1, ×2, +1, +1 from
// (1, 2)) into one root and verifies it: (1,2) → (2,3) → (4,6) → (5,7) → (6,8); and
// the first three, and the first alone.
func TestAggregateFour(t *testing.T) {
	f := testTree(t)
	nodes := []*Node{f.leaf(t, 0, 1, 2), f.leaf(t, 1, 2, 3), f.leaf(t, 0, 4, 6), f.leaf(t, 0, 5, 7)}
	t0 := time.Now()
	root, err := f.tree.Aggregate(nodes)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("three joins: %.2fs", time.Since(t0).Seconds())
	j1, err := f.tree.Join(nodes[0], nodes[1])
	if err != nil {
		t.Fatal(err)
	}
	if root.Key != f.tree.JoinKey() {
		t.Fatalf("the root is under key %d, want the join's %d", root.Key, f.tree.JoinKey())
	}
	if err := f.tree.VerifyRoot(root, elems(1, 2), elems(6, 8), elems(7)); err != nil {
		t.Fatalf("honest root rejected: %v", err)
	}
	for _, c := range []struct {
		name               string
		start, end, consts []field.Elem
	}{
		{"start", elems(1, 3), elems(6, 8), elems(7)},
		{"end", elems(1, 2), elems(6, 9), elems(7)},
		{"constants", elems(1, 2), elems(6, 8), elems(8)},
	} {
		if err := f.tree.VerifyRoot(root, c.start, c.end, c.consts); err == nil {
			t.Fatalf("a root with another %s is accepted", c.name)
		}
	}
	// Three leaves: the third goes up a layer as it is, then joins the first join.
	odd, err := f.tree.Join(j1, nodes[2])
	if err != nil {
		t.Fatal(err)
	}
	if err := f.tree.VerifyRoot(odd, elems(1, 2), elems(5, 7), elems(7)); err != nil {
		t.Fatalf("three leaves: %v", err)
	}
	// One leaf is its own root (its key is in the allowlist).
	if err := f.tree.VerifyRoot(nodes[0], elems(1, 2), elems(2, 3), elems(7)); err != nil {
		t.Fatalf("one leaf as the root: %v", err)
	}
	// The root's proof under a leaf's key, or with other publics, is rejected.
	if err := f.tree.VerifyRoot(&Node{Key: 0, Proof: root.Proof, Publics: root.Publics}, elems(1, 2), elems(6, 8), elems(7)); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("the join's proof under a leaf key: %v", err)
	}
	pub := slices.Clone(root.Publics)
	pub[hash.DigestLen+2] = field.NewExt(field.New(9))
	if err := f.tree.VerifyRoot(&Node{Key: root.Key, Proof: root.Proof, Publics: pub}, elems(1, 2), elems(6, 9), elems(7)); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("the root proof with another end: %v", err)
	}
}

// TestRefusals: NewTree refuses leaves without the layout's publics, no leaves and a
// negative layout; Decode refuses a public value that is not a base element, and Join a
// child whose public values are of another length.
func TestRefusals(t *testing.T) {
	f := testTree(t)
	short := toyLeaf(1)
	short.Publics = short.Publics[:lay.Len()-1]
	if _, err := NewTree(f.e, lay, toyLeaf(1), short); err == nil {
		t.Fatal("a leaf with one public output fewer than the layout was accepted")
	}
	if _, err := NewTree(f.e, lay); err == nil {
		t.Fatal("a tree without leaves was accepted")
	}
	if _, err := NewTree(f.e, Layout{K: -1}, toyLeaf(1)); err == nil {
		t.Fatal("a negative layout was accepted")
	}
	pub := make([]field.Ext, lay.Len())
	if _, err := lay.Decode(pub); err != nil {
		t.Fatal(err)
	}
	pub[3] = field.ExtFromCoords([]field.Elem{field.New(1), field.New(1), field.Elem{}, field.Elem{}})
	if _, err := lay.Decode(pub); err == nil {
		t.Fatal("a non-base public value was decoded")
	}
	a := f.leaf(t, 0, 1, 2)
	if _, err := f.tree.Join(a, &Node{Key: 0, Proof: a.Proof, Publics: a.Publics[:lay.Len()-1]}); err == nil {
		t.Fatal("a child with one public value fewer was joined")
	}
}
