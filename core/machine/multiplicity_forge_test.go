package machine

// Cheating provers against the multiplicities the audit (multiplicity_audit_test.go)
// cannot prove boolean from the per-row constraints alone.

import (
	"context"
	"fmt"
	"testing"

	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// TestInputHalfLimbMultiplicityForged: the input table's half_range send (the U8 check
// that the limb holding an odd input's last byte has a zero upper byte) has multiplicity
// last, which only transition and last-row constraints fix (last = absorb − absorb_next,
// 0 on the last row). The cheater claims a 1-byte input whose tape limb is 0x1234 — two
// bytes, the digest of no 1-byte input — and un-sends the failing U8 check with a second
// send of 0x1234 at multiplicity last = −1 on the final row (whose limbs are absorbed
// nowhere). The sponge, the poseidon2 table and the statement's digest are recomputed
// over the forged limb, the range table's counts follow the forged limbs: every bus
// balances. last_last (last = 0 on the last row) rejects it; without it the forgery
// verifies, so the audit's argument for last is what protects the input binding.
func TestInputHalfLimbMultiplicityForged(t *testing.T) {
	const forgedLimb = 0x1234
	in := []byte{0x34}
	p := assemble(t, noRead)
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	// The forged sponge: IV(1) + (0x1234, 0, …), permuted once (permutation 2: the
	// verifier's start state is permutation 1's output).
	s := chipinput.IV(1)
	limb := field.New(forgedLimb)
	s[0].Add(&s[0], &limb)
	call := poseidon2.Call{Dom: poseidon2.DomInput, ID: 2, In: s}
	hash.Permute(&s)
	var digest hash.Digest
	copy(digest[:], s[:hash.DigestLen])
	if digest == chipinput.Digest(in) {
		t.Fatal("the forged digest is the honest one")
	}
	forged := chipinput.State{Sponge: s}
	forged.Carry[0] = limb
	st := StatementOf(p, res, in)
	st.InputDigest = digest
	st.Input = nil // the verifier's statement; the tables are built from in (alter)
	// The poseidon2 table answers the memtree's permutations too (after the input's):
	// the honest ones, for the run's memory.
	mem, err := ImageTree(p)
	if err != nil {
		t.Fatal(err)
	}
	var touched []memtree.Touch
	for _, w := range collect(p, recs).mem.Words() {
		touched = append(touched, memtree.Touch{Addr: w.Addr, Value: w.Final})
	}
	mw, err := mem.Apply(touched)
	if err != nil {
		t.Fatal(err)
	}
	_, _, mcalls := memtree.Trace(mw, new(rangetable.Counter))
	p2 := poseidon2.Trace(append([]poseidon2.Call{call}, mcalls...))
	patch := func(tb string, a *air.AIR, cols [][]field.Elem) {
		switch tb {
		case "input":
			if len(cols[0]) != 4 {
				t.Fatalf("the input table has %d rows, want 4 (carry, absorb, final, padding)", len(cols[0]))
			}
			lo0 := column(t, a, "lo[0]")
			cols[lo0][1] = limb // the absorbed limb: two bytes
			cols[lo0][3] = limb // the padding row's copy, sent with −1
			cols[column(t, a, "last")][3] = field.NewInt(-1)
			for i := range hash.Width {
				cols[column(t, a, fmt.Sprintf("state[%d]", i))][2] = s[i]
			}
		case "poseidon2":
			if len(cols[0]) != len(p2[0]) {
				t.Fatalf("poseidon2 table: %d rows, the forged one %d", len(cols[0]), len(p2[0]))
			}
			for i := range cols {
				copy(cols[i], p2[i])
			}
		case "range":
			uncount(t, tb, a, cols, "m16", 0x34, -1)      // row 0's honest limb
			uncount(t, tb, a, cols, "m16", 0, -1)         // row 3's honest limb
			uncount(t, tb, a, cols, "m16", forgedLimb, 2) // both forged limbs
			uncount(t, tb, a, cols, "m8", 0x34, -1)       // the honest half limb's U8 check
		}
	}
	f := &forgery{prog: p, st: st, recs: recs, patch: patch, alter: func(ev *events) { ev.input = in },
		view: func(v *segmentView) { v.state.InState = forged }}
	f.mustReject(t, "a 1-byte input whose limb holds two bytes, its U8 check un-sent by last = −1")
	f.mustPassWithout(t, "the same without last_last", []check{{"input", []string{"last_last"}}}, nil)
}
