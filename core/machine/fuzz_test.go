package machine

import (
	"bytes"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// FuzzDecodeSegmentProof: the decoder of untrusted segment proofs never panics, and what
// it accepts re-encodes to the same bytes with a well-formed touched-word list.
func FuzzDecodeSegmentProof(f *testing.F) {
	st := SegmentState{Cycles: 3, ExitPC: 2, ExitFP: 0x1000, InEnd: 4, OutEnd: 1,
		Touched: []TouchedWord{{Addr: 5, Value: 7}, {Addr: 1 << 20, Value: 1}, {Addr: 1<<30 - 1, Value: 0xffffffff}}}
	f.Add((&SegmentProof{State: st, Proof: &stark.Proof{}}).Encode())
	f.Add([]byte{segmentVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		sp, err := DecodeSegmentProof(b)
		if err != nil {
			return
		}
		for i, w := range sp.State.Touched {
			if w.Addr >= 1<<30 || (i > 0 && w.Addr <= sp.State.Touched[i-1].Addr) {
				t.Fatalf("accepted touched word %d at %d", i, w.Addr)
			}
		}
		if enc := sp.Encode(); !bytes.Equal(enc, b) {
			// Varints have one canonical form only when minimal; accept any other
			// form only if it decodes to the same state.
			again, err := DecodeSegmentProof(enc)
			if err != nil || len(again.State.Touched) != len(sp.State.Touched) {
				t.Fatalf("re-encoding does not decode: %v", err)
			}
		}
	})
}

// FuzzDecodeBoundary: the backend's decoder of the segment boundary never panics, and
// what it accepts round-trips.
func FuzzDecodeBoundary(f *testing.F) {
	f.Add(Boundary{InputLen: 3, Context: hash.Tagged("x", nil), InStart: 1, OutStart: 9, Input: []byte{1, 2, 3}}.Encode())
	f.Add([]byte{boundaryVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		bd, err := DecodeBoundary(b)
		if err != nil {
			return
		}
		if bd.InStart > bd.InputLen || !bytes.Equal(bd.Encode(), b) {
			t.Fatalf("accepted %x as %+v", b, bd)
		}
	})
}
