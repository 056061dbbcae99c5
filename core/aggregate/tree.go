package aggregate

import (
	"context"
	"fmt"
	"slices"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Tree is an aggregation tree: its leaf programs and its join program, set up at the
// same table heights (one proof shape) — but for leaves taller than the join under
// TreeOptions.JoinHeights, which are set up at their own heights and lifted to the
// join's by a one-child program — and the allowlist of their verifying keys.
type Tree struct {
	e       *hemera.Engine
	lay     Layout
	heights recursion.Heights
	shape   *verifier.Shape
	join    *ir.Program
	keys    []treeKey // the leaves' in NewTree's order, then the lift's (if any), then the join's
	allow   *allowlist
	leaves  int
	// big marks the leaves set up at bigHeights (proofs of bigShape), lifted by the
	// program of key lift.
	big        []bool
	bigHeights recursion.Heights
	bigShape   *verifier.Shape
	lift       int
	allowDepth int
	// refs (NewTreeRefs): the leaves without keys enter the allowlist by their
	// entries; keyed says which leaves have keys.
	keyed []bool
}

type treeKey struct {
	pk *recursion.ProvingKey
	vk *recursion.VerifyingKey
}

// Node is a recursion proof of the tree: the allowlist index of the key it verifies
// under (a leaf's index, the lift's or JoinKey), the proof and its public values (the
// layout).
type Node struct {
	Key     int
	Proof   *stark.Proof
	Publics []field.Ext
}

// maxHeightRounds bounds the search for the tree's heights (each round can only raise
// them; the join's size grows with the logarithm of the heights, so two or three
// rounds settle).
const maxHeightRounds = 8

// TreeOptions fix what NewTree otherwise derives from its leaves.
type TreeOptions struct {
	// Depth is the allowlist's depth: it holds 2^Depth keys (0: the least that holds
	// the tree's keys). The join program depends on it.
	Depth int
	// JoinHeights makes the joins' heights the fixed point of the join alone (the
	// heights at which a join verifies children of its own heights), not raised by the
	// leaves: a leaf taller than them is proven at its own heights (the tallest such
	// leaf's, for all of them) and lifted — a one-child program verifying it, at the
	// joins' heights — so that every node ProveLeaf and Join return has the joins'
	// shape, which then depends only on the engine, the layout and Depth (an outer
	// layer over such trees is one program).
	JoinHeights bool
}

// NewTree builds the tree of the leaf programs (each with the layout's publics) under
// the engine e: it chooses the table heights — the smallest at which every leaf and the
// join program fit, the join verifying children of those very heights — sets up every
// program at them and makes the allowlist of their keys (the leaves', then the join's).
// The allowlist's root is a public value of every proof of the tree, not a constant of
// the join: the join's key is in the allowlist without the join depending on it.
func NewTree(e *hemera.Engine, lay Layout, leaves ...*ir.Program) (*Tree, error) {
	return NewTreeWith(e, lay, TreeOptions{}, leaves...)
}

// NewTreeWith is NewTree with options.
func NewTreeWith(e *hemera.Engine, lay Layout, opts TreeOptions, leaves ...*ir.Program) (*Tree, error) {
	if err := lay.check(); err != nil {
		return nil, err
	}
	if len(leaves) == 0 {
		return nil, fmt.Errorf("aggregate: no leaf programs")
	}
	var h recursion.Heights
	for i, p := range leaves {
		if len(p.Publics) != lay.Len() {
			return nil, fmt.Errorf("aggregate: leaf %d has %d public outputs, the layout %d", i, len(p.Publics), lay.Len())
		}
		if !opts.JoinHeights {
			h = maxHeights(h, recursion.HeightsOf(p))
		}
	}
	t, err := newTreeBase(e, lay, opts, leaves[0], h, len(leaves))
	if err != nil {
		return nil, err
	}
	depth := t.allowDepth
	programs := slices.Clip(leaves)
	var bigLeaf *ir.Program
	for i, p := range leaves {
		if hp := recursion.HeightsOf(p); maxHeights(hp, t.heights) != t.heights {
			t.big[i] = true
			t.bigHeights = maxHeights(maxHeights(t.bigHeights, hp), t.heights)
			bigLeaf = p
		}
	}
	if bigLeaf != nil {
		sh, err := shapeAt(e, lay, bigLeaf, t.bigHeights)
		if err != nil {
			return nil, err
		}
		lift, err := liftProgram(sh, lay, depth)
		if err != nil {
			return nil, err
		}
		if hl := recursion.HeightsOf(lift); maxHeights(hl, t.heights) != t.heights {
			return nil, fmt.Errorf("aggregate: the lift of leaves at heights %v needs %v, above the joins' %v", t.bigHeights, hl, t.heights)
		}
		t.bigShape, t.lift = sh, len(leaves)
		programs = append(programs, lift)
	}
	var entries []hash.Digest
	for i, p := range append(programs, t.join) {
		hs, want := t.heights, t.shape
		if i < len(leaves) && t.big[i] {
			hs, want = t.bigHeights, t.bigShape
		}
		pk, vk, err := recursion.SetupHeights(e, p, hs)
		if err != nil {
			return nil, fmt.Errorf("aggregate: program %d: %w", i, err)
		}
		if err := sameShape(want.VK, vk.STARK); err != nil {
			return nil, fmt.Errorf("aggregate: program %d: %w", i, err)
		}
		t.keys = append(t.keys, treeKey{pk: pk, vk: vk})
		entries = append(entries, entry(vk))
	}
	if len(entries) > 1<<depth {
		return nil, fmt.Errorf("aggregate: %d keys for an allowlist of depth %d", len(entries), depth)
	}
	t.allow = newAllowlistDepth(entries, depth)
	return t, nil
}

// newTreeBase is a tree of n leaves without keys: the allowlist's depth and the joins'
// heights, shape and program (the fixed point of the join over children of the first
// leaf's shape at heights h, or under JoinHeights of the join alone).
func newTreeBase(e *hemera.Engine, lay Layout, opts TreeOptions, first *ir.Program, h recursion.Heights, n int) (*Tree, error) {
	keys := n + 1 // the leaves' and the join's
	if opts.JoinHeights {
		keys++ // room for a lift
	}
	depth := depthFor(keys)
	if opts.Depth > 0 {
		if opts.Depth < depth || opts.Depth > 16 {
			return nil, fmt.Errorf("aggregate: an allowlist of depth %d for %d keys (at most 2^16)", opts.Depth, keys)
		}
		depth = opts.Depth
	}
	t := &Tree{e: e, lay: lay, leaves: n, big: make([]bool, n), lift: -1, allowDepth: depth}
	// The shape of the children a join verifies is that of a program with the layout's
	// publics at the candidate heights: the first leaf, or (JoinHeights) a program that
	// outputs its inputs.
	probe := first
	if opts.JoinHeights {
		probe = layoutProgram(lay)
		h = recursion.HeightsOf(probe)
	}
	for round := 0; ; round++ {
		if round == maxHeightRounds {
			return nil, fmt.Errorf("aggregate: the tree's heights did not settle in %d rounds (%v)", maxHeightRounds, h)
		}
		sh, err := shapeAt(e, lay, probe, h)
		if err != nil {
			return nil, err
		}
		join, err := joinProgram(sh, lay, depth)
		if err != nil {
			return nil, err
		}
		if hj := maxHeights(h, recursion.HeightsOf(join)); hj != h {
			h = hj
			continue
		}
		t.heights, t.shape, t.join = h, sh, join
		return t, nil
	}
}

// layoutProgram outputs its inputs: a program with the layout's publics, whose shape at
// given heights is that of every program of a tree at those heights.
func layoutProgram(lay Layout) *ir.Program {
	b := ir.NewBuilder()
	c := lay.read(b)
	if err := lay.Output(b, c); err != nil {
		panic(err) // the layout's own cells
	}
	return b.Program()
}

// shapeAt is the shape of the proofs of a recursion program set up at heights h with
// the layout's publics.
func shapeAt(e *hemera.Engine, lay Layout, p *ir.Program, h recursion.Heights) (*verifier.Shape, error) {
	_, vk, err := recursion.SetupHeights(e, p, h)
	if err != nil {
		return nil, err
	}
	return verifier.NewShape(vk.STARK, e.Params(), h[:], make([][]field.Elem, recursion.NumTables),
		recursion.Messages(vk.Publics, make([]field.Ext, lay.Len())))
}

// sameShape checks that a key differs from the shape's key only in what the join takes
// as cells (the preprocessed commitment and the digest; the public cells are the
// recursion key's): the join verifies its proofs exactly as the native verifier.
func sameShape(a, b *stark.VerifyingKey) error {
	ok := len(a.AIRs) == len(b.AIRs) && a.HasPrep == b.HasPrep && a.LogBlowup == b.LogBlowup && a.Hash == b.Hash &&
		slices.Equal(a.LogQuot, b.LogQuot) && slices.Equal(a.PrepLogN, b.PrepLogN) && slices.Equal(a.Optional, b.Optional)
	for t := 0; ok && t < len(a.AIRs); t++ {
		ok = stark.AIRDigest(a.AIRs[t]) == stark.AIRDigest(b.AIRs[t]) && slices.EqualFunc(a.Layouts[t].Groups, b.Layouts[t].Groups, slices.Equal)
	}
	if !ok {
		return fmt.Errorf("a verifying key of another shape than the tree's")
	}
	return nil
}

func maxHeights(a, b recursion.Heights) recursion.Heights {
	for t := range a {
		a[t] = max(a[t], b[t])
	}
	return a
}

// Root is the allowlist's root: the vk_root of every proof of the tree.
func (t *Tree) Root() hash.Digest { return t.allow.root() }

// Heights are the table heights every program of the tree is set up at.
func (t *Tree) Heights() recursion.Heights { return t.heights }

// JoinProgram is the join program.
func (t *Tree) JoinProgram() *ir.Program { return t.join }

// JoinKey is the allowlist index of the join's key (the leaves' are 0 … Leaves()−1,
// the lift's, if any, next).
func (t *Tree) JoinKey() int { return len(t.keys) - 1 }

// Key is the verifying key of allowlist index i: the tree's own, to read — the allowlist
// root was computed from it in NewTree, so a caller that modified it would change what
// VerifyRoot checks proofs against without changing the root.
func (t *Tree) Key(i int) *recursion.VerifyingKey { return t.keys[i].vk }

// ProveLeaf proves leaf program i on its input stream; a leaf set up at its own
// heights (TreeOptions.JoinHeights) is then lifted: the node returned always has the
// joins' shape.
func (t *Tree) ProveLeaf(i int, inputs []field.Ext) (*Node, error) {
	if i < 0 || i >= t.leaves {
		return nil, fmt.Errorf("aggregate: leaf %d of %d", i, t.leaves)
	}
	n, err := t.proveRaw(i, inputs)
	if err != nil || !t.big[i] {
		return n, err
	}
	root := t.Root()
	ch, err := t.nodeChild(n)
	if err != nil {
		return nil, err
	}
	s, err := t.childStreamAt(t.bigShape, ch)
	if err != nil {
		return nil, err
	}
	in := append(baseExts(root[:]...), s...)
	proof, pub, err := recursion.Prove(t.e, t.keys[t.lift].pk, in)
	if err != nil {
		return nil, fmt.Errorf("aggregate: lifting leaf %d: %w", i, err)
	}
	return &Node{Key: t.lift, Proof: proof, Publics: pub}, nil
}

// proveRaw proves leaf program i under its own key (unlifted).
func (t *Tree) proveRaw(i int, inputs []field.Ext) (*Node, error) {
	if t.keys[i].pk == nil {
		return nil, fmt.Errorf("aggregate: leaf %d is not set up in this tree (NewTreeRefs without its program)", i)
	}
	proof, pub, err := recursion.Prove(t.e, t.keys[i].pk, inputs)
	if err != nil {
		return nil, err
	}
	return &Node{Key: i, Proof: proof, Publics: pub}, nil
}

// Leaves is the number of leaf programs.
func (t *Tree) Leaves() int { return t.leaves }

// Lifted reports whether leaf i is set up at its own heights and lifted.
func (t *Tree) Lifted(i int) bool { return i >= 0 && i < t.leaves && t.big[i] }

// Join proves the join of a and b: a proof under the join key whose publics are
// [vk_root | a.start | b.end | constants]. It refuses, before proving, children whose
// publics do not link (another vk_root than the tree's, a.end ≠ b.start, other
// constants); a child whose proof does not verify makes the join program's execution
// fail (no proof).
func (t *Tree) Join(a, b *Node) (*Node, error) {
	var pub [2]*Publics
	for c, n := range [2]*Node{a, b} {
		p, err := t.treeNode(n)
		if err != nil {
			return nil, fmt.Errorf("aggregate: child %d: %w", c, err)
		}
		pub[c] = p
	}
	if !slices.Equal(pub[0].End, pub[1].Start) {
		return nil, fmt.Errorf("aggregate: the first child ends in %v, the second starts in %v", pub[0].End, pub[1].Start)
	}
	if !slices.Equal(pub[0].Consts, pub[1].Consts) {
		return nil, fmt.Errorf("aggregate: the children's constants differ: %v and %v", pub[0].Consts, pub[1].Consts)
	}
	in, err := t.joinInputs(t.Root(), [2]*Node{a, b})
	if err != nil {
		return nil, err
	}
	proof, out, err := recursion.Prove(t.e, t.keys[t.JoinKey()].pk, in)
	if err != nil {
		return nil, err
	}
	return &Node{Key: t.JoinKey(), Proof: proof, Publics: out}, nil
}

// treeNode is what a join or the outer layer checks of a node before proving on it: a
// proof under a key of the allowlist, public values of the layout, and vk_root this
// tree's. It returns the public values.
func (t *Tree) treeNode(n *Node) (*Publics, error) {
	if n == nil || n.Proof == nil || n.Key < 0 || n.Key >= len(t.keys) {
		return nil, fmt.Errorf("no proof under a key of the allowlist")
	}
	p, err := t.lay.Decode(n.Publics)
	if err != nil {
		return nil, err
	}
	if p.Root != t.Root() {
		return nil, fmt.Errorf("vk_root is not the tree's allowlist")
	}
	return p, nil
}

// Aggregate joins nodes, in order, into one by a tree of joins (pairs left to right;
// an odd one out goes up a layer as it is).
func (t *Tree) Aggregate(nodes []*Node) (*Node, error) {
	return t.AggregateContext(context.Background(), nodes, nil)
}

// AggregateContext is Aggregate that stops when ctx is done and tells before each join
// how many of the len(nodes)−1 joins are done.
func (t *Tree) AggregateContext(ctx context.Context, nodes []*Node, beforeJoin func(done, total int)) (*Node, error) {
	if len(nodes) == 0 {
		return nil, fmt.Errorf("aggregate: no proofs")
	}
	for i, n := range nodes {
		if n == nil || n.Proof == nil {
			return nil, fmt.Errorf("aggregate: node %d has no proof", i)
		}
	}
	total, done := len(nodes)-1, 0
	for len(nodes) > 1 {
		var next []*Node
		for i := 0; i+1 < len(nodes); i += 2 {
			if err := context.Cause(ctx); err != nil {
				return nil, err
			}
			if beforeJoin != nil {
				beforeJoin(done, total)
			}
			j, err := t.Join(nodes[i], nodes[i+1])
			if err != nil {
				return nil, err
			}
			done++
			next = append(next, j)
		}
		if len(nodes)%2 == 1 {
			next = append(next, nodes[len(nodes)-1])
		}
		nodes = next
	}
	return nodes[0], nil
}

// VerifyRoot checks the root of a tree: its proof verifies under the allowlisted key it
// names (a leaf's or the join's), its vk_root is this tree's allowlist root (computed
// by NewTree from the keys it set up: a proof made under another allowlist — one that
// admits other leaves — is refused even when its key is the same join), and it proves the run from
// start to end with the given constants. A rejection of the proof wraps
// stark.ErrInvalidProof.
func (t *Tree) VerifyRoot(n *Node, start, end, consts []field.Elem) error {
	p, err := t.RootPublics(n)
	if err != nil {
		return err
	}
	switch {
	case !slices.Equal(p.Start, start):
		return fmt.Errorf("aggregate: the root starts in %v, want %v", p.Start, start)
	case !slices.Equal(p.End, end):
		return fmt.Errorf("aggregate: the root ends in %v, want %v", p.End, end)
	case !slices.Equal(p.Consts, consts):
		return fmt.Errorf("aggregate: the root's constants are %v, want %v", p.Consts, consts)
	}
	return nil
}

// WithEngine is the tree with its proofs verified under e instead, an engine of the
// same proof parameters (FRI's) and other security floors (the keys are the same),
// which every program of the tree meets at its heights.
func (t *Tree) WithEngine(e *hemera.Engine) (*Tree, error) {
	if e.Params().FRI != t.e.Params().FRI {
		return nil, fmt.Errorf("aggregate: an engine with other proof parameters than the tree's")
	}
	// NewTreeWith checks every shape of the tree against its engine's floors
	// (verifier.NewShape); a tree built under weaker ones must not escape e's: the big
	// shape is verified only inside lifts, never as a root e checks.
	for i, sec := range t.securities(e) {
		if err := e.CheckFloors(sec); err != nil {
			return nil, fmt.Errorf("aggregate: program %d of the tree under the engine's floors: %w", i, err)
		}
	}
	c := *t
	c.e = e
	return &c, nil
}

// securities is the security of every program's proofs of the tree under e, at the
// program's heights (a big leaf's at its own), in allowlist order.
func (t *Tree) securities(e *hemera.Engine) []hemera.Security {
	z := make([]field.Ext, t.lay.Len())
	out := make([]hemera.Security, len(t.keys))
	for i, k := range t.keys {
		h := t.heights
		if i < t.leaves && t.big[i] {
			h = t.bigHeights
		}
		vk := k.vk
		if vk == nil {
			// A leaf without keys (NewTreeRefs): its proofs have the AIR set, the
			// heights and the layout's publics of any program here, the join's.
			vk = t.keys[len(t.keys)-1].vk
		}
		out[i] = e.Security(vk.STARK, h[:], recursion.Messages(vk.Publics, z))
	}
	return out
}

// Security is the weakest security of the tree's proofs — every program's, at its
// heights — under the tree's engine: an aggregated proof is as sound as the weakest
// proof any of its nodes may be.
func (t *Tree) Security() hemera.Security {
	var w hemera.Security
	for i, s := range t.securities(t.e) {
		if i == 0 || s.Provable < w.Provable || s.Conjectured < w.Conjectured {
			w = s
		}
	}
	return w
}

// RootPublics makes VerifyRoot's checks of the proof and of vk_root, and returns the
// root's public values for the caller to check: a caller whose end state is known
// only through functions of it (a sponge's digest) checks those.
func (t *Tree) RootPublics(n *Node) (*Publics, error) {
	if n == nil || n.Key < 0 || n.Key >= len(t.keys) {
		return nil, fmt.Errorf("aggregate: a root under no key of the allowlist")
	}
	if n.Proof == nil { // the engine's verifier dereferences it
		return nil, &stark.Error{Check: "shape", Msg: "aggregate: a root without a proof"}
	}
	if t.keys[n.Key].vk == nil {
		return nil, fmt.Errorf("aggregate: a root under key %d, which this tree does not set up (a leaf without its program)", n.Key)
	}
	if err := recursion.Verify(t.e, t.keys[n.Key].vk, n.Publics, n.Proof); err != nil {
		return nil, err
	}
	p, err := t.lay.Decode(n.Publics)
	if err != nil {
		return nil, err
	}
	if p.Root != t.Root() {
		return nil, fmt.Errorf("aggregate: the root's vk_root is not the allowlist's")
	}
	return p, nil
}
