package machine

// Cheating provers against the hook sponge's links between segments (review): each
// proves every segment honestly from the start the forger chose, so that every
// segment's STARK is valid on its own, and claims the log the forged chain ends with.

import (
	"context"
	"strconv"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// proveHookSegmentsForged is proveHookSegments with the forger's hand on the hook
// count and sponge state that each segment is proven from (forge may change them).
func proveHookSegmentsForged(t *testing.T, r *run, size int, forge func(i int, hooks *uint32, state *hook.State)) []*SegmentProof {
	t.Helper()
	var segs []*SegmentProof
	var in, out, hooks uint32
	state := hook.IV()
	mem := imageTree(t, r.st.Program)
	for start := 0; start < len(r.recs); start += size {
		end := min(start+size, len(r.recs))
		recs := make([]trace.Record, end-start)
		for i := range recs {
			recs[i] = *r.recs[start+i].Clone()
		}
		Rebase(recs, uint64(start))
		forge(len(segs), &hooks, &state)
		run := &SegmentRun{Program: r.st.Program, InStart: in, OutStart: out, HookStart: hooks, HookState: state, OutState: outAt(r.st.Output, out),
			Input: r.st.Input, Context: r.st.Context, Memory: mem, Index: len(segs)}
		sp, _, err := r.m.ProveSegment(context.Background(), r.keys, run, recs)
		if err != nil {
			t.Fatalf("segment %d: %v", len(segs), err)
		}
		in, out, hooks, state = sp.State.InEnd, sp.State.OutEnd, sp.State.HookEnd, sp.State.HookState
		segs = append(segs, sp)
	}
	return segs
}

// claimOf is the statement the forger claims for a chain: the run's, with the hook
// log the chain's last segment ends with.
func claimOf(r *run, segs []*SegmentProof) *Statement {
	st := *r.st
	last := segs[len(segs)-1].State
	st.HookCount, st.HookDigest = last.HookEnd, hook.Digest(last.HookState)
	return &st
}

// hookSegment is the index of a segment (of segs, cut every size cycles) that makes
// hook calls after an earlier segment made some, or the first that makes any.
func hookSegment(t *testing.T, segs []*SegmentProof) int {
	t.Helper()
	first := -1
	for i, sp := range segs {
		start := uint32(0)
		if i > 0 {
			start = segs[i-1].State.HookEnd
		}
		if sp.State.HookEnd > start {
			if start > 0 {
				return i
			}
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		t.Fatal("no segment makes hook calls")
	}
	return first
}

// TestHooksSegmentForgedStart: a segment proven from a sponge state that is not the
// previous segment's end — the state after an earlier call with another answer, or
// the initial state (the earlier calls dropped from the log) — with every later
// segment proven on from there and the claim naming the log the chain ends with.
// Each segment's STARK is valid for the start it was proven from; the linker hands
// the segment the previous end, where its proof does not verify.
func TestHooksSegmentForgedStart(t *testing.T) {
	r := newHookRun(t, hooked, hostHooks(0))
	const size = 8
	// The helper unforged proves a chain that verifies.
	honest := proveHookSegmentsForged(t, r, size, func(int, *uint32, *hook.State) {})
	if err := r.m.VerifySegments(r.keys.VK, claimOf(r, honest), honest); err != nil {
		t.Fatalf("the unforged chain: %v", err)
	}
	k := hookSegment(t, honest)
	other := hook.IV()
	hook.Absorb(&other, hook.Entry{Number: 0x100, B: 7, A: 999})
	for _, c := range []struct {
		name  string
		state hook.State
	}{
		{"the state after a call with another answer", other},
		{"the initial state", hook.IV()},
	} {
		same := false
		segs := proveHookSegmentsForged(t, r, size, func(i int, _ *uint32, s *hook.State) {
			if i == k {
				same = *s == c.state
				*s = c.state
			}
		})
		if same {
			t.Logf("segment %d starts from %s: nothing forged", k, c.name)
			continue
		}
		mustRejectSegments(t, r, claimOf(r, segs), segs, "segment "+strconv.Itoa(k)+" proven from "+c.name, "segment "+strconv.Itoa(k))
	}
	// The count the segment starts from: one call more before it than the chain made.
	segs := proveHookSegmentsForged(t, r, size, func(i int, n *uint32, _ *hook.State) {
		if i == k {
			*n++
		}
	})
	mustRejectSegments(t, r, claimOf(r, segs), segs, "segment "+strconv.Itoa(k)+" proven from a count one higher", "segment "+strconv.Itoa(k))
}

// TestHooksSegmentSpliced: the chain of one run with a segment of another (same
// program, other host answers) in place of its first segment with hook calls. Both
// start that segment from the same state (memory, pc, the initial sponge), so the
// spliced segment links; the next segment, proven from this run's answers, does not
// (its start's memory and sponge state are the other run's).
func TestHooksSegmentSpliced(t *testing.T) {
	r := newHookRun(t, hooked, hostHooks(0))
	o := newHookRun(t, hooked, hostHooks(1000))
	const size = 8
	segs := proveHookSegments(t, r, size)
	osegs := proveHookSegments(t, o, size)
	k := -1
	for i, sp := range segs {
		if sp.State.HookEnd > 0 {
			k = i
			break
		}
	}
	if k < 0 || k+1 >= len(segs) || len(osegs) != len(segs) {
		t.Fatalf("segment %d of %d (other run: %d)", k, len(segs), len(osegs))
	}
	spliced := append([]*SegmentProof(nil), segs...)
	spliced[k] = osegs[k]
	mustRejectSegments(t, r, claimOf(r, spliced), spliced, "another run's segment "+strconv.Itoa(k)+" spliced in", "segment "+strconv.Itoa(k+1))
}
