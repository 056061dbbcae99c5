package aggregate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// A tree over a fixed allowlist of many leaves (a catalogue's: core/machine) need not
// hold every leaf's keys: its allowlist is made of the leaves' entries, which
// LeafRefs computes once (setting each leaf up, one at a time) and a caller keeps, and
// NewTreeRefs sets up only the leaves a run uses, the lift and the join. The root is
// the same as NewTreeWith's over the same leaves would be but for the lift, which is
// made here from the big leaves' heights alone (a program outputting its inputs at
// those heights gives the children's shape), so that no leaf program is needed to make
// it.
//
// # Security
//
// The entries are what the allowlist's root commits to: a verifier that takes them from
// storage trusts that storage as it trusts keys (sdk/injector/keys' cache); NewTreeRefs
// checks every leaf it does set up against its entry, so a stored entry that is not the
// leaf's is found as soon as a run uses that leaf.

// LeafRef is a leaf of a tree as its allowlist sees it: the heights of its program (the
// tree's or, for a leaf taller than the joins, its own) and its key's entry.
type LeafRef struct {
	Heights recursion.Heights
	Entry   hash.Digest
}

// LeafRefs computes the refs of n leaf programs, leaf(i) giving program i (built on
// demand and dropped, so the programs need not fit in memory together): a leaf no
// taller than the joins is set up at their heights as soon as it is built; a taller
// one is built again once every leaf's heights are known (the big leaves share the
// tallest heights). Only trees with TreeOptions.JoinHeights are made of refs.
func LeafRefs(e *hemera.Engine, lay Layout, opts TreeOptions, n int, leaf func(i int) (*ir.Program, error)) ([]LeafRef, error) {
	if !opts.JoinHeights {
		return nil, fmt.Errorf("aggregate: a tree of leaf refs needs the joins' own heights (TreeOptions.JoinHeights)")
	}
	if err := lay.check(); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("aggregate: no leaf programs")
	}
	// The joins' heights depend on the engine, the layout and the depth alone.
	t, err := newTreeBase(e, lay, opts, nil, recursion.Heights{}, n)
	if err != nil {
		return nil, err
	}
	refs := make([]LeafRef, n)
	done := make([]bool, n)
	for i := range n {
		p, err := leaf(i)
		if err != nil {
			return nil, fmt.Errorf("aggregate: leaf %d: %w", i, err)
		}
		if len(p.Publics) != lay.Len() {
			return nil, fmt.Errorf("aggregate: leaf %d has %d public outputs, the layout %d", i, len(p.Publics), lay.Len())
		}
		refs[i].Heights = recursion.HeightsOf(p)
		if maxHeights(refs[i].Heights, t.heights) != t.heights {
			continue // big: set up at the big leaves' heights, known at the end
		}
		_, vk, err := t.setupLeaf(i, p)
		if err != nil {
			return nil, err
		}
		refs[i].Entry, done[i] = entry(vk), true
	}
	t.bigFrom(refs)
	for i := range n {
		if done[i] {
			continue
		}
		p, err := leaf(i)
		if err != nil {
			return nil, fmt.Errorf("aggregate: leaf %d: %w", i, err)
		}
		if recursion.HeightsOf(p) != refs[i].Heights {
			return nil, fmt.Errorf("aggregate: leaf %d built twice has two heights (%v, %v)", i, refs[i].Heights, recursion.HeightsOf(p))
		}
		_, vk, err := t.setupLeaf(i, p)
		if err != nil {
			return nil, err
		}
		refs[i].Entry = entry(vk)
	}
	return refs, nil
}

// bigFrom marks the leaves taller than the joins and their common heights.
func (t *Tree) bigFrom(refs []LeafRef) {
	for i, r := range refs {
		if maxHeights(r.Heights, t.heights) != t.heights {
			t.big[i] = true
			t.bigHeights = maxHeights(maxHeights(t.bigHeights, r.Heights), t.heights)
		}
	}
}

// setupLeaf sets leaf program i up at the heights the tree gives it.
func (t *Tree) setupLeaf(i int, p *ir.Program) (*recursion.ProvingKey, *recursion.VerifyingKey, error) {
	hs, want := t.heights, t.shape
	if t.big[i] {
		hs, want = t.bigHeights, t.bigShape
	}
	if want == nil { // LeafRefs: the big shape without a lift
		sh, err := shapeAt(t.e, t.lay, layoutProgram(t.lay), hs)
		if err != nil {
			return nil, nil, err
		}
		want = sh
	}
	pk, vk, err := recursion.SetupHeights(t.e, p, hs)
	if err != nil {
		return nil, nil, fmt.Errorf("aggregate: leaf %d: %w", i, err)
	}
	if err := sameShape(want.VK, vk.STARK); err != nil {
		return nil, nil, fmt.Errorf("aggregate: leaf %d: %w", i, err)
	}
	return pk, vk, nil
}

// NewTreeRefs builds the tree whose allowlist holds the leaves of refs (their entries,
// in order), the lift of the big ones (if any) and the join, with keys for the leaves
// in progs only (index → program): each of those is set up and its entry checked
// against its ref. A node under a leaf without keys cannot be proven or verified as a
// root here (the verifier of an aggregated proof sets up the root's leaf when the
// root is one).
func NewTreeRefs(e *hemera.Engine, lay Layout, opts TreeOptions, refs []LeafRef, progs map[int]*ir.Program) (*Tree, error) {
	if !opts.JoinHeights {
		return nil, fmt.Errorf("aggregate: a tree of leaf refs needs the joins' own heights (TreeOptions.JoinHeights)")
	}
	if err := lay.check(); err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, fmt.Errorf("aggregate: no leaf refs")
	}
	t, err := newTreeBase(e, lay, opts, nil, recursion.Heights{}, len(refs))
	if err != nil {
		return nil, err
	}
	t.bigFrom(refs)
	var lift *ir.Program
	for _, b := range t.big {
		if b {
			sh, err := shapeAt(e, lay, layoutProgram(lay), t.bigHeights)
			if err != nil {
				return nil, err
			}
			if lift, err = liftProgram(sh, lay, t.allowDepth); err != nil {
				return nil, err
			}
			if hl := recursion.HeightsOf(lift); maxHeights(hl, t.heights) != t.heights {
				return nil, fmt.Errorf("aggregate: the lift of leaves at heights %v needs %v, above the joins' %v", t.bigHeights, hl, t.heights)
			}
			t.bigShape, t.lift = sh, len(refs)
			break
		}
	}
	t.keyed = make([]bool, len(refs))
	var entries []hash.Digest
	for i, r := range refs {
		p := progs[i]
		if p == nil {
			t.keys = append(t.keys, treeKey{})
			entries = append(entries, r.Entry)
			continue
		}
		if len(p.Publics) != lay.Len() {
			return nil, fmt.Errorf("aggregate: leaf %d has %d public outputs, the layout %d", i, len(p.Publics), lay.Len())
		}
		if h := recursion.HeightsOf(p); h != r.Heights {
			return nil, fmt.Errorf("aggregate: leaf %d has heights %v, its ref %v", i, h, r.Heights)
		}
		pk, vk, err := t.setupLeaf(i, p)
		if err != nil {
			return nil, err
		}
		if entry(vk) != r.Entry {
			return nil, fmt.Errorf("aggregate: leaf %d's key is not the one its ref's entry names (the refs were made for other leaves or parameters)", i)
		}
		t.keys = append(t.keys, treeKey{pk: pk, vk: vk})
		t.keyed[i] = true
		entries = append(entries, r.Entry)
	}
	for k, p := range []*ir.Program{lift, t.join} {
		if p == nil {
			continue
		}
		pk, vk, err := recursion.SetupHeights(e, p, t.heights)
		if err != nil {
			return nil, fmt.Errorf("aggregate: %s: %w", []string{"lift", "join"}[k], err)
		}
		if err := sameShape(t.shape.VK, vk.STARK); err != nil {
			return nil, fmt.Errorf("aggregate: %s: %w", []string{"lift", "join"}[k], err)
		}
		t.keys = append(t.keys, treeKey{pk: pk, vk: vk})
		entries = append(entries, entry(vk))
	}
	if len(entries) > 1<<t.allowDepth {
		return nil, fmt.Errorf("aggregate: %d keys for an allowlist of depth %d", len(entries), t.allowDepth)
	}
	t.allow = newAllowlistDepth(entries, t.allowDepth)
	return t, nil
}

// RefsRoot is the allowlist root NewTreeRefs would give for these refs: the lift and
// the join set up (their programs depend only on the engine, the layout, the depth and
// the big leaves' heights), no leaf.
func RefsRoot(e *hemera.Engine, lay Layout, opts TreeOptions, refs []LeafRef) (hash.Digest, error) {
	t, err := NewTreeRefs(e, lay, opts, refs, nil)
	if err != nil {
		return hash.Digest{}, err
	}
	return t.Root(), nil
}

// Keyed reports whether leaf i has keys in the tree (always, but for NewTreeRefs'
// leaves without a program).
func (t *Tree) Keyed(i int) bool {
	if i < 0 || i >= t.leaves {
		return false
	}
	return t.keyed == nil || t.keyed[i]
}

// refsVersion is the first byte of encoded refs.
const refsVersion = 1

// EncodeRefs serializes leaf refs: version, count, per leaf its heights and entry.
func EncodeRefs(refs []LeafRef) []byte {
	w := &codec.Writer{}
	w.Uint8(refsVersion)
	w.Uint32(uint32(len(refs)))
	for _, r := range refs {
		for _, h := range r.Heights {
			w.Uint8(uint8(h))
		}
		for _, x := range r.Entry {
			w.Elem(x)
		}
	}
	return w.Buf
}

// DecodeRefs parses EncodeRefs' output (at most 2^16 refs); it never panics.
func DecodeRefs(b []byte) ([]LeafRef, error) {
	r := codec.NewReader(b)
	if v := r.Uint8(); r.Err() == nil && v != refsVersion {
		return nil, fmt.Errorf("aggregate: leaf refs version %d, want %d", v, refsVersion)
	}
	n := r.Len("leaf refs", 1<<16, recursion.NumTables+4*hash.DigestLen)
	var refs []LeafRef
	for range n {
		var lr LeafRef
		for t := range lr.Heights {
			h := int(r.Uint8())
			if h > 30 {
				r.Fail("leaf ref height 2^%d", h)
			}
			lr.Heights[t] = h
		}
		for j := range lr.Entry {
			lr.Entry[j] = r.Elem()
		}
		refs = append(refs, lr)
	}
	if r.Err() != nil {
		return nil, fmt.Errorf("aggregate: leaf refs: %w", r.Err())
	}
	if r.Offset() != len(b) {
		return nil, fmt.Errorf("aggregate: leaf refs: %d bytes after the refs", len(b)-r.Offset())
	}
	return refs, nil
}
