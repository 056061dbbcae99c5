package stark_test

import (
	"bytes"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// commitOnly hides the scheme's pcs.Releaser: the prover then commits with Commit and
// keeps every matrix it hands over until the commitment is made.
type commitOnly struct{ pcs.Scheme }

// TestMemorySavingsKeepTheProof: what the prover does to hold less memory changes no
// byte of the proof, with and without zero knowledge (a fixed seed): committing through
// pcs.Releaser (each matrix let go once extended) or through Commit, and Merkle trees
// keeping all their layers or dropping 1 to 3 (merkle.DroppedLayers). The witness is
// proven again after each proof, so that a prover writing into it fails too.
func TestMemorySavingsKeepTheProof(t *testing.T) {
	defer func(d int) { merkle.DroppedLayers = d }(merkle.DroppedLayers)
	for _, p := range []struct {
		name string
		s    *system
	}{{"plain", newSystem(t, testParams)}, {"zk", newSystem(t, zkParams)}} {
		cfg := p.s.e.Config()
		seed := [32]byte{5}
		cfg.Seed = &seed
		if _, ok := cfg.Scheme.(pcs.Releaser); !ok {
			t.Fatalf("%s: the engine's scheme is not a pcs.Releaser", p.name)
		}
		prove := func(cfg stark.Config) []byte {
			t.Helper()
			proof, err := stark.Prove(cfg, p.s.pk, p.s.witness)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.s.verify(proof); err != nil {
				t.Fatal(err)
			}
			return proof.Encode()
		}
		merkle.DroppedLayers = 3
		want := prove(cfg)
		plain := cfg
		plain.Scheme = commitOnly{cfg.Scheme}
		for _, d := range []int{0, 1, 2, 3} {
			merkle.DroppedLayers = d
			for name, c := range map[string]stark.Config{"releasing": cfg, "commit": plain} {
				if got := prove(c); !bytes.Equal(got, want) {
					t.Errorf("%s: %s, %d dropped layers: the proof differs", p.name, name, d)
				}
			}
		}
	}
}
