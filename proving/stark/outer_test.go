package stark_test

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// outer returns p with the Outer hash (Poseidon2 over BN254's scalar field).
func outer(p hemera.Params) hemera.Params {
	p.FRI.Hash = hash.Outer
	return p
}

// Proofs with the Outer hash: complete (plain, degree 6, zero knowledge), encoded as
// format version 3 with the hash byte, with canonical F_r roots; tampering, including a
// root limb pushed past 30 bits or an F_r value pushed past r, is rejected; proofs of
// one hash never verify under another.
func TestOuterHash(t *testing.T) {
	for _, p := range []hemera.Params{outer(testParams), outer(ext6(testParams)), outer(zkParams)} {
		s := newSystem(t, p)
		proof := s.prove(t)
		dec := verifyRoundTrip(t, s, proof, uint8(p.FRI.Ext()), uint8(hash.Outer))
		if _, ok := hash.OuterValue(&dec.MainRoot); !ok {
			t.Fatal("a non-canonical Outer root")
		}
	}
	s := newSystem(t, outer(testParams))
	tamperProof(t, s)
	good := s.prove(t)
	one := field.New(1)
	bump := func(e *field.Elem) { e.Add(e, &one) }
	rejectMutations(t, s, good, map[string]func(*stark.Proof){
		"main root, limb 8":        func(p *stark.Proof) { bump(&p.MainRoot[8]) },
		"main root, limb 9":        func(p *stark.Proof) { bump(&p.MainRoot[9]) },
		"quot root, limb 0 ≥ 2^30": func(p *stark.Proof) { p.QuotRoot[0] = field.New(1 << 30) },
		"fri layer root, limb 3":   func(p *stark.Proof) { friMutate(t, p, func(f *fri.Proof) { bump(&f.LayerRoots[0][3]) }) },
		"fri merkle path, limb 0": func(p *stark.Proof) {
			friMutate(t, p, func(f *fri.Proof) { bump(&f.Queries[0].Inputs[0].Path[1][0]) })
		},
		"main root + r": func(p *stark.Proof) {
			// The same F_r value written with limbs that add r: not canonical.
			p.MainRoot = addModulus(p.MainRoot)
		},
	})
	n := newSystem(t, testParams)
	mustReject(t, "Outer proof, Narrow verifier", n.verify(good))
	mustReject(t, "Narrow proof, Outer verifier", s.verify(n.prove(t)))
	w := newSystem(t, wide(testParams))
	mustReject(t, "Outer proof, Wide verifier", w.verify(good))
}

// addModulus returns the limbs of v + r for the Outer node n holding v (v + r < 2^270
// fits the limbs; the result is not canonical).
func addModulus(n hash.Node) hash.Node {
	v, _ := hash.OuterValue(&n)
	var b, r = v.BigInt(new(big.Int)), fr.Modulus()
	b.Add(b, r)
	var out hash.Node
	mask := big.NewInt(1<<hash.OuterLimbBits - 1)
	for i := range hash.OuterLimbs {
		out[i] = field.New(new(big.Int).And(b, mask).Uint64())
		b.Rsh(b, hash.OuterLimbBits)
	}
	return out
}
