package hook

// Further cheating provers (review of the hook table): each keeps the witness as
// consistent as it can and names the constraint that must catch it, beside the
// verifier's rejection (chiptest.MustReject).

import (
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// mustCatch asserts that airtest names the constraint want among the witness's
// failures, then that the verifier rejects the proof.
func mustCatch(t *testing.T, what, want string, tb []chiptest.Table, m []lookup.Message) {
	t.Helper()
	err := chiptest.Check(tb, m)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: airtest does not name %s: %v", what, want, err)
	}
	chiptest.MustReject(t, what, tb, m)
}

// Two calls at one clk (a collision): the gap clk_next − clk − 1 is −1, which no
// (U16, U12) pair makes. A table that only required clk_next ≥ clk would let a
// forged log repeat one call. Every constraint holds (the gaps are set to match the
// clks); only the range lookups of the gap can refuse it.
func TestForgeClkCollision(t *testing.T) {
	ev := calls()
	sent := calls()
	sent[1].Clk = sent[0].Clk
	for _, split := range []struct {
		name   string
		lo, hi field.Elem
	}{
		{"lo = −1", field.NewInt(-1), field.New(0)},
		{"lo = 0, hi = (p − 1)/2^16", field.New(0), field.New((field.Modulus - 1) >> 16)},
	} {
		tb, m := forged(t, ev, func(main [][]field.Elem) {
			main[col.Clk.Index][1] = main[col.Clk.Index][0]
			main[col.DClkLo.Index][0], main[col.DClkHi.Index][0] = split.lo, split.hi
			gap := ev[2].Clk - ev[0].Clk - 1 // row 1 → row 2, from the moved clk
			main[col.DClkLo.Index][1], main[col.DClkHi.Index][1] = field.New(gap&0xffff), field.New(gap>>16)
		}, cpuSends(sent), 3, nil)
		if err := chiptest.Check(tb, m); err == nil || strings.Contains(err.Error(), "clk_increasing") {
			t.Errorf("%s: want only the gap's range lookup to fail: %v", split.name, err)
		}
		chiptest.MustReject(t, "two hook calls at one clk, gap "+split.name, tb, m)
	}
}

// A call hidden after the final row: the table absorbs the first two calls into the
// sponge (count 2, their end state), and a padding row after the final row receives
// the CPU's third Syscall message, so the Syscall bus closes while the sponge and
// the claimed count leave the call out. Real rows must be a prefix.
func TestForgeCallAfterFinal(t *testing.T) {
	ev := calls()
	rc := new(rangetable.Counter)
	main, perms, end := Trace(ev[:2], start(), rc) // rows 0, 1 real, 2 final, 3 padding
	const h = 8
	for c := range main {
		main[c] = append(main[c], make([]field.Elem, h-len(main[c]))...)
	}
	for r := range h {
		main[col.K.Index][r] = field.New(uint64(r))
	}
	hidden := 4
	e := ev[2]
	set := func(c int, v uint64) { main[c][hidden] = field.New(v) }
	set(col.Real.Index, 1)
	set(col.Clk.Index, e.Clk)
	set(col.Number.Index, uint64(e.Number))
	set(col.ALo.Index, uint64(e.A&0xffff))
	set(col.AHi.Index, uint64(e.A>>16))
	set(col.BLo.Index, uint64(e.B&0xffff))
	set(col.BHi.Index, uint64(e.B>>16))
	rc.U16(0)
	rc.U12(0)
	rc.U16(e.Number - isa.FirstHook)
	rc.U16(e.A & 0xffff)
	rc.U16(e.A >> 16)
	// Its absorb goes to a permutation of its own; the hidden row's state (zero) plus
	// its block is that permutation's input.
	var in State
	b := Entry{Number: e.Number, B: e.B, A: e.A}.Block()
	for i := range b {
		in[i] = b[i]
	}
	perms = append(perms, poseidon2.Call{Dom: poseidon2.DomHook, ID: uint32(hidden + 1), In: in})
	tb := []chiptest.Table{{AIR: AIR(), Main: main}, {AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)}, chiptest.RangeTable(rc)}
	m := append(cpuSends(ev), Messages(start(), 2, end)...)
	mustCatch(t, "a hook call received after the final row, out of the sponge", "real_prefix", tb, m)
}

// The final row moved down: the honest final row (after the last call) is marked
// padding and a later row claims to be final with a state of the forger's choice
// (the end of a log with other answers), sent on HookEnd with the count the
// verifier expects. Exactly the row after the last real row is final.
func TestForgeFinalRowMoved(t *testing.T) {
	ev := calls()
	rc := new(rangetable.Counter)
	main, perms, _ := Trace(ev, start(), rc) // rows 0–2 real, 3 final: height 4
	const h = 8
	for c := range main {
		main[c] = append(main[c], make([]field.Elem, h-len(main[c]))...)
	}
	for r := range h {
		main[col.K.Index][r] = field.New(uint64(r))
	}
	other := calls()
	other[2].A = 7
	_, _, fake := witness(other)
	n := len(ev)
	main[col.Final.Index][n] = field.New(0)
	for i := range fake {
		main[col.State[i].Index][n] = field.Elem{}
		main[col.State[i].Index][n+1] = fake[i]
	}
	main[col.Final.Index][n+1] = field.New(1)
	main[col.K.Index][n+1] = field.New(uint64(n)) // the count the verifier expects
	tb := []chiptest.Table{{AIR: AIR(), Main: main}, {AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)}, chiptest.RangeTable(rc)}
	m := append(cpuSends(ev), Messages(start(), uint32(n), fake)...)
	mustCatch(t, "the final row moved past a padding row", "final_next", tb, m)
}

// The hook domain borrowed by another caller: a permutation answered in the input
// domain (DomInput) cannot stand for one of the hook sponge's, so a state the hook
// table receives as permutation k's output must come from a DomHook row. Here the
// poseidon2 row of the second call is filed under DomInput.
func TestForgeOtherDomain(t *testing.T) {
	ev := calls()
	rc := new(rangetable.Counter)
	main, perms, end := Trace(ev, start(), rc)
	perms[1].Dom = poseidon2.DomInput
	tb := []chiptest.Table{{AIR: AIR(), Main: main}, {AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)}, chiptest.RangeTable(rc)}
	chiptest.MustReject(t, "a hook permutation answered in the input's domain", tb, append(cpuSends(ev), Messages(start(), 3, end)...))
}
