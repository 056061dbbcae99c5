package machine

// Runs with host-state hooks (package hook): proven whole and in segments, and the
// cheating provers against the claim's hook count and digest, the segment states that
// carry the sponge, and the hooks whose effects no proof would bind.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// hooked asks the host three things — storage at an immediate key, storage at a key in
// a slot, the clock — with a loop between (so that segments fall between the calls and
// one segment makes none), calls a hook that leaves [a] alone, and writes the sum.
const hooked = `
.fp 0x1000
main:   ecall 0x100, [4], 7          ; [4] = storage[7]
        mov   [8], 0
spin:   add   [8], [8], 1
        bltu  [8], 12, spin
        ecall 0x100, [12], [4]       ; [12] = storage[[4]]
        ecall 0x101, [16], 0         ; [16] = the clock
        mov   [20], 5
        ecall 0x102, [20], 0         ; a log hook: [20] stays 5
        add   [24], [4], [12]
        add   [24], [24], [16]
        add   [24], [24], [20]
        ecall write, [24], 4
        halt  0
`

// hostHooks answers storage[k] = 3k + 1 + bias and the clock 1700000000 + bias.
func hostHooks(bias uint32) map[uint32]exec.Syscall {
	return map[uint32]exec.Syscall{
		0x100: func(c *exec.Call) error { return c.SetA(3*c.B + 1 + bias) },
		0x101: func(c *exec.Call) error { return c.SetA(1700000000 + bias) },
		0x102: func(c *exec.Call) error { return nil },
	}
}

func newHookRun(t testing.TB, src string, hooks map[uint32]exec.Syscall) *run {
	t.Helper()
	p := assemble(t, src)
	_, recs, err := Execute(context.Background(), p, exec.Options{Hooks: hooks})
	if err != nil {
		t.Fatal(err)
	}
	m, keys := testKeys(t, p)
	st, err := StatementFromRecords(p, recs, nil)
	if err != nil {
		t.Fatal(err)
	}
	st.Context = hash.Tagged("test/context", nil)
	return &run{m: m, keys: keys, st: st, recs: recs}
}

// proveHookSegments is proveSegments (which hands the hook count and sponge state from
// one segment to the next, as the host does).
func proveHookSegments(t *testing.T, r *run, size int) []*SegmentProof {
	t.Helper()
	return proveSegments(t, r, size)
}

// TestHooksProve proves a run with hooks whole and in segments (one of which makes no
// hook call): each verifies against the same statement, whose hook log is the run's.
func TestHooksProve(t *testing.T) {
	r := newHookRun(t, hooked, hostHooks(0))
	log := []hook.Entry{{Number: 0x100, B: 7, A: 22}, {Number: 0x100, B: 22, A: 67}, {Number: 0x101, A: 1700000000}, {Number: 0x102, A: 5}}
	if r.st.HookCount != 4 || r.st.HookDigest != hook.LogDigest(log) {
		t.Fatalf("statement's hooks: %d, %v; want 4, %v", r.st.HookCount, r.st.HookDigest, hook.LogDigest(log))
	}
	whole := r.prove(t)
	if err := r.m.Verify(r.keys.VK, r.st, whole); err != nil {
		t.Fatalf("one segment: %v", err)
	}
	segs := proveHookSegments(t, r, 8)
	if len(segs) < 4 {
		t.Fatalf("%d segments", len(segs))
	}
	noHooks := 0
	for i, sp := range segs {
		if i > 0 && sp.State.HookEnd == segs[i-1].State.HookEnd {
			noHooks++
		}
		again, err := DecodeSegmentProof(sp.Encode())
		if err != nil || again.State.HookEnd != sp.State.HookEnd || again.State.HookState != sp.State.HookState {
			t.Fatalf("segment %d does not round-trip: %v", i, err)
		}
	}
	if noHooks == 0 {
		t.Fatal("no segment without hook calls: the test does not cover it")
	}
	if err := r.m.VerifySegments(r.keys.VK, r.st, segs); err != nil {
		t.Fatalf("%d segments: %v", len(segs), err)
	}
}

// TestHooksForgedClaim: the verifier rejects a statement whose hook log is not the one
// the proofs absorbed — another digest, another count, the answers of another run
// (same program, same output, other host answers), and a claim without hooks.
func TestHooksForgedClaim(t *testing.T) {
	r := newHookRun(t, hooked, hostHooks(0))
	segs := proveHookSegments(t, r, 8)
	whole := []*SegmentProof{r.prove(t)}

	other := newHookRun(t, hooked, hostHooks(1000))
	for _, proofs := range [][]*SegmentProof{whole, segs} {
		st := *r.st
		st.HookDigest = other.st.HookDigest
		mustRejectSegments(t, r, &st, proofs, "the hook digest of another run", "hook digest")

		st = *r.st
		st.HookDigest[3] = field.New(12345)
		mustRejectSegments(t, r, &st, proofs, "a hook digest changed in one element", "hook digest")

		st = *r.st
		st.HookCount--
		mustRejectSegments(t, r, &st, proofs, "a hook count one short", "hook calls")

		st = *r.st
		st.HookCount, st.HookDigest = 0, hash.Digest{}
		mustRejectSegments(t, r, &st, proofs, "a claim without hooks", "")
	}
	// The other run's proofs (other answers, its own log) claimed with this run's log.
	osegs := proveHookSegments(t, other, 8)
	st := *other.st
	st.HookDigest = r.st.HookDigest
	mustRejectSegments(t, other, &st, osegs, "proofs of a run with other host answers", "hook digest")
}

// TestHooksForgedSegmentState: the segment states that carry the sponge are proven.
func TestHooksForgedSegmentState(t *testing.T) {
	r := newHookRun(t, hooked, hostHooks(0))
	segs := proveHookSegments(t, r, 8)
	first := -1
	for i, sp := range segs {
		if sp.State.HookEnd > 0 {
			first = i
			break
		}
	}
	if first < 0 {
		t.Fatal("no segment with hook calls")
	}
	tamper := func(f func(st *SegmentState)) []*SegmentProof {
		out := make([]*SegmentProof, len(segs))
		copy(out, segs)
		c := *segs[first]
		c.State.HookState = segs[first].State.HookState
		f(&c.State)
		out[first] = &c
		return out
	}
	// Another end state: the hook table's public end is the state it reached.
	mustRejectSegments(t, r, r.st, tamper(func(st *SegmentState) { st.HookState[9] = field.New(1) }), "a segment's end state changed", "")
	// The end state and count of "no call": the proof has the hook table.
	mustRejectSegments(t, r, r.st, tamper(func(st *SegmentState) { st.HookEnd, st.HookState = 0, hook.IV() }),
		"a segment with calls claiming none", "hook table")
	// One call more than it made.
	mustRejectSegments(t, r, r.st, tamper(func(st *SegmentState) { st.HookEnd++ }), "a segment claiming a call more", "")
	// A segment without calls that moves the state.
	none := -1
	for i := 1; i < len(segs); i++ {
		if segs[i].State.HookEnd == segs[i-1].State.HookEnd {
			none = i
		}
	}
	out := make([]*SegmentProof, len(segs))
	copy(out, segs)
	c := *segs[none]
	c.State.HookState[0] = field.New(7)
	out[none] = &c
	mustRejectSegments(t, r, r.st, out, "a segment without calls that changes the state", "sponge state")
}

// TestHooksLeftOutOfTheProof: a prover that leaves the segment's hook calls out of the
// hook table (no table, the segment claiming no call, the sponge unchanged) leaves the
// CPU's Syscall messages without a receiver.
func TestHooksLeftOutOfTheProof(t *testing.T) {
	r := newHookRun(t, hooked, hostHooks(0))
	ev := collect(r.st.Program, r.recs)
	var kept = ev.syscall[:0]
	for _, s := range ev.syscall {
		if !hook.Handles(s.Number) {
			kept = append(kept, s)
		}
	}
	ev.syscall = kept
	st := *r.st
	st.HookCount, st.HookDigest = 0, hash.Digest{}
	v := statementView(&st, r.recs)
	v.state.HookEnd, v.state.HookState = 0, hook.IV()
	sp, _, err := r.m.proveView(context.Background(), r.keys, v, r.recs, ev, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	mustRejectSegments(t, r, &st, []*SegmentProof{sp}, "hook calls left out of the hook table", "")
}

// TestHooksWithOtherEffectsRefused: a hook that accesses memory itself or attaches
// data does something no proof binds: proving refuses it with an error naming why.
func TestHooksWithOtherEffectsRefused(t *testing.T) {
	for _, c := range []struct {
		name string
		h    exec.Syscall
		want string
	}{
		{"store", func(c *exec.Call) error { return c.Store(0x2000, 1) }, "accesses memory"},
		{"load", func(c *exec.Call) error { _, err := c.Load(0x2000); return err }, "accesses memory"},
		{"attach", func(c *exec.Call) error { return c.Attach(1, 2) }, "attaches 2 words"},
	} {
		src := ".fp 0x1000\nmain: ecall 0x100, [4], 1\n halt 0\n"
		r := newHookRun(t, src, map[uint32]exec.Syscall{0x100: c.h})
		_, err := r.m.Prove(r.keys, r.st, r.recs)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "only a hook that answers through [a]") {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
}
