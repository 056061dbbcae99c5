package machine

import (
	"context"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

func assemble(t testing.TB, src string) *isa.Program {
	t.Helper()
	p, err := isa.Assemble("test.s", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type run struct {
	m    *Machine
	keys *Keys
	st   *Statement
	recs []trace.Record
}

// testKeys is a machine of the test parameters (chiptest.Params) and p's keys.
func testKeys(t testing.TB, p *isa.Program) (*Machine, *Keys) {
	t.Helper()
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		t.Fatal(err)
	}
	m := New(e)
	keys, err := m.Setup(p)
	if err != nil {
		t.Fatal(err)
	}
	return m, keys
}

func newRun(t testing.TB, src string, input []byte) *run {
	t.Helper()
	p := assemble(t, src)
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: input})
	if err != nil {
		t.Fatal(err)
	}
	m, keys := testKeys(t, p)
	return &run{m: m, keys: keys, st: StatementOf(p, res, input), recs: recs}
}

func (r *run) prove(t testing.TB) *SegmentProof {
	t.Helper()
	proof, err := r.m.Prove(r.keys, r.st, r.recs)
	if err != nil {
		t.Fatal(err)
	}
	return proof
}

const arith = `
.fp 0x1000
.data 0x2000
.word 0x01020304, 7
.text
main:   add  [8], 5, 7
        sub  [12], [8], 20
        add  [16], [12], [8]
        sub  [16], [16], 0xfffffff0
        add  [20], [16], 1
        halt [20]
`

func TestArithmeticRunProves(t *testing.T) {
	r := newRun(t, arith, nil)
	if r.st.Status != isa.StatusHalted || r.st.ExitCode != 21 {
		t.Fatalf("unexpected run: %+v", r.st)
	}
	proof := r.prove(t)
	if err := r.m.Verify(r.keys.VK, r.st, proof); err != nil {
		t.Fatal(err)
	}
	// The statement binds the exit code and the cycle count.
	bad := *r.st
	bad.ExitCode++
	if err := r.m.Verify(r.keys.VK, &bad, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("wrong exit code accepted: %v", err)
	}
	bad = *r.st
	bad.Cycles++
	if err := r.m.Verify(r.keys.VK, &bad, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("wrong cycle count accepted: %v", err)
	}
	// Another program's key rejects the proof.
	other := newRun(t, arith+"\n        halt 0\n", nil)
	if err := r.m.Verify(other.keys.VK, r.st, proof); err == nil {
		t.Fatal("proof verifies under another program's key")
	}
}

func TestTamperedRecords(t *testing.T) {
	cases := map[string]func(rs []trace.Record){
		"wrong ALU result": func(rs []trace.Record) { rs[1].A++; rs[2].B++ },
		"read disagrees with the last write": func(rs []trace.Record) {
			rs[2].B++ // [12] as read by the third instruction
			rs[2].Accesses[0].Before++
			rs[2].Accesses[0].After++
		},
		"instruction not in the ROM": func(rs []trace.Record) {
			// add [20], [16], 1 executed as sub: every value consistent but the fetch.
			rs[4].Inst.Op = isa.SUB
			rs[4].A = 19
			rs[4].Accesses[1].After = 19
			rs[5].B = 19
			rs[5].Accesses[0].Before, rs[5].Accesses[0].After = 19, 19
		},
		"skipped timestamp order": func(rs []trace.Record) {
			rs[2].Accesses[0].PrevTS = rs[2].Accesses[0].TS + 1
		},
		"altered exit code": func(rs []trace.Record) { rs[5].B++ },
	}
	for name, mutate := range cases {
		r := newRun(t, arith, nil)
		mutate(r.recs)
		if name == "instruction not in the ROM" {
			r.st.ExitCode = 19
		}
		forge(t, r.st.Program, r.st, r.recs, name)
	}
}

// memIO exercises loads and stores (aligned, unaligned, sub-word, across a word
// boundary), CALL/RET and the I/O syscalls — everything but branches.
const memIO = `
.fp 0x1000
main:   ecall input_len, [8]
        ecall read, [12]
        ecall read, [16]
        sw    [12], 0x2001, 0          ; unaligned word store across two words
        lw    [20], 0x2000, 1          ; read it back
        lb    [24], 0x2001, 3          ; a sign-extended byte
        lhu   [28], 0x2003, 0          ; a halfword across the word boundary
        sh    [16], 0x2006, 0
        lw    [32], 0x2004, 0
        add   [72], [12], 0            ; argument in the callee's frame
        call  double, 64
        ecall write, [20], 4
        ecall write, [80], 3
        ecall write, [24], 1
        halt  [8]
double: add   [16], [8], [8]           ; [fp+16] = 2 * [fp+8]
        ret
`

func TestMemoryCallsAndIOProve(t *testing.T) {
	input := []byte{0x11, 0x22, 0x33, 0x84, 0xaa, 0xbb, 0xcc}
	r := newRun(t, memIO, input)
	if r.st.Status != isa.StatusHalted || r.st.ExitCode != 7 || len(r.st.Output) != 8 {
		t.Fatalf("unexpected run: status %s code %d output %x", r.st.Status, r.st.ExitCode, r.st.Output)
	}
	proof := r.prove(t)
	for i, name := range r.m.Tables() {
		if name == "loadstore" || name == "frame" || name == "io" {
			if proof.Proof.LogN[i] == stark.Absent {
				t.Fatalf("table %s left out of a run that uses it", name)
			}
		}
	}
	if err := r.m.Verify(r.keys.VK, r.st, proof); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(st *Statement){
		"output byte":  func(st *Statement) { st.Output = append([]byte{st.Output[0] ^ 1}, st.Output[1:]...) },
		"output short": func(st *Statement) { st.Output = st.Output[:7] },
		"input length": func(st *Statement) { st.InputLen++ },
	} {
		bad := *r.st
		mutate(&bad)
		if err := r.m.Verify(r.keys.VK, &bad, proof); !errors.Is(err, stark.ErrInvalidProof) {
			t.Errorf("%s: altered public output accepted: %v", name, err)
		}
	}
}

// TestFarUntakenBranchProves proves a run with a branch whose target lies past 2^30 but
// is not taken: the executor runs on, so the CPU must not range-check that target.
func TestFarUntakenBranchProves(t *testing.T) {
	r := newRun(t, ".fp 0x1000\nmain: mov [8], 2\n beq [8], 1, 0x40000000\n halt [8]\n", nil)
	if r.st.Status != isa.StatusHalted || r.st.ExitCode != 2 {
		t.Fatalf("unexpected run: %+v", r.st)
	}
	if err := r.m.Verify(r.keys.VK, r.st, r.prove(t)); err != nil {
		t.Fatal(err)
	}
}
