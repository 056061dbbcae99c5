package machine

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// FuzzDecodeSegmentProof: the decoder of untrusted segment proofs never panics, and what
// it accepts re-encodes to the same bytes with a well-formed touched-word list.
func FuzzDecodeSegmentProof(f *testing.F) {
	hs := hook.IV()
	hook.Absorb(&hs, hook.Entry{Number: 0x100, B: 1, A: 2})
	st := SegmentState{Cycles: 3, ExitPC: 2, ExitFP: 0x1000, InEnd: 4, OutEnd: 1, HookEnd: 1, HookState: hs,
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
	s := hook.IV()
	hook.Absorb(&s, hook.Entry{Number: 0x100, B: 1, A: 2})
	f.Add(Boundary{InputLen: 1, InStart: 1, HookStart: 1, HookState: s, Input: []byte{9}}.Encode())
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

// TestDecodeBoundaryHookState: a boundary round-trips its hook count and state, and a
// state element at or past the modulus is refused (it would name another element).
func TestDecodeBoundaryHookState(t *testing.T) {
	s := hook.IV()
	hook.Absorb(&s, hook.Entry{Number: 0x100, B: 1, A: 2})
	bd := Boundary{InputLen: 2, InStart: 0, HookStart: 3, HookState: s, Input: []byte{1, 2}}
	b := bd.Encode()
	got, err := DecodeBoundary(b)
	if err != nil || got.HookStart != 3 || got.HookState != s {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	o := 17 + hash.DigestByteSize + 4*5                   // element 5 of the state
	b[o], b[o+1], b[o+2], b[o+3] = 0x01, 0x00, 0x00, 0x7f // p = 0x7f000001
	if _, err := DecodeBoundary(b); err == nil || !strings.Contains(err.Error(), "hook state element 5") {
		t.Fatalf("a state element equal to p: %v", err)
	}
}
