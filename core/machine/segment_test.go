package machine

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/claim"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// segmented reads a word, keeps it in memory, loops through calls writing a byte per
// iteration, then reads another word and writes the first xor the second: memory
// written in one segment and read in a later one, frames, and input and output that
// continue across segments.
const segmented = `
.fp 0x1000
main:   ecall read, [4]
        sw    [4], 0x20000, 0
        mov   [8], 0
spin:   add   [40], [8], 0
        call  inc, 32
        add   [8], [40], 0
        ecall write, [8], 1
        bltu  [8], 24, spin
        ecall read, [16]
        lw    [12], 0x20000, 0
        xor   [12], [12], [16]
        ecall write, [12], 4
        halt  [8]
inc:    add   [8], [8], 1             ; [fp+8] is the caller's [40]
        add   [8], [8], 0
        ret
`

// segRun is a run cut into segments of at most size cycles, each proven.
type segRun struct {
	r    *run
	segs []*SegmentProof
}

// proveSegments cuts r's records into segments of at most size cycles and proves each
// as the host does: rebased to clk 0, with the offsets, the hook count and the host
// answers' sponge state where the previous ended.
func proveSegments(t *testing.T, r *run, size int) []*SegmentProof {
	t.Helper()
	return proveSegmentsMin(t, r, size, nil)
}

// proveSegmentsMin is proveSegments with every table at least 2^minLogN[i] rows
// (SegmentRun.MinLogN; nil: the natural heights).
func proveSegmentsMin(t *testing.T, r *run, size int, minLogN []int) []*SegmentProof {
	t.Helper()
	var segs []*SegmentProof
	var in, out, hooks uint32
	var state hook.State
	mem := imageTree(t, r.st.Program)
	for start := 0; start < len(r.recs); start += size {
		end := min(start+size, len(r.recs))
		recs := make([]trace.Record, end-start)
		for i := range recs {
			recs[i] = *r.recs[start+i].Clone()
		}
		Rebase(recs, uint64(start))
		run := &SegmentRun{Program: r.st.Program, InStart: in, OutStart: out, HookStart: hooks, HookState: state, OutState: outAt(r.st.Output, out),
			Input: r.st.Input, Context: r.st.Context, Memory: mem, Index: len(segs), MinLogN: minLogN}
		sp, _, err := r.m.ProveSegment(context.Background(), r.keys, run, recs)
		if err != nil {
			t.Fatalf("segment %d: %v", len(segs), err)
		}
		in, out, hooks, state = sp.State.InEnd, sp.State.OutEnd, sp.State.HookEnd, sp.State.HookState
		segs = append(segs, sp)
	}
	return segs
}

func newSegRun(t *testing.T, input []byte, size int) *segRun {
	r := newRun(t, segmented, input)
	r.st.Context = claim.Context(testOrigin.ISA, testOrigin.Source, r.st.InputDigest)
	return &segRun{r: r, segs: proveSegments(t, r, size)}
}

func mustRejectSegments(t *testing.T, r *run, st *Statement, segs []*SegmentProof, what, want string) {
	t.Helper()
	err := r.m.VerifySegments(r.keys.VK, st, segs)
	if !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("%s: accepted (%v)", what, err)
	}
	if want != "" && !strings.Contains(err.Error(), want) {
		t.Fatalf("%s: rejected, but not for %q: %v", what, want, err)
	}
	t.Logf("%s: %v", what, err)
}

// TestSegmentsProveAndLink proves one run whole and in segments of several sizes: each
// verifies against the same statement, and the segments' encodings round-trip.
func TestSegmentsProveAndLink(t *testing.T) {
	input := []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}
	r := newRun(t, segmented, input)
	if r.st.Status != isa.StatusHalted || r.st.ExitCode != 24 || len(r.st.Output) != 28 {
		t.Fatalf("unexpected run: %s %d %x (%d cycles)", r.st.Status, r.st.ExitCode, r.st.Output, r.st.Cycles)
	}
	if err := r.m.Verify(r.keys.VK, r.st, r.prove(t)); err != nil {
		t.Fatalf("one segment: %v", err)
	}
	for _, size := range []int{7, 16, 50, int(r.st.Cycles) - 1} {
		segs := proveSegments(t, r, size)
		if want := (int(r.st.Cycles) + size - 1) / size; len(segs) != want {
			t.Fatalf("size %d: %d segments, want %d", size, len(segs), want)
		}
		if err := r.m.VerifySegments(r.keys.VK, r.st, segs); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		// The encoding round-trips and still verifies.
		dec := make([]*SegmentProof, len(segs))
		for i, sp := range segs {
			b := sp.Encode()
			d, err := DecodeSegmentProof(b)
			if err != nil {
				t.Fatalf("size %d segment %d: %v", size, i, err)
			}
			if !bytes.Equal(d.Encode(), b) {
				t.Fatalf("size %d segment %d: the encoding does not round-trip", size, i)
			}
			dec[i] = d
		}
		if err := r.m.VerifySegments(r.keys.VK, r.st, dec); err != nil {
			t.Fatalf("size %d, decoded: %v", size, err)
		}
	}
}

// TestSegmentsTamperRejected: every way of rearranging or editing honest segment proofs
// is refused — dropping, reordering, repeating, editing a segment's state, claiming
// another exit, output or cycle count.
func TestSegmentsTamperRejected(t *testing.T) {
	input := []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}
	s := newSegRun(t, input, 40)
	r, segs := s.r, s.segs
	if len(segs) < 4 {
		t.Fatalf("%d segments: the test needs at least 4", len(segs))
	}
	if err := r.m.VerifySegments(r.keys.VK, r.st, segs); err != nil {
		t.Fatal(err)
	}
	cp := func() []*SegmentProof { return append([]*SegmentProof(nil), segs...) }
	edit := func(i int, f func(st *SegmentState)) []*SegmentProof {
		c := cp()
		sp := *c[i]
		f(&sp.State)
		c[i] = &sp
		return c
	}
	mustRejectSegments(t, r, r.st, cp()[:len(segs)-1], "last segment dropped", "does not end")
	mustRejectSegments(t, r, r.st, append(cp()[:1], segs[2:]...), "middle segment dropped", "segment 1")
	mustRejectSegments(t, r, r.st, append(append(cp()[:1], segs[2], segs[1]), segs[3:]...), "two segments swapped", "segment 1")
	mustRejectSegments(t, r, r.st, append(cp()[:2], segs[1:]...), "a segment repeated", "segment 2")
	mustRejectSegments(t, r, r.st, append(cp(), segs[len(segs)-1]), "a segment after the end", "after the one that ended")
	mustRejectSegments(t, r, r.st, edit(1, func(st *SegmentState) { st.MemRoot[0].SetUint64(st.MemRoot[0].Uint64() ^ 1) }), "the final memory root edited", "segment 1")
	mustRejectSegments(t, r, r.st, edit(1, func(st *SegmentState) { st.MemRoot = segs[0].State.MemRoot }), "the final memory root set to the start root", "segment 1")
	mustRejectSegments(t, r, r.st, edit(0, func(st *SegmentState) { st.MemRoot = segs[1].State.MemRoot }), "the final memory root set to the next segment's", "segment")
	mustRejectSegments(t, r, r.st, edit(0, func(st *SegmentState) { st.ExitPC++ }), "exit pc edited", "segment 0")
	mustRejectSegments(t, r, r.st, edit(0, func(st *SegmentState) { st.ExitFP += 4 }), "exit fp edited", "segment 0")
	mustRejectSegments(t, r, r.st, edit(1, func(st *SegmentState) { st.OutEnd++ }), "output offset edited", "segment 1")
	mustRejectSegments(t, r, r.st, edit(0, func(st *SegmentState) { st.InEnd = 0 }), "input offset edited", "segment 0")
	mustRejectSegments(t, r, r.st, edit(1, func(st *SegmentState) { st.Cycles++ }), "cycles edited", "segment 1")
	mustRejectSegments(t, r, r.st, edit(1, func(st *SegmentState) { st.Final = true; st.ExitPC, st.ExitFP = 0, 0 }), "a middle segment claimed final", "segment 1")
	for name, f := range map[string]func(st *Statement){
		"exit code": func(st *Statement) { st.ExitCode++ },
		"cycles":    func(st *Statement) { st.Cycles-- },
		"output": func(st *Statement) {
			st.Output = append(bytes.Clone(st.Output[:len(st.Output)-1]), st.Output[len(st.Output)-1]^1)
		},
		"input":   func(st *Statement) { st.InputDigest = hash.Tagged("other", nil) },
		"context": func(st *Statement) { st.Context = hash.Tagged("other", nil) },
	} {
		st := *r.st
		f(&st)
		mustRejectSegments(t, r, &st, segs, "claim's "+name+" edited", "")
	}
}

// TestSegmentSplicedFromAnotherRunRejected splices segments of a run on another input
// into this run. An honest splice fails on the context; the cheating prover re-proves the
// other run's later segments under this run's input and context and with this run's
// offsets — every bus of every segment balances, and the claimed output is the other
// run's — and only the memory link refuses it: the word the first segment stored holds
// this run's input, and the later segment starts from the other's.
func TestSegmentSplicedFromAnotherRunRejected(t *testing.T) {
	inA := []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}
	inB := []byte{9, 9, 9, 9, 0x10, 0x20, 0x30, 0x40}
	const size = 40
	a, b := newSegRun(t, inA, size), newSegRun(t, inB, size)
	if len(a.segs) != len(b.segs) {
		t.Fatal("the runs differ in length")
	}
	n := len(a.segs)
	spliced := append(append([]*SegmentProof(nil), a.segs[:n-1]...), b.segs[n-1])
	mustRejectSegments(t, a.r, a.r.st, spliced, "an honest splice", "")

	// The cheating prover: b's last segment proven with a's input and context.
	start := (n - 1) * size
	recs := make([]trace.Record, len(b.r.recs)-start)
	for i := range recs {
		recs[i] = *b.r.recs[start+i].Clone()
	}
	Rebase(recs, uint64(start))
	prev := a.segs[n-2].State
	// b's memory where the segment starts (the word the first segment stored holds b's
	// input): the segment's records read it.
	bmem := memoryAt(t, b.r.st.Program, b.r.recs, start)
	broot := bmem.Root()
	run := &SegmentRun{Program: a.r.st.Program, InStart: prev.InEnd, OutStart: prev.OutEnd, OutState: prev.OutState, Input: inA, Context: a.r.st.Context, Memory: bmem}
	forged, _, err := a.r.m.ProveSegment(context.Background(), a.r.keys, run, recs)
	if err != nil {
		t.Fatal(err)
	}
	st := *a.r.st
	st.Output = append(bytes.Clone(a.r.st.Output[:prev.OutEnd]), b.r.st.Output[prev.OutEnd:]...)
	if bytes.Equal(st.Output, a.r.st.Output) {
		t.Fatal("the forged output is the honest one: the forgery shows nothing")
	}
	segs := append(append([]*SegmentProof(nil), a.segs[:n-1]...), forged)
	mustRejectSegments(t, a.r, &st, segs, "b's last segment re-proven on a's memory link", "segment "+itoa(n-1))
	// Its STARK alone is sound: with the memory it assumed, the segment verifies.
	l := a.r.m.NewLinker(a.r.keys.VK, st.Program, st.InputLen, st.InputDigest, st.Context)
	for i := range n - 1 {
		out := st.Output[l.outOff:a.segs[i].State.OutEnd]
		if err := l.Verify(a.segs[i], out, st.Status, st.ExitCode); err != nil {
			t.Fatal(err)
		}
	}
	if l.root == broot {
		t.Fatal("a's and b's memories have one root: the test shows nothing")
	}
	l.root = broot
	if err := l.Verify(forged, st.Output[l.outOff:], st.Status, st.ExitCode); err != nil {
		t.Fatalf("the forged segment does not verify even on the memory it assumed: the test shows nothing: %v", err)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestRebase: a segment's records start at clk 0, and an access whose previous access
// was in an earlier segment is its first.
func TestRebase(t *testing.T) {
	p := assemble(t, segmented)
	_, recs, err := Execute(context.Background(), p, exec.Options{Input: make([]byte, 8)})
	if err != nil {
		t.Fatal(err)
	}
	seg := make([]trace.Record, 10)
	for i := range seg {
		seg[i] = *recs[20+i].Clone()
	}
	Rebase(seg, 20)
	for i, r := range seg {
		if r.Clk != uint64(i) {
			t.Fatalf("record %d has clk %d", i, r.Clk)
		}
		for _, a := range r.Accesses {
			if a.TS/trace.SlotsPerCycle != uint64(i)+1 || (a.First != (a.PrevTS == 0)) || a.PrevTS >= a.TS {
				t.Fatalf("record %d: access %v", i, a)
			}
		}
	}
}

// imageTree is the program's image as a memory tree: where a run's first segment starts.
func imageTree(t *testing.T, p *isa.Program) *memtree.Tree {
	t.Helper()
	mem, err := ImageTree(p)
	if err != nil {
		t.Fatal(err)
	}
	return mem
}

// memoryAt is the memory tree of a run (its records from clk 0) after its first n
// cycles: the program's image with every access of those cycles applied.
func memoryAt(t *testing.T, p *isa.Program, recs []trace.Record, n int) *memtree.Tree {
	t.Helper()
	img := Image(p)
	for _, r := range recs[:n] {
		for _, a := range r.Accesses {
			img[a.Addr/4] = a.After
		}
	}
	mem, err := memtree.FromWords(img)
	if err != nil {
		t.Fatal(err)
	}
	return mem
}

// TestSegmentMemoryRefused: the prover refuses a segment whose records find a word at
// another value than the memory it is given holds (the second segment of a run given the
// image), naming the segment and the word, and a segment whose memtree tables would pass
// the tallest table (here a limit as low as its touched words), naming the segment and
// the counts.
func TestSegmentMemoryRefused(t *testing.T) {
	r := newRun(t, segmented, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40})
	const size = 40
	recs := make([]trace.Record, len(r.recs)-size)
	for i := range recs {
		recs[i] = *r.recs[size+i].Clone()
	}
	Rebase(recs, size)
	first := proveSegments(t, r, size)[0]
	run := &SegmentRun{Program: r.st.Program, InStart: first.State.InEnd, OutStart: first.State.OutEnd, OutState: first.State.OutState, Input: r.st.Input,
		Context: r.st.Context, Memory: imageTree(t, r.st.Program), Index: 1}
	_, _, err := r.m.ProveSegment(context.Background(), r.keys, run, recs)
	if err == nil || !strings.Contains(err.Error(), "segment 1") || !strings.Contains(err.Error(), "the memory holds") {
		t.Fatalf("a segment proven on the image instead of the memory the first left: %v", err)
	}
	t.Log(err)

	ev := collect(r.st.Program, r.recs)
	v := statementView(r.st, r.recs)
	n := len(ev.mem.Words()) // fewer than the 27 node rows above any block
	err = v.setMemory(ev, 7, true, n)
	if err == nil || !strings.Contains(err.Error(), "segment 7") || !strings.Contains(err.Error(), "node rows") {
		t.Fatalf("a memtree over %d rows: %v", n, err)
	}
	t.Log(err)
	if err := v.setMemory(ev, 7, true, r.m.maxRows()); err != nil {
		t.Fatal(err)
	}
}
