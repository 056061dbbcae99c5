package machine

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"

	"github.com/oneiros-zk/oneiros/core/claim"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/injector/wrap"
)

// TestWrapStatement proves the machine's outer layer — set up once on a tree of the
// shape alone (OuterLayer), then moved to the run's tree — on a run's aggregated proof
// (ProveOuter) and checks that the statement a verifier computes from the claim and the
// leaf shapes alone (WrapStatement, no outer set-up) is the outer proof's; another
// claim, or the shapes of another allowlist, give another statement; ProveOuter
// refuses an aggregated proof of another claim before any outer work; and the wrap
// label names the parameters.
func TestWrapStatement(t *testing.T) {
	sr := newSegRun(t, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}, 70)
	r := sr.r
	e, a := aggregateRun(t, r, sr.segs)
	o, err := r.m.OuterLayer(e, outerTestParams)
	if err != nil {
		t.Fatal(err)
	}
	ot, op, err := r.m.ProveOuter(e, r.keys.VK, r.st, testOrigin, a, o)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := ot.Verify(op)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ot.Statement(outs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.m.WrapStatement(e, r.keys.VK, r.st, testOrigin, a.Shapes, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || len(got) != 3 {
		t.Fatalf("WrapStatement %v, the outer proof's %v", got, want)
	}
	// The inputs are claim_root, the program key and vk_root, each packed.
	pubs, err := r.m.OuterPublics(r.keys.VK, r.st, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	tree, _, err := r.m.cachedTree(e, r.keys.VK, a.Shapes)
	if err != nil {
		t.Fatal(err)
	}
	root := tree.Root()
	for i, vals := range [][]field.Elem{pubs[OutClaimRoot : OutClaimRoot+hash.DigestLen], pubs[OutProgramKey : OutProgramKey+hash.DigestLen], root[:]} {
		if p := hash.OuterPack(vals); got[i] != p {
			t.Fatalf("public input %d is not its digest packed", i)
		}
	}
	other := *r.st
	other.ExitCode++
	if s, err := r.m.WrapStatement(e, r.keys.VK, &other, testOrigin, a.Shapes, nil); err != nil || s[0] == want[0] || s[1] != want[1] || s[2] != want[2] {
		t.Fatalf("another exit code: %v, claim_root alone should differ (%v, %v)", err, s, want)
	}
	if _, err := r.m.WrapStatement(e, r.keys.VK, r.st, Origin{ISA: claim.ISADigest("x"), Source: testOrigin.Source}, a.Shapes, nil); err == nil {
		t.Fatal("WrapStatement took an origin unlike the statement's context")
	}
	if _, _, err := r.m.ProveOuter(e, r.keys.VK, &other, testOrigin, a, o); err == nil {
		t.Fatal("ProveOuter took an aggregated proof of another claim")
	}
	if len(a.Shapes) > 0 {
		more := append(append([]LeafShape(nil), a.Shapes...), LeafShape{LogN: append([]int(nil), a.Shapes[0].LogN...), Final: !a.Shapes[0].Final})
		if s, err := r.m.WrapStatement(e, r.keys.VK, r.st, testOrigin, more, nil); err == nil && (s[2] == want[2] || s[0] != want[0]) {
			t.Fatal("the shapes of another allowlist give the same vk_root, or another claim_root")
		}
		if _, err := r.m.WrapStatement(e, r.keys.VK, r.st, testOrigin, append(a.Shapes, a.Shapes[0]), nil); err == nil {
			t.Fatal("WrapStatement took a shape twice")
		}
	}
	if _, err := r.m.WrapStatement(e, r.keys.VK, r.st, testOrigin, nil, nil); err == nil {
		t.Fatal("WrapStatement took no shapes")
	}
	lbl := r.m.WrapLabel(e.Params(), outerTestParams)
	p2 := outerTestParams
	p2.FRI.NumQueries++
	if lbl == r.m.WrapLabel(e.Params(), p2) || lbl != r.m.WrapLabel(e.Params(), outerTestParams) {
		t.Fatal("the wrap label does not name the outer parameters")
	}
	// The extension degree spelled out (as an envelope decodes it) or left 0 is one label.
	p4 := outerTestParams
	p4.FRI.ExtDegree = 4
	p4.MinProvableBits, p4.Workers = 59, 7
	if outerTestParams.FRI.ExtDegree != 0 || lbl != r.m.WrapLabel(e.Params(), p4) {
		t.Fatal("the wrap label depends on how the extension degree is spelled, or on floors and workers")
	}
}

// testWrapped is a well-formed wrapped proof (points on the curve, not a proof of
// anything).
func testWrapped() *Wrapped {
	_, _, g1, g2 := bn254.Generators()
	w := &wrap.Wrapped{CircuitID: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		Proof: &groth16bn254.Proof{Ar: g1, Bs: g2, Krs: g1}}
	w.Inputs = make([]fr.Element, 3)
	w.Inputs[0].SetUint64(42)
	return &Wrapped{Shapes: []LeafShape{{LogN: []int{3, 4, -1}, Final: true}, {LogN: []int{5}}}, Proof: w}
}

// TestWrappedEncoding: Encode/DecodeWrapped round-trip; every truncation and an
// unknown version are refused.
func TestWrappedEncoding(t *testing.T) {
	w := testWrapped()
	b, err := w.Encode()
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeWrapped(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := d.Encode()
	if err != nil || !bytes.Equal(b, b2) {
		t.Fatalf("round trip: %v", err)
	}
	for n := range len(b) {
		if _, err := DecodeWrapped(b[:n]); err == nil {
			t.Fatalf("a wrapped proof cut to %d of %d bytes decoded", n, len(b))
		}
	}
	v := append([]byte(nil), b...)
	v[0] = 2
	if _, err := DecodeWrapped(v); err == nil {
		t.Fatal("version 2 decoded")
	}
}

// FuzzDecodeWrapped: DecodeWrapped never panics, and what it decodes re-encodes to
// the same bytes.
func FuzzDecodeWrapped(f *testing.F) {
	b, err := testWrapped().Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)-1])
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := DecodeWrapped(b)
		if err != nil {
			return
		}
		again, err := w.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, b) {
			t.Fatal("decoded bytes re-encode differently")
		}
	})
}

// TestWrapCatalogue: a run cut by a catalogue and aggregated over its fixed allowlist is
// wrapped: the outer layer proves on the catalogue's tree (AggregatedTree), the
// verifier's inputs (WrapStatement with the catalogue, no shapes) are the outer
// proof's, vk_root among them being the catalogue's root — the constant a contract
// pins — and the wrapped proof names the catalogue (encoding version 2, round trip).
// Refused: shapes named beside the catalogue, another catalogue, the program's own keys
// (not its ROM class's). Not with -short: the catalogue's leaves, an aggregation and an
// outer proof take minutes on two cores.
func TestWrapCatalogue(t *testing.T) {
	if testing.Short() {
		t.Skip("a catalogue's leaves, an aggregation and an outer proof: minutes on two cores")
	}
	r := exampleRun(t, "mix.s", []byte{40, 0, 0, 0})
	r.st.Context = claim.Context(testOrigin.ISA, testOrigin.Source, r.st.InputDigest)
	cat := testCatalogue(t, r.m)
	r.m.cat = cat
	keys, segs, _ := cutRun(t, r, cat, 8)
	e := treeEngine(t)
	a, err := r.m.Aggregate(context.Background(), e, keys.VK, r.st, segs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Catalogue == nil {
		t.Fatal("not aggregated over the catalogue")
	}
	o, err := r.m.OuterLayer(e, outerTestParams)
	if err != nil {
		t.Fatal(err)
	}
	ot, op, err := r.m.ProveOuter(e, keys.VK, r.st, testOrigin, a, o)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := ot.Verify(op)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ot.Statement(outs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.m.WrapStatement(e, keys.VK, r.st, testOrigin, nil, cat)
	if err != nil {
		t.Fatal(err)
	}
	root, err := r.m.CatalogueRoot(e, cat)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || got[2] != hash.OuterPack(root[:]) {
		t.Fatalf("WrapStatement over the catalogue %v, the outer proof's %v; vk_root not the catalogue's root", got, want)
	}
	if _, err := r.m.WrapSecurity(e, keys.VK, nil, cat); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func() error{
		"shapes beside the catalogue": func() error {
			_, err := r.m.WrapStatement(e, keys.VK, r.st, testOrigin, []LeafShape{ShapeOfSegment(segs[0])}, cat)
			return err
		},
		"another catalogue": func() error {
			other := testCatalogue(t, r.m)
			other.id[0] = field.New(other.id[0].Uint64() + 1)
			_, err := r.m.WrapStatement(e, keys.VK, r.st, testOrigin, nil, other)
			return err
		},
		"the program's own keys": func() error {
			_, err := r.m.WrapStatement(e, r.keys.VK, r.st, testOrigin, nil, cat)
			return err
		},
	} {
		if err := f(); err == nil {
			t.Fatalf("%s: accepted", name)
		}
	}
	w := testWrapped()
	w.Shapes, w.Catalogue = nil, cat
	b, err := w.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != wrappedCatalogueVersion {
		t.Fatalf("a catalogue's wrapped proof encoded as version %d", b[0])
	}
	// The decoder knows only catalogue v1 (the verifier's own); the test catalogue's
	// name and ID are refused, naming both.
	if _, err := DecodeWrapped(b); err == nil || !strings.Contains(err.Error(), "catalogue") {
		t.Fatalf("a wrapped proof over an unknown catalogue decoded: %v", err)
	}
	v1, err := New(nil).CatalogueV1()
	if err != nil {
		t.Fatal(err)
	}
	w.Catalogue = v1
	if b, err = w.Encode(); err != nil {
		t.Fatal(err)
	}
	d, err := DecodeWrapped(b)
	if err != nil || d.Catalogue == nil || d.Catalogue.ID() != v1.ID() || len(d.Shapes) != 0 {
		t.Fatalf("catalogue v1's wrapped proof: %v", err)
	}
	for n := range len(b) {
		if _, err := DecodeWrapped(b[:n]); err == nil {
			t.Fatalf("cut to %d of %d bytes: decoded", n, len(b))
		}
	}
}
