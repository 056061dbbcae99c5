package machine

// Field-encoding audit (docs/isa.md, "Field encoding and range arguments"): every
// instruction field and operand that enters a table as a field element, forged at an
// alias (p + k, or a limb alias 2^16·h + k where a value travels as 16-bit limbs). Each
// forgery is a cheating prover: it starts from honest records, keeps every bus balanced
// and commits consistently, and the verifier must reject it. Each test then proves the
// same forgery on a machine whose AIR lacks the check named as the protection (and with
// the range table's counts of the dropped lookups undone): that proof must verify, so the
// test fails if the check is ever removed or stops being the one that matters.

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/chips/rom"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// forgery is a cheating prover's witness recipe: the records it claims, the events it
// builds the tables from (alter), and edits of the finished tables (patch, called with
// every table, the CPU's included, before the proof is made).
type forgery struct {
	prog  *isa.Program
	st    *Statement
	recs  []trace.Record
	alter func(ev *events)
	patch func(table string, a *air.AIR, cols [][]field.Elem)
	// view edits the segment's view (its claimed state) before its publics are taken.
	view func(v *segmentView)
}

// check names the protection of a field: constraints and interactions of one table.
type check struct {
	table string
	names []string
}

// prove makes the forged proof on a machine whose AIRs lack the dropped checks (none:
// the real machine) and returns the verifier's answer. fix undoes, in the finished
// tables, what the trace builders counted for the dropped lookups (the range table's
// multiplicities).
func (f *forgery) prove(t *testing.T, drop []check, fix func(table string, a *air.AIR, cols [][]field.Elem)) error {
	t.Helper()
	m := machineWithout(t, drop)
	keys, err := m.Setup(f.prog)
	if err != nil {
		t.Fatal(err)
	}
	ev := collect(f.st.Program, f.recs)
	ev.input = withInputDigest(f.st).Input
	if f.alter != nil {
		f.alter(ev)
	}
	ev.inputLen = f.st.InputLen
	v := single(f.st, f.recs, ev)
	if f.view != nil {
		f.view(v)
	}
	w := &stark.Witness{Main: make([][][]field.Elem, len(m.chips)), Publics: v.publics(m), Bus: v.messages()}
	for i, c := range m.chips {
		if c.name == "cpu" {
			w.Main[i] = cpuTrace(f.recs, ev)
			continue
		}
		if w.Main[i], err = c.trace(ev); err != nil {
			t.Fatalf("%s trace: %v", c.name, err)
		}
	}
	for i, c := range m.chips {
		if len(w.Main[i]) == 0 {
			continue
		}
		if f.patch != nil {
			f.patch(c.name, c.air, w.Main[i])
		}
		if fix != nil {
			fix(c.name, c.air, w.Main[i])
		}
	}
	proof, err := m.engine.Prove(keys.PK, w)
	if err != nil {
		t.Fatalf("the prover failed before the verifier could judge: %v", err)
	}
	return m.Verify(keys.VK, f.st, &SegmentProof{State: *v.state, Proof: proof})
}

// mustReject proves the forgery on the real machine: the verifier must reject it.
func (f *forgery) mustReject(t *testing.T, what string) {
	t.Helper()
	if err := f.prove(t, nil, nil); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("%s: the forged statement verifies (%v)", what, err)
	} else {
		t.Logf("%s: rejected: %v", what, err)
	}
}

// mustPassWithout proves the forgery on a machine without the protecting checks: it must
// verify there, or the test does not show what protects the field.
func (f *forgery) mustPassWithout(t *testing.T, what string, drop []check, fix func(table string, a *air.AIR, cols [][]field.Elem)) {
	t.Helper()
	if err := f.prove(t, drop, fix); err != nil {
		t.Fatalf("%s: without %v the forgery still fails (%v): the check named is not what protects the field", what, drop, err)
	}
}

// without is a copy of a with the named constraints and interactions left out.
// machineWithout is the machine on the chip tests' parameters with the checks drop
// names removed from their tables' AIRs: what a cheating prover proves against.
func machineWithout(t *testing.T, drop []check) *Machine {
	t.Helper()
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		t.Fatal(err)
	}
	m := New(e)
	for _, d := range drop {
		found := false
		for i := range m.chips {
			if m.chips[i].name == d.table {
				m.chips[i].air = without(t, m.chips[i].air, d.names)
				found = true
			}
		}
		if !found {
			t.Fatalf("no table %q", d.table)
		}
	}
	return m
}

func without(t *testing.T, a *air.AIR, names []string) *air.AIR {
	t.Helper()
	b := *a
	b.Constraints, b.Interactions = nil, nil
	left := map[string]bool{}
	for _, n := range names {
		left[n] = true
	}
	for _, c := range a.Constraints {
		if left[c.Name] {
			delete(left, c.Name)
			continue
		}
		b.Constraints = append(b.Constraints, c)
	}
	for _, in := range a.Interactions {
		if left[in.Name] {
			delete(left, in.Name)
			continue
		}
		b.Interactions = append(b.Interactions, in)
	}
	if len(left) > 0 {
		t.Fatalf("%s has no check %v", a.Name, left)
	}
	return &b
}

// column is the index of a's main column name.
func column(t *testing.T, a *air.AIR, name string) int {
	t.Helper()
	i := slices.Index(a.Main, name)
	if i < 0 {
		t.Fatalf("%s has no column %q", a.Name, name)
	}
	return i
}

// uncount adds delta to the range table's multiplicity of value v in column m ("m16",
// "m12", "m8"): a dropped lookup's count, taken back.
func uncount(t *testing.T, table string, a *air.AIR, cols [][]field.Elem, m string, v uint32, delta int64) {
	t.Helper()
	if table != "range" {
		return
	}
	c := &cols[column(t, a, m)][v]
	d := field.NewInt(delta)
	c.Add(c, &d)
}

// execStatus runs p and returns how the executor ends it.
func execStatus(t *testing.T, p *isa.Program) isa.ExitStatus {
	t.Helper()
	r, err := exec.Run(context.Background(), p, exec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r.ExitStatus
}

// honest runs src and returns its program, result and records.
func honest(t *testing.T, src string) (*isa.Program, *exec.Result, []trace.Record) {
	t.Helper()
	p := assemble(t, src)
	res, recs, err := Execute(context.Background(), p, exec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p, res, recs
}

// remapMemory rebuilds the memory table's words from the records with the word indices
// moved by to (word index → forged word index, a field element the records cannot
// express as a byte address).
func remapMemory(p *isa.Program, recs []trace.Record, to map[uint32]uint32) func(*events) {
	return func(ev *events) {
		ev.mem = memory.NewTable(Image(p))
		for i := range recs {
			for _, a := range recs[i].Accesses {
				w := a.Addr / 4
				if v, ok := to[w]; ok {
					w = v
				}
				ev.mem.Touch(w, a.Before, a.After, a.TS)
			}
		}
	}
}

// TestCallTargetAbovePRejected forges a CALL through [8] = p + 3 that lands on pc 3: the
// executor traps at the fetch of p + 3 (invalid pc). CALL's target is C, c_lo + 2^16·c_hi
// in the field, which is 3 for p + 3; the CPU's target range check (4·c_hi < 2^16, sent
// for CALL as for JMP and taken branches) is what refuses it.
func TestCallTargetAbovePRejected(t *testing.T) {
	const pPlus3 = fieldP + 3
	p, res, recs := honest(t, ".fp 0x1000\nmain: add [8], 0x7f000000, 4\n call [8], 16\n halt 1\n halt 7\n")
	if res.ExitStatus != isa.StatusInvalidPC || len(recs) != 2 || recs[1].NextPC != pPlus3 {
		t.Fatalf("the executor must call p+3 and trap: %s after %d records", res.ExitStatus, len(recs))
	}
	recs[1].NextPC = 3
	halt := trace.Record{Clk: 2, PC: 3, FP: recs[1].NextFP, NextPC: 3, NextFP: recs[1].NextFP, Inst: p.Code[3], B: 7}
	f := &forgery{prog: p, st: &Statement{Program: p, Status: isa.StatusHalted, ExitCode: 7, Cycles: 3}, recs: append(recs, halt)}
	f.mustReject(t, "a call to p+3 proven as a call to 3")
	f.mustPassWithout(t, "a call to p+3", []check{{"cpu", []string{"target_range"}}},
		func(table string, a *air.AIR, cols [][]field.Elem) {
			uncount(t, table, a, cols, "m16", (pPlus3>>16)*4&0xffff, -1) // the CALL row's lookup
		})
}

// TestRetTargetAbovePRejected forges a RET to [fp] = p + 3 that lands on pc 3 (the
// executor traps at the fetch of p + 3). The frame chip reads the return pc as
// pc_lo + 2^16·pc_hi with the word's limbs (4, 0x7f00): p + 3 ≡ 3 in the field, unless
// pc_hi < 2^14 (its U16 lookup of 4·pc_hi).
func TestRetTargetAbovePRejected(t *testing.T) {
	const pPlus3 = fieldP + 3
	p, res, recs := honest(t, ".fp 0x1000\nmain: add [0], 0x7f000000, 4\n mov [4], 0x1000\n ret\n halt 7\n")
	if res.ExitStatus != isa.StatusInvalidPC || len(recs) != 3 || recs[2].NextPC != pPlus3 {
		t.Fatalf("the executor must return to p+3 and trap: %s after %d records", res.ExitStatus, len(recs))
	}
	recs[2].NextPC = 3
	halt := trace.Record{Clk: 3, PC: 3, FP: 0x1000, NextPC: 3, NextFP: 0x1000, Inst: p.Code[3], B: 7}
	// The frame chip's row holds the word as read, (4, 0x7f00): its pc is p + 3 ≡ 3.
	alter := func(ev *events) {
		for i := range ev.frame {
			if !ev.frame[i].Call {
				ev.frame[i].PC = pPlus3
			}
		}
	}
	f := &forgery{prog: p, st: &Statement{Program: p, Status: isa.StatusHalted, ExitCode: 7, Cycles: 4}, recs: append(recs, halt), alter: alter}
	f.mustReject(t, "a return to p+3 proven as a return to 3")
	f.mustPassWithout(t, "a return to p+3", []check{{"frame", []string{"pc_hi_range14"}}},
		func(table string, a *air.AIR, cols [][]field.Elem) {
			uncount(t, table, a, cols, "m16", (pPlus3>>16)*4&0xffff, -1)
		})
}

// TestDecodeInjective checks the ROM's encoding of instructions as field elements: two
// valid, different instructions never fetch the same Program-bus tuple (kind, sub_op,
// a_off, b_off, c_off, b_imm_lo, b_imm_hi, c_imm_lo, c_imm_hi), every fetchable tuple is
// the one rom.Preprocessed commits, and its fields are what the CPU reads back: kind a
// class 1…10 plus flag bits, offsets off/4 in [−2^29, 2^29) (so fp + off cannot wrap
// into [0, 2^30) for fp < 2^30), immediates as 16-bit limbs. Field values at and around
// p (p + 3 as a slot offset, an immediate, a syscall number) are among the samples.
func TestDecodeInjective(t *testing.T) {
	edges := []uint32{0, 4, 8, 0xfffffffc, 0xfffffff8, 0x7ffffffc, 0x80000000, fieldP - 1, fieldP + 3, 2*fieldP + 1,
		1<<16 + 3, 1 << 16, 0xffff, 3, 1, 0x10, 0x11, 0x2e, 1<<30 + 4}
	rng := rand.New(rand.NewSource(1))
	pick := func() uint32 {
		if rng.Intn(2) == 0 {
			return edges[rng.Intn(len(edges))]
		}
		return rng.Uint32()
	}
	seen := map[string]isa.Instruction{}
	n := 0
	for _, op := range isa.Opcodes() {
		for range 3000 {
			in := isa.Instruction{Op: op, Flags: isa.Flags(rng.Intn(4)), A: pick(), B: pick(), C: pick()}
			if rng.Intn(4) == 0 {
				in.A = 0
			}
			if rng.Intn(4) == 0 {
				in.B = 0
			}
			if rng.Intn(4) == 0 {
				in.C = 0
			}
			if in.Validate() != nil {
				continue
			}
			r := rom.Decode(0, in)
			if r.Kind == 0 {
				if in.Op.Class() == isa.ClassEcall && in.C >= rom.MaxSyscall {
					continue // unfetchable (TestSyscallNumbersInjective)
				}
				t.Fatalf("%v decodes to kind 0", in)
			}
			tuple := []field.Elem{field.New(uint64(r.Kind)), field.New(uint64(r.SubOp)), field.NewInt(int64(r.AOff)),
				field.NewInt(int64(r.BOff)), field.NewInt(int64(r.COff)), field.New(uint64(r.BImm & 0xffff)),
				field.New(uint64(r.BImm >> 16)), field.New(uint64(r.CImm & 0xffff)), field.New(uint64(r.CImm >> 16))}
			// The committed column equals the decoded row.
			prep := rom.Preprocessed([]isa.Instruction{in})
			for i, e := range tuple {
				if !prep[i+1][0].Equal(&e) {
					t.Fatalf("%v: ROM column %d holds %v, the decoded row %v", in, i+1, prep[i+1][0], e)
				}
			}
			if k := r.Kind & 15; k < 1 || k > rom.NumClasses || r.Kind >= 256 {
				t.Fatalf("%v: kind %d", in, r.Kind)
			}
			if r.AOff < -1<<29 || r.AOff >= 1<<29 || r.BOff < -1<<29 || r.BOff >= 1<<29 || r.COff < -1<<29 || r.COff >= 1<<29 {
				t.Fatalf("%v: offsets %d %d %d", in, r.AOff, r.BOff, r.COff)
			}
			key := fmt.Sprint(tuple)
			if prev, ok := seen[key]; ok && prev != in {
				t.Fatalf("%v and %v fetch the same tuple %s", prev, in, key)
			}
			seen[key] = in
			n++
		}
	}
	t.Logf("%d valid instructions, %d tuples, no collision", n, len(seen))
}

// rows sets a column of a table on the given rows (a forged value the records cannot
// carry, such as a word index ≥ 2^30).
func rows(t *testing.T, table, name string, set map[int]field.Elem) func(string, *air.AIR, [][]field.Elem) {
	return func(tb string, a *air.AIR, cols [][]field.Elem) {
		if tb != table {
			return
		}
		c := column(t, a, name)
		for r, v := range set {
			cols[c][r] = v
		}
	}
}

// TestSlotBelowZeroRejected forges a run whose `add [fp−8], [fp−8], 5` at fp = 4 reads and
// writes the slot at byte −4 (the executor traps: bad frame). The ROM holds the offset
// as −8/4 = −2 and the CPU computes the word fp/4 − 2 = −1 = p − 1 in the field; the
// forger opens and closes word p − 1 in the memory table. The memory table's address
// bound (addr < 2^30: 4·addr_hi < 2^16) refuses it: fp < 2^30 and off/4 ∈ [−2^29, 2^29)
// put a negative slot at p − 2^29 or above, never below 2^30. So does the verifier's
// bound on the segment's touched words (each below 2^30, received on the MemoryFinal
// bus): two protections, so no single one can be dropped to show the other.
func TestSlotBelowZeroRejected(t *testing.T) {
	const pMinus1 = fieldP - 1
	good, _, recs := honest(t, ".fp 4\nmain: add [-4], [-4], 5\n halt 5\n")
	bad := good.Clone()
	bad.Code[0].A, bad.Code[0].B = 0xfffffff8, 0xfffffff8 // −8
	if s := execStatus(t, bad); s != isa.StatusBadFrame {
		t.Fatalf("the executor must trap on the slot fp−8: %s", s)
	}
	recs[0].Inst = bad.Code[0]
	f := &forgery{prog: bad, st: &Statement{Program: bad, Status: isa.StatusHalted, ExitCode: 5, Cycles: 2}, recs: recs,
		alter: remapMemory(bad, recs, map[uint32]uint32{0: pMinus1})}
	f.mustReject(t, "a slot at byte −4 proven as word p−1")
}

// TestCallFrameBelowZeroRejected forges `call f, −16` at fp = 4: the new frame would
// start at byte −12 (the executor traps: bad frame). The CPU's next fp is
// fp/4 + a/4 = 1 − 4 = p − 3 in the field, and the frame chip writes the frame words
// p − 3 and p − 2, which the forger opens in the memory table; its address bound refuses
// them, and so does the verifier's bound on the touched words. (The fp the CPU carries is therefore always a word index below 2^30: the entry
// fp is public, CALL's is a memory address, RET's is range-checked by the frame chip.)
func TestCallFrameBelowZeroRejected(t *testing.T) {
	const pMinus3 = fieldP - 3
	good, _, recs := honest(t, ".fp 16\nmain: call f, -16\n halt 1\nf: halt 7\n")
	bad := good.Clone()
	bad.FP = 4
	if s := execStatus(t, bad); s != isa.StatusBadFrame {
		t.Fatalf("the executor must trap on the frame at −12: %s", s)
	}
	recs[0].FP = 4
	recs[0].Accesses[1].After = 4 // the saved fp, now 4
	pm3 := field.New(pMinus3)
	alter := func(ev *events) {
		remapMemory(bad, recs, map[uint32]uint32{0: pMinus3, 1: pMinus3 + 1})(ev)
		ev.frame[0].FP = pMinus3
	}
	f := &forgery{prog: bad, st: &Statement{Program: bad, Status: isa.StatusHalted, ExitCode: 7, Cycles: 2}, recs: recs, alter: alter}
	cpuFP := rows(t, "cpu", "next_fp", map[int]field.Elem{0: pm3})
	cpuFP2 := rows(t, "cpu", "fp", map[int]field.Elem{1: pm3})
	f.patch = func(tb string, a *air.AIR, cols [][]field.Elem) { cpuFP(tb, a, cols); cpuFP2(tb, a, cols) }
	f.mustReject(t, "a call frame at byte −12 proven as word p−3")
}

// TestExitCodeAliasRejected: a run that halts with the code p + 3 does not prove the
// exit code 3. The code travels as the limbs of B (ROM immediates, or a memory word:
// 16-bit limbs either way) and the verifier's Exit message splits the claimed code the
// same way, so (4, 0x7f00) never meets (3, 0); no sum of limbs is formed in the field.
func TestExitCodeAliasRejected(t *testing.T) {
	for _, src := range []string{".fp 0x1000\nmain: halt 0x7f000004\n", ".fp 0x1000\nmain: mov [8], 0x7f000004\n halt [8]\n"} {
		p, res, recs := honest(t, src)
		if res.ExitCode != fieldP+3 {
			t.Fatalf("exit code 0x%x", res.ExitCode)
		}
		f := &forgery{prog: p, st: &Statement{Program: p, Status: isa.StatusHalted, ExitCode: 3, Cycles: res.Cycles}, recs: recs}
		f.mustReject(t, "exit code p+3 proven as 3")
	}
}

// TestCyclesAbovePRejected: the cycle count is the CPU's public value, a field element,
// so the honest proof of a 2-cycle run is also a proof "of p + 2 cycles" as far as the
// engine can tell; the statement check (1 ≤ cycles ≤ MaxCycles, which also keeps every
// timestamp below 2^28) is what refuses it.
func TestCyclesAbovePRejected(t *testing.T) {
	r := newRun(t, ".fp 0x1000\nmain: mov [8], 5\n halt [8]\n", nil)
	proof := r.prove(t)
	st := *r.st
	st.Cycles = fieldP + st.Cycles
	if err := r.m.Verify(r.keys.VK, &st, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("a run of p+2 cycles proven by a run of 2: %v", err)
	}
	// Without the statement check the engine accepts it.
	if err := r.m.engine.Verify(r.keys.VK, proof.Proof, r.m.publicsOf(&st, r.recs, nil), messagesOf(&st, r.recs, nil)); err != nil {
		t.Fatalf("the engine alone must accept the aliased cycle count (the statement check is the protection): %v", err)
	}
}

// TestWriteCountAliasRejected forges `ecall write, [8], 0x10003`: B is not in 1..4 (the
// executor traps: bad syscall argument), but its low limb is 3. The I/O chip takes the
// count from b_lo and requires b_hi = 0; without that, the WRITE of 0x10003 bytes would
// prove as a WRITE of 3.
func TestWriteCountAliasRejected(t *testing.T) {
	good, res, recs := honest(t, ".fp 0x1000\nmain: mov [8], 0x41424344\n ecall write, [8], 3\n halt 0\n")
	if string(res.Output) != "DCB" {
		t.Fatalf("honest output %q", res.Output)
	}
	bad := good.Clone()
	bad.Code[1].B = 1<<16 + 3
	if s := execStatus(t, bad); s != isa.StatusBadArgument {
		t.Fatalf("the executor must refuse a WRITE of 0x10003 bytes: %s", s)
	}
	recs[1].Inst, recs[1].B = bad.Code[1], bad.Code[1].B
	// The I/O row is the honest WRITE of 3 with b_hi = 1, the ECALL's high limb.
	alter := func(ev *events) { ev.syscall[0].B = 3 }
	f := &forgery{prog: bad, st: &Statement{Program: bad, Status: isa.StatusHalted, Cycles: 3, Output: res.Output}, recs: recs,
		alter: alter, patch: rows(t, "io", "b_hi", map[int]field.Elem{0: field.New(1)})}
	f.mustReject(t, "a WRITE of 0x10003 bytes proven as 3")
	f.mustPassWithout(t, "a WRITE of 0x10003 bytes", []check{{"io", []string{"write_count_hi"}}}, nil)
}

// TestU256OffsetAliasRejected forges `ecall u256_copy, [8], 0x10020`: the offset is past
// 2^16 − 32 (the executor traps: bad syscall argument), but its low limb is 32. The u256
// chip reads B = 32·kk from b_lo and requires b_hi = 0 (for COPY and SWAP, and for the
// selectors of CMP, BIT, SHIFT and UNARY); without that, the copy from [a] + 0x10020
// would prove as a copy from [a] + 32.
func TestU256OffsetAliasRejected(t *testing.T) {
	src := ".fp 0x1000\n.data 0x2000\n.word 1, 2, 3, 4, 5, 6, 7, 8\n.word 9, 10, 11, 12, 13, 14, 15, 16\n" +
		".text\nmain: mov [8], 0x2000\n ecall u256_copy, [8], 32\n halt 0\n"
	good, res, recs := honest(t, src)
	if res.ExitStatus != isa.StatusHalted {
		t.Fatalf("honest run: %s", res.ExitStatus)
	}
	bad := good.Clone()
	bad.Code[1].B = 1<<16 + 32
	if s := execStatus(t, bad); s != isa.StatusBadArgument {
		t.Fatalf("the executor must refuse a copy offset of 0x10020: %s", s)
	}
	recs[1].Inst, recs[1].B = bad.Code[1], bad.Code[1].B
	// The forged row's kk is 1 (b_lo = 32), not B/32.
	f := &forgery{prog: bad, st: &Statement{Program: bad, Status: isa.StatusHalted, Cycles: 3}, recs: recs,
		patch: rows(t, "u256_memory", "kk", map[int]field.Elem{0: field.New(1)})}
	f.mustReject(t, "a u256_copy from [a] + 0x10020 proven as one from [a] + 32")
	f.mustPassWithout(t, "a u256_copy from [a] + 0x10020", []check{{"u256_memory", []string{"b_hi_zero"}}},
		func(table string, a *air.AIR, cols [][]field.Elem) {
			// The trace counted kk − 1 = 0x10020/32 − 1; the row's kk − 1 is 0.
			uncount(t, table, a, cols, "m12", (1<<16+32)/32-1, -1)
			uncount(t, table, a, cols, "m12", 0, 1)
		})
}

// TestLoadOffsetAliasRejected forges `lw [12], [8], p + 4` with [8] = 0x2000: the executor
// loads from 0x2000 + p + 4 (a zero word), the forger from 0x2004 (0x22222222). The
// load/store chip adds base and offset limb by limb: 0x2000 + 5 = k + 4·word_lo + 2^16·c0
// and 0 + 0x7f00 + c0 = addr_hi + 2^16·c1, so the word index word_lo + 2^14·addr_hi
// (with k = 0, word_lo = 0x2005/4 in the field, addr_hi = 0x7f00) is
// (0x2005 + 0x7f000000)/4 = (p + 0x2004)/4 ≡ 0x801, the word at 0x2004. word_lo < 2^16
// (its U16 lookup; 4·word_lo = 0x2005 passes its own) is what makes the sum an integer.
func TestLoadOffsetAliasRejected(t *testing.T) {
	const off = fieldP + 4
	src := ".fp 0x1000\n.data 0x2000\n.word 0x11111111, 0x22222222\n.text\nmain: mov [8], 0x2000\n lw [12], [8], 4\n halt [12]\n"
	good, res, recs := honest(t, src)
	if res.ExitCode != 0x22222222 {
		t.Fatalf("honest exit code 0x%x", res.ExitCode)
	}
	bad := good.Clone()
	bad.Code[1].C = off
	r, err := exec.Run(context.Background(), bad, exec.Options{})
	if err != nil || r.ExitStatus != isa.StatusHalted || r.ExitCode != 0 {
		t.Fatalf("the executor must load the zero word at 0x2000 + p + 4: %v %s 0x%x", err, r.ExitStatus, r.ExitCode)
	}
	recs[1].Inst, recs[1].C = bad.Code[1], off
	var inv4 field.Elem
	four := field.New(4)
	inv4.Inverse(&four)
	wordLo := field.New(0x2005)
	wordLo.Mul(&wordLo, &inv4)
	set := map[string]field.Elem{"off_lo": field.New(off & 0xffff), "off_hi": field.New(off >> 16), "word_lo": wordLo, "addr_hi": field.New(off >> 16)}
	patch := func(table string, a *air.AIR, cols [][]field.Elem) {
		if table == "loadstore" {
			for name, v := range set {
				cols[column(t, a, name)][0] = v
			}
		}
		// The row's lookups of 4·word_lo and addr_hi: 0x2005 and 0x7f00 (the honest 0x2004 and 0).
		uncount(t, table, a, cols, "m16", 0x2004, -1)
		uncount(t, table, a, cols, "m16", 0x2005, 1)
		uncount(t, table, a, cols, "m16", 0, -1)
		uncount(t, table, a, cols, "m16", off>>16, 1)
	}
	// The row is filled as the honest load at 0x2000 + 4, then given the forged limbs.
	alter := func(ev *events) { ev.loadStore[0].Off = 4 }
	f := &forgery{prog: bad, st: &Statement{Program: bad, Status: isa.StatusHalted, ExitCode: 0x22222222, Cycles: 3}, recs: recs,
		alter: alter, patch: patch}
	f.mustReject(t, "a load at base + p + 4 proven as one at base + 4")
	f.mustPassWithout(t, "a load at base + p + 4", []check{{"loadstore", []string{"word_lo_range"}}},
		func(table string, a *air.AIR, cols [][]field.Elem) {
			uncount(t, table, a, cols, "m16", 0x801, -1) // the honest word_lo's lookup
		})
}
