package stark_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// ext6 returns p over the degree-6 extension.
func ext6(p hemera.Params) hemera.Params {
	p.FRI.ExtDegree = field.ExtDegree6
	return p
}

// wide returns p with the Wide hash.
func wide(p hemera.Params) hemera.Params {
	p.FRI.Hash = hash.Wide
	return p
}

// Proofs over the degree-6 extension: complete (plain and zero-knowledge, several FRI
// shapes), written as format version 3 with the degree, and every extension element of
// them is of degree 6.
func TestExt6Completeness(t *testing.T) {
	for _, p := range []hemera.Params{
		ext6(testParams),
		ext6(zkParams),
		ext6(hemera.Params{FRI: fri.Params{LogBlowup: 2, NumQueries: 12, GrindingBits: 0, LogArity: 1, LogFinalPolyLen: 0}, Workers: 1}),
		ext6(hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 8, GrindingBits: 2, LogArity: 4, LogFinalPolyLen: 6, ZK: true}, Workers: 3}),
	} {
		s := newSystem(t, p)
		proof := s.prove(t)
		if proof.ExtDegree() != 6 {
			t.Fatalf("proof over degree %d", proof.ExtDegree())
		}
		dec := verifyRoundTrip(t, s, proof, 6, uint8(p.FRI.Hash))
		for _, c := range dec.CumSums {
			if !c.InDegree(6) {
				t.Fatal("a degree-4 cumulative sum")
			}
		}
	}
	for name, tb := range map[string]starktest.Table{
		"fib-1row":  starktest.Fib(0),
		"fib-large": starktest.Fib(10),
		"wide":      starktest.Wide(4, 40, 10),
	} {
		s := build(t, ext6(testParams), []starktest.Table{tb}, nil)
		if err := s.verify(s.prove(t)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The tamper cases of the degree-4 proof, and edits of the coordinates degree 4 does not
// have, are rejected over degree 6.
func TestExt6TamperedProof(t *testing.T) {
	s := newSystem(t, ext6(testParams))
	tamperProof(t, s)
	good := s.prove(t)
	one := field.New(1)
	bump := func(e *field.Elem) { e.Add(e, &one) }
	rejectMutations(t, s, good, map[string]func(*stark.Proof){
		"main opening, coordinate 5":   func(p *stark.Proof) { bump(p.Values[1][1][0][3].Coord(5)) },
		"aux opening, coordinate 4":    func(p *stark.Proof) { bump(p.Values[2][1][1][2].Coord(4)) },
		"quotient chunk, coordinate 5": func(p *stark.Proof) { bump(p.Values[3][4][0][5].Coord(5)) },
		"cumulative sums, coordinate 4": func(p *stark.Proof) {
			bump(p.CumSums[2].Coord(4))
			p.CumSums[3].Coord(4).Sub(p.CumSums[3].Coord(4), &one)
		},
		"fri final poly, coordinate 5": func(p *stark.Proof) { friMutate(t, p, func(f *fri.Proof) { bump(f.FinalPoly[1].Coord(5)) }) },
	})
}

// A proof is checked only under the degree it was made with: a degree-6 proof under
// degree-4 parameters and the reverse are rejected (never a panic), in memory and
// through the encoding, and the encoding of a degree-4 proof as version 3 is refused.
func TestExtDegreeMismatchRejected(t *testing.T) {
	s4, s6 := newSystem(t, testParams), newSystem(t, ext6(testParams))
	p4, p6 := s4.prove(t), s6.prove(t)
	mustReject(t, "degree-6 proof, degree-4 verifier", s4.verify(p6))
	mustReject(t, "degree-4 proof, degree-6 verifier", s6.verify(p4))
	for name, c := range map[string]struct {
		s *system
		b []byte
	}{"degree-6 bytes, degree-4 verifier": {s4, p6.Encode()}, "degree-4 bytes, degree-6 verifier": {s6, p4.Encode()}} {
		dec, err := stark.Decode(c.b)
		if err != nil {
			t.Fatal(err)
		}
		mustReject(t, name, c.s.verify(dec))
	}
	// A degree-6 proof relabelled as degree 4 (its header rewritten) does not parse as
	// one, or is rejected.
	enc := p6.Encode()
	relabelled := append(binary.LittleEndian.AppendUint32(bytes.Clone(enc[:4]), stark.FormatVersion), enc[9:]...)
	if dec, err := stark.Decode(relabelled); err == nil {
		mustReject(t, "degree-6 proof relabelled degree 4", s4.verify(dec))
	}
	bad := bytes.Clone(enc)
	bad[8] = 4
	if _, err := stark.Decode(bad); err == nil {
		t.Fatal("version 3 with degree 4 decoded")
	}
	// Degree-4 elements smuggled into a degree-6 proof are rejected, not a panic.
	forged, _ := stark.Decode(enc)
	forged.CumSums[0] = field.ExtFromCoords(make([]field.Elem, 4))
	mustReject(t, "a degree-4 element in a degree-6 proof", s6.verify(forged))
}

// The Wide hash (width-24 Poseidon2, 12-element commitments), alone and with the
// degree-6 extension (the 128-bit preset's pair): complete, plain and zero-knowledge,
// through the encoding; the tamper suite rejects; a proof is checked only under the
// hash it was made with.
func TestWideHash(t *testing.T) {
	for _, p := range []hemera.Params{wide(testParams), wide(ext6(testParams)), wide(ext6(zkParams))} {
		s := newSystem(t, p)
		proof := s.prove(t)
		dec := verifyRoundTrip(t, s, proof, uint8(p.FRI.Ext()), uint8(hash.Wide))
		if dec.MainRoot[11].IsZero() && dec.MainRoot[10].IsZero() {
			t.Fatal("a Wide root with empty last elements")
		}
	}
	s := newSystem(t, wide(ext6(testParams)))
	tamperProof(t, s)
	good := s.prove(t)
	one := field.New(1)
	bump := func(e *field.Elem) { e.Add(e, &one) }
	rejectMutations(t, s, good, map[string]func(*stark.Proof){
		"main root, element 11":      func(p *stark.Proof) { bump(&p.MainRoot[11]) },
		"fri layer root, element 10": func(p *stark.Proof) { friMutate(t, p, func(f *fri.Proof) { bump(&f.LayerRoots[0][10]) }) },
		"fri merkle path, element 11": func(p *stark.Proof) {
			friMutate(t, p, func(f *fri.Proof) { bump(&f.Queries[0].Inputs[0].Path[1][11]) })
		},
	})
	n := newSystem(t, ext6(testParams))
	mustReject(t, "Wide proof, Narrow verifier", n.verify(good))
	mustReject(t, "Narrow proof, Wide verifier", s.verify(n.prove(t)))
	dec, err := stark.Decode(good.Encode())
	if err != nil {
		t.Fatal(err)
	}
	mustReject(t, "Wide bytes, Narrow verifier", n.verify(dec))
	// A Narrow proof whose roots carry something past their 8 elements is refused.
	np := n.prove(t)
	np.MainRoot[9].SetUint64(1)
	mustReject(t, "non-canonical Narrow root", n.verify(np))
}

// verifyRoundTrip checks that an honest proof verifies, is encoded as format version 3
// with the given degree and hash bytes, and verifies again once decoded.
func verifyRoundTrip(t *testing.T, s *system, proof *stark.Proof, degree, scheme uint8) *stark.Proof {
	t.Helper()
	if err := s.verify(proof); err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
	enc := proof.Encode()
	if v := binary.LittleEndian.Uint32(enc[4:]); v != stark.FormatVersionExt || enc[8] != degree || enc[9] != scheme {
		t.Fatalf("encoded as version %d, degree byte %d, hash byte %d", v, enc[8], enc[9])
	}
	dec, err := stark.Decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.verify(dec); err != nil {
		t.Fatalf("decoded proof rejected: %v", err)
	}
	return dec
}
