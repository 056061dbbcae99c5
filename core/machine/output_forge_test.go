package machine

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// The output across segments (core/chips/output): a segment proves the output sponge
// from T(out_start) to T(out_end), its state carries T(out_end) (OutState), the linker
// checks each segment's slice of the claimed output against the two states, and the
// claim's output digest is the sponge's digest. These cheating provers edit the state,
// prove other bytes, reorder the output or claim output a segment did not write.

// outputCut is where forgeProg's first segment ends: after the loop's three one-byte
// WRITEs, before the second READ (the last WRITE, 4 bytes, is in the second segment).
const outputCut = 22

// firstSegmentSTARK verifies a first segment's STARK alone, against the public values a
// verifier would build from its state and the given output slice — without the
// linker's check of the slice against the state: what the proof itself refuses.
func firstSegmentSTARK(pv *prover, e *forgeEnv, st *Statement, sp *SegmentProof) error {
	v := &segmentView{program: e.p, entryPC: e.p.Entry, entryFP: e.p.FP, hookState: hook.IV(), state: &sp.State,
		status: st.Status, exitCode: st.ExitCode, output: st.Output[:sp.State.OutEnd], inputLen: st.InputLen,
		inputDigest: st.InputDigest, claim: st.Context, memStart: ImageRoot(e.p), outState: output.IV()}
	return pv.m.engine.Verify(pv.keys.VK, sp.Proof, v.publics(pv.m), v.messages())
}

// TestSegmentOutStateEdited: a segment whose OutState is not its share's sponge state.
// The linker refuses it before the STARK (output.Absorb of the slice it holds), and the
// STARK refuses it too (the output table's end state is a public value).
func TestSegmentOutStateEdited(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	segs := pv.segments(t, e, e.recs, outputCut, len(e.recs))
	if segs[0].State.OutEnd != 3 || len(e.st.Output) != 7 {
		t.Fatalf("the segments write %d of %d bytes first", segs[0].State.OutEnd, len(e.st.Output))
	}
	if err := pv.verify(e.st, segs...); err != nil {
		t.Fatal(err)
	}
	if err := firstSegmentSTARK(pv, e, e.st, segs[0]); err != nil {
		t.Fatalf("the honest first segment's STARK alone: %v", err)
	}
	edit := func(i int, f func(s *output.State)) []*SegmentProof {
		c := append([]*SegmentProof(nil), segs...)
		sp := *c[i]
		f(&sp.State.OutState)
		c[i] = &sp
		return c
	}
	for _, c := range []struct {
		what string
		f    func(s *output.State)
	}{
		{"an element of the state edited", func(s *output.State) { s[3] = field.New(s[3].Uint64() ^ 1) }},
		{"the capacity edited", func(s *output.State) { s[output.Rate+1] = field.New(7) }},
		{"the state before the share (no output absorbed)", func(s *output.State) { *s = output.IV() }},
		{"the state of another share of the same length", func(s *output.State) { *s = output.Absorb(output.IV(), 0, []byte{9, 9, 9}) }},
	} {
		forged := edit(0, c.f)
		rejected(t, pv.verify(e.st, forged...), "segment 0: "+c.what, "segment 0", "output sponge state")
		if err := firstSegmentSTARK(pv, e, e.st, forged[0]); err == nil {
			t.Fatalf("segment 0: %s: its STARK accepts the edited state", c.what)
		}
	}
	// The last segment's end state is what the claim's digest finishes.
	rejected(t, pv.verify(e.st, edit(1, func(s *output.State) { s[0] = field.New(s[0].Uint64() + 1) })...),
		"the last segment's state edited", "segment 1", "output sponge state")
}

// TestSegmentOtherOutputShare: a segment proven for output bytes other than its WRITEs',
// with an OutState consistent with those bytes. Against the claim's output the linker
// refuses the state; against a claim of the forged bytes the STARK refuses it (the
// output table receives bytes the I/O chip did not send: the Output bus is unbalanced).
// And honest segments linked with the bytes they prove do not finish a claim of other
// bytes of the same length: the claim's digest is the sponge's, output.Digest.
func TestSegmentOtherOutputShare(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	recs := cut(e.recs, 0, outputCut)
	v := e.view(t, recs, 0, 0)
	other := []byte{v.output[0] ^ 0x55, v.output[1], v.output[2]}
	v.output, v.state.OutState = other, output.Absorb(output.IV(), 0, other)
	forged := pv.prove(t, e, &segWitness{recs: recs, v: v})
	tail := pv.segment(t, e, cut(e.recs, outputCut, len(e.recs)), forged.State.InEnd, forged.State.OutEnd)
	rejected(t, pv.verify(e.st, forged, tail), "a share of other bytes against the claim's output", "segment 0", "output sponge state")
	claimed := e.statement(func(st *Statement) { copy(st.Output, other) })
	rejected(t, pv.verify(claimed, forged, tail), "a share of other bytes claimed", "segment 0", "bus check failed")

	// The claim's digest: honest segments, each linked with its own slice, then a claim
	// of another output of the same length.
	segs := pv.segments(t, e, e.recs, outputCut, len(e.recs))
	l := pv.m.NewLinker(pv.keys.VK, e.st.Program, e.st.InputLen, e.st.InputDigest, e.st.Context)
	if err := l.verifyAll(e.st, segs); err != nil {
		t.Fatal(err)
	}
	ls := l.State()
	if ls.OutOff != uint32(len(e.st.Output)) || output.Finish(ls.OutState, ls.OutOff) != output.Digest(e.st.Output) {
		t.Fatal("the linked state does not finish to the output's digest")
	}
	if err := l.Finish(e.st); err != nil {
		t.Fatal(err)
	}
	if err := l.Finish(claimed); err == nil || !strings.Contains(err.Error(), "output has digest") {
		t.Fatalf("a claim of other output bytes finished the linked segments: %v", err)
	}
}

// TestSegmentOutputReordered: the claim's output with bytes reordered — two segments'
// shares swapped, a byte moved across the cut, two bytes swapped within a share — is
// refused at the first segment whose slice no longer gives its state.
func TestSegmentOutputReordered(t *testing.T) {
	s := newSegRun(t, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}, 40)
	r, segs := s.r, s.segs
	a, b := segs[0].State.OutEnd, segs[1].State.OutEnd
	if a == 0 || b-a == 0 {
		t.Fatalf("segments 0 and 1 write [0, %d) and [%d, %d): the test needs both non-empty", a, a, b)
	}
	if err := r.m.VerifySegments(r.keys.VK, r.st, segs); err != nil {
		t.Fatal(err)
	}
	out := r.st.Output
	reorder := func(what string, o []byte, want string) {
		t.Helper()
		if bytes.Equal(o, out) || len(o) != len(out) {
			t.Fatalf("%s: not a reordering", what)
		}
		st := *r.st
		st.Output = o
		mustRejectSegments(t, r, &st, segs, what, want)
	}
	swapped := append(append(append([]byte(nil), out[a:b]...), out[:a]...), out[b:]...)
	if !bytes.Equal(swapped[:a], out[:a]) {
		reorder("the first two segments' shares swapped", swapped, "segment 0")
	}
	moved := append([]byte(nil), out...)
	moved[a-1], moved[a] = out[a], out[a-1] // the bytes either side of the cut
	if moved[a-1] == out[a-1] {
		t.Fatal("the bytes either side of the cut are equal: the test shows nothing")
	}
	reorder("a byte moved across the cut", moved, "segment 0")
	inner := append([]byte(nil), out...)
	inner[a], inner[b-1] = out[b-1], out[a]
	if inner[a] != out[a] {
		reorder("two bytes swapped within segment 1's share", inner, "segment 1")
	}
}

// TestSegmentClaimsUnwrittenOutput: a segment that claims output its WRITEs did not
// write, with a consistent OutState and a claim of those bytes — one without any WRITE,
// and one claiming a byte past the bytes it wrote — is refused by its STARK.
func TestSegmentClaimsUnwrittenOutput(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)

	// The first two cycles (READ, store) write nothing; the cheater claims two bytes.
	recs := cut(e.recs, 0, 2)
	v := e.view(t, recs, 0, 0)
	if len(v.output) != 0 {
		t.Fatal("the first two cycles write output")
	}
	extra := []byte{0xaa, 0xbb}
	v.output, v.state.OutEnd, v.state.OutState = extra, 2, output.Absorb(output.IV(), 0, extra)
	st := e.statement(func(st *Statement) { st.Output = append(bytes.Clone(extra), st.Output...) })
	rejected(t, pv.link(st, pv.prove(t, e, &segWitness{recs: recs, v: v})), "output claimed by a segment without WRITEs", "segment 0")

	// The first segment writes three bytes and claims a fourth.
	recs = cut(e.recs, 0, outputCut)
	v = e.view(t, recs, 0, 0)
	longer := append(bytes.Clone(v.output), 0x42)
	v.output, v.state.OutEnd, v.state.OutState = longer, 4, output.Absorb(output.IV(), 0, longer)
	st = e.statement(func(st *Statement) { st.Output = append(bytes.Clone(longer), st.Output[3:]...) })
	rejected(t, pv.link(st, pv.prove(t, e, &segWitness{recs: recs, v: v})), "a byte claimed past the segment's WRITEs", "segment 0")
}
