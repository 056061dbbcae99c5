package aggregate

// Attacks on TreeOptions.JoinHeights and the lift (commit 8bbb31b): a lift fed a proof
// under a key of another shape, node keys swapped between lift, join and leaves, a big
// leaf's unlifted proof as a root or the outer layer's root, trees sharing the join key
// with other allowlists, trees whose big leaves differ, and Tree.WithEngine under other
// floors. Each asserts the rejection.

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

type liftFixture struct {
	small, tr *Tree
	a, big    *Node // small leaf 0 from (1,2); the lifted big leaf from (2,3)
	raw       *Node // the big leaf's own proof from (2,3)
	j         *Node // Join(a, big): (1,2) → (3,4)
}

var (
	liftOnce sync.Once
	liftFix  *liftFixture
	liftErr  error
)

func liftTrees(t *testing.T) *liftFixture {
	t.Helper()
	f := testTree(t)
	liftOnce.Do(func() {
		opts := TreeOptions{Depth: 3, JoinHeights: true}
		x := &liftFixture{}
		if x.small, liftErr = NewTreeWith(f.e, lay, opts, toyLeaf(1)); liftErr != nil {
			return
		}
		if x.tr, liftErr = NewTreeWith(f.e, lay, opts, toyLeaf(1), bigLeaf(1, 1<<13)); liftErr != nil {
			return
		}
		c := []uint64{7}
		if x.a, liftErr = x.tr.ProveLeaf(0, leafInputs(x.tr.Root(), []uint64{1, 2}, c)); liftErr != nil {
			return
		}
		if x.big, liftErr = x.tr.ProveLeaf(1, leafInputs(x.tr.Root(), []uint64{2, 3}, c)); liftErr != nil {
			return
		}
		if x.raw, liftErr = x.tr.proveRaw(1, leafInputs(x.tr.Root(), []uint64{2, 3}, c)); liftErr != nil {
			return
		}
		x.j, liftErr = x.tr.Join(x.a, x.big)
		liftFix = x
	})
	if liftErr != nil {
		t.Fatal(liftErr)
	}
	return liftFix
}

// liftExec executes tree tr's lift program on vk_root and a child of the big shape.
func liftExec(t *testing.T, tr *Tree, root hash.Digest, ch child) error {
	t.Helper()
	s, err := tr.childStreamAt(tr.bigShape, ch)
	if err != nil {
		return err
	}
	_, err = tr.keys[tr.lift].pk.Prog.Execute(append(baseExts(root[:]...), s...))
	return err
}

func childOf(tr *Tree, key int, n *Node) child {
	bits, sibs := tr.allow.path(key)
	return child{vk: tr.keys[key].vk, bits: bits, sibs: sibs, publics: n.Publics, proof: n.Proof}
}

func mustExecFail(t *testing.T, name string, err error) {
	t.Helper()
	var ee *ir.ExecError
	if !errors.As(err, &ee) {
		t.Fatalf("%s: the lift executed or failed before executing (%v)", name, err)
	}
	t.Logf("%s: refused at %q", name, ee.Label)
}

// TestReviewLiftChildSubstitution: the lift executes only on a proof of the big shape
// under the key that made it, with its own publics and the tree's vk_root.
func TestReviewLiftChildSubstitution(t *testing.T) {
	x := liftTrees(t)
	tr := x.tr
	if err := liftExec(t, tr, tr.Root(), childOf(tr, 1, x.raw)); err != nil {
		t.Fatalf("the honest lift stream: %v", err)
	}
	// The big leaf's proof under the small leaf's, the lift's and the join's keys (all
	// allowlisted, with their true paths): the proof's transcript binds its own key.
	for _, k := range []int{0, tr.lift, tr.JoinKey()} {
		mustExecFail(t, "big proof under key "+string(rune('0'+k)), liftExec(t, tr, tr.Root(), childOf(tr, k, x.raw)))
	}
	// Another allowlist's vk_root (the small tree's, same join key) on the honest child.
	mustExecFail(t, "small tree's vk_root", liftExec(t, tr, x.small.Root(), childOf(tr, 1, x.raw)))
	// Edited publics: the end state moved.
	ch := childOf(tr, 1, x.raw)
	ch.publics = append([]field.Ext(nil), ch.publics...)
	ch.publics[hash.DigestLen+lay.K] = field.NewExt(field.New(99))
	mustExecFail(t, "edited end", liftExec(t, tr, tr.Root(), ch))
	// Proofs of the joins' shape (a small leaf, a lift, a join) cannot even be streamed
	// as a child of the big shape: refused before execution, without a panic.
	for name, n := range map[string]*Node{"small leaf": x.a, "lift": x.big, "join": x.j} {
		err := liftExec(t, tr, tr.Root(), childOf(tr, n.Key, n))
		if err == nil {
			t.Fatalf("a %s proof streamed and executed as the lift's child", name)
		}
		var ee *ir.ExecError
		if errors.As(err, &ee) {
			t.Logf("%s: refused in execution at %q", name, ee.Label)
		} else {
			t.Logf("%s: refused before execution: %v", name, err)
		}
	}
}

// TestReviewLiftNodeKeySwaps: nodes whose key is swapped between the lift, the join and
// the leaves are refused by VerifyRoot and Join (no panic), and the big leaf's own proof
// is a root of its one-leaf run (it is an allowlisted key's proof) but not a child of a
// join nor the outer layer's root.
func TestReviewLiftNodeKeySwaps(t *testing.T) {
	x := liftTrees(t)
	tr := x.tr
	swap := func(n *Node, key int) *Node { return &Node{Key: key, Proof: n.Proof, Publics: n.Publics} }
	cases := map[string]*Node{
		"lift proof under the join key":     swap(x.big, tr.JoinKey()),
		"lift proof under the big leaf key": swap(x.big, 1),
		"lift proof under the small key":    swap(x.big, 0),
		"join proof under the lift key":     swap(x.j, tr.lift),
		"join proof under the big leaf key": swap(x.j, 1),
		"raw big proof under the lift key":  swap(x.raw, tr.lift),
		"raw big proof under the join key":  swap(x.raw, tr.JoinKey()),
		"raw big proof under the small key": swap(x.raw, 0),
		"small proof under the big key":     swap(x.a, 1),
	}
	for name, n := range cases {
		if _, err := tr.RootPublics(n); err == nil {
			t.Errorf("%s: accepted as a root", name)
		} else if !errors.Is(err, stark.ErrInvalidProof) {
			t.Logf("%s: refused (not ErrInvalidProof): %v", name, err)
		}
	}
	// As join children (first child a, second the swapped node; the links hold for
	// the lift-derived ones: (1,2)→(2,3) then (2,3)→(3,4)).
	for _, name := range []string{"lift proof under the join key", "raw big proof under the lift key", "raw big proof under the join key", "lift proof under the big leaf key"} {
		if _, err := tr.Join(x.a, cases[name]); err == nil {
			t.Errorf("%s: joined", name)
		}
	}
	// The raw big proof under its own key as a join child: not of the joins' shape.
	if _, err := tr.Join(x.a, x.raw); err == nil {
		t.Error("a join of the unlifted big leaf")
	}
	// ... as a root: accepted (a leaf program's proof under its allowlisted key proves
	// its run; VerifyRoot checks the proof under the key it names).
	if err := tr.VerifyRoot(x.raw, elems(2, 3), elems(3, 4), elems(7)); err != nil {
		t.Errorf("the raw big leaf as a root: %v", err)
	}
	// ... as the outer layer's root: refused before proving (the outer program verifies
	// proofs of the joins' shape).
	if _, err := tr.childStream(childOf(tr, 1, x.raw)); err == nil {
		t.Error("the raw big leaf streams as a proof of the joins' shape (the outer layer's input)")
	}
}

// TestReviewSharedJoinKey: two JoinHeights trees of other leaves share the join key
// (and the lift's shape of children) but not vk_root: a root of one does not verify
// under the other, and one's join program, fed the other's children under its own
// vk_root, fails at the allowlist.
func TestReviewSharedJoinKey(t *testing.T) {
	x := liftTrees(t)
	tr, small := x.tr, x.small
	if tr.Key(tr.JoinKey()).STARK.Digest != small.Key(small.JoinKey()).STARK.Digest {
		t.Fatal("the trees do not share the join key: the attack does not apply")
	}
	n := &Node{Key: small.JoinKey(), Proof: x.j.Proof, Publics: x.j.Publics}
	if _, err := small.RootPublics(n); err == nil || !strings.Contains(err.Error(), "vk_root") {
		t.Fatalf("tr's join verified under small's allowlist: %v", err)
	}
	// small's leaf key is tr's leaf 0's (same program, same heights): tr's small leaf
	// node is refused by small by vk_root too.
	if _, err := small.RootPublics(x.a); err == nil || !strings.Contains(err.Error(), "vk_root") {
		t.Fatalf("tr's leaf verified under small's allowlist: %v", err)
	}
	// small's join program (the same program as tr's) on tr's children with small's
	// vk_root: the children's keys' paths lead to tr's root.
	cs := [2]child{childOf(tr, 0, x.a), childOf(tr, tr.lift, x.big)}
	in, err := small.rawInputs(small.Root(), cs)
	if err != nil {
		t.Fatal(err)
	}
	_, err = small.join.Execute(in)
	var ee *ir.ExecError
	if !errors.As(err, &ee) || !strings.Contains(ee.Label, "allowlist") {
		t.Fatalf("small's join on tr's children: %v", err)
	}
	// Join refuses it up front.
	if _, err := small.Join(x.a, x.big); err == nil {
		t.Fatal("small joined tr's nodes")
	}
}

// TestReviewBigHeightsDiffer: trees whose big leaves differ (reordered, one more, a
// taller one) have other allowlist roots; a lifted node or a join of one is refused by
// the others, and a taller tree's lift cannot take the first tree's raw big proof.
func TestReviewBigHeightsDiffer(t *testing.T) {
	x := liftTrees(t)
	f := testTree(t)
	opts := TreeOptions{Depth: 3, JoinHeights: true}
	reordered, err := NewTreeWith(f.e, lay, opts, bigLeaf(1, 1<<13), toyLeaf(1))
	if err != nil {
		t.Fatal(err)
	}
	taller, err := NewTreeWith(f.e, lay, opts, toyLeaf(1), bigLeaf(1, 1<<13), bigLeaf(2, 1<<14))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("big heights %v, taller %v", x.tr.bigHeights, taller.bigHeights)
	if taller.bigHeights == x.tr.bigHeights {
		t.Fatal("the taller tree's big heights are the same: the attack does not apply")
	}
	for name, o := range map[string]*Tree{"reordered": reordered, "taller": taller} {
		if o.Root() == x.tr.Root() {
			t.Fatalf("%s: same allowlist root", name)
		}
		for _, n := range []*Node{x.big, x.j} {
			m := &Node{Key: n.Key, Proof: n.Proof, Publics: n.Publics}
			if n == x.j {
				m.Key = o.JoinKey()
			}
			if n == x.big {
				m.Key = o.lift
			}
			if _, err := o.RootPublics(m); err == nil {
				t.Errorf("%s: a node of the first tree verified (key %d)", name, m.Key)
			}
		}
	}
	// The taller tree's lift on the first tree's raw big proof (a proof of other heights)
	// under the first tree's big leaf key, which is the taller tree's key 1 program at
	// other heights: refused.
	err = liftExec(t, taller, taller.Root(), childOf(x.tr, 1, x.raw))
	if err == nil {
		t.Fatal("the taller tree's lift executed on the first tree's big proof")
	}
	t.Logf("taller lift on the first tree's raw proof: %v", err)
}

// TestReviewWithEngineFloors: a tree built under an engine with no floors, moved by
// WithEngine to an engine of the same FRI parameters with the default floors (what
// core/machine's tree cache does), refuses a root below those floors: WithEngine
// refuses the engine, or the root's own proof is checked under its floors.
func TestReviewWithEngineFloors(t *testing.T) {
	x := liftTrees(t)
	p := testParams
	p.MinSecurityBits, p.MinProvableBits = 100, 100
	strong, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.tr.WithEngine(strong)
	if err != nil {
		t.Logf("WithEngine refuses: %v", err)
		return
	}
	for name, n := range map[string]*Node{"join": x.j, "lift": x.big, "raw big leaf": x.raw, "small leaf": x.a} {
		_, err := st.RootPublics(n)
		var se *stark.Error
		if err == nil || !errors.As(err, &se) || se.Check != "security" {
			t.Errorf("%s under the strong floors: %v", name, err)
		}
	}
}

// TestReviewWithEngineRechecksShapes: NewTreeWith refuses, under an engine whose floors
// the tree's shapes miss, to build the tree (verifier.NewShape checks the joins' shape
// and the big shape against the engine's floors); WithEngine must not give such an
// engine a tree built under weaker floors. Otherwise the shapes that a tree's root does
// not itself have — the big shape, verified only inside lifts — escape the verifier's
// floors when the tree comes from core/machine's cache (keyed by FRI parameters only):
// a big leaf at 2^23 arithmetic rows has 99 bits at aggregate.Params, below the 100-bit
// floor, while the join root above it has 100.
func TestReviewWithEngineRechecksShapes(t *testing.T) {
	x := liftTrees(t)
	p := testParams
	p.MinSecurityBits, p.MinProvableBits = 100, 100
	strong, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewTreeWith(strong, lay, TreeOptions{Depth: 3, JoinHeights: true}, toyLeaf(1), bigLeaf(1, 1<<13)); err == nil {
		t.Fatal("NewTreeWith under floors the tree's shapes miss")
	}
	if _, err := x.tr.WithEngine(strong); err == nil {
		t.Fatal("WithEngine gave an engine a tree whose shapes miss its floors (NewTreeWith under it refuses)")
	}
}

// TestReviewOuterOfUnliftedRoot: the outer layer of a JoinHeights tree takes proofs of
// the joins' shape only: the big leaf's raw proof (a root VerifyRoot accepts) and key
// swaps are refused before proving, without a panic; the outer program is the same
// for the tree with the big leaf and the one without (the same shape and depth).
func TestReviewOuterOfUnliftedRoot(t *testing.T) {
	x := liftTrees(t)
	o, err := x.tr.Outer(testOuterParams, nil)
	if err != nil {
		t.Fatal(err)
	}
	os, err := x.small.Outer(testOuterParams, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.vk.STARK.Digest != os.vk.STARK.Digest {
		t.Error("the outer keys of two JoinHeights trees of the same depth differ")
	}
	swap := func(n *Node, key int) *Node { return &Node{Key: key, Proof: n.Proof, Publics: n.Publics} }
	for name, n := range map[string]*Node{
		"raw big leaf":                 x.raw,
		"raw big leaf under the lift":  swap(x.raw, x.tr.lift),
		"raw big leaf under the join":  swap(x.raw, x.tr.JoinKey()),
		"key out of range":             swap(x.j, 8),
		"negative key":                 swap(x.j, -1),
		"tr's join to the small outer": x.j,
	} {
		oo := o
		if strings.HasPrefix(name, "tr's") {
			oo = os
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: panic: %v", name, p)
				}
			}()
			if _, err := oo.Prove(n); err == nil {
				t.Errorf("%s: the outer layer proved it", name)
			} else {
				t.Logf("%s: %v", name, err)
			}
		}()
	}
}
