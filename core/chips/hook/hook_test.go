package hook

// A valid hook table proves; each cheating prover below keeps every other bus balanced
// and the tables consistent where it can, and names what rejects it.

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// calls are three hook calls at increasing clks (one answer with both limbs set).
func calls() []bus.SyscallEvent {
	return []bus.SyscallEvent{
		{Clk: 3, Number: isa.FirstHook, A: 0xdeadbeef, B: 7},
		{Clk: 4, Number: isa.FirstHook + 1, A: 0, B: 0x12345678},
		{Clk: 70000, Number: 0xffff, A: 0xffffffff, B: 0xffffffff},
	}
}

// cpuSends are the CPU's Syscall messages for the events (what the table must receive).
func cpuSends(ev []bus.SyscallEvent) []lookup.Message {
	var m []lookup.Message
	for _, e := range ev {
		m = append(m, lookup.Message{Bus: bus.Syscall.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{
			field.New(e.Clk), field.New(uint64(e.Number)),
			field.New(uint64(e.A & 0xffff)), field.New(uint64(e.A >> 16)),
			field.New(uint64(e.B & 0xffff)), field.New(uint64(e.B >> 16))}})
	}
	return m
}

// start is a sponge state in the middle of a run (IV after one call).
func start() State {
	s := IV()
	Absorb(&s, Entry{Number: 0x101, B: 1, A: 2})
	return s
}

// witness builds the hook, poseidon2 and range tables of the events from start, with
// the publics of the honest end state, and the verifier's messages.
func witness(ev []bus.SyscallEvent) ([]chiptest.Table, []lookup.Message, State) {
	rc := new(rangetable.Counter)
	main, perms, end := Trace(ev, start(), rc)
	tb := []chiptest.Table{
		{AIR: AIR(), Main: main},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)},
		chiptest.RangeTable(rc),
	}
	return tb, append(cpuSends(ev), Messages(start(), uint32(len(ev)), end)...), end
}

func TestWidth(t *testing.T) {
	a := AIR()
	if len(a.Main) != Width || len(a.Publics) != 0 {
		t.Fatalf("AIR has %d main columns and %d publics; Width %d, no publics", len(a.Main), len(a.Publics), Width)
	}
	if d := a.MaxConstraintDegree(); d > 3 {
		t.Fatalf("constraint degree %d", d)
	}
}

// The sponge by its definition (an independent reading of the doc).
func TestDigestDefinition(t *testing.T) {
	log := []Entry{{0x100, 1, 2}, {0x1ff, 0xffffffff, 0x80000001}}
	var s [hash.Width]field.Elem
	s[8] = field.New(0x312f6b68)
	for _, e := range log {
		lim := []uint64{uint64(e.Number), uint64(e.B & 0xffff), uint64(e.B >> 16), uint64(e.A & 0xffff), uint64(e.A >> 16)}
		for i, v := range lim {
			x := field.New(v)
			s[i].Add(&s[i], &x)
		}
		hash.Permute(&s)
	}
	var want hash.Digest
	copy(want[:], s[:8])
	if got := LogDigest(log); got != want {
		t.Fatalf("LogDigest = %v, want %v", got, want)
	}
	if LogDigest(log[:1]) == want || LogDigest([]Entry{log[1], log[0]}) == want {
		t.Fatal("the digest ignores an entry or the order")
	}
}

func TestProve(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		tb, m, _ := witness(calls()[:n])
		chiptest.MustProve(t, tb, m)
	}
}

// forged is a witness whose real rows the forger edits (edit gets the main columns):
// the sponge states, the poseidon2 calls and the range lookups are then rebuilt from
// the edited rows, so the table stays consistent with itself. The verifier's messages are sends (the CPU's) and the messages for n
// calls ending at end (nil: the state the rebuilt table ends at).
func forged(t *testing.T, ev []bus.SyscallEvent, edit func(main [][]field.Elem), sends []lookup.Message, n uint32, end *State) ([]chiptest.Table, []lookup.Message) {
	t.Helper()
	main, _, _ := Trace(ev, start(), new(rangetable.Counter))
	edit(main)
	get := func(c air.Column, r int) uint64 { return main[c.Index][r].Uint64() }
	rc := new(rangetable.Counter)
	var perms []poseidon2.Call
	s := start()
	r := 0
	for ; main[col.Real.Index][r].IsOne(); r++ {
		for i := range s {
			main[col.State[i].Index][r] = s[i]
		}
		blk := []uint64{get(col.Number, r), get(col.BLo, r), get(col.BHi, r), get(col.ALo, r), get(col.AHi, r)}
		for i, v := range blk {
			x := field.New(v)
			s[i].Add(&s[i], &x)
		}
		perms = append(perms, poseidon2.Call{Dom: poseidon2.DomHook, ID: uint32(r + 1), In: s})
		hash.Permute(&s)
		// Count the lookups that are in range: one out of range has no entry to count.
		for _, v := range []uint64{get(col.DClkLo, r), get(col.Number, r) - uint64(isa.FirstHook), get(col.ALo, r), get(col.AHi, r)} {
			if v < 1<<16 {
				rc.U16(uint32(v))
			}
		}
		if v := get(col.DClkHi, r); v < 1<<12 {
			rc.U12(uint32(v))
		}
	}
	for i := range s {
		main[col.State[i].Index][r] = s[i]
	}
	if end == nil {
		end = &s
	}
	tb := []chiptest.Table{{AIR: AIR(), Main: main}, {AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)}, chiptest.RangeTable(rc)}
	return tb, append(sends, Messages(start(), n, *end)...)
}

// The forger's edits keep a valid witness valid when they change nothing.
func TestForgedHelperHonest(t *testing.T) {
	ev := calls()
	tb, m := forged(t, ev, func([][]field.Elem) {}, cpuSends(ev), 3, nil)
	chiptest.MustProve(t, tb, m)
}

// A false answer: the CPU wrote 0xdeadbeef to [a] (its Syscall message), the table
// absorbed another answer (and the verifier's end state is the false log's, so the
// sponge and the digest are consistent with it). The Syscall bus does not close.
func TestForgeAnswerNotWritten(t *testing.T) {
	ev := calls()
	tb, m := forged(t, ev, func(main [][]field.Elem) { main[col.ALo.Index][0] = field.New(0xbeee) }, cpuSends(ev), 3, nil)
	chiptest.MustReject(t, "the table absorbs an answer the CPU did not write", tb, m)
}

// A false answer with the Syscall bus balanced (the CPU wrote it, so the run really had
// it) but the claimed end state (hence the claim's digest) the honest log's.
func TestForgeEndNotClaimed(t *testing.T) {
	_, _, want := witness(calls())
	ev := calls()
	ev[1].A = 99
	tb, m := forged(t, ev, func([][]field.Elem) {}, cpuSends(ev), 3, &want)
	chiptest.MustReject(t, "a log whose end state is not the claimed one", tb, m)
}

// The final row's state forged to the claimed end, skipping the last permutation: its
// receive has no sender (the poseidon2 table answers the true input).
func TestForgeFinalStateNotPermuted(t *testing.T) {
	ev := calls()
	tb, _, _ := witness(ev)
	_, _, other := witness(ev[:2])
	for i := range other {
		tb[0].Main[col.State[i].Index][len(ev)] = other[i]
	}
	chiptest.MustReject(t, "a final state that is not the permutation of the last row", tb,
		append(cpuSends(ev), Messages(start(), 3, other)...))
}

// Another run's start: the table starts from a state the verifier did not send.
func TestForgeOtherStart(t *testing.T) {
	ev := calls()
	rc := new(rangetable.Counter)
	main, perms, end := Trace(ev, IV(), rc)
	tb := []chiptest.Table{{AIR: AIR(), Main: main}, {AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)}, chiptest.RangeTable(rc)}
	chiptest.MustReject(t, "a segment absorbed from another start state", tb, append(cpuSends(ev), Messages(start(), 3, end)...))
}

// A core syscall answered from the host log: a READ (number 1) received here instead of
// by the I/O chip. number − FirstHook is not a 16-bit value.
func TestForgeCoreSyscallAsHook(t *testing.T) {
	ev := calls()
	sent := calls()
	sent[1].Number = isa.SysRead
	tb, m := forged(t, ev, func(main [][]field.Elem) { main[col.Number.Index][1] = field.New(uint64(isa.SysRead)) }, cpuSends(sent), 3, nil)
	chiptest.MustReject(t, "a READ answered by the hook table", tb, m)
}

// Two calls absorbed out of execution order (the log reordered): clk must increase.
func TestForgeReordered(t *testing.T) {
	ev := calls()
	swapped := []bus.SyscallEvent{ev[1], ev[0], ev[2]}
	tb, m := forged(t, ev, func(main [][]field.Elem) {
		for _, c := range []air.Column{col.Clk, col.Number, col.ALo, col.AHi, col.BLo, col.BHi} {
			main[c.Index][0], main[c.Index][1] = main[c.Index][1], main[c.Index][0]
		}
		// The gap that would make clk 4 → 3 → 70000 "increase": 3 − 4 − 1 wraps.
		main[col.DClkLo.Index][0] = field.NewInt(-2)
		main[col.DClkHi.Index][0] = field.New(0)
	}, cpuSends(swapped), 3, nil)
	chiptest.MustReject(t, "hook calls absorbed out of clk order", tb, m)
}

// A call left out of the log: the table holds two of the three calls and claims two.
func TestForgeCallLeftOut(t *testing.T) {
	ev := calls()
	tb, m, _ := witness(ev[:2])
	m = append(m, cpuSends(ev[2:])...)
	chiptest.MustReject(t, "a hook call the log leaves out", tb, m)
}

// The count claims fewer calls than the table's real rows, with the state after those:
// the final row sends (3, end₃), the verifier receives (2, end₂).
func TestForgeCountShort(t *testing.T) {
	ev := calls()
	tb, _, _ := witness(ev)
	_, _, mid := witness(ev[:2])
	chiptest.MustReject(t, "a count below the real rows", tb, append(cpuSends(ev), Messages(start(), 2, mid)...))
}

// A non-canonical answer: a_lo = lo + 2^16, a_hi = hi − 1 names the same field value
// lo + 2^16·hi but another block (so another log could share a digest with a forged
// encoding); the U16 lookup refuses it.
func TestForgeNonCanonicalAnswer(t *testing.T) {
	ev := calls()
	sends := cpuSends(ev)
	lo, hi := field.New(0xbeef+1<<16), field.New(0xdead-1)
	sends[0].Tuple[2], sends[0].Tuple[3] = lo, hi
	tb, m := forged(t, ev, func(main [][]field.Elem) {
		main[col.ALo.Index][0], main[col.AHi.Index][0] = lo, hi
	}, sends, 3, nil)
	chiptest.MustReject(t, "a non-canonical answer limb", tb, m)
}
