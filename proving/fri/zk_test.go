package fri

import (
	"bytes"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// zkProof commits two batches (the first hiding, the second not, like a STARK's main
// trace and preprocessed columns), opens them in zero-knowledge mode with the given seed
// and returns what the verifier needs.
func zkProof(t *testing.T, p Params, seed byte) (*PCS, []pcs.VerifyRound, []byte) {
	t.Helper()
	s, err := New(p, cpu.New(2), 2)
	if err != nil {
		t.Fatal(err)
	}
	rng, err := pcs.NewRand(&[32]byte{seed})
	if err != nil {
		t.Fatal(err)
	}
	z := field.ExtFromCoords([]field.Elem{field.New(11), field.New(12), field.New(13), field.New(14)})
	var rounds []pcs.OpenRound
	var vr []pcs.VerifyRound
	for i, b := range [][]pcs.Matrix{{randMatrix(5, 6, 1), randMatrix(3, 4, 2)}, {randMatrix(2, 5, 3)}} {
		hiding := i == 0
		var r *pcs.Rand
		if hiding {
			r = rng
		}
		c, err := s.Commit(b, r)
		if err != nil {
			t.Fatal(err)
		}
		pts := make([][]field.Ext, len(b))
		dims := make([]pcs.Dim, len(b))
		for i, m := range b {
			pts[i] = []field.Ext{z}
			dims[i] = pcs.Dim{Width: len(m), LogN: ntt.Log2(len(m[0]))}
		}
		rounds = append(rounds, pcs.OpenRound{Data: c, Points: pts})
		vr = append(vr, pcs.VerifyRound{Root: c.Root(), Dims: dims, Points: pts, Hiding: hiding})
	}
	vals, proof, err := s.Open(rounds, transcript.New("zk"), rng)
	if err != nil {
		t.Fatal(err)
	}
	for r := range vr {
		vr[r].Values = vals[r]
	}
	return s, vr, proof
}

// In zero-knowledge mode the hiding round's and the layers' openings carry SaltElems salt
// elements per row, the preprocessed-like round's none; the proof verifies; the seed
// fixes the proof; a verifier not in zero-knowledge mode, or one that takes the hiding
// round for a plain one, rejects it; and a changed salt is rejected.
func TestZKSaltedOpenings(t *testing.T) {
	p := Params{LogBlowup: 1, NumQueries: 12, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1, ZK: true}
	s, vr, proof := zkProof(t, p, 1)
	if err := s.Verify(vr, proof, transcript.New("zk")); err != nil {
		t.Fatalf("honest zero-knowledge proof rejected: %v", err)
	}
	if _, _, again := zkProof(t, p, 1); !bytes.Equal(again, proof) {
		t.Fatal("the same seed gave different proofs")
	}
	if _, _, other := zkProof(t, p, 2); bytes.Equal(other, proof) {
		t.Fatal("different seeds gave the same proof")
	}
	pr, err := DecodeParams(proof, p)
	if err != nil {
		t.Fatal(err)
	}
	q := pr.Queries[0]
	if len(q.Inputs[0].Salts) != 2 || len(q.Inputs[0].Salts[1]) != SaltElems || q.Inputs[1].Salts != nil {
		t.Fatalf("input salts %v / %v", q.Inputs[0].Salts, q.Inputs[1].Salts)
	}
	if len(q.Layers[0].Salts) != 1 || len(q.Layers[0].Salts[0]) != SaltElems {
		t.Fatalf("layer salts %v", q.Layers[0].Salts)
	}
	plain := p
	plain.ZK = false
	sp, _ := New(plain, cpu.New(2), 2)
	if err := sp.Verify(vr, proof, transcript.New("zk")); err == nil {
		t.Fatal("a verifier without zero knowledge accepted a zero-knowledge proof")
	}
	vr[0].Hiding = false
	if err := s.Verify(vr, proof, transcript.New("zk")); err == nil {
		t.Fatal("accepted with the hiding round taken for a plain one")
	}
	vr[0].Hiding = true
	one := field.New(1)
	for _, o := range []*field.Elem{&pr.Queries[3].Inputs[0].Salts[0][2], &pr.Queries[4].Layers[1].Salts[0][0]} {
		o.Add(o, &one)
		if err := s.Verify(vr, pr.Encode(), transcript.New("zk")); !IsInvalid(err) {
			t.Fatalf("changed salt: %v", err)
		}
		o.Sub(o, &one)
	}
	if err := s.Verify(vr, pr.Encode(), transcript.New("zk")); err != nil {
		t.Fatalf("re-encoded proof rejected: %v", err)
	}
}

// MaskLogN covers the values the low-degree test reveals and never goes below logN.
func TestMaskLogN(t *testing.T) {
	s, _ := New(DefaultParams, cpu.New(1), 1)
	if l := s.MaskLogN(20); l != 20 {
		t.Fatalf("MaskLogN(20) = %d", l)
	}
	l := s.MaskLogN(3)
	if l < 10 || l > 14 {
		t.Fatalf("MaskLogN(3) = %d for the defaults", l)
	}
	t.Logf("defaults: the FRI mask of a small proof has 2^%d rows", l)
}
