package machine

import (
	"testing"

	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// The input across segments (core/chips/input): a segment absorbs the blocks its READs
// reach from the state where the previous one left the sponge, its state carries the
// sponge and the last absorbed block (InState), and the final segment's state has the
// claim's input digest as its rate. forgeProg's 8-byte input is one block read across
// the cut at outputCut: the first segment reads bytes 0 … 3, absorbs the block and
// carries it; the second answers its READ at 4 from the carried limbs.
func TestSegmentInStateEdited(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	segs := pv.segments(t, e, e.recs, outputCut, len(e.recs))
	if segs[0].State.InEnd != 4 || segs[1].State.InEnd != 8 {
		t.Fatalf("the segments read to %d and %d", segs[0].State.InEnd, segs[1].State.InEnd)
	}
	if segs[0].State.InState != chipinput.At(forgeInput, 4) || segs[0].State.InState.Carry == (chipinput.State{}).Carry {
		t.Fatal("the first segment does not leave the straddling block absorbed and carried")
	}
	if err := pv.verify(e.st, segs...); err != nil {
		t.Fatal(err)
	}
	edit := func(i int, f func(s *chipinput.State)) []*SegmentProof {
		c := append([]*SegmentProof(nil), segs...)
		sp := *c[i]
		f(&sp.State.InState)
		c[i] = &sp
		return c
	}
	flip := func(x *field.Elem) { *x = field.New(x.Uint64() ^ 1) }
	for _, c := range []struct {
		what    string
		seg     int
		f       func(s *chipinput.State)
		segment string
		by      string
	}{
		// The STARK's end state (end[i]) is the first segment's public value.
		{"the first segment's sponge state edited", 0, func(s *chipinput.State) { flip(&s.Sponge[3]) }, "segment 0", "stark"},
		// The carried block the next segment reads word 1 from: carry_out.
		{"the first segment's carried block edited", 0, func(s *chipinput.State) { flip(&s.Carry[2]) }, "segment 0", "stark"},
		// The final state's rate is the claim's digest: refused before the STARK.
		{"the final segment's rate edited", 1, func(s *chipinput.State) { flip(&s.Sponge[0]) }, "segment 1", "input digest"},
		// Its capacity is no part of the digest: the STARK's end state refuses it.
		{"the final segment's capacity edited", 1, func(s *chipinput.State) { flip(&s.Sponge[12]) }, "segment 1", "stark"},
	} {
		rejected(t, pv.verify(e.st, edit(c.seg, c.f)...), c.what, c.segment, c.by)
	}
}
