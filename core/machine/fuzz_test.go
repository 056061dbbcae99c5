package machine

import (
	"bytes"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// FuzzDecodeSegmentProof: the decoder of untrusted segment proofs never panics, and what
// it accepts re-encodes to the same bytes (every field fixed-size, every element
// canonical).
func FuzzDecodeSegmentProof(f *testing.F) {
	hs := hook.IV()
	hook.Absorb(&hs, hook.Entry{Number: 0x100, B: 1, A: 2})
	st := SegmentState{Cycles: 3, ExitPC: 2, ExitFP: 0x1000, InEnd: 4, OutEnd: 1, HookEnd: 1, HookState: hs,
		MemRoot: hash.Tagged("test/root", nil), OutState: output.Absorb(output.IV(), 0, []byte("x")),
		InState: chipinput.Advance([]byte("input"), chipinput.Start(5), 0, 1)}
	f.Add((&SegmentProof{State: st, Proof: &stark.Proof{}}).Encode())
	f.Add([]byte{segmentVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		sp, err := DecodeSegmentProof(b)
		if err != nil {
			return
		}
		if enc := sp.Encode(); !bytes.Equal(enc, b) {
			again, err := DecodeSegmentProof(enc)
			if err != nil || again.State != sp.State {
				t.Fatalf("re-encoding does not decode to the same state: %v", err)
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
	f.Add(Boundary{InputLen: 1, Memory: []memtree.Touch{{Addr: 3, Value: 7}, {Addr: 1<<30 - 1, Value: 1}}, Input: []byte{9}}.Encode())
	f.Add(Boundary{InputLen: 1, OutStart: 17, OutState: output.Absorb(output.IV(), 0, make([]byte, 17)), Input: []byte{9}}.Encode())
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

// TestDecodeBoundaryMemory: a boundary round-trips the memory where its segment starts,
// and refuses its words out of order, repeated or at addresses not below 2^30, and a
// word count its bytes do not hold.
func TestDecodeBoundaryMemory(t *testing.T) {
	mem := []memtree.Touch{{Addr: 3, Value: 7}, {Addr: 0x8000, Value: 0}, {Addr: 1<<30 - 1, Value: 0xffffffff}}
	bd := Boundary{InputLen: 2, Memory: mem, Input: []byte{1, 2}}
	got, err := DecodeBoundary(bd.Encode())
	if err != nil || !slices.Equal(got.Memory, mem) || !bytes.Equal(got.Input, bd.Input) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for what, ws := range map[string][]memtree.Touch{
		"a repeated address":   {{Addr: 3}, {Addr: 3}},
		"a decreasing address": {{Addr: 4}, {Addr: 3}},
		"an address of 2^30":   {{Addr: 1 << 30}},
	} {
		if _, err := DecodeBoundary(Boundary{Memory: ws}.Encode()); err == nil {
			t.Fatalf("%s: decoded", what)
		}
	}
	b := bd.Encode()
	b[boundaryHead-4]++ // one word more than the bytes hold (the input's 2 bytes are not 8)
	if _, err := DecodeBoundary(b); err == nil {
		t.Fatal("a word count past the bytes: decoded")
	}
	if _, err := DecodeMemory(EncodeMemory(mem)); err != nil {
		t.Fatal(err)
	}
}

// TestDecodeSegmentProofRoot: a segment proof's final memory root round-trips, and an
// element of it at or past the modulus is refused (it would name another digest).
func TestDecodeSegmentProofRoot(t *testing.T) {
	st := SegmentState{Cycles: 3, HookState: hook.IV(), MemRoot: hash.Tagged("test/root", nil)}
	b := (&SegmentProof{State: st, Proof: &stark.Proof{}}).Encode()
	const o = 1 + 8 + 1 + 4*4 + 4 + 4*16 // version, cycles, flags, exit pc, exit fp, in end, out end, hook end, hook state
	for k := range hash.DigestLen {
		m := bytes.Clone(b)
		m[o+4*k], m[o+4*k+1], m[o+4*k+2], m[o+4*k+3] = 0x01, 0x00, 0x00, 0x7f // p = 0x7f000001
		if _, err := DecodeSegmentProof(m); err == nil {
			t.Fatalf("root element %d equal to p: decoded", k)
		}
	}
	if _, err := DecodeSegmentProof(b[:o+4*hash.DigestLen-1]); err == nil {
		t.Fatal("a truncated root: decoded")
	}
}

// TestDecodeSegmentProofOutState: a segment proof's output sponge state round-trips, and
// an element of it at or past the modulus is refused (it would name another state), as
// is a state cut short.
func TestDecodeSegmentProofOutState(t *testing.T) {
	out := output.Absorb(output.IV(), 0, []byte("the output, 20 bytes"))
	st := SegmentState{Cycles: 3, OutEnd: 20, HookState: hook.IV(), MemRoot: hash.Tagged("test/root", nil), OutState: out}
	b := (&SegmentProof{State: st, Proof: &stark.Proof{}}).Encode()
	got, err := DecodeSegmentProof(b)
	if err != nil || got.State != st {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	const o = 1 + 8 + 1 + 4*4 + 4 + 4*16 + 4*hash.DigestLen // … hook state, memory root
	for k := range len(out) {
		m := bytes.Clone(b)
		m[o+4*k], m[o+4*k+1], m[o+4*k+2], m[o+4*k+3] = 0x01, 0x00, 0x00, 0x7f // p = 0x7f000001
		if _, err := DecodeSegmentProof(m); err == nil {
			t.Fatalf("output state element %d equal to p: decoded", k)
		}
		m[o+4*k+3] = 0xff // 2^32 − 2^24 + 1 > p
		if _, err := DecodeSegmentProof(m); err == nil {
			t.Fatalf("output state element %d above p: decoded", k)
		}
	}
	if _, err := DecodeSegmentProof(b[:o+4*len(out)-1]); err == nil {
		t.Fatal("a truncated output state: decoded")
	}
}

// TestDecodeSegmentProofInState: a segment proof's input sponge state (16 elements
// and the 8 carried limbs, after the output state) round-trips, and an element at or
// past the modulus is refused, as is a state cut short.
func TestDecodeSegmentProofInState(t *testing.T) {
	in := []byte("an input of 20 bytes")
	st := SegmentState{Cycles: 3, InEnd: 20, HookState: hook.IV(), MemRoot: hash.Tagged("test/root", nil), OutState: output.IV(),
		InState: chipinput.At(in, 20)}
	b := (&SegmentProof{State: st, Proof: &stark.Proof{}}).Encode()
	got, err := DecodeSegmentProof(b)
	if err != nil || got.State != st {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	const o = 1 + 8 + 1 + 4*4 + 4 + 4*16 + 4*hash.DigestLen + 4*16 // … memory root, output state
	const n = 16 + 8
	for k := range n {
		m := bytes.Clone(b)
		m[o+4*k], m[o+4*k+1], m[o+4*k+2], m[o+4*k+3] = 0x01, 0x00, 0x00, 0x7f // p
		if _, err := DecodeSegmentProof(m); err == nil {
			t.Fatalf("input state element %d equal to p: decoded", k)
		}
	}
	if _, err := DecodeSegmentProof(b[:o+4*n-1]); err == nil {
		t.Fatal("a truncated input state: decoded")
	}
}

// TestDecodeBoundaryOutState: a boundary round-trips the output sponge's state where its
// segment starts, and refuses a state element at or past the modulus.
func TestDecodeBoundaryOutState(t *testing.T) {
	s := output.Absorb(output.IV(), 0, []byte("seventeen bytes!!"))
	bd := Boundary{InputLen: 2, OutStart: 17, OutState: s, Input: []byte{1, 2}}
	b := bd.Encode()
	got, err := DecodeBoundary(b)
	if err != nil || got.OutStart != 17 || got.OutState != s || !bytes.Equal(got.Input, bd.Input) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	o := 17 + hash.DigestByteSize + 4*16 + 4*3            // element 3 of the output state, after the hook state
	b[o], b[o+1], b[o+2], b[o+3] = 0x01, 0x00, 0x00, 0x7f // p = 0x7f000001
	if _, err := DecodeBoundary(b); err == nil || !strings.Contains(err.Error(), "output state element 3") {
		t.Fatalf("an output state element equal to p: %v", err)
	}
}
