package planner

import (
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/config"
)

// The 128-bit preset's wider commitments and degree-6 quotient make the estimate grow
// by exactly their share: 12/8 of the tree, 6/4 of the quotient.
func TestProverBytesFollowsThePreset(t *testing.T) {
	def, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	sec := def.Clone()
	if err := sec.ApplyPreset("secure128"); err != nil {
		t.Fatal(err)
	}
	m := DefaultCostModel
	const h = 1 << 20
	lde := uint64(h) << def.Engine.LogBlowup
	want := m.ProverBytes(def, h) + lde*m.DigestBytes*m.MerkleNodesPerLeaf/2 + lde*m.QuotientBytesPerRow/2
	if got := m.ProverBytes(sec, h); got != want {
		t.Fatalf("secure128: %d bytes, want %d", got, want)
	}
}
