package machine

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// The catalogue's aggregation tree. Its allowlist holds the leaf program of every shape
// of the catalogue (in the catalogue's order), a lift and the join: one allowlist, so
// one vk_root (CatalogueRoot), for every run whose segments are the catalogue's shapes,
// whatever the program — a leaf program takes the segments' key from its constants and
// is made for a ROM height, which the catalogue fixes by class. Making the allowlist
// sets up every shape's leaf once (LeafRefs: tens of seconds to minutes at
// aggregate.Params), so its leaf refs are kept in memory and, through the machine's
// CatalogueStore, on disk; a run's aggregation and its verification then set up only
// the leaves they use (NewTreeRefs).

// CatalogueStore keeps a catalogue's leaf refs between processes (sdk/verify's
// CatalogueCache keeps them under the user's cache directory). Load returns an error
// when it holds nothing under key.
type CatalogueStore interface {
	Load(key string) ([]byte, error)
	Store(key string, b []byte) error
}

// SetCatalogueStore makes the machine keep catalogue leaf refs in s (nil: memory only).
func (m *Machine) SetCatalogueStore(s CatalogueStore) { m.store = s }

func (m *Machine) catalogueStore() CatalogueStore { return m.store }

// catalogueTemplate is a one-instruction program: its keys at a ROM class are those of
// every program of the class but for the key's digest and preprocessed commitment,
// which a leaf program reads from its constants.
var catalogueTemplate = &isa.Program{Code: []isa.Instruction{{Op: isa.HALT}}}

// catalogueVK is the template's verifying key at ROM class romLog.
func (m *Machine) catalogueVK(romLog int) (*stark.VerifyingKey, error) {
	k, err := m.SetupROM(catalogueTemplate, romLog)
	if err != nil {
		return nil, err
	}
	return k.VK, nil
}

// catalogueLeaf is the leaf program of shape i of the catalogue.
func (m *Machine) catalogueLeaf(cat *Catalogue, i int) (*ir.Program, *verifier.Shape, error) {
	s := &cat.shapes[i]
	vk, err := m.catalogueVK(s.ROMLogN)
	if err != nil {
		return nil, nil, err
	}
	p, sh, err := m.LeafProgram(vk, s.Leaf())
	if err != nil {
		return nil, nil, fmt.Errorf("machine: catalogue %s: %s: %w", cat.name, s.String(), err)
	}
	return p, sh, nil
}

// CatalogueKey names what a catalogue's leaf refs depend on: the catalogue (its ID),
// the machine's tables, the segments' proof parameters (the machine's engine), the
// tree's (e), the tree's depth and layout, and the recursion verifier's code (the
// digest of the first shape's leaf program). Refs kept under another key are not used.
func (m *Machine) CatalogueKey(e *hemera.Engine, cat *Catalogue) (string, error) {
	s := fmt.Sprintf("catalogue-refs/v1|%s|%s|%s|%+v|%+v|depth=%d|layout=%d,%d", cat.name, cat.ID(), m.ID(),
		m.engine.Params().FRI, e.Params().FRI, aggregateDepth, LeafLayout.K, LeafLayout.C)
	catalogueKeys.Lock()
	defer catalogueKeys.Unlock()
	if k, ok := catalogueKeys.m[s]; ok {
		return k, nil
	}
	p, _, err := m.catalogueLeaf(cat, 0)
	if err != nil {
		return "", err
	}
	k := hash.TaggedSHA256("oneiros/catalogue-refs", []byte(s+"|leaf0="+programDigest(p).String())).String()
	if catalogueKeys.m == nil {
		catalogueKeys.m = map[string]string{}
	}
	catalogueKeys.m[s] = k
	return k, nil
}

// catalogueKeys keeps CatalogueKey's keys in this process (the first leaf program is
// built once per parameters).
var catalogueKeys struct {
	sync.Mutex
	m map[string]string
}

// programDigest is a digest of a recursion program's instructions and public cells.
func programDigest(p *ir.Program) hash.Digest {
	var b []byte
	u := func(v uint32) { b = binary.LittleEndian.AppendUint32(b, v) }
	for _, in := range p.Insts {
		u(uint32(in.Op))
		u(uint32(in.A))
		u(uint32(in.B))
		u(uint32(in.C))
		for _, x := range field.ExtCoords(&in.K) {
			u(uint32(x.Uint64()))
		}
		u(uint32(len(in.In)))
		for _, v := range in.In {
			u(uint32(v))
		}
		u(uint32(len(in.Out)))
		for _, v := range in.Out {
			u(uint32(v))
		}
	}
	u(p.Cells)
	u(uint32(p.Inputs))
	for _, v := range p.Publics {
		u(uint32(v))
	}
	return hash.TaggedSHA256("oneiros/recursion-program", b)
}

// catalogueRefs keeps the refs computed or loaded in this process, by key.
var catalogueRefs struct {
	sync.Mutex
	m map[string][]aggregate.LeafRef
}

// CatalogueRefs are the leaf refs of every shape of the catalogue under the tree engine
// e (the machine's engine proves the segments): from memory, the machine's store, or
// computed (every shape's leaf set up: slow) and then kept in both. computed says
// whether they were computed here.
func (m *Machine) CatalogueRefs(e *hemera.Engine, cat *Catalogue) (refs []aggregate.LeafRef, computed bool, err error) {
	return m.CatalogueRefsProgress(e, cat, nil)
}

// CatalogueRefsProgress is CatalogueRefs telling progress, when not nil, before each
// leaf program it builds when it computes them (total: the shapes and the big ones,
// which are built twice; the count of big ones is known only at the end, so total is
// an upper bound: twice the shapes).
func (m *Machine) CatalogueRefsProgress(e *hemera.Engine, cat *Catalogue, progress func(done, total int)) (refs []aggregate.LeafRef, computed bool, err error) {
	key, err := m.CatalogueKey(e, cat)
	if err != nil {
		return nil, false, err
	}
	catalogueRefs.Lock()
	defer catalogueRefs.Unlock()
	if r, ok := catalogueRefs.m[key]; ok {
		return r, false, nil
	}
	store := m.catalogueStore()
	if store != nil {
		if b, err := store.Load(key); err == nil {
			if r, err := aggregate.DecodeRefs(b); err == nil && len(r) == len(cat.shapes) {
				m.keepRefs(key, r)
				return r, false, nil
			}
		}
	}
	built := 0
	r, err := aggregate.LeafRefs(e, LeafLayout, treeOptions, len(cat.shapes), func(i int) (*ir.Program, error) {
		if progress != nil {
			progress(built, 2*len(cat.shapes))
		}
		built++
		p, _, err := m.catalogueLeaf(cat, i)
		return p, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("machine: catalogue %s: %w", cat.name, err)
	}
	m.keepRefs(key, r)
	if store != nil {
		_ = store.Store(key, aggregate.EncodeRefs(r)) // a cache: a failure to keep them costs time, not correctness
	}
	return r, true, nil
}

func (m *Machine) keepRefs(key string, r []aggregate.LeafRef) {
	if catalogueRefs.m == nil {
		catalogueRefs.m = map[string][]aggregate.LeafRef{}
	}
	catalogueRefs.m[key] = r
}

// CatalogueRoot is the vk_root of every aggregated proof of a run cut by the catalogue,
// with segments proven under the machine's engine and the tree under e
// (aggregate.Params in production): the constant a contract pins. The wrap side calls
// it with the same engines as the aggregation.
func (m *Machine) CatalogueRoot(e *hemera.Engine, cat *Catalogue) (hash.Digest, error) {
	t, _, err := m.catalogueTree(e, nil, cat, nil)
	if err != nil {
		return hash.Digest{}, err
	}
	return t.Root(), nil
}

// catalogueTree is the catalogue's tree under e with keys for the shapes in use (their
// leaf programs built with the run's key vk, checked against the refs), and each used
// shape's segment verifier shape.
func (m *Machine) catalogueTree(e *hemera.Engine, vk *stark.VerifyingKey, cat *Catalogue, use []int) (*aggregate.Tree, map[int]*verifier.Shape, error) {
	refs, _, err := m.CatalogueRefs(e, cat)
	if err != nil {
		return nil, nil, err
	}
	if len(use) == 0 {
		// No leaf: the verifier's tree (the lift and the join set up), the same for every
		// run; kept for the refs and the tree's proof parameters.
		key, err := m.CatalogueKey(e, cat)
		if err != nil {
			return nil, nil, err
		}
		verifierTrees.Lock()
		defer verifierTrees.Unlock()
		if t, ok := verifierTrees.m[key]; ok {
			t, err := t.WithEngine(e)
			return t, nil, err
		}
		t, err := aggregate.NewTreeRefs(e, LeafLayout, treeOptions, refs, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("machine: catalogue %s: %w", cat.name, err)
		}
		if verifierTrees.m == nil {
			verifierTrees.m = map[string]*aggregate.Tree{}
		}
		verifierTrees.m[key] = t
		return t, nil, nil
	}
	progs := map[int]*ir.Program{}
	vsh := map[int]*verifier.Shape{}
	for _, i := range use {
		if _, ok := progs[i]; ok {
			continue
		}
		p, sh, err := m.LeafProgram(vk, cat.shapes[i].Leaf())
		if err != nil {
			return nil, nil, fmt.Errorf("machine: catalogue %s: %s: %w", cat.name, cat.shapes[i].String(), err)
		}
		progs[i], vsh[i] = p, sh
	}
	t, err := aggregate.NewTreeRefs(e, LeafLayout, treeOptions, refs, progs)
	if err != nil {
		return nil, nil, fmt.Errorf("machine: catalogue %s: %w", cat.name, err)
	}
	return t, vsh, nil
}

// verifierTrees keeps the catalogue trees without leaves (catalogueTree with none in
// use) by CatalogueKey: a verifier checks a proof and reports its security on one.
var verifierTrees struct {
	sync.Mutex
	m map[string]*aggregate.Tree
}

// catalogueIndex is the catalogue index of every segment's shape, or an error naming
// the first segment whose shape is not the catalogue's.
func catalogueIndex(cat *Catalogue, segs []*SegmentProof) ([]int, error) {
	index := make([]int, len(segs))
	for i, sp := range segs {
		index[i] = cat.Index(ShapeOfSegment(sp))
		if index[i] < 0 {
			return nil, fmt.Errorf("machine: segment %d's heights are none of catalogue %s's shapes", i, cat.name)
		}
	}
	return index, nil
}

// CatalogueShaped reports whether every segment proof has a shape of the catalogue and
// the keys vk are of the program's ROM class in it (a run cut by the catalogue: its
// aggregation is the catalogue's).
func (m *Machine) CatalogueShaped(cat *Catalogue, p *isa.Program, vk *stark.VerifyingKey, segs []*SegmentProof) bool {
	if cat == nil || len(segs) == 0 {
		return false
	}
	if _, err := catalogueIndex(cat, segs); err != nil {
		return false
	}
	rom, err := cat.ROMLogN(len(p.Code))
	return err == nil && m.romLogNOf(vk.PrepLogN) == rom
}

// KeysForAggregated sets up the keys an aggregated proof's segments were proven under:
// a catalogue's proof at the program's ROM class of the catalogue, another at the ROM
// height of its leaf shapes (KeysForLeafShapes).
func (m *Machine) KeysForAggregated(p *isa.Program, a *Aggregated) (*Keys, error) {
	if a != nil && a.Catalogue != nil {
		rom, err := a.Catalogue.ROMLogN(len(p.Code))
		if err != nil {
			return nil, err
		}
		return m.SetupROM(p, rom)
	}
	if a == nil {
		return m.Setup(p)
	}
	return m.KeysForLeafShapes(p, a.Shapes)
}

// catalogueSecurity is the weakest security of the segment proofs of every shape of
// the catalogue (any of them may be a leaf of the catalogue's proofs) under the
// machine's engine, with the program's key shape vk.
func (m *Machine) catalogueSecurity(vk *stark.VerifyingKey, cat *Catalogue) (hemera.Security, error) {
	var sec hemera.Security
	found := false
	rom := m.romLogNOf(vk.PrepLogN)
	for i := range cat.shapes {
		if cat.shapes[i].ROMLogN != rom {
			continue // not a shape of this program's segments: its leaf refuses them
		}
		x, err := m.shapeSecurity(vk, cat.shapes[i].Leaf())
		if err != nil {
			return hemera.Security{}, err
		}
		if !found || x.Provable < sec.Provable || x.Conjectured < sec.Conjectured {
			sec, found = x, true
		}
	}
	if !found {
		return hemera.Security{}, fmt.Errorf("machine: catalogue %s has no shape of a ROM of 2^%d rows", cat.name, rom)
	}
	return sec, nil
}

// knownCatalogue is the catalogue the machine aggregates by and verifies against: the
// machine's own (CatalogueV1) unless a test set another.
func (m *Machine) knownCatalogue() (*Catalogue, error) {
	if m.cat != nil {
		return m.cat, nil
	}
	return m.CatalogueV1()
}

// verifyCatalogue is VerifyAggregated of a proof over a catalogue's allowlist: the
// catalogue must be the one this verifier knows (by ID, never the proof's word for its
// shapes), the keys vk of the program's ROM class in it, the root under a key of its
// allowlist (a leaf's only for a run of one segment: that leaf is set up here), and
// the root's vk_root the catalogue's root — which admits exactly the catalogue's leaf
// programs, so a segment proof of any other shape has no leaf to be verified by.
func (m *Machine) verifyCatalogue(e *hemera.Engine, vk *stark.VerifyingKey, st *Statement, a *Aggregated) error {
	fail := func(err error) error { return &stark.Error{Check: "aggregated", Err: err} }
	cat, err := m.knownCatalogue()
	if err != nil {
		return fail(err)
	}
	if a.Catalogue.ID() != cat.ID() {
		return fail(fmt.Errorf("a proof over catalogue %s (ID %s), this verifier knows %s (ID %s)", a.Catalogue.Name(), a.Catalogue.ID(), cat.Name(), cat.ID()))
	}
	if len(a.Shapes) != 0 {
		return fail(fmt.Errorf("a proof over catalogue %s that names %d leaf shapes of its own", cat.Name(), len(a.Shapes)))
	}
	rom, err := cat.ROMLogN(len(st.Program.Code))
	if err != nil {
		return fail(err)
	}
	if got := m.romLogNOf(vk.PrepLogN); got != rom {
		return fail(fmt.Errorf("the segments' keys have a ROM of 2^%d rows; catalogue %s's class for a program of %d instructions is 2^%d", got, cat.Name(), len(st.Program.Code), rom))
	}
	n := len(cat.shapes)
	if a.Root.Key < 0 || a.Root.Key > n+1 {
		return fail(fmt.Errorf("a root under key %d of catalogue %s's allowlist of %d leaves, a lift and the join", a.Root.Key, cat.Name(), n))
	}
	sec, err := m.catalogueSecurity(vk, cat)
	if err != nil {
		return fail(err)
	}
	if err := m.engine.CheckFloors(sec); err != nil {
		return fail(fmt.Errorf("the segment proofs of catalogue %s's shapes: %w", cat.Name(), err))
	}
	var use []int
	if a.Root.Key < n {
		if cat.shapes[a.Root.Key].ROMLogN != rom {
			return fail(fmt.Errorf("a root under the leaf of %s, not of the program's ROM class 2^%d", cat.shapes[a.Root.Key].String(), rom))
		}
		use = []int{a.Root.Key}
	}
	tree, _, err := m.catalogueTree(e, vk, cat, use)
	if err != nil {
		return fail(err)
	}
	if tree, err = tree.WithEngine(e); err != nil {
		return fail(err)
	}
	return m.checkRoot(tree, vk, st, a.Root)
}

// catalogueAggregatedSecurity is AggregatedSecurity of a proof over a catalogue's
// allowlist: the weakest of every program of the tree (every catalogue leaf at its
// heights), the root proof and the segment proofs of every catalogue shape of the
// program's ROM class.
func (m *Machine) catalogueAggregatedSecurity(e *hemera.Engine, vk *stark.VerifyingKey, a *Aggregated) (hemera.Security, error) {
	cat, err := m.knownCatalogue()
	if err != nil {
		return hemera.Security{}, err
	}
	if a.Catalogue.ID() != cat.ID() {
		return hemera.Security{}, fmt.Errorf("machine: a proof over another catalogue than %s", cat.Name())
	}
	tree, _, err := m.catalogueTree(e, vk, cat, nil)
	if err != nil {
		return hemera.Security{}, err
	}
	if a.Root == nil || a.Root.Proof == nil || a.Root.Key < 0 || a.Root.Key > tree.JoinKey() {
		return hemera.Security{}, fmt.Errorf("machine: no root proof under a key of catalogue %s's allowlist", cat.Name())
	}
	// The root proof's own security, at its heights: every program of the tree has the
	// recursion AIR set and the layout's publics, the join's.
	sec := tree.Security()
	rk := tree.Key(tree.JoinKey())
	sec = weaker(sec, e.Security(rk.STARK, a.Root.Proof.LogN, recursion.Messages(rk.Publics, a.Root.Publics)))
	s, err := m.catalogueSecurity(vk, cat)
	if err != nil {
		return hemera.Security{}, err
	}
	return weaker(sec, s), nil
}

// AggregatedTree is the aggregation tree an aggregated proof's root is verified under:
// the catalogue's (with no leaf set up but the root's, when the root is a leaf) for a
// proof over a catalogue's allowlist, else the tree of its leaf shapes. It checks
// nothing of the proof beyond what building the tree needs (VerifyAggregated does);
// an outer layer over the root takes its tree from here.
func (m *Machine) AggregatedTree(e *hemera.Engine, vk *stark.VerifyingKey, a *Aggregated) (*aggregate.Tree, error) {
	if a == nil || a.Root == nil {
		return nil, fmt.Errorf("machine: no aggregated proof")
	}
	if a.Catalogue == nil {
		t, _, err := m.cachedTree(e, vk, a.Shapes)
		return t, err
	}
	cat, err := m.knownCatalogue()
	if err != nil {
		return nil, err
	}
	if a.Catalogue.ID() != cat.ID() {
		return nil, fmt.Errorf("machine: a proof over another catalogue than %s", cat.Name())
	}
	var use []int
	if a.Root.Key >= 0 && a.Root.Key < len(cat.shapes) {
		use = []int{a.Root.Key}
	}
	t, _, err := m.catalogueTree(e, vk, cat, use)
	return t, err
}
