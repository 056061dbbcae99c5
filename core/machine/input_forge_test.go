package machine

// Cheating provers against the input tape's binding (the I/O chip's READ bounds, the
// input table, the claim's context).

import (
	"context"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// TestReadPastTapeRejected forges a READ past the input's end that returns a zero word.
// The run reads three words of a 12-byte input whose third word is 0 and halts with it;
// the statement names the first 8 bytes, on which the executor traps at the third READ
// (no input left). The input table of the 8-byte tape holds 0 at offset 8 (its block is
// zero-padded), so the READ's Input message (8, 0, 0) is received and every bus
// balances: only the I/O chip's bound on the bytes left refuses it. The forger writes
// input_len − in_off − 4 = −4 = p − 4 as gap = 0xfffd + 2^16·0x7eff (both limbs below
// 2^16); 4·gap_hi < 2^16 (gap < 2^30) is the check.
func TestReadPastTapeRejected(t *testing.T) {
	src := ".fp 0x1000\nmain: ecall read, [8]\n ecall read, [12]\n ecall read, [16]\n halt [16]\n"
	p := assemble(t, src)
	long := []byte{1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: long})
	if err != nil || res.ExitStatus != isa.StatusHalted || res.ExitCode != 0 {
		t.Fatalf("run on 12 bytes: %v %s %d", err, res.ExitStatus, res.ExitCode)
	}
	short := long[:8]
	if r, _, err := Execute(context.Background(), p, exec.Options{Input: short}); err != nil || r.ExitStatus == isa.StatusHalted {
		t.Fatalf("the executor must trap at the third READ of 8 bytes: %v %v", err, r.ExitStatus)
	}
	st := StatementOf(p, res, short)
	const gapLo, gapHi = 0xfffd, 0x7eff // gapLo + 2^16·gapHi = p − 4
	if gapLo+gapHi<<16 != fieldP-4 {
		t.Fatal("the forged gap is not −4")
	}
	honestGap := uint32(0xfffffffc) // 8 − 8 − 4 mod 2^32, what io.Trace counted: (0xfffc, 0xffff, 4·0xffff)
	forged := func(tb string, a *air.AIR, cols [][]field.Elem) {
		rows(t, "io", "gap_lo", map[int]field.Elem{2: field.New(gapLo)})(tb, a, cols)
		rows(t, "io", "gap_hi", map[int]field.Elem{2: field.New(gapHi)})(tb, a, cols)
		uncount(t, tb, a, cols, "m16", honestGap&0xffff, -1)
		uncount(t, tb, a, cols, "m16", honestGap>>16, -1)
		uncount(t, tb, a, cols, "m16", honestGap>>16*4&0xffff, -1)
		uncount(t, tb, a, cols, "m16", gapLo, 1)
		uncount(t, tb, a, cols, "m16", gapHi, 1)
	}
	f := &forgery{prog: p, st: st, recs: recs, patch: forged}
	f.mustReject(t, "a READ past the end of an 8-byte input proven")
	// The io table's gap bound and the verifier's bound on the segment's final input
	// offset (in_end ≤ input_len; offsets only grow) both refuse it.
}

// TestContextBoundToProof: the CPU's context public values are read by no constraint;
// the proof holds only for the context it was made with (they are absorbed into the
// transcript before any challenge), whichever element differs.
func TestContextBoundToProof(t *testing.T) {
	r := newRun(t, sumTwo, inputA)
	r.st.Context = hash.Tagged("test/context", []byte("claim A"))
	proof := r.prove(t)
	if err := r.m.Verify(r.keys.VK, r.st, proof); err != nil {
		t.Fatal(err)
	}
	for i := range hash.DigestLen {
		other := *r.st
		one := field.New(1)
		other.Context[i].Add(&other.Context[i], &one)
		verifyRejects(t, r, &other, proof, "a proof verifies under another context")
	}
	other := *r.st
	other.Context = hash.Digest{}
	verifyRejects(t, r, &other, proof, "a proof verifies under the zero context")
}
