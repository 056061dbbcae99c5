package machine

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// outerTestParams prove the outer layer cheaply (one query) with the outer hash.
var outerTestParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 1, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1, Hash: hash.Outer}, Workers: 2}

// TestOuterFinish proves the outer layer over two runs' aggregated proofs with
// OuterFinish: its public values are vk_root and exactly what OuterPublics computes
// from each claim (the output digest finished in the program, the hook and input
// digests, the start and the constants), and the two runs' outer programs are one (the
// same key: one wrap circuit serves every run).
func TestOuterFinish(t *testing.T) {
	var digests []hash.Digest
	for _, input := range [][]byte{{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}, {9, 9, 9, 9, 1, 1, 1, 1}} {
		sr := newSegRun(t, input, 70)
		r := sr.r
		e, a := aggregateRun(t, r, sr.segs)
		tree, _, err := r.m.cachedTree(e, r.keys.VK, a.Shapes)
		if err != nil {
			t.Fatal(err)
		}
		o, err := tree.Outer(outerTestParams, OuterFinish)
		if err != nil {
			t.Fatal(err)
		}
		p, err := o.Prove(a.Root)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := o.Verify(p)
		if err != nil {
			t.Fatal(err)
		}
		want := r.m.OuterPublics(r.keys.VK, r.st)
		if len(pub) != len(want) || len(want) != OuterLen {
			t.Fatalf("%d outer public values, want %d (OuterLen %d)", len(pub), len(want), OuterLen)
		}
		for i := range want {
			if w := field.NewExt(want[i]); !pub[i].Equal(&w) {
				t.Fatalf("outer public value %d: %v, want %v", i, pub[i], want[i])
			}
		}
		// Another claim (one output byte, or the exit code) gives other expected values
		// at the output digest or the exit code: the outer proof does not state it.
		other := *r.st
		other.Output = append([]byte{}, r.st.Output...)
		other.Output[0] ^= 1
		code := *r.st
		code.ExitCode++
		for name, c := range map[string]struct {
			st *Statement
			at int
		}{"an output byte": {&other, OutOutput}, "the exit code": {&code, OutEndCodeLo}} {
			w := field.NewExt(r.m.OuterPublics(r.keys.VK, c.st)[c.at])
			if pub[c.at].Equal(&w) {
				t.Fatalf("%s changed: the outer proof's public value %d still matches", name, c.at)
			}
		}
		digests = append(digests, o.Key().STARK.Digest)
	}
	if digests[0] != digests[1] {
		t.Fatal("two runs' outer programs differ")
	}
}
