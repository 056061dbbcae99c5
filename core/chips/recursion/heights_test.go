package recursion

import "testing"

// TestSetupHeights pads every table to the minimum heights asked: the proof has them
// (the Poseidon2 table's included), verifies, and two programs set up at the same
// heights have verifying keys that differ only in the preprocessed commitment and its
// digest (one verifier shape). A minimum below a table's rows leaves it as Setup does.
func TestSetupHeights(t *testing.T) {
	e := engine(t)
	s := newSample()
	min := Heights{9, 7, 3, 4, 3, 3}
	pk, vk, err := SetupHeights(e, s.prog, min)
	if err != nil {
		t.Fatal(err)
	}
	if pk.Heights() != min {
		t.Fatalf("heights %v, want %v", pk.Heights(), min)
	}
	proof, publics, err := Prove(e, pk, s.inputs)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range proof.LogN {
		if l != min[i] {
			t.Fatalf("table %d: the proof has height 2^%d, want 2^%d", i, l, min[i])
		}
	}
	if err := Verify(e, vk, publics, proof); err != nil {
		t.Fatalf("padded proof rejected: %v", err)
	}

	// Another program at the same heights: same AIRs, quotient chunks, preprocessed
	// heights; another commitment and digest.
	other := newSample()
	other.prog.Publics = other.prog.Publics[:2]
	_, vk2, err := SetupHeights(e, other.prog, min)
	if err != nil {
		t.Fatal(err)
	}
	a, b := vk.STARK, vk2.STARK
	for i := range a.AIRs {
		if a.AIRs[i] != b.AIRs[i] || a.LogQuot[i] != b.LogQuot[i] || a.PrepLogN[i] != b.PrepLogN[i] {
			t.Fatalf("table %d differs between two programs at the same heights", i)
		}
	}
	// One public fewer: a cell read once less, another preprocessed multiplicity.
	if a.PrepRoot == b.PrepRoot || a.Digest == b.Digest {
		t.Fatal("two programs with different read counts have the same commitment or digest")
	}

	// A proof made with Setup's natural heights is rejected by the padded key.
	pk0, _, err := Setup(e, s.prog)
	if err != nil {
		t.Fatal(err)
	}
	if HeightsOf(s.prog) != pk0.Heights() {
		t.Fatalf("HeightsOf %v, Setup's heights %v", HeightsOf(s.prog), pk0.Heights())
	}
	if pk0.Heights() == min {
		t.Fatal("the sample's natural heights are the padded ones: the test checks nothing")
	}
	p0, pub0, err := Prove(e, pk0, s.inputs)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(e, vk, pub0, p0); err == nil {
		t.Fatal("a proof at other heights verifies under the padded key")
	}
	// Minimums below the rows do not shrink a table; out-of-range ones are refused.
	pkLow, _, err := SetupHeights(e, s.prog, Heights{})
	if err != nil {
		t.Fatal(err)
	}
	if pkLow.Heights() != pk0.Heights() {
		t.Fatalf("no minimum: heights %v, Setup's %v", pkLow.Heights(), pk0.Heights())
	}
	if _, _, err := SetupHeights(e, s.prog, Heights{-1}); err == nil {
		t.Fatal("a negative minimum height was accepted")
	}
}
