package machine

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/claim"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// outerTestParams prove the outer layer cheaply (one query) with the outer hash.
var outerTestParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 1, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1, Hash: hash.Outer}, Workers: 2}

// testOrigin is the origin of the test runs (newSegRun's context is its).
var testOrigin = Origin{ISA: claim.ISADigest("test"), Source: hash.Tagged("test/source", nil)}

// TestOuterFinish proves the outer layer over two runs' aggregated proofs with
// OuterFinish: its public values are vk_root, claim_root and the program key exactly as
// the native encodings compute them from each claim (claim.Fields, claim.ProgramKey of
// values spelled out here), and the two runs' outer programs are one (the same key: one
// wrap circuit serves every run). Another claim gives another claim_root. A cheating
// prover's witness is refused or changes what the proof states: another ISA or source
// digest fails the context check (no proof), another program_id changes both
// claim_root and the program key.
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
		o, err := tree.Outer(outerTestParams, OuterFinish, OuterInputs...)
		if err != nil {
			t.Fatal(err)
		}
		p, err := o.Prove(a.Root, OuterWitness(r.st, testOrigin)...)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := o.Verify(p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := r.m.OuterPublics(r.keys.VK, r.st, testOrigin)
		if err != nil {
			t.Fatal(err)
		}
		if len(pub) != len(want) || len(want) != OuterLen {
			t.Fatalf("%d outer public values, want %d (OuterLen %d)", len(pub), len(want), OuterLen)
		}
		for i := range want {
			if w := field.NewExt(want[i]); !pub[i].Equal(&w) {
				t.Fatalf("outer public value %d: %v, want %v", i, pub[i], want[i])
			}
		}
		// The native encodings of values spelled out, not through ClaimFields.
		st, prog := r.st, r.st.Program
		f := claim.Fields{ISA: testOrigin.ISA, ProgramID: prog.ID(), SourceDigest: testOrigin.Source, InputDigest: st.InputDigest,
			InputLen: uint32(len(input)), OutputDigest: output.Digest(st.Output), ExitStatus: uint8(st.Status), ExitCode: st.ExitCode,
			Cycles: st.Cycles, HookCount: st.HookCount, HookDigest: st.HookDigest}
		root := f.Root()
		var prep hash.Digest
		copy(prep[:], r.keys.VK.PrepRoot[:hash.DigestLen])
		key := claim.ProgramKey(prog.ID(), prog.Entry, prog.FP/4, ImageRoot(prog), r.keys.VK.Digest, prep, uint32(len(prog.Code)))
		for i := range hash.DigestLen {
			if w := field.NewExt(root[i]); !pub[OutClaimRoot+i].Equal(&w) {
				t.Fatalf("claim_root element %d is not claim.Fields' root", i)
			}
			if w := field.NewExt(key[i]); !pub[OutProgramKey+i].Equal(&w) {
				t.Fatalf("program key element %d is not claim.ProgramKey's", i)
			}
		}
		// Another claim (one output byte, or the exit code) gives another claim_root.
		other := *r.st
		other.Output = append([]byte{}, r.st.Output...)
		other.Output[0] ^= 1
		code := *r.st
		code.ExitCode++
		for name, c := range map[string]*Statement{"an output byte": &other, "the exit code": &code} {
			w, err := r.m.OuterPublics(r.keys.VK, c, testOrigin)
			if err != nil {
				t.Fatal(err)
			}
			if x := field.NewExt(w[OutClaimRoot]); pub[OutClaimRoot].Equal(&x) {
				t.Fatalf("%s changed: the outer proof's claim_root still matches", name)
			}
		}
		if _, err := r.m.OuterPublics(r.keys.VK, r.st, Origin{ISA: claim.ISADigest("other"), Source: testOrigin.Source}); err == nil {
			t.Fatal("OuterPublics took an origin whose context is not the statement's")
		}
		digests = append(digests, o.Key().STARK.Digest)
		if len(digests) > 1 {
			continue // the cheating witnesses once: they do not depend on the run
		}
		// Cheating witness: another ISA or source digest breaks the context check.
		for _, org := range []Origin{{ISA: claim.ISADigest("wasm"), Source: testOrigin.Source}, {ISA: testOrigin.ISA, Source: hash.Tagged("x", nil)}} {
			if _, err := o.Prove(a.Root, OuterWitness(r.st, org)...); err == nil {
				t.Fatalf("the outer program proved a root with origin %v, not the context's", org)
			}
		}
		// Another program_id: a proof exists, stating another claim_root and program key.
		w := OuterWitness(r.st, testOrigin)
		w[len(w)-1] = field.New(12345)
		cp, err := o.Prove(a.Root, w...)
		if err != nil {
			t.Fatal(err)
		}
		cpub, err := o.Verify(cp)
		if err != nil {
			t.Fatal(err)
		}
		if cpub[OutClaimRoot].Equal(&pub[OutClaimRoot]) || cpub[OutProgramKey].Equal(&pub[OutProgramKey]) {
			t.Fatal("another program_id left claim_root or the program key unchanged")
		}
	}
	if digests[0] != digests[1] {
		t.Fatal("two runs' outer programs differ")
	}
}
