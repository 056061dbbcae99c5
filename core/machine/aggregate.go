package machine

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Aggregated is a run's segment proofs made one: the root of an aggregation tree
// (package aggregate) whose leaves verify the segments (LeafProgram), and the leaf
// shapes its allowlist was made from. The verifier rebuilds the leaf programs from the
// shapes — each is the verifier of the machine's segment proofs of those heights,
// whatever heights a prover names — and so the allowlist, and checks the root's
// vk_root against it.
//
// A run whose segments all have shapes of the machine's catalogue (CatalogueV1: cut
// and padded by it) is aggregated by the catalogue's tree instead: Catalogue is set,
// Shapes is empty, and the allowlist is the catalogue's (CatalogueRoot), the same for
// every such run; the verifier takes the catalogue from its own copy (the proof names
// it by its ID) and no shape from the proof.
type Aggregated struct {
	Shapes    []LeafShape // the allowlist's leaf programs, in order (the join's key is after them)
	Catalogue *Catalogue  // the catalogue whose allowlist the tree's is (nil: Shapes')
	Root      *aggregate.Node
}

// aggregateDepth is the depth of an aggregation tree's allowlist: 2^6 keys, the leaf
// programs', a lift's and the join's. Fixed, with the joins' heights fixed
// (aggregate.TreeOptions.JoinHeights), so that every aggregated proof of the machine
// under one set of parameters has one shape: one outer layer, one wrap circuit.
const aggregateDepth = 6

// MaxLeafShapes bounds the leaf shapes of an aggregated proof (each costs the verifier
// a leaf program's setup): the allowlist's keys but the lift's and the join's.
const MaxLeafShapes = 1<<aggregateDepth - 2

// treeOptions are the options of every aggregation tree of the machine.
var treeOptions = aggregate.TreeOptions{Depth: aggregateDepth, JoinHeights: true}

// Aggregatable reports why a run's segment proofs cannot be aggregated, or nil: its
// counts must stay below 2^29 (the leaf's comparisons, countBits).
func Aggregatable(st *Statement) error {
	const lim = 1 << countBits
	switch {
	case st.Cycles >= lim:
		return fmt.Errorf("machine: a run of %d cycles cannot be aggregated (fewer than 2^%d)", st.Cycles, countBits)
	case st.InputLen >= lim:
		return fmt.Errorf("machine: an input of %d bytes cannot be aggregated (fewer than 2^%d)", st.InputLen, countBits)
	case len(st.Output) >= lim:
		return fmt.Errorf("machine: an output of %d bytes cannot be aggregated (fewer than 2^%d)", len(st.Output), countBits)
	case st.Program != nil && len(st.Program.Code) >= lim:
		return fmt.Errorf("machine: a program of %d instructions cannot be aggregated (fewer than 2^%d)", len(st.Program.Code), countBits)
	}
	return nil
}

// AggregateProgress reports the aggregation's steps: "leaf" i of n, "join" i of n.
type AggregateProgress func(step string, i, n int)

// aggregateTree is the aggregation tree of the leaf shapes under the tree engine e,
// and each leaf's segment verifier shape.
func (m *Machine) aggregateTree(e *hemera.Engine, vk *stark.VerifyingKey, shapes []LeafShape) (*aggregate.Tree, []*verifier.Shape, error) {
	if len(shapes) == 0 || len(shapes) > MaxLeafShapes {
		return nil, nil, fmt.Errorf("machine: %d leaf shapes (1 … %d)", len(shapes), MaxLeafShapes)
	}
	progs := make([]*ir.Program, len(shapes))
	vsh := make([]*verifier.Shape, len(shapes))
	for i, s := range shapes {
		p, sh, err := m.LeafProgram(vk, s)
		if err != nil {
			return nil, nil, fmt.Errorf("machine: leaf shape %d: %w", i, err)
		}
		progs[i], vsh[i] = p, sh
	}
	t, err := aggregate.NewTreeWith(e, LeafLayout, treeOptions, progs...)
	if err != nil {
		return nil, nil, err
	}
	return t, vsh, nil
}

// Aggregate verifies and links a run's segment proofs (as VerifySegments does: a
// segment that fails is named before any recursion work) and proves them as one
// recursion proof under the tree engine e (aggregate.Params for production): a leaf per
// segment, then the joins, pairwise in order.
func (m *Machine) Aggregate(ctx context.Context, e *hemera.Engine, vk *stark.VerifyingKey, st *Statement, segs []*SegmentProof, progress AggregateProgress) (*Aggregated, error) {
	if err := Provable(st); err != nil {
		return nil, &stark.Error{Check: "statement", Err: err}
	}
	if len(segs) == 0 {
		return nil, &stark.Error{Check: "segments", Err: fmt.Errorf("no segment proofs")}
	}
	if err := Aggregatable(st); err != nil {
		return nil, err
	}
	l := m.NewLinker(vk, st.Program, st.InputLen, st.InputDigest, st.Context)
	states := []LinkState{l.State()}
	for _, sp := range segs {
		out, err := segmentOutput(st, l.outOff, sp)
		if err != nil {
			return nil, &stark.Error{Check: fmt.Sprintf("segment %d", l.index), Err: err}
		}
		if err := l.Verify(sp, out, st.Status, st.ExitCode); err != nil {
			return nil, err
		}
		states = append(states, l.State())
	}
	if err := l.Finish(st); err != nil {
		return nil, &stark.Error{Check: "segments", Err: err}
	}
	if cat, err := m.knownCatalogue(); err == nil && m.CatalogueShaped(cat, st.Program, vk, segs) {
		index, _ := catalogueIndex(cat, segs)
		tree, vsh, err := m.catalogueTree(e, vk, cat, index)
		if err != nil {
			return nil, err
		}
		shapeOf := make([]*verifier.Shape, len(segs))
		for i := range segs {
			shapeOf[i] = vsh[index[i]]
		}
		root, err := m.proveTree(ctx, tree, shapeOf, index, states, vk, st, segs, progress)
		if err != nil {
			return nil, err
		}
		return &Aggregated{Catalogue: cat, Root: root}, nil
	}
	var shapes []LeafShape
	index := make([]int, len(segs))
	for i, sp := range segs {
		s := ShapeOfSegment(sp)
		index[i] = slices.IndexFunc(shapes, s.equal)
		if index[i] < 0 {
			index[i] = len(shapes)
			shapes = append(shapes, s)
		}
	}
	if len(shapes) > MaxLeafShapes {
		return nil, fmt.Errorf("machine: the run's segments have %d shapes, an aggregated proof holds at most %d", len(shapes), MaxLeafShapes)
	}
	tree, vsh, err := m.cachedTree(e, vk, shapes)
	if err != nil {
		return nil, err
	}
	shapeOf := make([]*verifier.Shape, len(segs))
	for i := range segs {
		shapeOf[i] = vsh[index[i]]
	}
	root, err := m.proveTree(ctx, tree, shapeOf, index, states, vk, st, segs, progress)
	if err != nil {
		return nil, err
	}
	return &Aggregated{Shapes: shapes, Root: root}, nil
}

// proveTree proves a leaf per segment (segment i's proof of verifier shape shapeOf[i]
// under the tree's leaf key[i], between the linker states states[i] and states[i+1])
// and joins them.
func (m *Machine) proveTree(ctx context.Context, tree *aggregate.Tree, shapeOf []*verifier.Shape, key []int, states []LinkState, vk *stark.VerifyingKey, st *Statement, segs []*SegmentProof, progress AggregateProgress) (*aggregate.Node, error) {
	consts := LeafConsts(vk, st)
	nodes := make([]*aggregate.Node, len(segs))
	for i, sp := range segs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if progress != nil {
			progress("leaf", i, len(segs))
		}
		in, err := LeafInputs(shapeOf[i], tree.Root(), LeafState(states[i], st.Status, st.ExitCode),
			LeafState(states[i+1], st.Status, st.ExitCode), consts, sp.Proof)
		if err != nil {
			return nil, fmt.Errorf("machine: segment %d: %w", i, err)
		}
		if nodes[i], err = tree.ProveLeaf(key[i], in); err != nil {
			return nil, fmt.Errorf("machine: segment %d: leaf: %w", i, err)
		}
	}
	var beforeJoin func(done, total int)
	if progress != nil {
		beforeJoin = func(done, total int) { progress("join", done, total) }
	}
	root, err := tree.AggregateContext(ctx, nodes, beforeJoin)
	if err != nil {
		return nil, fmt.Errorf("machine: join: %w", err)
	}
	return root, nil
}

// VerifyAggregated checks an aggregated proof of the run st claims, the segments proven
// under vk and aggregated under the tree engine e: the root verifies under a key of
// the allowlist the proof's leaf shapes make, it starts where the run starts (the
// program's entry, its image's memory root, no input, output or hook call yet), and it
// ends as st says — HALT or TRAP with st's exit, after st's cycles, output (the output
// sponge's digest), hook log and input (the input sponge's digest).
func (m *Machine) VerifyAggregated(e *hemera.Engine, vk *stark.VerifyingKey, st *Statement, a *Aggregated) error {
	if err := Provable(st); err != nil {
		return &stark.Error{Check: "statement", Err: err}
	}
	if a == nil || a.Root == nil {
		return &stark.Error{Check: "aggregated", Err: fmt.Errorf("no root proof")}
	}
	if err := Aggregatable(st); err != nil {
		return &stark.Error{Check: "statement", Err: err}
	}
	if a.Catalogue != nil {
		return m.verifyCatalogue(e, vk, st, a)
	}
	// Cheap refusals before any leaf program is built: the root's key is a leaf's, the
	// lift's or the join's; the shapes (checkShapes).
	if a.Root.Key < 0 || a.Root.Key > len(a.Shapes)+1 {
		return &stark.Error{Check: "aggregated", Err: fmt.Errorf("a root under key %d of an allowlist of %d leaf shapes", a.Root.Key, len(a.Shapes))}
	}
	if err := m.checkShapes(vk, a.Shapes, "aggregated"); err != nil {
		return err
	}
	tree, _, err := m.cachedTree(e, vk, a.Shapes)
	if err != nil {
		return &stark.Error{Check: "aggregated", Err: err}
	}
	return m.checkRoot(tree, vk, st, a.Root)
}

// checkRoot checks the root proof under the tree (RootPublics: it verifies under its
// key and its vk_root is the tree's) and its public values against the run.
func (m *Machine) checkRoot(tree *aggregate.Tree, vk *stark.VerifyingKey, st *Statement, root *aggregate.Node) error {
	p, err := tree.RootPublics(root)
	if err != nil {
		return err
	}
	start := LeafState(m.NewLinker(vk, st.Program, st.InputLen, st.InputDigest, st.Context).State(), 0, 0)
	if !slices.Equal(p.Start, start) {
		return &stark.Error{Check: "aggregated", Err: fmt.Errorf("the root does not start where the run starts")}
	}
	if !slices.Equal(p.Consts, LeafConsts(vk, st)) {
		return &stark.Error{Check: "aggregated", Err: fmt.Errorf("the root's constants (verifying key, context, input length, program length) are not the claim's")}
	}
	return endMatches(p.End, st)
}

// AggregatedSecurity is the security of an aggregated proof: the weakest of its leaf
// shapes' segment proofs (under the machine's engine), of every program of its tree at
// its heights and of its root proof (under the tree engine e) — an aggregated proof is as sound as its weakest layer. It checks
// nothing: VerifyAggregated decides whether the proof verifies.
func (m *Machine) AggregatedSecurity(e *hemera.Engine, vk *stark.VerifyingKey, a *Aggregated) (hemera.Security, error) {
	if a == nil || a.Root == nil || a.Root.Proof == nil {
		return hemera.Security{}, fmt.Errorf("machine: no aggregated proof")
	}
	if a.Catalogue != nil {
		return m.catalogueAggregatedSecurity(e, vk, a)
	}
	tree, _, err := m.cachedTree(e, vk, a.Shapes)
	if err != nil {
		return hemera.Security{}, err
	}
	if a.Root.Key < 0 || a.Root.Key > tree.JoinKey() {
		return hemera.Security{}, fmt.Errorf("machine: a root under key %d, the allowlist has %d", a.Root.Key, tree.JoinKey()+1)
	}
	// Every program of the tree at its heights (the root's, the joins' and lifts' below
	// it, a big leaf's verified only inside its lift), then the root's own proof.
	sec := tree.Security()
	rk := tree.Key(a.Root.Key)
	sec = weaker(sec, e.Security(rk.STARK, a.Root.Proof.LogN, recursion.Messages(rk.Publics, a.Root.Publics)))
	return m.weakestShape(sec, vk, a.Shapes)
}

// weakestShape is the weaker of sec and the security of every leaf shape's segment
// proofs (shapeSecurity).
func (m *Machine) weakestShape(sec hemera.Security, vk *stark.VerifyingKey, shapes []LeafShape) (hemera.Security, error) {
	for _, s := range shapes {
		x, err := m.shapeSecurity(vk, s)
		if err != nil {
			return hemera.Security{}, err
		}
		sec = weaker(sec, x)
	}
	return sec, nil
}

// checkShapes makes the cheap checks of an aggregated or wrapped proof's leaf shapes,
// before any leaf program is built: at least one, none twice (Aggregate writes each
// shape once), and the segment proofs of each meeting the machine's floors (a cached
// tree's leaf programs may have been made under others).
func (m *Machine) checkShapes(vk *stark.VerifyingKey, shapes []LeafShape, check string) error {
	if len(shapes) == 0 {
		return &stark.Error{Check: check, Err: fmt.Errorf("no leaf shapes")}
	}
	for i := range shapes {
		for j := range i {
			if shapes[j].equal(shapes[i]) {
				return &stark.Error{Check: check, Err: fmt.Errorf("leaf shapes %d and %d are the same", j, i)}
			}
		}
	}
	for i, s := range shapes {
		sec, err := m.shapeSecurity(vk, s)
		if err != nil {
			return &stark.Error{Check: check, Err: fmt.Errorf("leaf shape %d: %w", i, err)}
		}
		if err := m.engine.CheckFloors(sec); err != nil {
			return &stark.Error{Check: check, Err: fmt.Errorf("leaf shape %d: the segment proofs it verifies: %w", i, err)}
		}
	}
	return nil
}

// shapeSecurity is the security of the segment proofs of leaf shape s under the
// machine's engine (their heights and the public messages of their statement).
func (m *Machine) shapeSecurity(vk *stark.VerifyingKey, s LeafShape) (hemera.Security, error) {
	v, err := m.leafView(s)
	if err != nil {
		return hemera.Security{}, err
	}
	return m.engine.Security(vk, s.LogN, v.messages()), nil
}

// trees keeps the last aggregation trees built (a verifier checks an aggregated proof
// and then reports its security: one tree).
var trees struct {
	sync.Mutex
	entries []treeEntry
}

type treeEntry struct {
	key  string
	tree *aggregate.Tree
	vsh  []*verifier.Shape
}

// cachedTree is aggregateTree, kept for the same proof parameters (the tree's and the
// segments'), segment key, leaf shapes and machine; the tree it returns verifies under
// e (its floors: the keys do not depend on them). A tree built under an engine whose
// floors refuse a leaf shape is not built; one taken from the cache was built under
// other floors, so VerifyAggregated checks the shapes against its own.
func (m *Machine) cachedTree(e *hemera.Engine, vk *stark.VerifyingKey, shapes []LeafShape) (*aggregate.Tree, []*verifier.Shape, error) {
	k := fmt.Sprintf("%+v|%+v|%s|%s|%v", e.Params().FRI, m.engine.Params().FRI, m.ID(), vk.Digest, shapes)
	trees.Lock()
	for _, t := range trees.entries {
		if t.key == k {
			trees.Unlock()
			tr, err := t.tree.WithEngine(e)
			return tr, t.vsh, err
		}
	}
	trees.Unlock()
	t, vsh, err := m.aggregateTree(e, vk, shapes)
	if err != nil {
		return nil, nil, err
	}
	trees.Lock()
	defer trees.Unlock()
	trees.entries = append(trees.entries, treeEntry{key: k, tree: t, vsh: vsh})
	if len(trees.entries) > 2 {
		trees.entries = trees.entries[1:]
	}
	return t, vsh, nil
}

// endMatches checks a root's end state against the claim.
func endMatches(end []field.Elem, st *Statement) error {
	want := func(i int, v uint64, what string) error {
		if end[i] != field.New(v) {
			return &stark.Error{Check: "aggregated", Err: fmt.Errorf("the root ends with %s %d, the claim says %d", what, end[i].Uint64(), v)}
		}
		return nil
	}
	lo, hi := limbs(st.ExitCode)
	for _, c := range []struct {
		i    int
		v    uint64
		what string
	}{
		{StDone, 1, "done flag"}, {StPC, 0, "pc"}, {StFP, 0, "fp"}, {StCycles, st.Cycles, "cycles"},
		{StOut, uint64(len(st.Output)), "output length"}, {StHooks, uint64(st.HookCount), "hook calls"},
		{StStatus, uint64(st.Status), "exit status"}, {StCodeLo, lo.Uint64(), "exit code (low limb)"}, {StCodeHi, hi.Uint64(), "exit code (high limb)"},
	} {
		if err := want(c.i, c.v, c.what); err != nil {
			return err
		}
	}
	var hs hook.State
	copy(hs[:], end[StHookState:])
	if hook.Digest(hs) != st.HookDigest {
		return &stark.Error{Check: "aggregated", Err: fmt.Errorf("the root's host answers have digest %s, the claim's hook digest is %s", hook.Digest(hs), st.HookDigest)}
	}
	var os output.State
	copy(os[:], end[StOutState:])
	if got := output.Finish(os, uint32(len(st.Output))); got != output.Digest(st.Output) {
		return &stark.Error{Check: "aggregated", Err: fmt.Errorf("the root's output has digest %s, the claim's output has %s", got, output.Digest(st.Output))}
	}
	var in hash.Digest
	copy(in[:], end[StInSponge:])
	if in != st.InputDigest {
		return &stark.Error{Check: "aggregated", Err: fmt.Errorf("the root's input has digest %s, the claim's input digest is %s", in, st.InputDigest)}
	}
	return nil
}

// aggregatedVersion is the first byte of an encoded aggregated proof;
// aggregatedCatalogueVersion that of one over a catalogue's allowlist.
const (
	aggregatedVersion          = 1
	aggregatedCatalogueVersion = 2
)

// Encode serializes an aggregated proof: version, the leaf shapes (final flag, table
// count, each table's log height, 255 for an absent one), the root's key index, its
// public values (base elements) and its proof.
func (a *Aggregated) Encode() []byte {
	w := &codec.Writer{}
	if a.Catalogue != nil {
		w.Uint8(aggregatedCatalogueVersion)
		encodeCatalogueRef(w, a.Catalogue)
	} else {
		w.Uint8(aggregatedVersion)
		encodeShapes(w, a.Shapes)
	}
	w.Uint32(uint32(a.Root.Key))
	w.Uint32(uint32(len(a.Root.Publics)))
	for i := range a.Root.Publics {
		w.Elem(field.ExtCoords(&a.Root.Publics[i])[0])
	}
	w.Buf = append(w.Buf, a.Root.Proof.Encode()...)
	return w.Buf
}

// DecodeAggregated parses Encode's output; it never panics.
func DecodeAggregated(b []byte) (*Aggregated, error) {
	r := codec.NewReader(b)
	a := &Aggregated{Root: &aggregate.Node{}}
	switch v := r.Uint8(); {
	case r.Err() != nil:
	case v == aggregatedVersion:
		a.Shapes = decodeShapes(r)
	case v == aggregatedCatalogueVersion:
		cat, err := decodeCatalogueRef(r)
		if err != nil {
			return nil, err
		}
		a.Catalogue = cat
	default:
		return nil, fmt.Errorf("machine: aggregated proof version %d, want %d or %d", v, aggregatedVersion, aggregatedCatalogueVersion)
	}
	key := r.Uint32()
	if key >= 1<<aggregateDepth {
		r.Fail("root key %d (the allowlist holds %d keys)", key, 1<<aggregateDepth)
	}
	a.Root.Key = int(key)
	for _, x := range r.Elems("root public values", LeafLayout.Len()) {
		a.Root.Publics = append(a.Root.Publics, field.NewExt(x))
	}
	if r.Err() != nil {
		return nil, fmt.Errorf("machine: aggregated proof: %w", r.Err())
	}
	p, err := stark.Decode(b[r.Offset():])
	if err != nil {
		return nil, fmt.Errorf("machine: aggregated proof: %w", err)
	}
	a.Root.Proof = p
	return a, nil
}

// encodeShapes writes leaf shapes: their count, then per shape its final flag, its
// table count and each table's log height (255 for an absent one).
func encodeShapes(w *codec.Writer, shapes []LeafShape) {
	w.Uint32(uint32(len(shapes)))
	for _, s := range shapes {
		var f uint8
		if s.Final {
			f = 1
		}
		w.Uint8(f)
		w.Uint8(uint8(len(s.LogN)))
		for _, l := range s.LogN {
			w.Uint8(uint8(l))
		}
	}
}

// decodeShapes reads encodeShapes' output (at most MaxLeafShapes shapes); a failure is
// left in r.
func decodeShapes(r *codec.Reader) []LeafShape {
	var shapes []LeafShape
	n := r.Len("leaf shapes", MaxLeafShapes, 2)
	for range n {
		var s LeafShape
		switch f := r.Uint8(); f {
		case 0:
		case 1:
			s.Final = true
		default:
			r.Fail("leaf shape flags %d (want 0 or 1)", f)
		}
		k := int(r.Uint8())
		for range k {
			l := int(r.Uint8())
			if l == 255 {
				l = stark.Absent
			}
			s.LogN = append(s.LogN, l)
		}
		shapes = append(shapes, s)
	}
	return shapes
}

// weaker is x when it is below sec in either regime, else sec: the security of a proof
// that stands for both (the weakest layer).
func weaker(sec, x hemera.Security) hemera.Security {
	if x.Provable < sec.Provable || x.Conjectured < sec.Conjectured {
		return x
	}
	return sec
}
