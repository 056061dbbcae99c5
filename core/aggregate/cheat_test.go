package aggregate

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// honestChild is what an honest prover puts in the join's stream for node n.
func (f *fixture) honestChild(n *Node) child {
	bits, sibs := f.tree.allow.path(n.Key)
	return child{vk: f.tree.keys[n.Key].vk, bits: bits, sibs: sibs, publics: n.Publics, proof: n.Proof}
}

// mustFail executes the join program on a cheating prover's stream and requires the
// execution to fail (no proof of the join exists for it: the recursion AIR set proves
// exactly the executions) at a check whose label starts with want.
func (f *fixture) mustFail(t *testing.T, name string, root hash.Digest, cs [2]child, want string) {
	t.Helper()
	if ee := f.joinFailure(t, name, root, cs); !strings.HasPrefix(ee.Label, want) {
		t.Fatalf("%s: failed at %q (%v), want a failure at %q", name, ee.Label, ee, want)
	}
}

// joinFailure executes the join program on the stream of root and cs and returns the
// failure, failing the test if the program executes.
func (f *fixture) joinFailure(t *testing.T, name string, root hash.Digest, cs [2]child) *ir.ExecError {
	t.Helper()
	in, err := f.tree.rawInputs(root, cs)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	_, err = f.tree.join.Execute(in)
	var ee *ir.ExecError
	if !errors.As(err, &ee) {
		t.Fatalf("%s: the join program executed (%v)", name, err)
	}
	return ee
}

// TestJoinCheatingProvers: every way of joining children that are not two linked
// proofs under allowed keys and the tree's vk_root makes the join program fail, and
// Join refuses the ones it can see before proving.
func TestJoinCheatingProvers(t *testing.T) {
	f := testTree(t)
	root := f.tree.Root()
	a := f.leaf(t, 0, 1, 2) // (1,2) → (2,3)
	b := f.leaf(t, 1, 2, 3) // (2,3) → (4,6)
	far := f.leaf(t, 0, 5, 5)

	// The honest stream executes (the baseline of every case below).
	in, err := f.tree.joinInputs(root, [2]*Node{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.tree.join.Execute(in); err != nil {
		t.Fatalf("honest join: %v", err)
	}

	t.Run("unlinked", func(t *testing.T) {
		// a ends in (2,3), far starts in (5,5).
		if _, err := f.tree.Join(a, far); err == nil {
			t.Fatal("Join accepted children that do not link")
		}
		f.mustFail(t, "a.end ≠ far.start", root, [2]child{f.honestChild(a), f.honestChild(far)}, "join: link")
		// Claiming a ends where far starts: a's proof is of another statement.
		lie := f.honestChild(a)
		lie.publics = slices.Clone(a.Publics)
		copy(lie.publics[hash.DigestLen+lay.K:], far.Publics[hash.DigestLen:hash.DigestLen+lay.K])
		in, err := f.tree.rawInputs(root, [2]child{lie, f.honestChild(far)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.tree.join.Execute(in); !errors.As(err, new(*ir.ExecError)) {
			t.Fatalf("a child's end claimed other than its proof's: %v", err)
		}
	})

	t.Run("swapped", func(t *testing.T) {
		// b ends in (4,6), a starts in (1,2).
		if _, err := f.tree.Join(b, a); err == nil {
			t.Fatal("Join accepted swapped children")
		}
		f.mustFail(t, "swapped", root, [2]child{f.honestChild(b), f.honestChild(a)}, "join: link")
	})

	t.Run("key not allowed", func(t *testing.T) {
		// A program with the layout, set up at the tree's heights, not in the allowlist:
		// its proof verifies natively under its own key.
		evil, pub, err := recursion.Prove(f.e, f.evilPK, leafInputs(root, []uint64{2, 3}, []uint64{7}))
		if err != nil {
			t.Fatal(err)
		}
		if err := recursion.Verify(f.e, f.evilVK, pub, evil); err != nil {
			t.Fatalf("the evil leaf's proof: %v", err)
		}
		// Its own key, with the path of every allowed key: not in the allowlist.
		for i := range f.tree.keys {
			bits, sibs := f.tree.allow.path(i)
			c := child{vk: f.evilVK, bits: bits, sibs: sibs, publics: pub, proof: evil}
			f.mustFail(t, "evil key", root, [2]child{f.honestChild(a), c}, "join: child 1: allowlist")
		}
		// An allowed key (leaf 1's, and the join's) with the evil proof: the proof does
		// not verify under it.
		for _, k := range []int{1, f.tree.JoinKey()} {
			c := f.honestChild(&Node{Key: k, Proof: evil, Publics: pub})
			in, err := f.tree.rawInputs(root, [2]child{f.honestChild(a), c})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.tree.join.Execute(in)
			var ee *ir.ExecError
			if !errors.As(err, &ee) || strings.HasPrefix(ee.Label, "join:") {
				t.Fatalf("key %d with the evil proof: %v (want a failure of the child's verification)", k, err)
			}
		}
	})

	t.Run("vk_root differs", func(t *testing.T) {
		other := root
		other[0].SetUint64(other[0].Uint64() + 1)
		odd, err := f.tree.ProveLeaf(1, leafInputs(other, []uint64{2, 3}, []uint64{7}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.tree.Join(a, odd); err == nil {
			t.Fatal("Join accepted a child with another vk_root")
		}
		// The join's vk_root is the tree's: the second child's differs.
		f.mustFail(t, "child 1's root", root, [2]child{f.honestChild(a), f.honestChild(odd)}, "join: link")
		// The join's vk_root is the odd one: no allowed key's path leads to it.
		f.mustFail(t, "the join's root", other, [2]child{f.honestChild(a), f.honestChild(odd)}, "join: child 0: allowlist")
	})

	t.Run("wrong path", func(t *testing.T) {
		c := f.honestChild(a)
		for d := range c.bits {
			flip := c
			flip.bits = slices.Clone(c.bits)
			flip.bits[d] = !flip.bits[d]
			f.mustFail(t, "a flipped bit", root, [2]child{flip, f.honestChild(b)}, "join: child 0: allowlist")
			sib := c
			sib.sibs = slices.Clone(c.sibs)
			sib.sibs[d][3].SetUint64(sib.sibs[d][3].Uint64() + 1)
			f.mustFail(t, "another sibling", root, [2]child{sib, f.honestChild(b)}, "join: child 0: allowlist")
		}
		// Another key's path for a's key.
		wrong := c
		wrong.bits, wrong.sibs = f.tree.allow.path(1)
		f.mustFail(t, "leaf 1's path", root, [2]child{wrong, f.honestChild(b)}, "join: child 0: allowlist")
		// A bit that is not 0 or 1: refused by b² = b.
		in, err := f.tree.rawInputs(root, [2]child{c, f.honestChild(b)})
		if err != nil {
			t.Fatal(err)
		}
		pos := hash.DigestLen + 2*hash.DigestLen + lay.Len() // child 0's first bit
		in[pos] = field.NewExt(field.New(2))
		var ee *ir.ExecError
		if _, err := f.tree.join.Execute(in); !errors.As(err, &ee) {
			t.Fatalf("a bit of 2: %v", err)
		}
		// It fails at b² = b (input, mul, assert_eq), not later at the root.
		read := -1
		for i, n := 0, 0; i < len(f.tree.join.Insts) && read < 0; i++ {
			if op := f.tree.join.Insts[i].Op; op == ir.OpInput || op == ir.OpInputBase {
				if n == pos {
					read = i
				}
				n++
			}
		}
		if ee.Index != read+2 || ee.Op != ir.OpAssertEq {
			t.Fatalf("a bit of 2 fails at instruction %d (%s), want the assert_eq two after its input (%d): %v", ee.Index, ee.Op, read, ee)
		}
	})

	t.Run("other public cells", func(t *testing.T) {
		// a's key with its public cells permuted: another entry, not in the allowlist.
		c := f.honestChild(a)
		vk := *c.vk
		vk.Publics = slices.Clone(vk.Publics)
		vk.Publics[hash.DigestLen], vk.Publics[hash.DigestLen+lay.K] = vk.Publics[hash.DigestLen+lay.K], vk.Publics[hash.DigestLen]
		c.vk = &vk
		f.mustFail(t, "permuted public cells", root, [2]child{c, f.honestChild(b)}, "join: child 0: allowlist")
	})
}

// TestRootOfAnotherAllowlist: a tree whose allowlist admits another leaf program has,
// at the same heights, the very same join program and key — its root proof verifies
// under this tree's join key. VerifyRoot refuses it because its vk_root is not this
// tree's allowlist root.
func TestRootOfAnotherAllowlist(t *testing.T) {
	f := testTree(t)
	evilTree, err := NewTree(f.e, lay, toyLeaf(3), toyLeaf(0))
	if err != nil {
		t.Fatal(err)
	}
	if evilTree.Key(evilTree.JoinKey()).Digest != f.tree.Key(f.tree.JoinKey()).Digest {
		t.Fatal("the other tree's join key differs: the attack this test guards against is not set up")
	}
	x, err := evilTree.ProveLeaf(0, leafInputs(evilTree.Root(), []uint64{1, 2}, []uint64{7})) // (1,2) → (4,5)
	if err != nil {
		t.Fatal(err)
	}
	y, err := evilTree.ProveLeaf(1, leafInputs(evilTree.Root(), []uint64{4, 5}, []uint64{7})) // → (8,10)
	if err != nil {
		t.Fatal(err)
	}
	r, err := evilTree.Join(x, y)
	if err != nil {
		t.Fatal(err)
	}
	if err := evilTree.VerifyRoot(r, elems(1, 2), elems(8, 10), elems(7)); err != nil {
		t.Fatalf("the other tree's root under its own allowlist: %v", err)
	}
	if err := recursion.Verify(f.e, f.tree.Key(f.tree.JoinKey()), r.Publics, r.Proof); err != nil {
		t.Fatalf("the other tree's root does not verify under this join key: %v", err)
	}
	if err := f.tree.VerifyRoot(r, elems(1, 2), elems(8, 10), elems(7)); err == nil || !strings.Contains(err.Error(), "vk_root") {
		t.Fatalf("a root of another allowlist: %v", err)
	}
	// And its proofs cannot be joined into this tree.
	if _, err := f.tree.Join(f.leaf(t, 0, 0, 1), &Node{Key: f.tree.JoinKey(), Proof: r.Proof, Publics: r.Publics}); err == nil {
		t.Fatal("a node of another allowlist joined")
	}
	// Nor a key index outside the allowlist.
	if err := f.tree.VerifyRoot(&Node{Key: 99, Proof: r.Proof, Publics: r.Publics}, elems(1, 2), elems(8, 10), elems(7)); err == nil {
		t.Fatal("a root under key 99 accepted")
	}
}
