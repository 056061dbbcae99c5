package machine

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// TestCovered: a linker that verified a run's segments from their encodings covers
// exactly that verification — and nothing that differs from it in the proof bytes,
// their order or number, the statement's output, exit, cycles, input or context, the
// verifying engine's floors, or a segment verified from a decoded proof.
func TestCovered(t *testing.T) {
	sr := newSegRun(t, []byte{1, 2, 3, 4, 5, 6, 7, 8}, 50)
	r := sr.r
	if len(sr.segs) < 2 {
		t.Fatalf("%d segments: the test needs two", len(sr.segs))
	}
	enc := make([][]byte, len(sr.segs))
	for i, sp := range sr.segs {
		enc[i] = sp.Encode()
	}
	link := func(t *testing.T) *Linker {
		t.Helper()
		l := r.m.NewLinker(r.keys.VK, r.st.Program, r.st.InputLen, r.st.InputDigest, r.st.Context)
		off := uint32(0)
		for i, b := range enc {
			end := sr.segs[i].State.OutEnd
			if _, err := l.VerifyEncoded(b, r.st.Output[off:end], r.st.Status, r.st.ExitCode); err != nil {
				t.Fatalf("segment %d: %v", i, err)
			}
			off = end
		}
		return l
	}
	l := link(t)
	if !r.m.Covered(l, r.keys.VK, r.st, enc) {
		t.Fatal("the linker does not cover the verification it made")
	}
	st := *r.st
	st.Input = nil // what a verifier knows
	if !r.m.Covered(l, r.keys.VK, &st, enc) {
		t.Fatal("the verifier's statement (no input) is not covered")
	}
	flipped := append([][]byte(nil), enc...)
	flipped[1] = append([]byte(nil), enc[1]...)
	flipped[1][len(flipped[1])/2] ^= 1
	swapped := append([][]byte(nil), enc...)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	edit := func(f func(*Statement)) *Statement { s := *r.st; f(&s); return &s }
	weak, err := hemera.New(hemera.Params{FRI: r.m.Engine().Params().FRI, MinSecurityBits: 120})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what   string
		m      *Machine
		st     *Statement
		proofs [][]byte
	}{
		{"a flipped proof byte", r.m, r.st, flipped},
		{"two segments swapped", r.m, r.st, swapped},
		{"a segment dropped", r.m, r.st, enc[:len(enc)-1]},
		{"another output byte", r.m, edit(func(s *Statement) { s.Output = append([]byte{s.Output[0] ^ 1}, s.Output[1:]...) }), enc},
		{"another exit code", r.m, edit(func(s *Statement) { s.ExitCode++ }), enc},
		{"another cycle count", r.m, edit(func(s *Statement) { s.Cycles++ }), enc},
		{"another input length", r.m, edit(func(s *Statement) { s.InputLen++ }), enc},
		{"another input digest", r.m, edit(func(s *Statement) { s.InputDigest[0].SetUint64(7) }), enc},
		{"another context", r.m, edit(func(s *Statement) { s.Context[3].SetUint64(9) }), enc},
		{"a verifier with a higher floor", New(weak), r.st, enc},
	} {
		if c.m.Covered(l, r.keys.VK, c.st, c.proofs) {
			t.Errorf("%s: covered", c.what)
		}
	}
	// A segment verified from its decoded proof: the linker cannot say which bytes.
	l2 := r.m.NewLinker(r.keys.VK, r.st.Program, r.st.InputLen, r.st.InputDigest, r.st.Context)
	if err := l2.verifyAll(r.st, sr.segs); err != nil {
		t.Fatal(err)
	}
	if r.m.Covered(l2, r.keys.VK, r.st, enc) {
		t.Error("a linker that verified decoded proofs covers their encodings")
	}
	if r.m.Covered(nil, r.keys.VK, r.st, enc) {
		t.Error("no linker covers")
	}
}
