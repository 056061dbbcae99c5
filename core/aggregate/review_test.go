package aggregate

// Soundness review of the aggregation tree: attempts to make Tree.VerifyRoot accept a
// root whose (start, end, constants) no chain of honestly executed, allowed leaf
// programs proves, each left as a regression test. The cheats are real executions of
// honest programs on chosen inputs, other programs, the same programs under other keys
// (publics reordered, other heights), and join input streams written by hand
// (rawInputs, or edited streams): a join stream on which the join program does not
// execute has no proof (the recursion AIR set proves exactly the executions; its own
// review is core/chips/recursion's attack_review_test.go).

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// mustNotVerify executes the join on a stream whose keys and paths are honest but
// whose child statement or proof is not, and requires a failure inside a child's
// verification (a label that is not one of the join's own).
func (f *fixture) mustNotVerify(t *testing.T, name string, root hash.Digest, cs [2]child) {
	t.Helper()
	if ee := f.joinFailure(t, name, root, cs); strings.HasPrefix(ee.Label, "join:") {
		t.Fatalf("%s: failed at %q (%v), want a failure of the child's verification", name, ee.Label, ee)
	}
}

// execFails executes the join on a raw stream and requires an *ExecError.
func (f *fixture) execFails(t *testing.T, name string, in []field.Ext, want string) {
	t.Helper()
	_, err := f.tree.join.Execute(in)
	var ee *ir.ExecError
	if !errors.As(err, &ee) {
		t.Fatalf("%s: the join program executed (%v)", name, err)
	}
	if want != "" && !strings.HasPrefix(ee.Label, want) {
		t.Fatalf("%s: failed at %q (%v), want %q", name, ee.Label, err, want)
	}
}

// childOffsets are the positions in the join's stream of child c's public cells,
// first path bit and public values (the stream's layout, joinProgram's doc).
func (f *fixture) childOffsets(t *testing.T, a, b *Node) (in []field.Ext, cells, bits, pubs [2]int) {
	t.Helper()
	in, err := f.tree.joinInputs(f.tree.Root(), [2]*Node{a, b})
	if err != nil {
		t.Fatal(err)
	}
	L, d := lay.Len(), f.tree.allow.depth
	p0, err := verifier.ProofInputs(f.tree.shape, a.Proof)
	if err != nil {
		t.Fatal(err)
	}
	pos := hash.DigestLen
	for c := range 2 {
		cells[c] = pos + 2*hash.DigestLen
		bits[c] = cells[c] + L
		pubs[c] = bits[c] + d*(1+hash.DigestLen)
		pos = pubs[c] + L + len(p0) // both proofs have the shape's length
	}
	return in, cells, bits, pubs
}

// TestReviewJoinStreamFixed: the join program reads a stream of one length — vk_root,
// then per child 16 key cells, exactly L public cells, a path of exactly the
// allowlist's depth and L public values, then the proof — so no key with another
// number of public cells and no path that stops at an inner node or goes past the
// root can be given to it. The stream positions the other tests edit are checked
// against the honest stream's values.
func TestReviewJoinStreamFixed(t *testing.T) {
	f := testTree(t)
	a, b := f.leaf(t, 0, 1, 2), f.leaf(t, 1, 2, 3)
	in, cells, bits, pubs := f.childOffsets(t, a, b)
	p, err := verifier.ProofInputs(f.tree.shape, a.Proof)
	if err != nil {
		t.Fatal(err)
	}
	L, d := lay.Len(), f.tree.allow.depth
	if want := hash.DigestLen + 2*(2*hash.DigestLen+L+d*(1+hash.DigestLen)+L+len(p)); f.tree.join.Inputs != want || len(in) != want {
		t.Fatalf("the join reads %d inputs (stream %d), want %d", f.tree.join.Inputs, len(in), want)
	}
	for c, n := range [2]*Node{a, b} {
		vk := f.tree.keys[n.Key].vk
		for i, x := range vk.Publics {
			if in[cells[c]+i] != field.NewExt(field.New(uint64(x))) {
				t.Fatalf("child %d: public cell %d not at its offset", c, i)
			}
		}
		for i := range n.Publics {
			if in[pubs[c]+i] != n.Publics[i] {
				t.Fatalf("child %d: public value %d not at its offset", c, i)
			}
		}
		wantBits, _ := f.tree.allow.path(n.Key)
		for l, bit := range wantBits {
			x := in[bits[c]+l*(1+hash.DigestLen)]
			if bit != (x == field.NewExt(field.New(1))) {
				t.Fatalf("child %d: path bit %d not at its offset", c, l)
			}
		}
	}
	// A stream one element shorter or longer is not an execution.
	if _, err := f.tree.join.Execute(in[:len(in)-1]); err == nil {
		t.Fatal("a short stream executed")
	}
	if _, err := f.tree.join.Execute(append(slices.Clone(in), field.Ext{})); err == nil {
		t.Fatal("a long stream executed")
	}
}

// TestReviewEntryEncoding: an entry is hash.Elems over digest ‖ prep_root ‖ cells,
// which zero-pads its last block and carries no length, so hash.Elems(x) =
// hash.Elems(x ‖ 0) — a key with one more public cell, cell 0, would have the entry of
// the shorter key. It cannot be used: the join reads exactly L cells (above), and no
// program has a public at cell 0 (Setup refuses it). An entry is also a compression of
// values everyone knows (the chain's state and its last block), so it is an inner node
// of a one-level-deeper tree; the join's fixed depth is what refuses that (a path one
// level longer would need a key whose entry is that chain state: a preimage). Every
// entry of the tree is distinct, and none is a node of another level.
func TestReviewEntryEncoding(t *testing.T) {
	f := testTree(t)
	vk := f.tree.Key(0)
	x := append(append(slices.Clone(vk.STARK.Digest[:]), vk.STARK.PrepRoot[:hash.DigestLen]...), elems(1, 2, 3)...)
	if len(x)%hash.Rate == 0 {
		t.Fatal("the sample fills its last block")
	}
	if hash.Elems(x) != hash.Elems(append(slices.Clone(x), field.Elem{})) {
		t.Fatal("hash.Elems distinguishes a trailing zero: the padding argument below is moot")
	}
	// No program has a public at cell 0.
	p := toyLeaf(1)
	p.Publics = append(slices.Clone(p.Publics), 0)
	if _, _, err := recursion.SetupHeights(f.e, p, f.tree.Heights()); err == nil {
		t.Fatal("a program with a public at cell 0 was set up")
	}
	// rawInputs refuses keys of another number of public cells.
	c := f.honestChild(f.leaf(t, 0, 1, 2))
	long := *c.vk
	long.Publics = append(slices.Clone(long.Publics), 0)
	c.vk = &long
	if _, err := f.tree.rawInputs(f.tree.Root(), [2]child{c, c}); err == nil {
		t.Fatal("a key with L+1 public cells was written into a join stream")
	}
	// The entry is Compress(chain state, last block): an inner node of a deeper tree.
	in := append(append(slices.Clone(vk.STARK.Digest[:]), vk.STARK.PrepRoot[:hash.DigestLen]...), cellElems(vk.Publics)...)
	n := (len(in) - 1) / hash.Rate * hash.Rate
	st := hash.Elems(in[:n])
	var last hash.Digest
	copy(last[:], in[n:])
	if hash.Compress(&st, &last) != entry(vk) {
		t.Fatal("the entry is not the compression of its chain state and last block")
	}
	// Distinct entries; no entry is a node of another level.
	seen := map[hash.Digest]int{}
	for l, lvl := range f.tree.allow.levels {
		for i, nd := range lvl {
			if l == 0 && i >= len(f.tree.keys) {
				continue // the padding: copies of entry 0
			}
			if prev, ok := seen[nd]; ok && !(l == 0 && prev == 0) {
				t.Fatalf("node %d of level %d repeats a node of level %d", i, l, prev)
			}
			seen[nd] = l
		}
	}
	if len(f.tree.keys) != len(slices.Compact(slices.SortedFunc(slices.Values(f.tree.allow.levels[0][:len(f.tree.keys)]), cmpDigest))) {
		t.Fatal("two keys of the tree have one entry")
	}
}

func cellElems(cs []uint32) []field.Elem {
	out := make([]field.Elem, len(cs))
	for i, c := range cs {
		out[i] = field.New(uint64(c))
	}
	return out
}

func cmpDigest(a, b hash.Digest) int {
	for i := range a {
		if x, y := a[i].Uint64(), b[i].Uint64(); x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// TestReviewMixedKeyParts: the entry pins the triple, so an allowed key's digest with
// another allowed key's preprocessed root, or either with another key's public cells,
// is in no slot of the allowlist (the join's digest and root with a leaf's cells would
// read the leaf's start and end from the join's cells, and the other way round).
func TestReviewMixedKeyParts(t *testing.T) {
	f := testTree(t)
	a, b := f.leaf(t, 0, 1, 2), f.leaf(t, 1, 2, 3)
	keys := []int{0, 1, f.tree.JoinKey()}
	for _, i := range keys {
		for _, j := range keys {
			for _, k := range keys {
				if i == j && j == k {
					continue
				}
				vk := *f.tree.Key(i)
				st := *vk.STARK
				st.PrepRoot = f.tree.Key(j).STARK.PrepRoot
				vk.STARK = &st
				vk.Publics = f.tree.Key(k).Publics
				for s := range 1 << f.tree.allow.depth {
					c := f.honestChild(a)
					c.vk = &vk
					c.bits, c.sibs = f.tree.allow.path(s)
					f.mustFail(t, "mixed key", f.tree.Root(), [2]child{c, f.honestChild(b)}, "join: child 0: allowlist")
				}
			}
		}
	}
}

// TestReviewPublicsReordered: the same program with its publics in another order is set
// up into the same STARK key (the digest and the preprocessed root: a public adds one
// read to its cell, whatever its position) — only the public cells differ. Swapping the
// start and end cells of the +1 leaf makes an honest "backwards" leaf: from (2,3) its
// proof says (3,4) → (2,3), and it verifies natively under its own key. Under the
// tree's leaf key (the digest and root are the same) the join and VerifyRoot refuse
// it; with its own cells it is in no slot of the allowlist. A chain (1,2) → (2,3)
// "backwards" from (3,4) would otherwise go from (3,4) to (2,3) and on to (4,6).
func TestReviewPublicsReordered(t *testing.T) {
	f := testTree(t)
	root := f.tree.Root()
	p := toyLeaf(1)
	K := lay.K
	back := *p
	back.Publics = slices.Clone(p.Publics)
	for i := range K {
		s, e := hash.DigestLen+i, hash.DigestLen+K+i
		back.Publics[s], back.Publics[e] = back.Publics[e], back.Publics[s]
	}
	pk, vk, err := recursion.SetupHeights(f.e, &back, f.tree.Heights())
	if err != nil {
		t.Fatal(err)
	}
	if vk.STARK.Digest != f.tree.Key(0).STARK.Digest || vk.STARK.PrepRoot != f.tree.Key(0).STARK.PrepRoot {
		t.Fatal("reordering the publics changed the STARK key: the attack is not set up")
	}
	if slices.Equal(vk.Publics, f.tree.Key(0).Publics) {
		t.Fatal("the reordered key has the same public cells")
	}
	proof, pub, err := recursion.Prove(f.e, pk, leafInputs(root, []uint64{2, 3}, []uint64{7}))
	if err != nil {
		t.Fatal(err)
	}
	if err := recursion.Verify(f.e, vk, pub, proof); err != nil {
		t.Fatalf("the backwards leaf under its own key: %v", err)
	}
	bw := &Node{Key: 0, Proof: proof, Publics: pub} // claims (3,4) → (2,3)
	if got, _ := lay.Decode(pub); !slices.Equal(got.Start, elems(3, 4)) || !slices.Equal(got.End, elems(2, 3)) {
		t.Fatalf("the backwards leaf proves %v → %v", got.Start, got.End)
	}
	// As a root under leaf 0's key: the same STARK key, other public cells.
	if err := f.tree.VerifyRoot(bw, elems(3, 4), elems(2, 3), elems(7)); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("the backwards leaf as a root under leaf 0's key: %v", err)
	}
	// Joined after a leaf that ends in (3,4), under leaf 0's key: Join's pre-checks
	// pass (the publics link), the child's verification does not.
	pre := f.leaf(t, 0, 2, 3) // (2,3) → (3,4)
	if _, err := f.tree.Join(pre, bw); err == nil {
		t.Fatal("Join joined the backwards leaf")
	}
	f.mustNotVerify(t, "backwards under leaf 0's key", root, [2]child{f.honestChild(pre), f.honestChild(bw)})
	// With its own key (its own cells): no slot of the allowlist.
	for s := range 1 << f.tree.allow.depth {
		c := f.honestChild(bw)
		c.vk = vk
		c.bits, c.sibs = f.tree.allow.path(s)
		f.mustFail(t, "backwards under its own key", root, [2]child{f.honestChild(pre), c}, "join: child 1: allowlist")
	}
	// The join's key with its start and end cells swapped (a "backwards join", the same
	// STARK key): no slot either.
	jb := *f.tree.Key(f.tree.JoinKey())
	jb.Publics = slices.Clone(jb.Publics)
	for i := range K {
		s, e := hash.DigestLen+i, hash.DigestLen+K+i
		jb.Publics[s], jb.Publics[e] = jb.Publics[e], jb.Publics[s]
	}
	for s := range 1 << f.tree.allow.depth {
		c := f.honestChild(pre)
		c.vk = &jb
		c.bits, c.sibs = f.tree.allow.path(s)
		f.mustFail(t, "a backwards join key", root, [2]child{c, f.honestChild(pre)}, "join: child 0: allowlist")
	}
	// An honest leaf's proof with its start and end values swapped (the key's cells
	// as they are): another statement than the proof's.
	c := f.honestChild(f.leaf(t, 0, 3, 4))
	c.publics = slices.Clone(c.publics)
	for i := range K {
		s, e := hash.DigestLen+i, hash.DigestLen+K+i
		c.publics[s], c.publics[e] = c.publics[e], c.publics[s]
	}
	f.mustNotVerify(t, "swapped values", root, [2]child{f.honestChild(pre), c})
}

// TestReviewKeyAtOtherHeights: the +1 leaf set up at other heights. A taller arithmetic
// table is another STARK key (digest and root): in no slot, and its proofs do not have
// the join's shape. A taller Poseidon2 table (no preprocessed columns) is the SAME
// STARK key — its proofs verify natively under the tree's leaf key, so VerifyRoot takes
// one as a single-leaf root (of a true statement: the same program) — but the join's
// heights are constants, so such a proof cannot be joined.
func TestReviewKeyAtOtherHeights(t *testing.T) {
	f := testTree(t)
	root := f.tree.Root()
	a, b := f.leaf(t, 0, 1, 2), f.leaf(t, 1, 2, 3)

	h := f.tree.Heights()
	h[0]++
	pk, vk, err := recursion.SetupHeights(f.e, toyLeaf(1), h)
	if err != nil {
		t.Fatal(err)
	}
	if vk.STARK.Digest == f.tree.Key(0).STARK.Digest {
		t.Fatal("a taller arithmetic table kept the digest")
	}
	for s := range 1 << f.tree.allow.depth {
		c := f.honestChild(a)
		c.vk = vk
		c.bits, c.sibs = f.tree.allow.path(s)
		f.mustFail(t, "a taller key", root, [2]child{c, f.honestChild(b)}, "join: child 0: allowlist")
	}
	proof, pub, err := recursion.Prove(f.e, pk, leafInputs(root, []uint64{1, 2}, []uint64{7}))
	if err != nil {
		t.Fatal(err)
	}
	c := f.honestChild(&Node{Key: 0, Proof: proof, Publics: pub})
	if _, err := f.tree.rawInputs(root, [2]child{c, f.honestChild(b)}); err == nil {
		t.Fatal("a proof of other heights was written into a join stream")
	}
	if err := f.tree.VerifyRoot(&Node{Key: 0, Proof: proof, Publics: pub}, elems(1, 2), elems(2, 3), elems(7)); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("a proof of a taller key under the tree's: %v", err)
	}

	h = f.tree.Heights()
	h[recursion.NumTables-1]++ // the Poseidon2 table
	pk, vk, err = recursion.SetupHeights(f.e, toyLeaf(1), h)
	if err != nil {
		t.Fatal(err)
	}
	if vk.STARK.Digest != f.tree.Key(0).STARK.Digest || entry(vk) != entry(f.tree.Key(0)) {
		t.Fatal("a taller Poseidon2 table changed the key: update this test's premise")
	}
	proof, pub, err = recursion.Prove(f.e, pk, leafInputs(root, []uint64{1, 2}, []uint64{7}))
	if err != nil {
		t.Fatal(err)
	}
	tall := &Node{Key: 0, Proof: proof, Publics: pub}
	if err := f.tree.VerifyRoot(tall, elems(1, 2), elems(2, 3), elems(7)); err != nil {
		t.Fatalf("a single-leaf root with a taller Poseidon2 table (a true statement): %v", err)
	}
	if _, err := f.tree.Join(tall, b); err == nil {
		t.Fatal("a proof with a taller Poseidon2 table was joined")
	}
	// Its data written as if of the shape's heights: the transcript absorbs the join's
	// constant heights, so the proof does not verify (or cannot even be written).
	fake := *proof
	fake.LogN = slices.Clone(f.tree.shape.LogN)
	c = f.honestChild(&Node{Key: 0, Proof: &fake, Publics: pub})
	if in, err := f.tree.rawInputs(root, [2]child{c, f.honestChild(b)}); err == nil {
		f.execFails(t, "a taller proof relabelled", in, "")
	}
}

// extLeaf is a leaf program with the layout whose first end element is start_0 plus a
// free degree-4 input: on an input outside the base field its end is not a base
// element.
func extLeaf() *ir.Program {
	b := ir.NewBuilder()
	c := readLeafCells(b, lay)
	x := b.Input()
	c.End = append(c.End, b.Add(c.Start[0], x))
	for _, s := range c.Start[1:] {
		c.End = append(c.End, s)
	}
	if err := lay.Output(b, c); err != nil {
		panic(err)
	}
	return b.Program()
}

// TestReviewNonBasePublics: an allowed leaf whose proof has a public value outside the
// base field (end_0 = 2 + X). Its proof verifies natively; VerifyRoot and Join refuse
// it (Decode); the join program refuses it as a stream (InputBase on the child's
// publics) and refuses its base projection (end_0 = 2) as another statement than the
// proof's, so the upper coordinates cannot be dropped to link it to a start of 2.
func TestReviewNonBasePublics(t *testing.T) {
	f := testTree(t)
	tr, err := NewTree(f.e, lay, toyLeaf(1), extLeaf())
	if err != nil {
		t.Fatal(err)
	}
	g := &fixture{e: f.e, tree: tr}
	root := tr.Root()
	in := leafInputs(root, []uint64{2, 3}, []uint64{7})
	in = append(in, field.ExtFromCoords([]field.Elem{{}, field.New(1), {}, {}})) // X
	x, err := tr.ProveLeaf(1, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := recursion.Verify(f.e, tr.Key(1), x.Publics, x.Proof); err != nil {
		t.Fatalf("the ext leaf's proof: %v", err)
	}
	if err := tr.VerifyRoot(x, elems(2, 3), elems(2, 3), elems(7)); err == nil {
		t.Fatal("VerifyRoot took a root with a non-base end")
	}
	a, err := tr.ProveLeaf(0, leafInputs(root, []uint64{1, 2}, []uint64{7})) // (1,2) → (2,3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Join(a, x); err == nil {
		t.Fatal("Join took a child with a non-base end")
	}
	// The stream with the ext value: InputBase refuses it.
	raw, err := tr.rawInputs(root, [2]child{g.honestChild(a), g.honestChild(x)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tr.join.Execute(raw)
	var ee *ir.ExecError
	if !errors.As(err, &ee) || ee.Label != "join: child 1: publics" {
		t.Fatalf("a child's non-base public value in the stream: %v", err)
	}
	// Its base projection: end = (2, 3) as if the X were not there.
	proj := g.honestChild(x)
	proj.publics = slices.Clone(x.Publics)
	e0 := hash.DigestLen + lay.K
	proj.publics[e0] = field.NewExt(field.ExtCoords(&x.Publics[e0])[0])
	raw, err = tr.rawInputs(root, [2]child{g.honestChild(a), proj})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tr.join.Execute(raw)
	if !errors.As(err, &ee) || strings.HasPrefix(ee.Label, "join:") {
		t.Fatalf("a child's public value projected to the base field: %v (want a failure of its verification)", err)
	}
}

// TestReviewPathBits: a path bit or a sibling outside the base field, a bit of −1 (b² =
// 1 ≠ b) and 1/2 (the midpoint of the node and its sibling) are not executions. The
// allowlist's padding slots hold copies of entry 0: only key 0 opens them (harmless).
func TestReviewPathBits(t *testing.T) {
	f := testTree(t)
	a, b := f.leaf(t, 0, 1, 2), f.leaf(t, 1, 2, 3)
	in, _, bits, _ := f.childOffsets(t, a, b)
	var half field.Elem
	half.Inverse(ptr(field.New(2)))
	var minus1 field.Elem
	minus1.Sub(&field.Elem{}, ptr(field.New(1)))
	for name, x := range map[string]field.Ext{
		"a bit of X":   field.ExtFromCoords([]field.Elem{{}, field.New(1), {}, {}}),
		"a bit of 1+X": field.ExtFromCoords([]field.Elem{field.New(1), field.New(1), {}, {}}),
		"a bit of −1":  field.NewExt(minus1),
		"a bit of 1/2": field.NewExt(half),
	} {
		for l := range f.tree.allow.depth {
			bad := slices.Clone(in)
			bad[bits[0]+l*(1+hash.DigestLen)] = x
			f.execFails(t, name, bad, "join: child 0: allowlist")
		}
	}
	bad := slices.Clone(in)
	bad[bits[1]+1] = field.ExtFromCoords([]field.Elem{field.ExtCoords(&bad[bits[1]+1])[0], field.New(1), {}, {}})
	f.execFails(t, "a sibling outside the base field", bad, "join: child 1: allowlist")

	// The padding slots (the tree has 3 keys, 4 slots).
	n := len(f.tree.keys)
	if 1<<f.tree.allow.depth == n {
		t.Skip("no padding slot")
	}
	for s := n; s < 1<<f.tree.allow.depth; s++ {
		for k := range n {
			c := f.honestChild(a)
			c.vk = f.tree.Key(k)
			c.bits, c.sibs = f.tree.allow.path(s)
			if k == 0 {
				in, err := f.tree.rawInputs(f.tree.Root(), [2]child{c, f.honestChild(b)})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.tree.join.Execute(in); err != nil {
					t.Fatalf("key 0 at padding slot %d: %v", s, err)
				}
				continue
			}
			f.mustFail(t, "padding slot", f.tree.Root(), [2]child{c, f.honestChild(b)}, "join: child 0: allowlist")
		}
	}
}

// TestReviewVerifyRootEdges: VerifyRoot on malformed nodes and claims — nil, key −1 and
// past the allowlist, no proof (refused, not a panic), a table left out, publics of another length, boundaries of another
// length (an empty or longer start/end/constants), a leaf's proof under the other
// leaf's key and under the join's.
func TestReviewVerifyRootEdges(t *testing.T) {
	f := testTree(t)
	a := f.leaf(t, 0, 1, 2) // (1,2) → (2,3)
	ok := func(n *Node) error { return f.tree.VerifyRoot(n, elems(1, 2), elems(2, 3), elems(7)) }
	if err := ok(a); err != nil {
		t.Fatalf("the honest single-leaf root: %v", err)
	}
	for name, n := range map[string]*Node{
		"nil":            nil,
		"key −1":         {Key: -1, Proof: a.Proof, Publics: a.Publics},
		"key past":       {Key: len(f.tree.keys), Proof: a.Proof, Publics: a.Publics},
		"short publics":  {Key: 0, Proof: a.Proof, Publics: a.Publics[:lay.Len()-1]},
		"long publics":   {Key: 0, Proof: a.Proof, Publics: append(slices.Clone(a.Publics), field.Ext{})},
		"leaf 1's key":   {Key: 1, Proof: a.Proof, Publics: a.Publics},
		"the join's key": {Key: f.tree.JoinKey(), Proof: a.Proof, Publics: a.Publics},
	} {
		if err := ok(n); err == nil {
			t.Fatalf("%s: accepted", name)
		}
	}
	for name, c := range map[string][3][]field.Elem{
		"no start":          {nil, elems(2, 3), elems(7)},
		"a longer start":    {elems(1, 2, 0), elems(2, 3), elems(7)},
		"a shorter end":     {elems(1, 2), elems(2), elems(7)},
		"no constants":      {elems(1, 2), elems(2, 3), nil},
		"a longer constant": {elems(1, 2), elems(2, 3), elems(7, 0)},
		"start as end":      {elems(2, 3), elems(1, 2), elems(7)},
	} {
		if err := f.tree.VerifyRoot(a, c[0], c[1], c[2]); err == nil {
			t.Fatalf("%s: accepted", name)
		}
	}
	// No table of the AIR set is optional: a proof that leaves one out is refused.
	if slices.Contains(f.tree.shape.VK.Optional, true) {
		t.Fatal("the recursion AIR set has an optional table: review the absent-table case")
	}
	for tb := range recursion.NumTables {
		p := *a.Proof
		p.LogN = slices.Clone(p.LogN)
		p.LogN[tb] = stark.Absent
		if err := ok(&Node{Key: 0, Proof: &p, Publics: a.Publics}); !errors.Is(err, stark.ErrInvalidProof) {
			t.Fatalf("table %d left out: %v", tb, err)
		}
	}
	// A node without a proof is refused, not a panic.
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("VerifyRoot panicked on a node without a proof: %v", r)
			}
		}()
		if err := ok(&Node{Key: 0, Publics: a.Publics}); !errors.Is(err, stark.ErrInvalidProof) {
			t.Fatalf("a node without a proof: %v", err)
		}
	}()
}

// TestReviewCrossLayout: a tree of another layout with the same number of publics (K =
// 1, C = 3: 13 values, like K = 2, C = 1) — its leaf proofs made with this tree's
// vk_root (a leaf does not check vk_root) and its root: none is under a key of this
// tree's allowlist, so none joins and none is a root here. And this tree's own leaf
// program admitted into the other tree: its entry is the same (the same program, set
// up at the same heights), but the other tree's vk_root differs.
func TestReviewCrossLayout(t *testing.T) {
	f := testTree(t)
	other := Layout{K: 1, C: 3}
	if other.Len() != lay.Len() {
		t.Fatal("the layouts differ in length")
	}
	tr, err := NewTree(f.e, other, toyLeafOf(other, 1), toyLeaf(0))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Heights() != f.tree.Heights() {
		t.Logf("the other tree's heights %v, this tree's %v", tr.Heights(), f.tree.Heights())
	}
	root := f.tree.Root()
	// Its +1 leaf with this tree's vk_root: (2) with constants (3, 7, 7) → (3) reads
	// here as (2,3) → (7,7)… under a key this tree does not have.
	x, err := tr.ProveLeaf(0, leafInputs(root, []uint64{2}, []uint64{3, 7, 7}))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.tree.VerifyRoot(x, elems(2, 3), elems(3, 7), elems(7)); err == nil {
		t.Fatal("a leaf of the other layout taken as a root")
	}
	for s := range 1 << f.tree.allow.depth {
		c := child{vk: tr.Key(0), publics: x.Publics, proof: x.Proof}
		c.bits, c.sibs = f.tree.allow.path(s)
		f.mustFail(t, "the other layout's leaf", root, [2]child{f.honestChild(f.leaf(t, 0, 1, 2)), c}, "join: child 1: allowlist")
	}
	// The other tree's root over this tree's ×2 leaf program.
	y, err := tr.ProveLeaf(1, leafInputs(tr.Root(), []uint64{3, 7}, []uint64{7}))
	if err != nil {
		t.Fatal(err)
	}
	if entry(tr.Key(1)) == entry(f.tree.Key(1)) {
		t.Log("the shared ×2 leaf program has the same entry in both trees")
	}
	if err := f.tree.VerifyRoot(&Node{Key: 1, Proof: y.Proof, Publics: y.Publics}, elems(3, 7), elems(6, 14), elems(7)); err == nil {
		t.Fatal("a leaf proof made under the other tree's vk_root taken as a root")
	}
	z, err := tr.ProveLeaf(0, leafInputs(tr.Root(), []uint64{1}, []uint64{3, 7, 7})) // (1) → (2)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tr.ProveLeaf(0, leafInputs(tr.Root(), []uint64{2}, []uint64{3, 7, 7})) // (2) → (3)
	if err != nil {
		t.Fatal(err)
	}
	r, err := tr.Join(z, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.VerifyRoot(r, elems(1), elems(3), elems(3, 7, 7)); err != nil {
		t.Fatalf("the other tree's honest root: %v", err)
	}
	// Read with this layout: (1, 3) → (3, 7), constants 7.
	for k := range f.tree.keys {
		if err := f.tree.VerifyRoot(&Node{Key: k, Proof: r.Proof, Publics: r.Publics}, elems(1, 3), elems(3, 7), elems(7)); err == nil {
			t.Fatalf("the other layout's root accepted under key %d", k)
		}
	}
}

// TestReviewWeakerParameters: the +1 leaf proven by an engine with the tree's blowup but
// no grinding — the same verifying key (the key binds the blowup, not the queries or the
// grinding), a proof of the same shape. Natively and in the join the tree's parameters
// are what the transcript absorbs, so the weaker proof is refused both as a root and as
// a child.
func TestReviewWeakerParameters(t *testing.T) {
	f := testTree(t)
	p := testParams
	p.FRI.GrindingBits = 0
	weak, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := recursion.SetupHeights(weak, toyLeaf(1), f.tree.Heights())
	if err != nil {
		t.Fatal(err)
	}
	if entry(vk) != entry(f.tree.Key(0)) {
		t.Fatal("the weaker engine's key differs: the attack is not set up")
	}
	proof, pub, err := recursion.Prove(weak, pk, leafInputs(f.tree.Root(), []uint64{1, 2}, []uint64{7}))
	if err != nil {
		t.Fatal(err)
	}
	n := &Node{Key: 0, Proof: proof, Publics: pub}
	if err := f.tree.VerifyRoot(n, elems(1, 2), elems(2, 3), elems(7)); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("a leaf proven with weaker parameters as a root: %v", err)
	}
	b := f.leaf(t, 1, 2, 3)
	in, err := f.tree.rawInputs(f.tree.Root(), [2]child{f.honestChild(n), f.honestChild(b)})
	if err != nil {
		t.Logf("the weaker proof cannot be written into the join's stream: %v", err)
		return
	}
	f.execFails(t, "a child proven with weaker parameters", in, "")
}
