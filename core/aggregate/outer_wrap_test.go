package aggregate

import (
	"errors"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/injector/wrap"
)

// TestOuterWrap goes from toy leaves to a wrapped proof: four leaves → the tree's root
// → the outer proof (testOuterParams) → the wrap circuit, a local Groth16 setup, the
// wrapped proof, verified against the statement of the root's outputs under the tree's
// vk_root; the wrapped proof is refused for another root's statement (a leaf's), for
// the same outputs under another vk_root, and the other root's wrapped proof for the
// first's statement. Not in -short: the setup takes minutes on two cores.
func TestOuterWrap(t *testing.T) {
	if testing.Short() {
		t.Skip("a Groth16 setup of the wrap circuit: minutes")
	}
	f, o := testOuter(t)
	t0 := time.Now()
	keys, err := o.WrapSetup()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrap circuit: %d constraints, compiled and set up in %.1fs", keys.CCS.GetNbConstraints(), time.Since(t0).Seconds())

	var proofs [2]*OuterProof
	for i, root := range []*Node{f.fourRoot(t), f.leaf(t, 1, 2, 3)} {
		if proofs[i], err = o.Prove(root); err != nil {
			t.Fatal(err)
		}
	}
	var wrapped [2]*wrap.Wrapped
	for i, p := range proofs {
		t1 := time.Now()
		if wrapped[i], err = o.Wrap(keys, p); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrap %d: %.1fs", i, time.Since(t1).Seconds())
	}
	for i := range proofs {
		s, err := o.Statement(proofs[i].Publics[hash.DigestLen:])
		if err != nil {
			t.Fatal(err)
		}
		if err := wrap.Verify(keys.VK, keys.ID, wrapped[i], s); err != nil {
			t.Fatalf("wrapped proof %d: %v", i, err)
		}
		other, err := o.Statement(proofs[1-i].Publics[hash.DigestLen:])
		if err != nil {
			t.Fatal(err)
		}
		if err := wrap.Verify(keys.VK, keys.ID, wrapped[i], other); !errors.Is(err, wrap.ErrInvalid) {
			t.Fatalf("wrapped proof %d for the other root's statement: %v", i, err)
		}
		// The statement is checked inside the Groth16 proof too, not only by the digest
		// the wrapped proof carries.
		forged := *wrapped[i]
		forged.Inputs = other
		if err := wrap.Verify(keys.VK, keys.ID, &forged, other); !errors.Is(err, wrap.ErrInvalid) {
			t.Fatalf("wrapped proof %d relabelled with the other statement: %v", i, err)
		}
	}
	// The same outputs under another vk_root (another allowlist) are another statement.
	o2 := *o
	tr2 := *o.t
	allow := *tr2.allow
	allow.levels = append([][]hash.Digest(nil), allow.levels...)
	top := append([]hash.Digest(nil), allow.levels[allow.depth]...)
	top[0][0] = field.New(12345)
	allow.levels[allow.depth] = top
	tr2.allow, o2.t = &allow, &tr2
	s2, err := o2.Statement(proofs[0].Publics[hash.DigestLen:])
	if err != nil {
		t.Fatal(err)
	}
	if err := wrap.Verify(keys.VK, keys.ID, wrapped[0], s2); !errors.Is(err, wrap.ErrInvalid) {
		t.Fatalf("a wrapped proof under another vk_root: %v", err)
	}
	enc, err := wrapped[0].Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) > 300 {
		t.Fatalf("a wrapped proof of %d bytes", len(enc))
	}
	t.Logf("wrapped proof: %d bytes", len(enc))
}
