package machine

// Cheating provers against continuations (docs/continuations.md). Each test builds a
// false segment witness — tables built from forged records or events, or patched after
// they are built — that commits consistently and, unless the test says otherwise, uses
// exactly the public values and public messages the verifier derives (so the rejection
// is the AIR's or the bus's, not a transcript mismatch). The verifier (VerifySegments or
// a Linker) must reject each with stark.ErrInvalidProof. Where a single constraint is
// what protects the link, the test also proves the same forgery on a machine whose AIR
// lacks it, and that proof must verify: the test then fails if the check is ever
// removed or stops being the one that matters.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// forgeProg ends a segment on every instruction class: READ and WRITE, a store and a
// load of a word kept across segments, ALU, CALL and RET, a branch taken and not taken,
// a jump (over a HALT that never runs), and HALT.
const forgeProg = `
.fp 0x1000
main:   ecall read, [4]
        sw    [4], 0x20000, 0
        mov   [8], 0
loop:   add   [8], [8], 1
        call  inc, 32
        ecall write, [8], 1
        bltu  [8], 3, loop
        jmp   done
        halt  99
done:   ecall read, [16]
        lw    [12], 0x20000, 0
        xor   [12], [12], [16]
        ecall write, [12], 4
        halt  [8]
inc:    add   [8], [8], 0             ; [fp+8] is the caller's [40]
        ret
`

var forgeInput = []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}

// forgeEnv is a program, an input and its honest run.
type forgeEnv struct {
	p     *isa.Program
	input []byte
	st    *Statement
	recs  []trace.Record
	pv    map[string]*prover
}

func newForgeEnv(t *testing.T, src string, input []byte) *forgeEnv {
	t.Helper()
	p := assemble(t, src)
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: input})
	if err != nil {
		t.Fatal(err)
	}
	st := StatementOf(p, res, input)
	st.Context = hash.Tagged("test/forge", input)
	return &forgeEnv{p: p, input: input, st: st, recs: recs, pv: map[string]*prover{}}
}

// execute runs the env's program (or another) on another input: the records a cheating
// prover takes its forged continuation from.
func (e *forgeEnv) execute(t *testing.T, p *isa.Program, input []byte) (*exec.Result, []trace.Record) {
	t.Helper()
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: input})
	if err != nil {
		t.Fatal(err)
	}
	return res, recs
}

// statement is a copy of the honest statement, edited by f.
func (e *forgeEnv) statement(f func(st *Statement)) *Statement {
	st := *e.st
	st.Output = bytes.Clone(e.st.Output)
	if f != nil {
		f(&st)
	}
	return &st
}

// prover is a machine, possibly without some checks, set up for the env's program.
type prover struct {
	m    *Machine
	keys *Keys
	drop []check
}

// machine returns the real machine (no drop) or one whose AIRs lack the named checks.
func (e *forgeEnv) machine(t *testing.T, drop ...check) *prover {
	t.Helper()
	key := fmt.Sprint(drop)
	if pv := e.pv[key]; pv != nil {
		return pv
	}
	m := machineWithout(t, drop)
	keys, err := m.Setup(e.p)
	if err != nil {
		t.Fatal(err)
	}
	pv := &prover{m: m, keys: keys, drop: drop}
	e.pv[key] = pv
	return pv
}

// cut returns records start … end−1 of a run as a segment's: cloned and rebased. It
// remembers where they come from (origins): the memory where the segment starts is
// the run's after its first start cycles.
func cut(recs []trace.Record, start, end int) []trace.Record {
	out := make([]trace.Record, end-start)
	for i := range out {
		out[i] = *recs[start+i].Clone()
	}
	Rebase(out, uint64(start))
	if len(out) > 0 {
		origins.Store(&out[0], origin{recs, start})
	}
	return out
}

// origin is where cut took a segment's records from: a run's records and the first
// cycle.
type origin struct {
	recs  []trace.Record
	start int
}

var origins sync.Map // *trace.Record (a cut's first) → origin

// memoryOf is the memory tree where a segment of records recs (a cut) starts: the run's
// after the cycles before it. Records that are no cut start on the program's image.
func memoryOf(t *testing.T, p *isa.Program, recs []trace.Record) *memtree.Tree {
	t.Helper()
	if len(recs) > 0 {
		if o, ok := origins.Load(&recs[0]); ok {
			return memoryAt(t, p, o.(origin).recs, o.(origin).start)
		}
	}
	return imageTree(t, p)
}

// view is the honest view of a segment made of recs (rebased) that starts at the given
// input and output offsets, with the env's input and context (as ProveSegment builds it).
func (e *forgeEnv) view(t *testing.T, recs []trace.Record, in, out uint32) *segmentView {
	t.Helper()
	run := &SegmentRun{Program: e.p, InStart: in, OutStart: out, OutState: outAt(e.st.Output, out), Input: e.input, Context: e.st.Context}
	st, outb, status, code, err := SegmentOf(run, recs)
	if err != nil {
		t.Fatal(err)
	}
	return &segmentView{program: e.p, entryPC: recs[0].PC, entryFP: recs[0].FP, inStart: in, outStart: out,
		outState: run.OutState, inState: run.inState(), state: st, status: status, exitCode: code, output: outb, inputLen: uint32(len(e.input)),
		inputDigest: chipinput.Digest(e.input), claim: e.st.Context}
}

// segWitness is a cheating prover's recipe for one segment: its records, the view it
// proves against (public values and messages), and its edits.
type segWitness struct {
	recs []trace.Record
	v    *segmentView
	// alter edits the events the tables are built from.
	alter func(ev *events)
	// words edits the memory table's rows; the memtree's touched words and their final
	// values are then taken from them, as setMemory does.
	words func(ws []memory.Word) []memory.Word
	// list edits the words the memtree tables set (their final values), after that.
	list func(ts []memtree.Touch) []memtree.Touch
	// mem is the memory where the segment starts (nil: memoryOf its records).
	mem *memtree.Tree
	// patch edits the finished tables.
	patch func(table string, a *air.AIR, cols [][]field.Elem)
}

// prove makes the segment proof of the recipe (the prover checks nothing).
func (pv *prover) prove(t *testing.T, e *forgeEnv, w *segWitness) *SegmentProof {
	t.Helper()
	v := w.v
	ev := collect(v.program, w.recs)
	ev.inStart, ev.outStart = v.inStart, v.outStart
	ev.input, ev.inputLen = e.input, v.inputLen
	v.setOutput(ev)
	// The input sponge: honest for the view's offsets and finality as edited (no forgery
	// here edits it; package input's and input_forge_test's do).
	v.inState, v.state.InState = chipinput.At(e.input, v.inStart), chipinput.State{}
	v.setInput(ev, e.input)
	if w.alter != nil {
		w.alter(ev)
	}
	words := ev.mem.Words()
	if w.words != nil {
		words = w.words(words)
	}
	touched := make([]memtree.Touch, len(words))
	for i, x := range words {
		touched[i] = memtree.Touch{Addr: x.Addr, Value: x.Final}
	}
	if w.list != nil {
		touched = w.list(touched)
	}
	mem := w.mem
	if mem == nil {
		mem = memoryOf(t, v.program, w.recs)
	}
	mw, err := mem.Apply(touched)
	if err != nil {
		t.Fatal(err)
	}
	ev.memtree = mw
	v.memStart, v.state.MemRoot = mw.Roots[memtree.Init], mw.Roots[memtree.Final]
	wit := &stark.Witness{Main: make([][][]field.Elem, len(pv.m.chips)), Publics: v.publics(pv.m), Bus: v.messages()}
	for i, c := range pv.m.chips {
		var err error
		switch c.name {
		case "cpu":
			wit.Main[i] = cpuTrace(w.recs, ev)
		case "memory":
			wit.Main[i] = memory.Trace(words, ev.rc)
		default:
			if wit.Main[i], err = c.trace(ev); err != nil {
				t.Fatalf("%s trace: %v", c.name, err)
			}
		}
	}
	if w.patch != nil {
		for i, c := range pv.m.chips {
			if len(wit.Main[i]) > 0 {
				w.patch(c.name, c.air, wit.Main[i])
			}
		}
	}
	proof, err := pv.m.engine.Prove(pv.keys.PK, wit)
	if err != nil {
		t.Fatalf("the prover failed before the verifier could judge: %v", err)
	}
	return &SegmentProof{State: *v.state, Proof: proof}
}

// segment proves a segment's records (rebased) honestly, from the given offsets.
func (pv *prover) segment(t *testing.T, e *forgeEnv, recs []trace.Record, in, out uint32) *SegmentProof {
	t.Helper()
	run := &SegmentRun{Program: e.p, InStart: in, OutStart: out, OutState: outAt(e.st.Output, out), Input: e.input, Context: e.st.Context, Memory: memoryOf(t, e.p, recs)}
	sp, _, err := pv.m.ProveSegment(context.Background(), pv.keys, run, recs)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// segments proves a run's records honestly as segments ending at ends (the last is
// len(recs)), each starting at the offsets where the previous one ended.
func (pv *prover) segments(t *testing.T, e *forgeEnv, recs []trace.Record, ends ...int) []*SegmentProof {
	t.Helper()
	var segs []*SegmentProof
	var in, out uint32
	from := 0
	for _, end := range ends {
		sp := pv.segment(t, e, cut(recs, from, end), in, out)
		segs = append(segs, sp)
		in, out, from = sp.State.InEnd, sp.State.OutEnd, end
	}
	return segs
}

// link verifies and links segments in order against a statement, without requiring
// that they end the run (Linker.Finish): the first error.
func (pv *prover) link(st *Statement, segs ...*SegmentProof) error {
	return pv.m.NewLinker(pv.keys.VK, st.Program, st.InputLen, st.InputDigest, st.Context).verifyAll(st, segs)
}

// verify is VerifySegments on the prover's machine.
func (pv *prover) verify(st *Statement, segs ...*SegmentProof) error {
	return pv.m.VerifySegments(pv.keys.VK, st, segs)
}

// rejected requires a rejection (stark.ErrInvalidProof) whose message holds every want.
func rejected(t *testing.T, err error, what string, want ...string) {
	t.Helper()
	if !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("%s: ACCEPTED — a soundness bug (%v)", what, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("%s: rejected, but not by %q: %v", what, w, err)
		}
	}
	t.Logf("%s: rejected: %v", what, err)
}

// passesWithout requires the forgery, proven on a machine without the named checks, to
// verify there: those checks are what refuses it.
func passesWithout(t *testing.T, err error, what string, pv *prover) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: without %v the forgery still fails (%v): the check named is not what refuses it", what, pv.drop, err)
	}
}

// set sets a table's column on the given rows.
func set(t *testing.T, a *air.AIR, cols [][]field.Elem, name string, vals map[int]uint64) {
	t.Helper()
	c := column(t, a, name)
	for r, v := range vals {
		cols[c][r] = field.New(v)
	}
}

// lastRow is the index of the last record of class cl in recs (a branch: taken if taken
// is 1, not taken if 0), or −1.
func lastRow(recs []trace.Record, cl isa.Class, taken int) int {
	for i := len(recs) - 1; i >= 0; i-- {
		r := &recs[i]
		if r.Inst.Op.Class() != cl {
			continue
		}
		if cl == isa.ClassBranch && exec.BranchTaken(r.Inst.Op, r.A, r.B) != (taken == 1) {
			continue
		}
		return i
	}
	return -1
}

// TestSegmentForgeHarness: the harness's witness builder, with no edit, makes segments
// that verify and link — so the rejections below are the edits'.
func TestSegmentForgeHarness(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	if e.st.Status != isa.StatusHalted || e.st.ExitCode != 3 || len(e.st.Output) != 7 {
		t.Fatalf("unexpected run: %s %d %x (%d cycles)", e.st.Status, e.st.ExitCode, e.st.Output, e.st.Cycles)
	}
	pv := e.machine(t)
	n := len(e.recs)
	var segs []*SegmentProof
	var in, out uint32
	for _, b := range [][2]int{{0, 9}, {9, n - 5}, {n - 5, n}} {
		sp := pv.prove(t, e, &segWitness{recs: cut(e.recs, b[0], b[1]), v: e.view(t, cut(e.recs, b[0], b[1]), in, out)})
		segs = append(segs, sp)
		in, out = sp.State.InEnd, sp.State.OutEnd
	}
	if err := pv.verify(e.st, segs...); err != nil {
		t.Fatal(err)
	}
}

// TestSegmentForgeHaltNotFinal: the run halts with 1 at its second cycle; the cheater
// claims that it goes on past the HALT and halts with 7. Its first segment ends with the
// HALT but claims not to end the run (final = false, exit pc 2): the HALT row sends the
// Exit message (stop_is_last makes it the last row, and cut = last − stop = 0 leaves
// the exit pc free), and the verifier of a segment that does not end the run receives
// none — the Exit bus does not balance. Disguising the HALT as a jump to pc 2 (so that
// no Exit is sent) changes the fetched instruction, which the ROM does not hold: the
// Program bus does not balance. Running on past the HALT within one final segment
// leaves the Exit bus unbalanced too (and breaks stop_is_last).
func TestSegmentForgeHaltNotFinal(t *testing.T) {
	const src = ".fp 0x1000\nmain: mov [8], 1\n halt [8]\n mov [8], 7\n halt [8]\n"
	e := newForgeEnv(t, src, nil)
	if e.st.ExitCode != 1 || e.st.Cycles != 2 {
		t.Fatalf("unexpected run: %d after %d cycles", e.st.ExitCode, e.st.Cycles)
	}
	// The continuation (pc 2, 3 with [8] = 1) comes from the program with the first HALT
	// replaced by a no-op.
	q := e.p.Clone()
	q.Code[1] = assemble(t, ".fp 0x1000\nmain: mov [12], 0\n halt 0\n").Code[0]
	_, qrecs := e.execute(t, q, nil)
	pv := e.machine(t)
	tail := pv.segment(t, e, cut(qrecs, 2, 4), 0, 0)
	st := e.statement(func(st *Statement) { st.ExitCode, st.Cycles = 7, 4 })

	headOn := func(pv *prover, patch func(string, *air.AIR, [][]field.Elem)) *SegmentProof {
		recs := cut(e.recs, 0, 2)
		v := e.view(t, recs, 0, 0)
		v.state.Final, v.state.ExitPC, v.state.ExitFP = false, 2, 0x1000
		v.status, v.exitCode = 0, 0
		return pv.prove(t, e, &segWitness{recs: recs, v: v, patch: patch})
	}
	head := func(patch func(string, *air.AIR, [][]field.Elem)) *SegmentProof { return headOn(pv, patch) }
	rejected(t, pv.verify(st, head(nil), tail), "a HALT that does not end the run", "segment 0", "bus check failed")
	// Without the CPU's Exit message, the forged first segment verifies and links.
	pw := e.machine(t, check{"cpu", []string{"exit"}})
	passesWithout(t, pw.link(st, headOn(pw, nil)), "a HALT that does not end the run", pw)
	jump := func(table string, a *air.AIR, cols [][]field.Elem) {
		switch table {
		case "cpu":
			set(t, a, cols, "is_halt", map[int]uint64{1: 0})
			set(t, a, cols, "is_jump", map[int]uint64{1: 1})
			set(t, a, cols, "c_lo", map[int]uint64{1: 2})
			set(t, a, cols, "c_hi", map[int]uint64{1: 0})
			set(t, a, cols, "next_pc", map[int]uint64{1: 2})
			set(t, a, cols, "next_fp", map[int]uint64{1: 0x1000 / 4})
		case "range":
			uncount(t, table, a, cols, "m16", 0, 1) // the jump's target range lookup
		}
	}
	rejected(t, pv.verify(st, head(jump), tail), "a HALT disguised as a jump", "segment 0", "bus check failed")

	// One final segment that runs on past its first HALT: stop_is_last (the HALT is not
	// the last row), and its Exit (halted, 1) is not the verifier's (halted, 7).
	recs := append(cut(e.recs, 0, 2), cut(qrecs, 2, 4)...)
	for i := range recs {
		recs[i].Clk = uint64(i)
	}
	recs[2].Accesses[0].PrevTS, recs[2].Accesses[0].First = recs[1].Accesses[0].TS, false // after the HALT's read of [8]
	v := &segmentView{program: e.p, entryPC: e.p.Entry, entryFP: e.p.FP, state: &SegmentState{Cycles: 4, Final: true, HookState: hook.IV(), OutState: output.IV()},
		outState: output.IV(), status: isa.StatusHalted, exitCode: 7, inputLen: 0, inputDigest: chipinput.Digest(nil), claim: e.st.Context}
	rejected(t, pv.verify(st, pv.prove(t, e, &segWitness{recs: recs, v: v})), "a segment running on past a HALT", "segment 0", "bus check failed")
}

// TestSegmentForgeFinalWithoutStop: a final segment whose last row is a cut (mov [8], 3)
// claims the run halted there with 3 (it goes on and halts with 5). The verifier puts
// the Exit message (halted, 3) on the bus for a final segment; only a HALT or TRAP row
// sends one, and this segment has none: the Exit bus does not balance.
func TestSegmentForgeFinalWithoutStop(t *testing.T) {
	e := newForgeEnv(t, ".fp 0x1000\nmain: mov [8], 3\n mov [8], 5\n halt [8]\n", nil)
	pv := e.machine(t)
	recs := cut(e.recs, 0, 1)
	v := e.view(t, recs, 0, 0)
	v.state.Final, v.state.ExitPC, v.state.ExitFP = true, 0, 0
	v.status, v.exitCode = isa.StatusHalted, 3
	seg := pv.prove(t, e, &segWitness{recs: recs, v: v})
	st := e.statement(func(st *Statement) { st.ExitCode, st.Cycles = 3, 1 })
	rejected(t, pv.verify(st, seg), "a final segment ending on a cut", "segment 0", "bus check failed")
}

// TestSegmentForgeLastColumn forges the CPU's last column of a non-final segment of 12
// cycles (rows 0 … 11) — the row that fixes the segment's cycles and exit (pc, fp):
//   - moved to row 8 (a taken branch back to the loop): the segment claims 9 cycles and
//     hands over at the loop's head, yet its tables hold rows 9 … 11 too, whose memory
//     writes ([8] incremented) are in its touched list — the next segment would run the
//     loop's increment twice. Refused by last_marks_end (last = real·(1 − real_next)).
//   - none at all: cycles and exit are then unconstrained (here: exit pc 0, a restart).
//     Refused by last_marks_end.
//   - on two rows (8 and 11): refused by last_marks_end (and cycles, exit_pc on row 8).
//   - on the table's final row, a padding row that no transition constraint reaches and
//     whose next_pc no instruction constrains: cycles = the table's height, exit pc 0.
//     Refused by last_real and by last_marks_end on row 11.
func TestSegmentForgeLastColumn(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	const k, j = 12, 8
	if e.recs[j].Inst.Op != isa.BLTU || e.recs[j].NextPC != 3 {
		t.Fatalf("record %d is not the loop's branch back: %v", j, e.recs[j].Inst)
	}
	n := air.Height(k + 1) // the CPU table's height
	st := e.statement(nil)
	forge := func(pv *prover, edit func(s *SegmentState), last, nextPC, nextFP map[int]uint64) *SegmentProof {
		recs := cut(e.recs, 0, k)
		v := e.view(t, recs, 0, 0)
		edit(v.state)
		return pv.prove(t, e, &segWitness{recs: recs, v: v, patch: func(table string, a *air.AIR, cols [][]field.Elem) {
			if table == "cpu" {
				set(t, a, cols, "last", last)
				set(t, a, cols, "next_pc", nextPC)
				set(t, a, cols, "next_fp", nextFP)
			}
		}})
	}
	type tc struct {
		what    string
		edit    func(s *SegmentState)
		last    map[int]uint64
		nextPC  map[int]uint64
		nextFP  map[int]uint64
		without []string
	}
	for _, c := range []tc{
		{"last moved to an earlier row", func(s *SegmentState) { s.Cycles, s.ExitPC, s.ExitFP = j+1, e.recs[j].NextPC, e.recs[j].NextFP },
			map[int]uint64{k - 1: 0, j: 1}, nil, nil, []string{"last_marks_end"}},
		{"no last row", func(s *SegmentState) { s.ExitPC = 0 }, map[int]uint64{k - 1: 0}, nil, nil, []string{"last_marks_end"}},
		{"two last rows", func(s *SegmentState) {}, map[int]uint64{j: 1}, nil, nil, nil},
		{"last on the final padding row", func(s *SegmentState) { s.Cycles, s.ExitPC, s.ExitFP = uint64(n), 0, 0x1000 },
			map[int]uint64{k - 1: 0, n - 1: 1}, map[int]uint64{n - 1: 0}, map[int]uint64{n - 1: 0x1000 / 4}, []string{"last_real", "last_marks_end"}},
	} {
		pv := e.machine(t)
		rejected(t, pv.link(st, forge(pv, c.edit, c.last, c.nextPC, c.nextFP)), c.what, "segment 0", "constraints check failed for table cpu")
		if c.without != nil {
			pw := e.machine(t, check{"cpu", c.without})
			passesWithout(t, pw.link(st, forge(pw, c.edit, c.last, c.nextPC, c.nextFP)), c.what, pw)
		}
	}
}

// exitCase is a cut after one instruction class, and the constraint that fixes the cut
// row's next_pc and next_fp ("": a bus, the frame chip's for RET, and CALL's next_fp).
type exitCase struct {
	what           string
	row            int
	pcFlow, fpFlow string
	// demo: also show, for this class, that the constraint named alone refuses each
	// forgery (a proof without it verifies); for the other classes this is shown once
	// per flow constraint (each proof costs a second: the lookup tables are 2^16 rows).
	demo bool
}

// TestSegmentForgeExit: a segment cut after each instruction class hands over an exit
// (pc, fp) other than where its last instruction goes — into the middle of the program,
// or one frame word off. With the cut row honest, exit_pc or exit_fp refuses it
// (cut·(next_pc − exit_pc) with cut = last − stop); with the cut row's next_pc or
// next_fp forged to match, the class's own flow constraint does (for RET the frame
// chip, which reads the return pc and saved fp from memory; for CALL's next_fp also
// the frame bus).
func TestSegmentForgeExit(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	st := e.statement(nil)
	cases := []exitCase{
		{"READ", 0, "next_pc_seq", "next_fp_same", false},
		{"ALU", 2, "next_pc_seq", "next_fp_same", false},
		{"CALL", lastRow(e.recs[:5], isa.ClassCall, 0), "next_pc_jump", "", true},
		{"ALU in a callee's frame", 5, "next_pc_seq", "next_fp_same", false},
		{"RET", lastRow(e.recs[:7], isa.ClassRet, 0), "", "", true},
		{"branch taken", lastRow(e.recs[:9], isa.ClassBranch, 1), "next_pc_branch", "next_fp_same", false},
		{"branch not taken", lastRow(e.recs, isa.ClassBranch, 0), "next_pc_branch", "next_fp_same", true},
		{"jump", lastRow(e.recs, isa.ClassJump, 0), "next_pc_jump", "next_fp_same", false},
	}
	code := uint32(len(e.p.Code))
	shown := map[string]bool{}
	for _, c := range cases {
		if c.row < 0 {
			t.Fatalf("%s: no such record", c.what)
		}
		r := &e.recs[c.row]
		pc, fp := (r.NextPC+5)%code, r.NextFP+4
		forge := func(pv *prover, edit func(s *SegmentState), patch map[string]map[int]uint64) *SegmentProof {
			recs := cut(e.recs, 0, c.row+1)
			v := e.view(t, recs, 0, 0)
			if v.state.Final {
				t.Fatalf("%s: the segment ends the run", c.what)
			}
			edit(v.state)
			return pv.prove(t, e, &segWitness{recs: recs, v: v, patch: func(table string, a *air.AIR, cols [][]field.Elem) {
				if table == "cpu" {
					for name, vals := range patch {
						set(t, a, cols, name, vals)
					}
				}
			}})
		}
		for _, f := range []struct {
			what    string
			edit    func(s *SegmentState)
			patch   map[string]map[int]uint64
			without string
		}{
			{"exit pc", func(s *SegmentState) { s.ExitPC = pc }, nil, "exit_pc"},
			{"exit fp", func(s *SegmentState) { s.ExitFP = fp }, nil, "exit_fp"},
			{"next_pc and exit pc", func(s *SegmentState) { s.ExitPC = pc }, map[string]map[int]uint64{"next_pc": {c.row: uint64(pc)}}, c.pcFlow},
			{"next_fp and exit fp", func(s *SegmentState) { s.ExitFP = fp }, map[string]map[int]uint64{"next_fp": {c.row: uint64(fp / 4)}}, c.fpFlow},
		} {
			what := fmt.Sprintf("cut after %s (record %d): %s forged", c.what, c.row, f.what)
			pv := e.machine(t)
			err := pv.link(st, forge(pv, f.edit, f.patch))
			if f.without == "" {
				rejected(t, err, what, "segment 0", "bus check failed")
				continue
			}
			rejected(t, err, what, "segment 0", "constraints check failed for table cpu")
			if !c.demo && shown[f.without] {
				continue
			}
			shown[f.without] = true
			pw := e.machine(t, check{"cpu", []string{f.without}})
			passesWithout(t, pw.link(st, forge(pw, f.edit, f.patch)), what, pw)
		}
	}
}

// wordAt is the index of word index w in a touched list.
func wordAt(t *testing.T, ws []memtree.Touch, w uint32) int {
	t.Helper()
	i := slices.IndexFunc(ws, func(x memtree.Touch) bool { return x.Addr == w })
	if i < 0 {
		t.Fatalf("word %#x is not touched", w)
	}
	return i
}

// TestSegmentForgeMemory forges the memory boundary of forgeProg cut after 9 cycles: the
// first segment stores the input's first word at 0x20000 (word w), the second loads it
// back. Every forgery commits consistently; each leaves a bus unbalanced:
//   - a word no instruction touched, listed (and on a memory row) with a new value: the
//     Memory bus (its opening at timestamp 0 and its closing differ, and no access links
//     them);
//   - w left out of both the memory table and the touched list (the next segment would
//     read the image's 0): the Memory bus (the store's access receives w's opening at
//     timestamp 0 and sends its new value; only the memory table opens and closes a word);
//   - w kept in the memory table, left out of the memtree's touched words (the tree
//     keeps its old value): Image and MemoryFinal (the memory table receives and sends
//     them for every row; the memtree leaf table sends and receives them for its touched
//     words only);
//   - w set in the memtree to another final value than the memory table closes it at
//     (the final root is not the memory's the segment leaves): MemoryFinal;
//   - w closed at its stale value (table and list agree): the Memory bus (the store's
//     send of the new value is never received);
//   - w on two rows, the second opened and closed at the stale value with timestamp 0
//     (its Memory messages cancel), the memtree setting w once, stale: Image and
//     MemoryFinal (and addr_increasing);
//   - the second segment starting from a memory where w holds another value than the
//     first left (its records come from a run on another input, proven honestly on
//     that run's memory): its start root is not the previous segment's final root, and
//     the verifier's root message finds no receiver (MemTree). With that root in the
//     linker, the same proof verifies.
func TestSegmentForgeMemory(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	const c = 9
	const w = 0x20000 / 4
	st := e.statement(nil)
	pv := e.machine(t)
	honest := pv.segments(t, e, e.recs, c, len(e.recs))
	if err := pv.verify(st, honest...); err != nil {
		t.Fatal(err)
	}
	head := func(sw *segWitness) *SegmentProof {
		sw.recs = cut(e.recs, 0, c)
		sw.v = e.view(t, sw.recs, 0, 0)
		return pv.prove(t, e, sw)
	}
	omit := func(ev *events) {
		ev.mem = memory.NewTable(nil)
		for _, r := range cut(e.recs, 0, c) {
			for _, a := range r.Accesses {
				if a.Addr/4 != w {
					ev.mem.Touch(a.Addr/4, a.Before, a.After, a.TS)
				}
			}
		}
	}
	rejected(t, pv.link(st, head(&segWitness{alter: omit})), "a written word left out of the table and the list", "segment 0", "bus check failed")
	unlist := func(ts []memtree.Touch) []memtree.Touch {
		i := wordAt(t, ts, w)
		return slices.Delete(ts, i, i+1)
	}
	rejected(t, pv.link(st, head(&segWitness{list: unlist})), "a written word left out of the memtree", "segment 0", "bus check failed")
	other := func(ts []memtree.Touch) []memtree.Touch {
		ts[wordAt(t, ts, w)].Value ^= 0x100
		return ts
	}
	rejected(t, pv.link(st, head(&segWitness{list: other})), "a written word set to another value in the memtree (another final root)", "segment 0", "bus check failed")
	stale := func(ws []memory.Word) []memory.Word {
		i := slices.IndexFunc(ws, func(x memory.Word) bool { return x.Addr == w })
		if ws[i].Init == ws[i].Final {
			t.Fatal("the word is not written")
		}
		ws[i].Final = ws[i].Init
		return ws
	}
	rejected(t, pv.link(st, head(&segWitness{words: stale})), "a written word closed at its stale value", "segment 0", "bus check failed")
	twice := func(ws []memory.Word) []memory.Word {
		i := slices.IndexFunc(ws, func(x memory.Word) bool { return x.Addr == w })
		return slices.Insert(ws, i+1, memory.Word{Addr: w, Init: ws[i].Init, Final: ws[i].Init})
	}
	once := func(ts []memtree.Touch) []memtree.Touch { // the memtree sets w once: its second (stale) row
		i := wordAt(t, ts, w)
		return slices.Delete(ts, i, i+1)
	}
	rejected(t, pv.link(st, head(&segWitness{words: twice, list: once})), "a written word on two memory rows", "segment 0", "bus check failed")
	const untouched = 0x30000 / 4
	poke := func(ws []memory.Word) []memory.Word {
		i, _ := slices.BinarySearchFunc(ws, untouched, func(x memory.Word, a uint32) int { return int(x.Addr) - int(a) })
		return slices.Insert(ws, i, memory.Word{Addr: untouched, Final: 0xdeadbeef, FinalTS: 200})
	}
	rejected(t, pv.link(st, head(&segWitness{words: poke})), "a word no access touched, listed with a new value", "segment 0", "bus check failed")

	// The second segment of a run whose first word is another.
	oin := append([]byte{9, 9, 9, 9}, forgeInput[4:]...)
	_, orecs := e.execute(t, e.p, oin)
	omem := memoryAt(t, e.p, orecs, c)
	oroot := omem.Root()
	if omem.Word(w) != 0x09090909 {
		t.Fatalf("the other run leaves %#x at w", omem.Word(w))
	}
	tail := pv.segment(t, e, cut(orecs, c, len(orecs)), honest[0].State.InEnd, honest[0].State.OutEnd)
	forged := e.statement(func(st *Statement) {
		res, _ := e.execute(t, e.p, oin)
		st.Output = append(bytes.Clone(e.st.Output[:honest[0].State.OutEnd]), res.Output[honest[0].State.OutEnd:]...)
	})
	rejected(t, pv.verify(forged, honest[0], tail), "a segment starting from a memory where a word holds another value than the previous left", "segment 1", "bus check failed")
	l := pv.m.NewLinker(pv.keys.VK, st.Program, st.InputLen, st.InputDigest, st.Context)
	if err := l.Verify(honest[0], forged.Output[:honest[0].State.OutEnd], st.Status, st.ExitCode); err != nil {
		t.Fatal(err)
	}
	if l.root == oroot {
		t.Fatal("the two memories have one root: the test shows nothing")
	}
	l.root = oroot
	if err := l.Verify(tail, forged.Output[honest[0].State.OutEnd:], st.Status, st.ExitCode); err != nil {
		t.Fatalf("the forged segment does not verify on the memory it assumed: the test shows nothing: %v", err)
	}
}

// TestSegmentMemoryRootEdited: a segment state whose final memory root is not the one
// its memtree tables prove — another element, the start root, the image's root — is
// refused (the verifier's root message finds no receiver), and so is a next segment
// linked after it from the root it claims.
func TestSegmentMemoryRootEdited(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	segs := pv.segments(t, e, e.recs, 9, len(e.recs))
	st := e.statement(nil)
	if err := pv.verify(st, segs...); err != nil {
		t.Fatal(err)
	}
	image := ImageRoot(e.p)
	if segs[0].State.MemRoot == image {
		t.Fatal("the first segment leaves the image's memory: the test shows nothing")
	}
	for what, f := range map[string]func(r *hash.Digest){
		"an element of the final root + 1": func(r *hash.Digest) { r[3].SetUint64((r[3].Uint64() + 1) % fieldP) },
		"the image's root":                 func(r *hash.Digest) { *r = image },
		"the next segment's final root":    func(r *hash.Digest) { *r = segs[1].State.MemRoot },
	} {
		sp := *segs[0]
		f(&sp.State.MemRoot)
		if sp.State.MemRoot == segs[0].State.MemRoot {
			t.Fatalf("%s: the root did not change", what)
		}
		rejected(t, pv.link(st, &sp), what, "segment 0", "bus check failed")
		rejected(t, pv.verify(st, &sp, segs[1]), what+", then the next segment", "segment 0", "bus check failed")
	}
}

// TestSegmentForgeInputOffsets: forgeProg reads its input's two words, the first in the
// first segment and the second in the second (cut at the second READ). The cheater
// claims the output of a run that reads the first word twice (output …00000000, the
// first word xor itself), on the real input. Its second segment's READ is at offset 0:
//   - with the public in_start the verifier links (4) — refused by in_off_first;
//   - or the first segment claims its input ends at 0 (it read 4 bytes), so that the
//     second starts there — refused by in_end.
//
// Without the constraint named, the forged run verifies whole.
func TestSegmentForgeInputOffsets(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	c := lastRow(e.recs, isa.ClassEcall, 0)
	for c >= 0 && e.recs[c].Inst.C != isa.SysRead {
		c--
	}
	if c <= 0 {
		t.Fatal("no second READ")
	}
	twice := append(bytes.Clone(forgeInput[:4]), forgeInput[:4]...)
	res, trecs := e.execute(t, e.p, twice)
	st := e.statement(func(st *Statement) { st.Output = res.Output })
	if bytes.Equal(st.Output, e.st.Output) {
		t.Fatal("the forged output is the honest one")
	}
	// The forged continuation: the other run's records, its READ at offset 0.
	tailRecs := func() []trace.Record {
		recs := cut(trecs, c, len(trecs))
		if recs[0].Sys.InputOffset != 4 {
			t.Fatalf("the continuation's READ is at %d", recs[0].Sys.InputOffset)
		}
		recs[0].Sys.InputOffset = 0
		return recs
	}
	outEnd := uint32(len(e.st.Output) - 4)

	// in_start: the verifier's in_start is 4, the I/O table's first in_off 0.
	inStart := func(pv *prover) []*SegmentProof {
		head := pv.segment(t, e, cut(e.recs, 0, c), 0, 0)
		recs := tailRecs()
		v := e.view(t, recs, 0, outEnd) // the READ at 0 ends the input at 4
		v.inStart = head.State.InEnd
		return []*SegmentProof{head, pv.prove(t, e, &segWitness{recs: recs, v: v})}
	}
	pv := e.machine(t)
	rejected(t, pv.verify(st, inStart(pv)...), "a segment reading from another input offset than the previous left", "segment 1", "constraints check failed for table io")
	pw := e.machine(t, check{"io", []string{"in_off_first"}})
	passesWithout(t, pw.verify(st, inStart(pw)...), "a segment reading from another input offset", pw)

	// in_end: the first segment read 4 bytes and claims its input ends at 0.
	inEnd := func(pv *prover) []*SegmentProof {
		recs := cut(e.recs, 0, c)
		v := e.view(t, recs, 0, 0)
		v.state.InEnd = 0
		return []*SegmentProof{pv.prove(t, e, &segWitness{recs: recs, v: v}), pv.segment(t, e, tailRecs(), 0, outEnd)}
	}
	// Two checks refuse it: the I/O chip's in_end, and the input table, which for a
	// segment whose input ends at 0 absorbs no block, so that the READ at 0 has no
	// receiver on the Input bus (a READ outside the segment's blocks).
	rejected(t, pv.verify(st, inEnd(pv)...), "a segment claiming less input read than it read", "segment 0", "bus check failed")
	pw = e.machine(t, check{"io", []string{"in_end"}})
	rejected(t, pw.verify(st, inEnd(pw)...), "a segment claiming less input read, without in_end", "segment 0", "bus check failed")
}

// TestSegmentForgeOutputOffsets: a segment's WRITEs are sent on the Output bus at their
// absolute positions, and the verifier receives the claim's bytes at [out_start,
// out_end): a segment that writes 3 bytes and claims none (so the claim can drop them),
// or the last segment's WRITE placed over the first bytes of the output (the claim's
// bytes where the honest run has them), leaves the Output bus unbalanced.
func TestSegmentForgeOutputOffsets(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	const c = 22 // the second READ: the loop's three WRITEs before, the last WRITE after
	recs := cut(e.recs, 0, c)
	v := e.view(t, recs, 0, 0)
	if v.state.OutEnd != 3 {
		t.Fatalf("the first segment writes %d bytes", v.state.OutEnd)
	}
	// The cheater hides the output altogether: no bytes, the sponge unchanged.
	v.state.OutEnd, v.state.OutState, v.output = 0, v.outState, nil
	dropped := e.statement(func(st *Statement) { st.Output = st.Output[3:] })
	rejected(t, pv.link(dropped, pv.prove(t, e, &segWitness{recs: recs, v: v})), "a segment hiding its output", "segment 0", "bus check failed")

	head := pv.segment(t, e, cut(e.recs, 0, c), 0, 0)
	recs = cut(e.recs, c, len(e.recs))
	v = e.view(t, recs, head.State.InEnd, head.State.OutEnd)
	for i := range recs {
		if recs[i].Inst.Op == isa.ECALL && recs[i].Inst.C == isa.SysWrite {
			recs[i].Sys.OutputOffset = 0
		}
	}
	rejected(t, pv.verify(e.st, head, pv.prove(t, e, &segWitness{recs: recs, v: v})), "a WRITE placed at another output position", "segment 1", "bus check failed")
}

// TestSegmentForgeReadPastEnd: a program reads two words of a 4-byte input, so its
// second READ, the first of its second segment, is past the input's end (the executor
// stops: input exhausted). The cheater claims it read four zero bytes and wrote them.
// Its second segment's input offsets run from 4 to 8: an end past the input is refused
// before the STARK; claiming the end at 4, the I/O table's READ finds no byte left
// (read_full: input_len − in_off − 4 is not a 30-bit gap) and its offsets do not end at
// in_end.
func TestSegmentForgeReadPastEnd(t *testing.T) {
	const src = ".fp 0x1000\nmain: ecall read, [4]\n ecall read, [8]\n ecall write, [8], 4\n halt 0\n"
	in := []byte{1, 2, 3, 4}
	e := newForgeEnv(t, src, in)
	if e.st.Status != isa.StatusInputExhausted {
		t.Fatalf("the run ends with %s", e.st.Status)
	}
	res, recs := e.execute(t, e.p, append(bytes.Clone(in), 0, 0, 0, 0))
	st := e.statement(func(st *Statement) {
		st.Status, st.ExitCode, st.Cycles, st.Output = isa.StatusHalted, 0, uint64(len(recs)), res.Output
	})
	pv := e.machine(t)
	head := pv.segment(t, e, cut(recs, 0, 1), 0, 0)
	tail := func(inEnd uint32) *SegmentProof {
		rs := cut(recs, 1, len(recs))
		v := e.view(t, rs, 4, 0)
		v.state.InEnd = inEnd
		return pv.prove(t, e, &segWitness{recs: rs, v: v})
	}
	rejected(t, pv.verify(st, head, tail(8)), "a READ past the input's end, its end at 8", "segment 1", "input offset 8 at the end")
	rejected(t, pv.verify(st, head, tail(4)), "a READ past the input's end, its end at 4", "segment 1")
}

// TestSegmentForgeClock: a segment's clock starts at 0 and its accesses open their words
// at timestamp 0.
//   - The second segment of forgeProg (cut after 9 cycles) proven without rebasing its
//     clock (clk 9 … 26; its first accesses still open at timestamp 0) claims 27 cycles,
//     so that the run's claim counts 36: refused by first_clk (cycles holds: the last
//     row's clk is 26). Without first_clk, the inflated run verifies whole.
//   - A first access whose previous timestamp is 64 (not 0, below the segment's first
//     cycle): nothing sends (word, value, 64), the Memory bus does not balance.
//   - Cycles above MaxCycles (timestamps past 2^28) or 0: refused before the STARK.
func TestSegmentForgeClock(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	const c = 9
	n := len(e.recs)
	st := e.statement(func(st *Statement) { st.Cycles = uint64(c + n) })
	clock := func(pv *prover) []*SegmentProof {
		head := pv.segment(t, e, cut(e.recs, 0, c), 0, 0)
		rebased := cut(e.recs, c, n)
		recs := make([]trace.Record, n-c)
		for i := range recs {
			recs[i] = *e.recs[c+i].Clone()
			for j := range recs[i].Accesses {
				if a := &recs[i].Accesses[j]; rebased[i].Accesses[j].First {
					a.PrevTS, a.First = 0, true
				}
			}
		}
		v := e.view(t, rebased, head.State.InEnd, head.State.OutEnd)
		v.state.Cycles = uint64(n)
		// The padding rows' clk continues from the last real row's (the trace builder
		// counts from 0), with their accesses' placeholder timestamps to match.
		pad := func(table string, a *air.AIR, cols [][]field.Elem) {
			if table != "cpu" {
				return
			}
			clk, prev := map[int]uint64{}, [3]map[int]uint64{{}, {}, {}}
			for r := n - c; r < len(cols[0]); r++ {
				clk[r] = uint64(r + c)
				for slot := range prev {
					prev[slot][r] = trace.TS(uint64(r+c), slot) - 1
				}
			}
			set(t, a, cols, "clk", clk)
			for slot, name := range []string{"mem_b", "mem_c", "mem_a"} {
				set(t, a, cols, name+".prev_ts", prev[slot])
			}
		}
		return []*SegmentProof{head, pv.prove(t, e, &segWitness{recs: recs, v: v, patch: pad, mem: memoryAt(t, e.p, e.recs, c)})}
	}
	pv := e.machine(t)
	rejected(t, pv.verify(st, clock(pv)...), "a segment whose clock does not start at 0", "segment 1", "constraints check failed for table cpu")
	pw := e.machine(t, check{"cpu", []string{"first_clk"}})
	passesWithout(t, pw.verify(st, clock(pw)...), "a segment whose clock does not start at 0", pw)

	head := pv.segment(t, e, cut(e.recs, 0, c), 0, 0)
	recs := cut(e.recs, c, n)
	v := e.view(t, recs, head.State.InEnd, head.State.OutEnd)
	found := false
	for i := range recs {
		for j := range recs[i].Accesses {
			if a := &recs[i].Accesses[j]; a.First && !found {
				a.PrevTS, a.First, found = 64, false, true
			}
		}
	}
	rejected(t, pv.verify(e.st, head, pv.prove(t, e, &segWitness{recs: recs, v: v})), "a first access opening at timestamp 64", "segment 1", "bus check failed")

	tail := pv.segment(t, e, cut(e.recs, c, n), head.State.InEnd, head.State.OutEnd)
	for _, cycles := range []uint64{MaxCycles + 1, 1 << 22, 1<<64 - 1, 0} {
		sp := *tail
		sp.State.Cycles = cycles
		rejected(t, pv.verify(e.statement(func(st *Statement) { st.Cycles = c + cycles }), head, &sp),
			fmt.Sprintf("a segment of %d cycles", cycles), "segment 1", "a segment of")
	}
}

// TestSegmentForgeSkipInstruction: the second segment starts one instruction after the
// first segment's exit (it skips the JMP), claiming a run one cycle shorter. The
// verifier's entry is the previous exit: refused by first_pc. Without it, the shorter
// run verifies.
func TestSegmentForgeSkipInstruction(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	j := lastRow(e.recs, isa.ClassJump, 0)
	n := len(e.recs)
	st := e.statement(func(st *Statement) { st.Cycles-- })
	skip := func(pv *prover) []*SegmentProof {
		head := pv.segment(t, e, cut(e.recs, 0, j), 0, 0)
		recs := cut(e.recs, j+1, n)
		v := e.view(t, recs, head.State.InEnd, head.State.OutEnd)
		v.entryPC, v.entryFP = head.State.ExitPC, head.State.ExitFP
		return []*SegmentProof{head, pv.prove(t, e, &segWitness{recs: recs, v: v})}
	}
	pv := e.machine(t)
	rejected(t, pv.verify(st, skip(pv)...), "a segment skipping the instruction it starts at", "segment 1", "constraints check failed for table cpu")
	pw := e.machine(t, check{"cpu", []string{"first_pc"}})
	passesWithout(t, pw.verify(st, skip(pw)...), "a segment skipping the instruction it starts at", pw)
}

// TestSegmentProofDecodeCanonical: the decoder against re-encodings of an honest segment
// proof. Every byte of the state (the final memory root included) flipped: each encoding
// that decodes to another state is refused by the linker; one that decodes to the same
// state verifies as the original does (the STARK binds the state, never its bytes). The
// state is fixed-size and every element canonical, so no two byte strings carry one
// state. Trailing bytes are refused (stark.Decode).
func TestSegmentProofDecodeCanonical(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	seg := pv.segments(t, e, e.recs, 9, len(e.recs))[0]
	st := e.statement(nil)
	enc := seg.Encode()
	proof := seg.Proof.Encode()
	head := len(enc) - len(proof)
	if err := pv.link(st, seg); err != nil {
		t.Fatal(err)
	}

	if _, err := DecodeSegmentProof(append(bytes.Clone(enc), 0)); err == nil {
		t.Fatal("a trailing byte is accepted")
	}

	same, other, bad := 0, 0, 0
	for i := range head {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			m := bytes.Clone(enc)
			m[i] ^= x
			d, err := DecodeSegmentProof(m)
			if err != nil {
				bad++
				continue
			}
			if equalState(&d.State, &seg.State) {
				same++
				if err := pv.link(st, d); err != nil {
					t.Fatalf("byte %d ^ %#x: the same state does not verify: %v", i, x, err)
				}
				continue
			}
			other++
			rejected(t, pv.link(st, d), fmt.Sprintf("byte %d ^ %#x: another state", i, x))
		}
	}
	t.Logf("%d state bytes flipped: %d not decoded, %d another state (each refused), %d the same state", head, bad, other, same)
}

func equalState(a, b *SegmentState) bool {
	return a.Cycles == b.Cycles && a.Final == b.Final && a.ExitPC == b.ExitPC && a.ExitFP == b.ExitFP &&
		a.InEnd == b.InEnd && a.OutEnd == b.OutEnd && a.HookEnd == b.HookEnd && a.HookState == b.HookState &&
		a.MemRoot == b.MemRoot && a.OutState == b.OutState && a.InState == b.InState
}
