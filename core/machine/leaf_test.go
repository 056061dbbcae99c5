package machine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// treeTestParams prove the aggregation tree cheaply (one query): the tests check that
// the leaves prove exactly the segments' statements, not the security level.
var treeTestParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 1, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1}, Workers: 2}

func treeEngine(t testing.TB) *hemera.Engine {
	t.Helper()
	e, err := hemera.New(treeTestParams)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// aggregateRun aggregates the run's segments and checks the result verifies, encoded
// and decoded too.
func aggregateRun(t *testing.T, r *run, segs []*SegmentProof) (*hemera.Engine, *Aggregated) {
	t.Helper()
	e := treeEngine(t)
	t0 := time.Now()
	a, err := r.m.Aggregate(context.Background(), e, r.keys.VK, r.st, segs, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d segments, %d leaf shapes: aggregated in %.1fs", len(segs), len(a.Shapes), time.Since(t0).Seconds())
	if err := r.m.VerifyAggregated(e, r.keys.VK, r.st, a); err != nil {
		t.Fatalf("the aggregated proof: %v", err)
	}
	d, err := DecodeAggregated(a.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.m.VerifyAggregated(e, r.keys.VK, r.st, d); err != nil {
		t.Fatalf("the decoded aggregated proof: %v", err)
	}
	return e, a
}

// TestAggregateSegments aggregates a run cut into segments (input and output across
// the cuts, memory written in one segment and read in another) into one proof, which
// verifies against the run's claim and against no other.
func TestAggregateSegments(t *testing.T) {
	sr := newSegRun(t, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}, 50)
	r := sr.r
	if len(sr.segs) < 3 {
		t.Fatalf("%d segments, want at least 3", len(sr.segs))
	}
	e, a := aggregateRun(t, r, sr.segs)

	reject := func(name string, st *Statement, a *Aggregated) {
		t.Helper()
		if err := r.m.VerifyAggregated(e, r.keys.VK, st, a); err == nil {
			t.Fatalf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	claim := func(edit func(st *Statement)) *Statement {
		st := *r.st
		st.Output = append([]byte(nil), r.st.Output...)
		st.Input = nil
		edit(&st)
		return &st
	}
	reject("another exit code", claim(func(st *Statement) { st.ExitCode++ }), a)
	reject("another exit status", claim(func(st *Statement) { st.Status = isa.StatusTrap }), a)
	reject("another cycle count", claim(func(st *Statement) { st.Cycles-- }), a)
	reject("another output byte", claim(func(st *Statement) { st.Output[3] ^= 1 }), a)
	reject("output cut short", claim(func(st *Statement) { st.Output = st.Output[:len(st.Output)-1] }), a)
	reject("another input digest", claim(func(st *Statement) { st.InputDigest[0] = field.New(1) }), a)
	reject("another input length", claim(func(st *Statement) { st.InputLen++ }), a)
	reject("another context", claim(func(st *Statement) { st.Context[2] = field.New(5) }), a)
	reject("a hook log", claim(func(st *Statement) { st.HookCount = 1; st.HookDigest[0] = field.New(1) }), a)

	// The root's public values, edited: its proof no longer verifies.
	for _, i := range []int{0, hash.DigestLen + StCycles, hash.DigestLen + StateLen + StOut, LeafLayout.Len() - 1} {
		b := *a.Root
		b.Publics = append([]field.Ext(nil), a.Root.Publics...)
		one := field.NewExt(field.New(1))
		b.Publics[i].Add(&b.Publics[i], &one)
		reject(fmt.Sprintf("root public value %d edited", i), r.st, &Aggregated{Shapes: a.Shapes, Root: &b})
	}
	// Another allowlist (a shape added): the root's vk_root is not its root.
	more := append(append([]LeafShape(nil), a.Shapes...), LeafShape{LogN: a.Shapes[0].LogN, Final: !a.Shapes[0].Final})
	reject("another allowlist", r.st, &Aggregated{Shapes: more, Root: a.Root})
	reject("no shapes", r.st, &Aggregated{Root: a.Root})
	reject("no root", r.st, &Aggregated{Shapes: a.Shapes})
}

// TestAggregateHooks aggregates a run with hook calls in segments, one of which makes
// none (two leaf shapes with and without the hook table).
func TestAggregateHooks(t *testing.T) {
	r := newHookRun(t, hooked, hostHooks(0))
	segs := proveHookSegments(t, r, 12)
	_, a := aggregateRun(t, r, segs)
	hooks, none := false, false
	h := r.m.hookTable()
	for _, s := range a.Shapes {
		if s.LogN[h] == stark.Absent {
			none = true
		} else {
			hooks = true
		}
	}
	if !hooks || !none {
		t.Fatalf("want leaf shapes with and without the hook table: %+v", a.Shapes)
	}
}

// TestAggregateOneSegment: a run of one segment aggregates to a root that is a leaf
// (lifted to the joins' heights when taller than they are: the lift's key follows the
// leaves').
func TestAggregateOneSegment(t *testing.T) {
	r := newRun(t, arith, nil)
	_, a := aggregateRun(t, r, []*SegmentProof{r.prove(t)})
	if len(a.Shapes) != 1 || a.Root.Key > 1 {
		t.Fatalf("one segment: %d shapes, root key %d", len(a.Shapes), a.Root.Key)
	}
}

// TestLeafCheatingProvers: a leaf given a real segment proof and any boundary state or
// constant other than the segment's — every element of start, end and the constants,
// one at a time — does not execute, so no leaf proof of it exists. (The program's
// length is only an upper bound for the exit pc: the root checks it.)
func TestLeafCheatingProvers(t *testing.T) {
	sr := newSegRun(t, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}, 50)
	r := sr.r
	m, vk := r.m, r.keys.VK
	l := m.NewLinker(vk, r.st.Program, r.st.InputLen, r.st.InputDigest, r.st.Context)
	consts := LeafConsts(vk, r.st)
	var root hash.Digest
	root[3] = field.New(9)
	for i, sp := range sr.segs {
		if i != 0 && i != len(sr.segs)-1 {
			continue // the first (non-final) and the last (final) segment
		}
		for j := 0; j < i; j++ {
			out, err := segmentOutput(r.st, l.outOff, sr.segs[j])
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Verify(sr.segs[j], out, r.st.Status, r.st.ExitCode); err != nil {
				t.Fatal(err)
			}
		}
		start := LeafState(l.State(), r.st.Status, r.st.ExitCode)
		out, err := segmentOutput(r.st, l.outOff, sp)
		if err != nil {
			t.Fatal(err)
		}
		ll := *l
		if err := ll.Verify(sp, out, r.st.Status, r.st.ExitCode); err != nil {
			t.Fatal(err)
		}
		end := LeafState(ll.State(), r.st.Status, r.st.ExitCode)
		s := ShapeOfSegment(sp)
		prog, sh, err := m.LeafProgram(vk, s)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			t.Logf("leaf program (segment of %d cycles, %d queries): %s", sp.State.Cycles, m.engine.Params().FRI.NumQueries, statsLine(prog))
		}
		exec := func(start, end, consts []field.Elem) error {
			in, err := LeafInputs(sh, root, start, end, consts, sp.Proof)
			if err != nil {
				t.Fatal(err)
			}
			_, err = prog.Execute(in)
			return err
		}
		if err := exec(start, end, consts); err != nil {
			t.Fatalf("segment %d, honest: %v", i, err)
		}
		one := field.New(1)
		for part, vals := range map[string][]field.Elem{"start": start, "end": end, "consts": consts} {
			for k := range vals {
				if part == "consts" && k == CoCodeLen {
					continue
				}
				bad := append([]field.Elem(nil), vals...)
				bad[k].Add(&bad[k], &one)
				s, e, c := start, end, consts
				switch part {
				case "start":
					s = bad
				case "end":
					e = bad
				default:
					c = bad
				}
				if exec(s, e, c) == nil {
					t.Fatalf("segment %d: %s element %d + 1: the leaf executes", i, part, k)
				}
			}
		}
		// A final segment's leaf made for a non-final shape (or the reverse) does not
		// execute either.
		other := s
		other.Final = !s.Final
		op, osh, err := m.LeafProgram(vk, other)
		if err != nil {
			t.Fatal(err)
		}
		in, err := LeafInputs(osh, root, start, end, consts, sp.Proof)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := op.Execute(in); err == nil {
			t.Fatalf("segment %d: a leaf of the other finality executes", i)
		}
	}
}
