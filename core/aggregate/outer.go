package aggregate

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/injector/wrap"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Finish maps a root's public cells (read and checked by the outer program) to the
// outer proof's public outputs after vk_root: a machine-level caller computes its
// claim-level values there (e.g. finishes a sponge). Its cells may hold extension
// elements (a public value is four coordinates in the statement). It may read more
// witness after the root's (b.InputBases: what the caller passes to Outer.Prove as
// extra inputs) and constrain it with the root's cells. nil is the identity:
// [start | end | constants].
type Finish func(b *ir.Builder, root *Cells) []ir.Var

// Outer is a tree's outer layer: the recursion program that verifies a root proof of
// the tree (under any key of the allowlist) and the keys it is set up with under the
// outer engine (hash.Outer: its proofs are what the wrap circuit verifies).
type Outer struct {
	t       *Tree
	e       *hemera.Engine
	prog    *ir.Program
	heights recursion.Heights
	pk      *recursion.ProvingKey
	vk      *recursion.VerifyingKey
	inputs  [][]int // the wrap circuit's public inputs (Tree.Outer); nil: the digest
}

// OuterProof is a proof of the outer program: its public values are
// [vk_root (8) | Finish's outputs].
type OuterProof struct {
	Proof   *stark.Proof
	Publics []field.Ext
}

// outerProgram emits the outer layer of tree t: the verification of one proof of the
// tree's shape (a root: a leaf or a join), under a key whose entry is on a path of the
// allowlist's depth to vk_root, with publics of the tree's layout — the join's checks
// of one child (emitChild). Its input stream is the join's with one child (vk_root,
// then the child's key, path, publics and proof), and its publics are
// [vk_root | finish(root's cells)].
func outerProgram(t *Tree, finish Finish) (*ir.Program, error) {
	b := ir.NewBuilder()
	b.Label("outer: vk_root")
	root := inputDigest(b)
	kid, err := emitChild(b, t.shape, t.lay, t.allow.depth, root, "outer: root")
	if err != nil {
		return nil, err
	}
	b.Label("outer: link")
	for i := range root {
		b.AssertEq(kid.Root[i], root[i])
	}
	b.Label("outer: finish")
	var out []ir.Var
	if finish == nil {
		out = kid.flat()[hash.DigestLen:]
	} else {
		out = finish(b, kid)
	}
	for _, v := range root {
		b.Public(v)
	}
	for _, v := range out {
		b.Public(v)
	}
	return b.Program(), nil
}

// Outer makes the tree's outer layer under the engine parameters p, which must use the
// outer hash (hash.Outer), the degree-4 extension and no zero knowledge — what the
// wrap circuit verifies (wrap.NewShape) — and sets its program up at its own heights
// (it verifies one proof: smaller than a join). The program does not contain vk_root:
// the outer key, and so the wrap circuit and its Groth16 keys, are fixed by the tree's
// shape (its heights, layout and allowlist depth) and finish, not by its allowlist.
//
// inputs, when given, are the wrap circuit's public inputs: groups of at most 8 of the
// outer program's public values (indices into [vk_root | finish's outputs]), each
// group packed into one input (wrap.Inputs), covering every public value once; without
// them the circuit's one public input is the statement digest.
func (t *Tree) Outer(p hemera.Params, finish Finish, inputs ...[]int) (*Outer, error) {
	if p.FRI.Hash != hash.Outer || p.FRI.ZK || p.FRI.Ext() != field.ExtDegree4 {
		return nil, fmt.Errorf("aggregate: the outer layer is proved with hash %v, degree-4 challenges and no zero knowledge (the wrap circuit's); the parameters have %v, degree %d, zk %v",
			hash.Outer, p.FRI.Hash, p.FRI.Ext(), p.FRI.ZK)
	}
	e, err := hemera.New(p)
	if err != nil {
		return nil, err
	}
	prog, err := outerProgram(t, finish)
	if err != nil {
		return nil, err
	}
	if err := checkInputs(inputs, len(prog.Publics)); err != nil {
		return nil, err
	}
	h := recursion.HeightsOf(prog)
	pk, vk, err := recursion.SetupHeights(e, prog, h)
	if err != nil {
		return nil, fmt.Errorf("aggregate: the outer program: %w", err)
	}
	o := &Outer{t: t, e: e, prog: prog, heights: h, pk: pk, vk: vk, inputs: inputs}
	// The floors of p are checked here, not at the first proof.
	if err := e.CheckFloors(o.Security()); err != nil {
		return nil, fmt.Errorf("aggregate: the outer layer: %w", err)
	}
	return o, nil
}

// Program is the outer program.
func (o *Outer) Program() *ir.Program { return o.prog }

// Heights are the outer program's table heights.
func (o *Outer) Heights() recursion.Heights { return o.heights }

// Key is the outer program's verifying key (to read).
func (o *Outer) Key() *recursion.VerifyingKey { return o.vk }

// Engine is the outer engine (hash.Outer).
func (o *Outer) Engine() *hemera.Engine { return o.e }

// Security is the outer proofs' security (conjectured and provable bits) at the outer
// engine's parameters.
func (o *Outer) Security() hemera.Security {
	return o.e.Security(o.vk.STARK, o.heights[:], o.messages(make([]field.Ext, len(o.vk.Publics))))
}

// Prove proves the outer program on a root of the tree: a proof whose publics are
// [vk_root | finish(root)]; extra is the witness finish reads after the root's. It
// refuses a root whose vk_root is not the tree's before proving; a root whose proof
// does not verify, or extra witness finish's checks refuse, makes the outer program's
// execution fail (no proof).
func (o *Outer) Prove(root *Node, extra ...field.Elem) (*OuterProof, error) {
	if _, err := o.t.treeNode(root); err != nil {
		return nil, fmt.Errorf("aggregate: the outer layer's root: %w", err)
	}
	ch, err := o.t.nodeChild(root)
	if err != nil {
		return nil, fmt.Errorf("aggregate: the root: %w", err)
	}
	in, err := o.stream(o.t.Root(), ch)
	if err != nil {
		return nil, err
	}
	in = append(in, baseExts(extra...)...)
	proof, pub, err := recursion.Prove(o.e, o.pk, in)
	if err != nil {
		return nil, err
	}
	return &OuterProof{Proof: proof, Publics: pub}, nil
}

// stream is the outer program's input stream: vk_root, then the root's stream (the
// extra witness of Prove follows).
func (o *Outer) stream(root hash.Digest, ch child) ([]field.Ext, error) {
	s, err := o.t.childStream(ch)
	if err != nil {
		return nil, fmt.Errorf("aggregate: the root: %w", err)
	}
	return append(baseExts(root[:]...), s...), nil
}

// Verify checks an outer proof natively: it verifies under the outer key with its
// public values, and its vk_root is the tree's allowlist root (the outer program takes
// vk_root as an input: a proof of it over another allowlist verifies under the same
// key). It returns the outputs after vk_root, for the caller to compare with the claim
// it expects. A rejection of the proof wraps stark.ErrInvalidProof.
func (o *Outer) Verify(p *OuterProof) ([]field.Ext, error) {
	if p == nil || p.Proof == nil {
		return nil, &stark.Error{Check: "shape", Msg: "aggregate: an outer proof without a proof"}
	}
	if err := recursion.Verify(o.e, o.vk, p.Publics, p.Proof); err != nil {
		return nil, err
	}
	if err := o.checkRoot(p.Publics); err != nil {
		return nil, err
	}
	return p.Publics[hash.DigestLen:], nil
}

func (o *Outer) checkRoot(pub []field.Ext) error {
	root := o.t.Root()
	for i := range root {
		if want := field.NewExt(root[i]); !pub[i].Equal(&want) {
			return fmt.Errorf("aggregate: the outer proof's vk_root is not the tree's allowlist")
		}
	}
	return nil
}

// messages are the outer statement's public bus messages: (cell, value, 0, 0, 0) per
// public output (the recursion AIR set has no table public values).
func (o *Outer) messages(pub []field.Ext) []lookup.Message {
	return recursion.Messages(o.vk.Publics, pub)
}

// WrapShape is the wrap circuit's shape for the outer proofs (wrap.NewShape): fixed by
// the outer key and heights, so one circuit and one pair of Groth16 keys serve every
// run of every tree of this shape. With the outer layer's inputs (Tree.Outer) it
// exposes the public values' groups (wrap.Shape.Expose).
func (o *Outer) WrapShape() (*wrap.Shape, error) {
	publics := make([][]field.Elem, recursion.NumTables)
	msgs := o.messages(make([]field.Ext, len(o.vk.Publics)))
	sh, err := wrap.NewShape(o.vk.STARK, o.e.Params(), o.heights[:], publics, msgs)
	if err != nil || o.inputs == nil {
		return sh, err
	}
	if err := sh.Expose(publics, msgs, exposed(o.inputs)); err != nil {
		return nil, fmt.Errorf("aggregate: the outer layer's public inputs: %w", err)
	}
	return sh, nil
}

// checkInputs refuses groups of public values that are not a partition of the n public
// values into groups of 1 to 8.
func checkInputs(groups [][]int, n int) error {
	if groups == nil {
		return nil
	}
	seen, err := wrap.CheckGroups(groups, n)
	if err != nil {
		return fmt.Errorf("aggregate: the outer program's public values: %w", err)
	}
	for i, ok := range seen {
		if !ok {
			return fmt.Errorf("aggregate: public value %d of the outer program is in no public input", i)
		}
	}
	return nil
}

// exposed maps groups of public values to the positions of their values in the
// statement's flattening (verifyshape.Statement): the recursion tables have no public
// values, and public value i is message i, (mult, cell, value's four coordinates), so
// its base coordinate is at 6i + 2. The other coordinates, the cells and the
// multiplicities are the circuit's constants (public values of the outer program are
// base elements: the coordinates 1–3 are fixed to 0).
func exposed(groups [][]int) [][]int {
	out := make([][]int, len(groups))
	for g, grp := range groups {
		for _, i := range grp {
			out[g] = append(out[g], 6*i+2)
		}
	}
	return out
}

// Wrap proves the wrap circuit (compiled from WrapShape, with its proving key) on an
// outer proof. It does not check vk_root: Statement does, on the verifier's side.
func (o *Outer) Wrap(w *WrapKeys, p *OuterProof) (*wrap.Wrapped, error) {
	if p == nil || p.Proof == nil {
		return nil, fmt.Errorf("aggregate: wrap no outer proof")
	}
	if len(p.Publics) != len(o.vk.Publics) {
		return nil, fmt.Errorf("aggregate: %d public values, the outer program has %d", len(p.Publics), len(o.vk.Publics))
	}
	return wrap.Prove(w.CCS, w.ID, w.PK, w.Shape, p.Proof, make([][]field.Elem, recursion.NumTables), o.messages(p.Publics))
}

// Statement is the wrapped proof's public inputs for the outputs a verifier expects
// (Finish's outputs) under this tree's vk_root: the statement digest of
// [vk_root | outputs] at the outer program's public cells, or with the outer layer's
// inputs (Tree.Outer) their groups packed. A wrapped proof verified against them
// (wrap.Verify) says that a root proof of this tree's allowlist produced those outputs.
func (o *Outer) Statement(outputs []field.Ext) ([]fr.Element, error) {
	if len(outputs)+hash.DigestLen != len(o.vk.Publics) {
		return nil, fmt.Errorf("aggregate: %d outputs, the outer program has %d after vk_root", len(outputs), len(o.vk.Publics)-hash.DigestLen)
	}
	root := o.t.Root()
	return statementInputs(o.vk.Publics, append(baseExts(root[:]...), outputs...), o.inputs)
}

// statementInputs are the wrap circuit's public inputs for the outer program's public
// values pub at cells: the digest, or the groups packed (hash.OuterPack of each
// group's values, as wrap.Shape.StatementInputs computes them from the flattening).
func statementInputs(cells []uint32, pub []field.Ext, groups [][]int) ([]fr.Element, error) {
	if groups == nil {
		return []fr.Element{wrap.StatementDigest(make([][]field.Elem, recursion.NumTables), recursion.Messages(cells, pub))}, nil
	}
	if err := checkInputs(groups, len(pub)); err != nil {
		return nil, err
	}
	base, err := baseElems(pub)
	if err != nil {
		return nil, err
	}
	return wrap.PackGroups(groups, func(i int) field.Elem { return base[i] }), nil
}

// WrapKeys are the wrap circuit of an outer layer and its Groth16 keys.
type WrapKeys struct {
	Shape *wrap.Shape
	CCS   constraint.ConstraintSystem
	ID    string // injector.CircuitID of CCS
	PK    groth16.ProvingKey
	VK    groth16.VerifyingKey
}

// WrapSetup compiles the wrap circuit of the outer proofs and makes its Groth16 keys
// with a local setup: for development and tests (whoever ran it can forge proofs;
// production keys come from a ceremony, docs/injector-keys.md).
func (o *Outer) WrapSetup() (*WrapKeys, error) {
	sh, err := o.WrapShape()
	if err != nil {
		return nil, err
	}
	ccs, id, err := wrap.Compile(sh)
	if err != nil {
		return nil, err
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		return nil, fmt.Errorf("aggregate: groth16 setup: %w", err)
	}
	return &WrapKeys{Shape: sh, CCS: ccs, ID: id, PK: pk, VK: vk}, nil
}

// ShapeTree is a tree of the shape opts fixes without leaves of its own: its only leaf
// is a program that outputs its inputs (every node of a tree with JoinHeights has the
// joins' shape, which depends on the engine, the layout and the depth alone). Its outer
// layer is the outer layer of every tree of those options: what a wrap circuit's
// set-up needs before any run exists ([Outer.For] moves it to a run's tree).
func ShapeTree(e *hemera.Engine, lay Layout, opts TreeOptions) (*Tree, error) {
	if !opts.JoinHeights || opts.Depth == 0 {
		return nil, fmt.Errorf("aggregate: a tree of a fixed shape needs JoinHeights and a Depth")
	}
	return NewTreeWith(e, lay, opts, layoutProgram(lay))
}

// sameTreeShape reports why trees a and b have different node shapes, or nil: an outer
// layer of one serves the other exactly when their layouts, allowlist depths and
// nodes' verifying keys (the join's shape at the joins' heights) are the same.
func sameTreeShape(a, b *Tree) error {
	switch {
	case a.lay != b.lay:
		return fmt.Errorf("layout %+v, not %+v", b.lay, a.lay)
	case a.allow.depth != b.allow.depth:
		return fmt.Errorf("allowlist depth %d, not %d", b.allow.depth, a.allow.depth)
	case a.heights != b.heights:
		return fmt.Errorf("heights %v, not %v", b.heights, a.heights)
	}
	return sameShape(a.shape.VK, b.shape.VK)
}

// For returns the outer layer of o on tree t: the same program, keys and engine, with
// t's allowlist root (what Prove checks and Statement states). t must have o's tree's
// shape (layout, depth, heights, node verifying key), which every tree of the same
// TreeOptions with JoinHeights has.
func (o *Outer) For(t *Tree) (*Outer, error) {
	if err := sameTreeShape(o.t, t); err != nil {
		return nil, fmt.Errorf("aggregate: the outer layer is for another tree shape: %w", err)
	}
	c := *o
	c.t = t
	return &c, nil
}

// OuterStatement is Outer.Statement without the outer layer's set-up: the wrap
// circuit's public inputs (the same inputs as Tree.Outer's) for the outputs of finish
// (the outer program's public values after vk_root) under t's vk_root. The outer
// program is emitted (its public cells), not set up, so a verifier of wrapped proofs
// pays no outer key.
func (t *Tree) OuterStatement(finish Finish, outputs []field.Ext, inputs ...[]int) ([]fr.Element, error) {
	prog, err := outerProgram(t, finish)
	if err != nil {
		return nil, err
	}
	if len(outputs)+hash.DigestLen != len(prog.Publics) {
		return nil, fmt.Errorf("aggregate: %d outputs, the outer program has %d after vk_root", len(outputs), len(prog.Publics)-hash.DigestLen)
	}
	cells := make([]uint32, len(prog.Publics))
	for i, v := range prog.Publics {
		cells[i] = uint32(v)
	}
	root := t.Root()
	return statementInputs(cells, append(baseExts(root[:]...), outputs...), inputs)
}
