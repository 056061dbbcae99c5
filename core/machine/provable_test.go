package machine

import (
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/stark"
)

// TestOutputLongerThanCyclesAllowRefused: output_len is a field element, and each cycle
// writes at most 4 bytes, so a statement claiming more output than 4 bytes per cycle is
// refused by the prover and the verifier alike (the audit's hardening of output_len < p).
func TestOutputLongerThanCyclesAllowRefused(t *testing.T) {
	r := newRun(t, ".fp 0x1000\nmain: mov [8], 0x41424344\n ecall write, [8], 4\n halt 0\n", nil)
	proof := r.prove(t)
	st := *r.st
	st.Output = make([]byte, 4*st.Cycles+1)
	if err := Provable(&st); err == nil || !strings.Contains(err.Error(), "4 per cycle") {
		t.Fatalf("%d bytes of output from %d cycles: %v", len(st.Output), st.Cycles, err)
	}
	if err := r.m.Verify(r.keys.VK, &st, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("the verifier accepted %d bytes of output from %d cycles: %v", len(st.Output), st.Cycles, err)
	}
}

// TestSecurityOfMalformedProof: a proof whose table heights do not fit the tables has
// no security accounting (an error naming the mismatch, never a panic).
func TestSecurityOfMalformedProof(t *testing.T) {
	r := newRun(t, ".fp 0x1000\nmain: halt 0\n", nil)
	proof := r.prove(t)
	if _, err := r.m.Security(r.keys.VK, r.st, proof); err != nil {
		t.Fatalf("an honest proof: %v", err)
	}
	short := *proof.Proof
	short.LogN = proof.Proof.LogN[:len(proof.Proof.LogN)-1]
	if _, err := r.m.Security(r.keys.VK, r.st, &SegmentProof{State: proof.State, Proof: &short}); err == nil || !strings.Contains(err.Error(), "table heights") {
		t.Fatalf("a proof with a height missing: %v", err)
	}
	tall := *proof.Proof
	tall.LogN = append([]int(nil), proof.Proof.LogN...)
	tall.LogN[0] = 40
	if _, err := r.m.Security(r.keys.VK, r.st, &SegmentProof{State: proof.State, Proof: &tall}); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Fatalf("a proof with a height of 2^40: %v", err)
	}
}
