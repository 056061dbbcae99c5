package machine

import (
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/injector"
	"github.com/oneiros-zk/oneiros/proving/injector/wrap"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// wrapVersion names the code of the zkVM's side of the wrap beyond what WrapLabel's
// other parts fix (the outer program, OuterFinish, OuterInputs' groups — the label has
// OuterLen but not how the values are grouped into inputs —, the leaf's layout): bump
// it with any change to them; injector.CircuitVersion covers the circuit's own code.
// Keys cached under a label whose circuit changed are not unsound — the circuit id
// differs and a verifier's inputs do not match — but unusable. Version 2: the
// outer layer states claim_root and the program key (OuterFinish, OuterInputs).
const wrapVersion = 2

// WrapLabel names the wrap circuit of the machine's aggregated proofs under the tree
// parameters tree and the outer parameters outer: what `oneiros wrap setup` binds the
// circuit's keys to (keys.Cache.Bind) and a prover or verifier looks them up by.
//
// Only the parameters' FRI part counts (not floors or workers), with the extension
// degree spelled out (0 is 4), as an envelope's decoder writes it.
func (m *Machine) WrapLabel(tree, outer hemera.Params) string {
	id := m.ID()
	t, o := tree.FRI, outer.FRI
	t.ExtDegree, o.ExtDegree = t.Ext(), o.Ext()
	return fmt.Sprintf("zkvm-wrap-v%d.%d-%x", wrapVersion, injector.CircuitVersion, labelDigest(
		fmt.Sprintf("%x", id[:]),
		fmt.Sprintf("%+v", t),
		fmt.Sprintf("%+v", o),
		fmt.Sprintf("%+v|%d|%d|%d", LeafLayout, aggregateDepth, aggregatedVersion, OuterLen)))
}

// labelDigest is the first 16 bytes of the SHA-256 of the parts, length-prefixed.
func labelDigest(parts ...string) []byte {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return h.Sum(nil)[:16]
}

// OuterLayer is the outer layer of the machine's aggregation trees under the tree
// engine e, proved under the outer parameters p (aggregate.OuterParams in production):
// one program and one key for every run — the joins' heights and the allowlist's depth
// are fixed — set up on a tree of that shape alone (aggregate.ShapeTree), with
// OuterFinish. Its wrap circuit (WrapShape) is the one for every wrapped proof of the
// machine under e and p; WrapProve moves it to a run's tree.
func (m *Machine) OuterLayer(e *hemera.Engine, p hemera.Params) (*aggregate.Outer, error) {
	t, err := aggregate.ShapeTree(e, LeafLayout, treeOptions)
	if err != nil {
		return nil, err
	}
	return t.Outer(p, OuterFinish, OuterInputs...)
}

// Wrapped is a run's aggregated proof wrapped: the Groth16 proof of the wrap circuit
// (wrap.Wrapped: the circuit id, the public inputs — claim_root, the program key,
// vk_root — and the proof) and what the aggregation's allowlist was: the leaf shapes
// of the run, from which a verifier rebuilds vk_root, or the catalogue whose fixed
// allowlist it was (Aggregated.Catalogue; then Shapes is empty and vk_root is the
// catalogue's root, a constant a contract pins).
type Wrapped struct {
	Shapes    []LeafShape
	Catalogue *Catalogue
	Proof     *wrap.Wrapped
}

// ProveOuter proves the outer layer o (OuterLayer's, under the tree engine e) on the
// root of an aggregated proof of the run st with origin org, on the run's tree
// (Outer.For). It verifies the aggregated proof first (VerifyAggregated: a proof that
// fails is refused before any outer work) and checks the outer proof's outputs against
// the claim's (OuterPublics). It returns the outer layer on the run's tree and the
// outer proof.
func (m *Machine) ProveOuter(e *hemera.Engine, vk *stark.VerifyingKey, st *Statement, org Origin, a *Aggregated, o *aggregate.Outer) (*aggregate.Outer, *aggregate.OuterProof, error) {
	want, err := m.OuterPublics(vk, st, org)
	if err != nil {
		return nil, nil, err
	}
	if err := m.VerifyAggregated(e, vk, st, a); err != nil {
		return nil, nil, err
	}
	tree, err := m.AggregatedTree(e, vk, a)
	if err != nil {
		return nil, nil, err
	}
	ot, err := o.For(tree)
	if err != nil {
		return nil, nil, err
	}
	op, err := ot.Prove(a.Root, OuterWitness(st, org)...)
	if err != nil {
		return nil, nil, fmt.Errorf("machine: the outer proof: %w", err)
	}
	outs, err := ot.Verify(op)
	if err != nil {
		return nil, nil, fmt.Errorf("machine: the outer proof does not verify: %w", err)
	}
	if !slices.EqualFunc(outs, baseExts(want), func(x, y field.Ext) bool { return x.Equal(&y) }) {
		return nil, nil, fmt.Errorf("machine: the outer proof's outputs are not the claim's")
	}
	return ot, op, nil
}

// WrapProve is ProveOuter, then the Groth16 proof of the wrap circuit (its keys k) on
// the outer proof. progress, when not nil, hears of "outer" before the outer proof and
// "wrap" before the Groth16 proof.
func (m *Machine) WrapProve(e *hemera.Engine, vk *stark.VerifyingKey, st *Statement, org Origin, a *Aggregated, o *aggregate.Outer, k *aggregate.WrapKeys, progress func(step string)) (*Wrapped, error) {
	if progress != nil {
		progress("outer")
	}
	ot, op, err := m.ProveOuter(e, vk, st, org, a, o)
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress("wrap")
	}
	w, err := ot.Wrap(k, op)
	if err != nil {
		return nil, err
	}
	return &Wrapped{Shapes: a.Shapes, Catalogue: a.Catalogue, Proof: w}, nil
}

// WrapStatement is the wrap circuit's public inputs for the run st with origin org,
// proven under vk and aggregated under the tree engine e with these leaf shapes, or
// over the catalogue cat (not nil: shapes must be empty): claim_root, the program key
// and vk_root of the allowlist, each packed into one BN254 element (OuterInputs) —
// computed from the claim alone, without the outer layer's set-up. The shapes are
// checked as VerifyAggregated checks them (checkShapes); a catalogue must be the one
// this verifier knows (by ID) and vk the keys of the program's ROM class in it.
func (m *Machine) WrapStatement(e *hemera.Engine, vk *stark.VerifyingKey, st *Statement, org Origin, shapes []LeafShape, cat *Catalogue) ([]fr.Element, error) {
	if err := Provable(st); err != nil {
		return nil, &stark.Error{Check: "statement", Err: err}
	}
	if err := Aggregatable(st); err != nil {
		return nil, &stark.Error{Check: "statement", Err: err}
	}
	outs, err := m.OuterPublics(vk, st, org)
	if err != nil {
		return nil, &stark.Error{Check: "statement", Err: err}
	}
	tree, err := m.wrapTree(e, vk, st, shapes, cat)
	if err != nil {
		return nil, err
	}
	return tree.OuterStatement(OuterFinish, baseExts(outs), OuterInputs...)
}

// wrapTree is the tree whose allowlist a wrapped proof of st names: its leaf shapes'
// (checkShapes), or the catalogue's — the verifier's own catalogue (the proof names it
// by ID only), with vk the keys of the program's ROM class in it, no leaf set up.
func (m *Machine) wrapTree(e *hemera.Engine, vk *stark.VerifyingKey, st *Statement, shapes []LeafShape, cat *Catalogue) (*aggregate.Tree, error) {
	fail := func(err error) error { return &stark.Error{Check: "wrapped", Err: err} }
	if cat == nil {
		if err := m.checkShapes(vk, shapes, "wrapped"); err != nil {
			return nil, err
		}
		tree, _, err := m.cachedTree(e, vk, shapes)
		if err != nil {
			return nil, fail(err)
		}
		return tree, nil
	}
	known, err := m.knownCatalogue()
	if err != nil {
		return nil, fail(err)
	}
	switch {
	case cat.ID() != known.ID():
		return nil, fail(fmt.Errorf("a proof over catalogue %s (ID %s), this verifier knows %s (ID %s)", cat.Name(), cat.ID(), known.Name(), known.ID()))
	case len(shapes) != 0:
		return nil, fail(fmt.Errorf("a proof over catalogue %s that names %d leaf shapes of its own", known.Name(), len(shapes)))
	}
	if st != nil {
		rom, err := known.ROMLogN(len(st.Program.Code))
		if err != nil {
			return nil, fail(err)
		}
		if got := m.romLogNOf(vk.PrepLogN); got != rom {
			return nil, fail(fmt.Errorf("the segments' keys have a ROM of 2^%d rows; catalogue %s's class for a program of %d instructions is 2^%d", got, known.Name(), len(st.Program.Code), rom))
		}
	}
	tree, _, err := m.catalogueTree(e, vk, known, nil)
	if err != nil {
		return nil, fail(err)
	}
	return tree, nil
}

// VerifyWrapped checks a wrapped proof of the run st with origin org: the Groth16
// proof verifies under gvk, the verifying key of the wrap circuit circuitID (both from
// the verifier's own keys, never from the proof), for the public inputs WrapStatement
// computes from the claim. A rejection wraps wrap.ErrInvalid or is a *stark.Error.
func (m *Machine) VerifyWrapped(e *hemera.Engine, vk *stark.VerifyingKey, st *Statement, org Origin, w *Wrapped, gvk groth16.VerifyingKey, circuitID string) error {
	if w == nil || w.Proof == nil {
		return &stark.Error{Check: "wrapped", Err: fmt.Errorf("no wrapped proof")}
	}
	s, err := m.WrapStatement(e, vk, st, org, w.Shapes, w.Catalogue)
	if err != nil {
		return err
	}
	return wrap.Verify(gvk, circuitID, w.Proof, s)
}

// WrapSecurity is the security of the aggregated proofs a wrapped proof stands for:
// the weakest of the leaf shapes' segment proofs (every shape of the catalogue cat,
// when not nil) and of every program of the tree (the outer layer's own is the wrap
// keys' binding's to add: it is not set up here).
func (m *Machine) WrapSecurity(e *hemera.Engine, vk *stark.VerifyingKey, shapes []LeafShape, cat *Catalogue) (hemera.Security, error) {
	tree, err := m.wrapTree(e, vk, nil, shapes, cat)
	if err != nil {
		return hemera.Security{}, err
	}
	if cat == nil {
		return m.weakestShape(tree.Security(), vk, shapes)
	}
	s, err := m.catalogueSecurity(vk, cat)
	if err != nil {
		return hemera.Security{}, err
	}
	return weaker(tree.Security(), s), nil
}

func baseExts(xs []field.Elem) []field.Ext {
	out := make([]field.Ext, len(xs))
	for i, x := range xs {
		out[i] = field.NewExt(x)
	}
	return out
}

// wrappedVersion is the first byte of an encoded wrapped proof of leaf shapes,
// wrappedCatalogueVersion of one over a catalogue's allowlist.
const (
	wrappedVersion          = 1
	wrappedCatalogueVersion = 2
)

// Encode serializes a wrapped proof: version, the leaf shapes (as Aggregated.Encode
// writes them) or the catalogue's name and ID, then the wrap.Wrapped encoding.
func (w *Wrapped) Encode() ([]byte, error) {
	if w == nil || w.Proof == nil {
		return nil, fmt.Errorf("machine: no wrapped proof to encode")
	}
	b, err := w.Proof.Encode()
	if err != nil {
		return nil, err
	}
	cw := &codec.Writer{}
	if w.Catalogue != nil {
		cw.Uint8(wrappedCatalogueVersion)
		encodeCatalogueRef(cw, w.Catalogue)
	} else {
		cw.Uint8(wrappedVersion)
		encodeShapes(cw, w.Shapes)
	}
	return append(cw.Buf, b...), nil
}

// DecodeWrapped parses Encode's output; it never panics.
func DecodeWrapped(b []byte) (*Wrapped, error) {
	r := codec.NewReader(b)
	w := &Wrapped{}
	switch v := r.Uint8(); {
	case r.Err() != nil:
	case v == wrappedVersion:
		w.Shapes = decodeShapes(r)
	case v == wrappedCatalogueVersion:
		cat, err := decodeCatalogueRef(r)
		if err != nil {
			return nil, err
		}
		w.Catalogue = cat
	default:
		return nil, fmt.Errorf("machine: wrapped proof version %d, want %d or %d", v, wrappedVersion, wrappedCatalogueVersion)
	}
	if r.Err() != nil {
		return nil, fmt.Errorf("machine: wrapped proof: %w", r.Err())
	}
	p, err := wrap.DecodeWrapped(b[r.Offset():])
	if err != nil {
		return nil, fmt.Errorf("machine: wrapped proof: %w", err)
	}
	w.Proof = p
	return w, nil
}

// encodeCatalogueRef writes a catalogue's name and ID: how an aggregated or wrapped
// proof names the catalogue whose allowlist it was made over.
func encodeCatalogueRef(w *codec.Writer, cat *Catalogue) {
	w.Bytes([]byte(cat.Name()))
	w.Digest(cat.ID())
}

// decodeCatalogueRef reads a catalogue's name and ID (encodeCatalogueRef) and returns
// this verifier's catalogue of that ID, refusing another; nil with the reader's error
// when the bytes end early.
func decodeCatalogueRef(r *codec.Reader) (*Catalogue, error) {
	name := r.Bytes("catalogue name", 64)
	id := r.Digest()
	if r.Err() != nil {
		return nil, nil
	}
	cat, err := catalogueV1() // built once per process (the standard tables' catalogue)
	if err != nil {
		return nil, err
	}
	if string(name) != cat.Name() || id != cat.ID() {
		return nil, fmt.Errorf("machine: a proof over catalogue %q of ID %s; this verifier knows catalogue %s of ID %s (another machine version or catalogue)", name, id, cat.Name(), cat.ID())
	}
	return cat, nil
}
