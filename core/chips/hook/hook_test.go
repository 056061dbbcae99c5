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
		{AIR: AIR(), Main: main, Publics: Publics(uint32(len(ev)), end)},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)},
		chiptest.RangeTable(rc),
	}
	return tb, append(cpuSends(ev), Message(start())), end
}

func TestWidth(t *testing.T) {
	a := AIR()
	if len(a.Main) != Width || len(a.Publics) != NumPublics {
		t.Fatalf("AIR has %d main columns and %d publics; Width %d, NumPublics %d", len(a.Main), len(a.Publics), Width, NumPublics)
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

// A false answer: the CPU wrote 0xdeadbeef to [a] (its Syscall message), the table
// absorbed another answer (so the sponge and the digest are those of the false log,
// consistently). The Syscall bus does not close.
func TestForgeAnswerNotWritten(t *testing.T) {
	ev := calls()
	honest := cpuSends(ev)
	ev[0].A = 0xdeadbeee
	tb, _, _ := witness(ev)
	chiptest.MustReject(t, "the table absorbs an answer the CPU did not write", tb, append(honest, Message(start())))
}

// A false answer with the Syscall bus balanced (the CPU wrote it) but the claim's end
// state (hence digest) the honest log's: the final row's state is not the public end.
func TestForgeEndNotClaimed(t *testing.T) {
	honest := calls()
	_, _, want := witness(honest)
	ev := calls()
	ev[1].A = 99
	tb, m, _ := witness(ev)
	tb[0].Publics = Publics(uint32(len(ev)), want)
	chiptest.MustReject(t, "a log whose end state is not the claimed one", tb, m)
}

// The final row's state forged to the claimed end, skipping the last permutation: its
// receive has no sender (the poseidon2 table answers the true input).
func TestForgeFinalStateNotPermuted(t *testing.T) {
	ev := calls()
	tb, m, _ := witness(ev)
	_, _, other := witness(ev[:2])
	row := len(ev)
	for i := range other {
		tb[0].Main[col.State[i].Index][row] = other[i]
	}
	tb[0].Publics = Publics(uint32(len(ev)), other)
	chiptest.MustReject(t, "a final state that is not the permutation of the last row", tb, m)
}

// Another run's start: the table starts from a state the verifier did not send.
func TestForgeOtherStart(t *testing.T) {
	ev := calls()
	rc := new(rangetable.Counter)
	main, perms, end := Trace(ev, IV(), rc)
	tb := []chiptest.Table{{AIR: AIR(), Main: main, Publics: Publics(uint32(len(ev)), end)},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)}, chiptest.RangeTable(rc)}
	chiptest.MustReject(t, "a segment absorbed from another start state", tb, append(cpuSends(ev), Message(start())))
}

// A core syscall answered from the host log: a READ (number 1) received here instead of
// by the I/O chip. number − FirstHook is not a 16-bit value.
func TestForgeCoreSyscallAsHook(t *testing.T) {
	ev := calls()
	ev[1].Number = isa.SysRead
	rc := new(rangetable.Counter)
	// Count the wrapped lookup as the honest trace would have to (it is not in the table).
	main, perms, end := traceUnchecked(ev, start(), rc)
	tb := []chiptest.Table{{AIR: AIR(), Main: main, Publics: Publics(uint32(len(ev)), end)},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)}, chiptest.RangeTable(rc)}
	chiptest.MustReject(t, "a READ answered by the hook table", tb, append(cpuSends(ev), Message(start())))
}

// Two calls absorbed out of execution order (the log reordered): clk must increase.
func TestForgeReordered(t *testing.T) {
	ev := calls()
	sends := cpuSends(ev)
	ev[0], ev[1] = ev[1], ev[0]
	rc := new(rangetable.Counter)
	main, perms, end := traceUnchecked(ev, start(), rc)
	tb := []chiptest.Table{{AIR: AIR(), Main: main, Publics: Publics(uint32(len(ev)), end)},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(perms)}, chiptest.RangeTable(rc)}
	chiptest.MustReject(t, "hook calls absorbed out of clk order", tb, append(sends, Message(start())))
}

// A call left out of the log: the table holds two of the three calls and claims two.
func TestForgeCallLeftOut(t *testing.T) {
	ev := calls()
	tb, _, _ := witness(ev[:2])
	chiptest.MustReject(t, "a hook call the log leaves out", tb, append(cpuSends(ev), Message(start())))
}

// The count claims fewer calls than the table's real rows (the last call absorbed but
// the end taken before it): the final row is not at k = count.
func TestForgeCountShort(t *testing.T) {
	ev := calls()
	tb, m, _ := witness(ev)
	_, _, mid := witness(ev[:2])
	tb[0].Publics = Publics(2, mid)
	chiptest.MustReject(t, "a count below the real rows", tb, m)
}

// A non-canonical answer: a_lo = lo + 2^16, a_hi = hi − 1 names the same field value
// lo + 2^16·hi but another block; the U16 lookup refuses it.
func TestForgeNonCanonicalAnswer(t *testing.T) {
	ev := calls()
	tb, _, _ := witness(ev)
	main := tb[0].Main
	main[col.ALo.Index][0] = field.New(0xbeef + 1<<16)
	main[col.AHi.Index][0] = field.New(0xdead - 1)
	m := cpuSends(ev)
	m[0].Tuple[2], m[0].Tuple[3] = main[col.ALo.Index][0], main[col.AHi.Index][0]
	chiptest.MustReject(t, "a non-canonical answer limb", tb, append(m, Message(start())))
}

// traceUnchecked is Trace for forged events (a number below FirstHook, clks out of
// order), whose lookups the counter cannot hold: they are left out.
func traceUnchecked(ev []bus.SyscallEvent, s State, rc *rangetable.Counter) ([][]field.Elem, []poseidon2.Call, State) {
	ok := make([]bus.SyscallEvent, len(ev))
	copy(ok, ev)
	for i := range ok {
		ok[i].Number, ok[i].Clk = isa.FirstHook, uint64(i)
	}
	main, _, _ := Trace(ok, s, rc)
	var calls []poseidon2.Call
	for r, e := range ev {
		main[col.Number.Index][r] = field.New(uint64(e.Number))
		main[col.Clk.Index][r] = field.New(e.Clk)
		b := Entry{Number: e.Number, B: e.B, A: e.A}.Block()
		for i := range b {
			s[i].Add(&s[i], &b[i])
		}
		calls = append(calls, poseidon2.Call{Dom: poseidon2.DomHook, ID: uint32(r + 1), In: s})
		hash.Permute(&s)
		for i := range s {
			main[col.State[i].Index][r+1] = s[i]
		}
	}
	return main, calls, s
}
